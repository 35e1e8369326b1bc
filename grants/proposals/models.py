from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grants.core.db import str_enum
from grants.core.time import UTCDateTime, utcnow
from grants.extensions import db
from grants.funds.models import FundingPeriod
from grants.meetings.models import Meeting
from grants.members.models import Organisation, User
from grants.networks.models import Criterion, Network


class ProposalSource(StrEnum):
    WEB = "web"
    EMAIL = "email"
    MEETING = "meeting"


class ProposalState(StrEnum):
    REGISTERED = "registered"
    ON_AGENDA = "on_agenda"
    APPROVED = "approved"
    REJECTED = "rejected"
    DEFERRED = "deferred"
    WITHDRAWN = "withdrawn"


UNDECIDED_STATES = (ProposalState.REGISTERED, ProposalState.ON_AGENDA, ProposalState.DEFERRED)
DECIDED_STATES = (ProposalState.APPROVED, ProposalState.REJECTED)

proposal_co_applicants = sa.Table(
    "proposal_co_applicants",
    db.metadata,
    sa.Column("proposal_id", sa.ForeignKey("proposals.id"), primary_key=True),
    sa.Column("organisation_id", sa.ForeignKey("organisations.id"), primary_key=True, index=True),
)

proposal_criteria = sa.Table(
    "proposal_criteria",
    db.metadata,
    sa.Column("proposal_id", sa.ForeignKey("proposals.id"), primary_key=True),
    sa.Column("criterion_id", sa.ForeignKey("criteria.id"), primary_key=True),
)


def reference_of(year: int, number: int) -> str:
    """A proposal's reference as people quote it: ``2026-007``."""
    return f"{year}-{number:03d}"


class Proposal(db.Model):
    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("networks.id"), index=True)
    year: Mapped[int] = mapped_column()
    number: Mapped[int] = mapped_column()
    applicant_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("funding_periods.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text)
    planned_start: Mapped[date] = mapped_column(sa.Date)
    planned_end: Mapped[date] = mapped_column(sa.Date)
    requested_ore: Mapped[int] = mapped_column(sa.BigInteger)
    contact_name: Mapped[str] = mapped_column(sa.String(200))
    contact_email: Mapped[str] = mapped_column(sa.String(254))
    contact_phone: Mapped[str] = mapped_column(sa.String(40), default="")
    source: Mapped[ProposalSource] = mapped_column(str_enum(ProposalSource, "proposal_source"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    email_text: Mapped[str] = mapped_column(sa.Text, default="")
    raised_at_meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id"))
    registered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    state: Mapped[ProposalState] = mapped_column(
        str_enum(ProposalState, "proposal_state"), default=ProposalState.REGISTERED, index=True
    )
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    network: Mapped[Network] = relationship()
    applicant: Mapped[Organisation] = relationship(foreign_keys=[applicant_id])
    period: Mapped[FundingPeriod] = relationship()
    meeting: Mapped[Meeting | None] = relationship(foreign_keys=[meeting_id])
    raised_at_meeting: Mapped[Meeting | None] = relationship(foreign_keys=[raised_at_meeting_id])
    registered_by: Mapped[User | None] = relationship()
    co_applicants: Mapped[list[Organisation]] = relationship(
        secondary=proposal_co_applicants, order_by="Organisation.name"
    )
    criteria: Mapped[list[Criterion]] = relationship(
        secondary=proposal_criteria, order_by="Criterion.position"
    )
    budget_rows: Mapped[list[BudgetRow]] = relationship(
        back_populates="proposal", order_by="BudgetRow.position", cascade="all, delete-orphan"
    )
    versions: Mapped[list[ProposalVersion]] = relationship(
        back_populates="proposal", order_by="ProposalVersion.version"
    )
    moves: Mapped[list[ProposalMove]] = relationship(
        back_populates="proposal", order_by="ProposalMove.moved_at"
    )

    __table_args__ = (
        sa.UniqueConstraint("network_id", "year", "number"),
        sa.CheckConstraint("requested_ore > 0", name="requested_positive"),
        sa.CheckConstraint("planned_end >= planned_start", name="period_in_order"),
        sa.Index("ix_proposals_network_state_created", "network_id", "state", "created_at"),
    )

    @property
    def reference(self) -> str:
        return reference_of(self.year, self.number)

    @property
    def budget_total_ore(self) -> int:
        return sum(row.amount_ore for row in self.budget_rows)


class BudgetRow(db.Model):
    __tablename__ = "proposal_budget_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id"), index=True)
    position: Mapped[int] = mapped_column()
    item: Mapped[str] = mapped_column(sa.String(200))
    amount_ore: Mapped[int] = mapped_column(sa.BigInteger)

    proposal: Mapped[Proposal] = relationship(back_populates="budget_rows")

    __table_args__ = (sa.CheckConstraint("amount_ore > 0", name="amount_positive"),)


class ProposalVersion(db.Model):
    """What the proposal said at each version, so the differences can be shown."""

    __tablename__ = "proposal_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id"), index=True)
    version: Mapped[int] = mapped_column()
    snapshot: Mapped[str] = mapped_column(sa.Text)  # canonical JSON of the shown fields
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    proposal: Mapped[Proposal] = relationship(back_populates="versions")
    created_by: Mapped[User | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("proposal_id", "version"),)


class ProposalMove(db.Model):
    """The coordinator moved a proposal to a later meeting, and why."""

    __tablename__ = "proposal_moves"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id"), index=True)
    from_meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id"))
    to_meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"))
    reason: Mapped[str] = mapped_column(sa.Text)
    moved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    moved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    proposal: Mapped[Proposal] = relationship(back_populates="moves")
    moved_by: Mapped[User | None] = relationship()
    from_meeting: Mapped[Meeting | None] = relationship(foreign_keys=[from_meeting_id])
    to_meeting: Mapped[Meeting] = relationship(foreign_keys=[to_meeting_id])
