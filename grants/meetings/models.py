from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grants.core.db import str_enum
from grants.core.time import UTCDateTime, utcnow
from grants.extensions import db
from grants.meetings.rules import Choice, Outcome
from grants.members.models import Organisation, User
from grants.networks.models import Network

if TYPE_CHECKING:
    from grants.proposals.models import Proposal


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    INVITED = "invited"  # invitations sent: the proposal part of the agenda is frozen
    IN_SESSION = "in_session"
    HELD = "held"
    ADJUSTED = "adjusted"
    CANCELLED = "cancelled"


# Statuses in which proposals may still be added to the meeting's agenda.
OPEN_FOR_PROPOSALS = (MeetingStatus.PLANNED,)


class Meeting(db.Model):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("networks.id"), index=True)
    number: Mapped[int] = mapped_column()
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(sa.String(300))
    host_organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    theme: Mapped[str] = mapped_column(sa.String(300), default="")
    status: Mapped[MeetingStatus] = mapped_column(
        str_enum(MeetingStatus, "meeting_status"), default=MeetingStatus.PLANNED
    )
    # Raised with every update or cancellation sent, as calendar programs require.
    ics_sequence: Mapped[int] = mapped_column(default=0)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    network: Mapped[Network] = relationship()
    host_organisation: Mapped[Organisation | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("network_id", "number"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    @property
    def agenda_frozen(self) -> bool:
        return self.status not in OPEN_FOR_PROPOSALS

    @property
    def has_taken_place(self) -> bool:
        return self.status != MeetingStatus.CANCELLED and self.starts_at <= utcnow()


# ---- the agenda and the meeting itself -----------------------------------------------


class AgendaItemKind(StrEnum):
    STANDARD = "standard"
    PROPOSAL = "proposal"
    OTHER = "other"


class ItemStatus(StrEnum):
    PENDING = "pending"
    VOTING = "voting"  # a counted vote is open: representatives may cast votes
    DECIDED = "decided"


class DecisionMethod(StrEnum):
    ACCLAMATION = "acclamation"
    COUNTED = "counted"


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"), index=True)
    position: Mapped[int] = mapped_column()
    kind: Mapped[AgendaItemKind] = mapped_column(str_enum(AgendaItemKind, "agenda_item_kind"))
    title: Mapped[str] = mapped_column(sa.String(300))
    proposal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("proposals.id"), index=True)
    late_reason: Mapped[str] = mapped_column(sa.Text, default="")
    # Template items after the proposals' place ("[förslag]" in the network's template).
    after_proposals: Mapped[bool] = mapped_column(default=False)
    minutes_text: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[ItemStatus] = mapped_column(
        str_enum(ItemStatus, "item_status"), default=ItemStatus.PENDING
    )
    # When the coordinator closed the counted vote: no vote is cast after it, and the
    # decision is taken on the count as it stood then.
    vote_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    meeting: Mapped[Meeting] = relationship()
    proposal: Mapped[Proposal | None] = relationship("Proposal")
    recusals: Mapped[list[Recusal]] = relationship(
        back_populates="item", cascade="all, delete-orphan"
    )
    votes: Mapped[list[Vote]] = relationship(back_populates="item")
    decision: Mapped[Decision | None] = relationship(back_populates="item", uselist=False)

    __table_args__ = (
        sa.CheckConstraint(
            "(kind = 'proposal') = (proposal_id IS NOT NULL)", name="proposal_iff_proposal_item"
        ),
    )


class Attendance(db.Model):
    """An organisation at a meeting: who represents it, and whether it is there now."""

    __tablename__ = "attendances"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    people: Mapped[str] = mapped_column(sa.Text, default="")  # names, one per line
    present: Mapped[bool] = mapped_column(default=True)
    arrived_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    meeting: Mapped[Meeting] = relationship()
    organisation: Mapped[Organisation] = relationship()

    __table_args__ = (sa.UniqueConstraint("meeting_id", "organisation_id"),)


class Recusal(db.Model):
    """An organisation that does not vote on an item (jäv)."""

    __tablename__ = "recusals"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_items.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    automatic: Mapped[bool] = mapped_column(default=True)  # applicant or co-applicant
    reason: Mapped[str] = mapped_column(sa.String(500), default="")

    item: Mapped[AgendaItem] = relationship(back_populates="recusals")
    organisation: Mapped[Organisation] = relationship()

    __table_args__ = (sa.UniqueConstraint("item_id", "organisation_id"),)


class Vote(db.Model):
    """One organisation's vote on one item (invariant 3: one, by unique constraint)."""

    __tablename__ = "votes"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_items.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    choice: Mapped[Choice] = mapped_column(str_enum(Choice, "vote_choice"))
    cast_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    cast_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    item: Mapped[AgendaItem] = relationship(back_populates="votes")
    organisation: Mapped[Organisation] = relationship()

    __table_args__ = (sa.UniqueConstraint("item_id", "organisation_id"),)


class Decision(db.Model):
    """The meeting's decision on a proposal item, with what it was based on."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_items.id"), unique=True)
    outcome: Mapped[Outcome] = mapped_column(str_enum(Outcome, "decision_outcome"))
    method: Mapped[DecisionMethod | None] = mapped_column(
        str_enum(DecisionMethod, "decision_method")
    )
    amount_ore: Mapped[int | None] = mapped_column(sa.BigInteger)
    conditions: Mapped[str] = mapped_column(sa.Text, default="")
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    yes: Mapped[int | None] = mapped_column()
    no: Mapped[int | None] = mapped_column()
    abstain: Mapped[int | None] = mapped_column()
    tie: Mapped[bool] = mapped_column(default=False)
    tie_rule_applied: Mapped[str | None] = mapped_column(sa.String(20))
    present_organisation_ids: Mapped[str] = mapped_column(sa.Text, default="[]")
    recused_organisation_ids: Mapped[str] = mapped_column(sa.Text, default="[]")
    deferred_to_meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    item: Mapped[AgendaItem] = relationship(back_populates="decision")
    deferred_to_meeting: Mapped[Meeting | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint(
            "(outcome = 'approved') = (amount_ore IS NOT NULL AND amount_ore > 0)",
            name="amount_iff_approved",
        ),
    )


# ---- minutes (protokoll) ---------------------------------------------------------------


class Minutes(db.Model):
    """Who chaired, kept and adjusts the minutes; adjusted = the meeting is locked."""

    __tablename__ = "minutes"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"), unique=True)
    chair_name: Mapped[str] = mapped_column(sa.String(200), default="")
    secretary_name: Mapped[str] = mapped_column(sa.String(200), default="")
    closing_text: Mapped[str] = mapped_column(sa.Text, default="")
    adjusted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paper_adjustment_note: Mapped[str] = mapped_column(sa.Text, default="")

    meeting: Mapped[Meeting] = relationship()
    adjusters: Mapped[list[Adjuster]] = relationship(
        back_populates="minutes", cascade="all, delete-orphan", order_by="Adjuster.id"
    )


class Adjuster(db.Model):
    """A justerare: a person present who approves the minutes, signed in or on paper."""

    __tablename__ = "adjusters"

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(sa.ForeignKey("minutes.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    name: Mapped[str] = mapped_column(sa.String(200))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    on_paper: Mapped[bool] = mapped_column(default=False)

    minutes: Mapped[Minutes] = relationship(back_populates="adjusters")
    user: Mapped[User | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
