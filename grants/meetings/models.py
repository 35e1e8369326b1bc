from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grants.core.db import str_enum
from grants.core.time import UTCDateTime, utcnow
from grants.extensions import db
from grants.members.models import Organisation
from grants.networks.models import Network


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
