from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from grants.core.db import str_enum
from grants.core.time import UTCDateTime, utcnow
from grants.extensions import db
from grants.members.models import User
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


class GrantState(StrEnum):
    GRANTED = "granted"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    REPORTED = "reported"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class Grant(db.Model):
    """Money granted to a proposal from a period's grants line.

    The meeting's decision creates it; payouts, refunds and the grantee's
    report hang from it.
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
    state: Mapped[GrantState] = mapped_column(
        str_enum(GrantState, "grant_state"), default=GrantState.GRANTED
    )
    report_due_on: Mapped[date | None] = mapped_column(sa.Date)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawal_reason: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    network: Mapped[Network] = relationship()
    period: Mapped[FundingPeriod] = relationship()
    proposal: Mapped[Proposal] = relationship("Proposal")
    payouts: Mapped[list[Payout]] = relationship(back_populates="grant", order_by="Payout.id")
    refunds: Mapped[list[Refund]] = relationship(back_populates="grant", order_by="Refund.id")
    report: Mapped[GrantReport | None] = relationship(back_populates="grant", uselist=False)

    __table_args__ = (sa.CheckConstraint("amount_ore > 0", name="amount_positive"),)


class PayoutStatus(StrEnum):
    REGISTERED = "registered"
    ATTESTED = "attested"
    PAID = "paid"
    CANCELLED = "cancelled"


class AttestedPayment:
    """Registered by one person, attested by a second, then paid with the date and the
    accounting reference (verifikationsnummer): grant payouts and the network's expenses."""

    registered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    attested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paid_on: Mapped[date | None] = mapped_column(sa.Date)
    accounting_ref: Mapped[str] = mapped_column(sa.String(60), default="")
    paid_recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    cancelled_reason: Mapped[str] = mapped_column(sa.Text, default="")

    @declared_attr
    def registered_by(cls) -> Mapped[User | None]:
        return relationship(foreign_keys=[cls.registered_by_id])

    @declared_attr
    def attested_by(cls) -> Mapped[User | None]:
        return relationship(foreign_keys=[cls.attested_by_id])

    @staticmethod
    def two_people() -> sa.CheckConstraint:
        return sa.CheckConstraint(
            "attested_by_id IS NULL OR attested_by_id != registered_by_id", name="two_people"
        )


class Payout(AttestedPayment, db.Model):
    """An instalment of a grant: registered, attested by a second person, paid."""

    __tablename__ = "payouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("networks.id"), index=True)
    grant_id: Mapped[int] = mapped_column(sa.ForeignKey("grants.id"), index=True)
    amount_ore: Mapped[int] = mapped_column(sa.BigInteger)
    planned_on: Mapped[date] = mapped_column(sa.Date)
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    status: Mapped[PayoutStatus] = mapped_column(
        str_enum(PayoutStatus, "payout_status"), default=PayoutStatus.REGISTERED
    )
    # Where the money goes, copied from the network's payout details when the payout is
    # registered and never changed after: attestation attests this destination, and a
    # later change of the organisation's details asks for a new payout instead.
    # (Empty only on payouts registered before destinations were recorded.)
    payee_name: Mapped[str] = mapped_column(sa.String(200), default="")
    destination_method: Mapped[str | None] = mapped_column(sa.String(20))
    destination_number: Mapped[str | None] = mapped_column(sa.String(40))
    destination_bank: Mapped[str] = mapped_column(sa.String(60), default="")

    grant: Mapped[Grant] = relationship(back_populates="payouts")

    @property
    def destination(self):
        from grants.core.payment import PayoutDetails, PayoutMethod

        if not self.destination_method or not self.destination_number:
            return None
        return PayoutDetails(
            PayoutMethod(self.destination_method), self.destination_number, self.destination_bank
        )

    __table_args__ = (
        sa.CheckConstraint("amount_ore > 0", name="amount_positive"),
        AttestedPayment.two_people(),
    )


