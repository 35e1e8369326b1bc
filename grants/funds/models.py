from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grants.core.db import str_enum
from grants.core.time import UTCDateTime, utcnow
from grants.extensions import db
from grants.networks.models import Network

if TYPE_CHECKING:
    from grants.proposals.models import Proposal


class BudgetLineKind(StrEnum):
    GRANTS = "grants"
    MEETINGS = "meetings"
    TRAINING = "training"


class FundingPeriod(db.Model):
    """Money from a funder for a stretch of time, split into budget lines."""

    __tablename__ = "funding_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("networks.id"), index=True)
    funder: Mapped[str] = mapped_column(sa.String(200))
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    network: Mapped[Network] = relationship()
    lines: Mapped[list[BudgetLine]] = relationship(
        back_populates="period", order_by="BudgetLine.kind", cascade="all, delete-orphan"
    )

    __table_args__ = (sa.CheckConstraint("ends_on >= starts_on", name="dates_in_order"),)

    def line(self, kind: BudgetLineKind) -> BudgetLine | None:
        return next((line for line in self.lines if line.kind == kind), None)


class BudgetLine(db.Model):
    __tablename__ = "budget_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("funding_periods.id"), index=True)
    kind: Mapped[BudgetLineKind] = mapped_column(str_enum(BudgetLineKind, "budget_line_kind"))
    budget_ore: Mapped[int] = mapped_column(sa.BigInteger, default=0)

    period: Mapped[FundingPeriod] = relationship(back_populates="lines")

    __table_args__ = (
        sa.UniqueConstraint("period_id", "kind"),
        sa.CheckConstraint("budget_ore >= 0", name="budget_not_negative"),
    )


class Grant(db.Model):
    """Money granted to a proposal from a period's grants line.

    The meeting's decision creates it (meetings issue); payouts, refunds and
    reports hang from it (funds issue).
    """

    __tablename__ = "grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("networks.id"), index=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("funding_periods.id"), index=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id"), unique=True)
    # The approval it comes from (None only for grants recorded before decisions existed).
    decision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("decisions.id"), unique=True)
    conditions: Mapped[str] = mapped_column(sa.Text, default="")
    amount_ore: Mapped[int] = mapped_column(sa.BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    network: Mapped[Network] = relationship()
    period: Mapped[FundingPeriod] = relationship()
    proposal: Mapped[Proposal] = relationship("Proposal")

    __table_args__ = (sa.CheckConstraint("amount_ore > 0", name="amount_positive"),)