class Refund(db.Model):
    """Money the grantee paid back (återbetalning); it returns to the period's pot."""

    __tablename__ = "refunds"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("networks.id"), index=True)
    grant_id: Mapped[int] = mapped_column(sa.ForeignKey("grants.id"), index=True)
    amount_ore: Mapped[int] = mapped_column(sa.BigInteger)
    received_on: Mapped[date] = mapped_column(sa.Date)
    reference: Mapped[str] = mapped_column(sa.String(60))
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    registered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    grant: Mapped[Grant] = relationship(back_populates="refunds")

    __table_args__ = (sa.CheckConstraint("amount_ore > 0", name="amount_positive"),)


class ReportStatus(StrEnum):
    SUBMITTED = "submitted"
    NEEDS_MORE = "needs_more"
    ACCEPTED = "accepted"


class GrantReport(db.Model):
    """The grantee's report (redovisning): what was done, for how many, and the costs."""

    __tablename__ = "grant_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("networks.id"), index=True)
    grant_id: Mapped[int] = mapped_column(sa.ForeignKey("grants.id"), unique=True)
    done_text: Mapped[str] = mapped_column(sa.Text)
    participants: Mapped[int] = mapped_column()
    contribution_text: Mapped[str] = mapped_column(sa.Text)
    costs: Mapped[str] = mapped_column(sa.Text, default="[]")  # JSON: [[item, budget, actual]]
    unused_ore: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    status: Mapped[ReportStatus] = mapped_column(
        str_enum(ReportStatus, "report_status"), default=ReportStatus.SUBMITTED
    )
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    coordinator_message: Mapped[str] = mapped_column(sa.Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    grant: Mapped[Grant] = relationship(back_populates="report")
    attachments: Mapped[list[ReportAttachment]] = relationship(
        back_populates="report", order_by="ReportAttachment.id"
    )

    __table_args__ = (
        sa.CheckConstraint("participants >= 0", name="participants_not_negative"),
        sa.CheckConstraint("unused_ore >= 0", name="unused_not_negative"),
    )


class ReportAttachment(db.Model):
    """A receipt or photo with a report, stored outside the web root under a random key."""

    __tablename__ = "report_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("networks.id"), index=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("grant_reports.id"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(50))
    size: Mapped[int] = mapped_column()
    storage_key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    report: Mapped[GrantReport] = relationship(back_populates="attachments")


class ReminderSent(db.Model):
    """One row per reminder sent, so running the reminders twice sends nothing twice."""

    __tablename__ = "reminders_sent"

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(sa.ForeignKey("grants.id"), index=True)
    key: Mapped[str] = mapped_column(sa.String(20))  # before-14, due, after-1, after-2 …
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (sa.UniqueConstraint("grant_id", "key"),)


class Expense(AttestedPayment, db.Model):
    """Money spent on the network's own meetings or training (room hire, coffee,
    lecturers), with its receipt, under the same attestation as payouts."""

    __tablename__ = "expenses"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("networks.id"), index=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("funding_periods.id"), index=True)
    line_kind: Mapped[BudgetLineKind] = mapped_column(str_enum(BudgetLineKind, "expense_line_kind"))
    spent_on: Mapped[date] = mapped_column(sa.Date)
    amount_ore: Mapped[int] = mapped_column(sa.BigInteger)
    payee: Mapped[str] = mapped_column(sa.String(200))
    # Set when a member organisation is paid (it hosted the meeting, say): its
    # representatives may not attest.
    payee_organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    receipt_filename: Mapped[str] = mapped_column(sa.String(200))
    receipt_content_type: Mapped[str] = mapped_column(sa.String(50))
    receipt_size: Mapped[int] = mapped_column()
    receipt_key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    status: Mapped[PayoutStatus] = mapped_column(
        str_enum(PayoutStatus, "expense_status"), default=PayoutStatus.REGISTERED
    )

    network: Mapped[Network] = relationship()
    period: Mapped[FundingPeriod] = relationship()

    __table_args__ = (
        sa.CheckConstraint("amount_ore > 0", name="amount_positive"),
        sa.CheckConstraint("line_kind != 'grants'", name="not_the_grants_line"),
        AttestedPayment.two_people(),
    )
