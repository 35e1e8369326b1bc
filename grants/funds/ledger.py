"""The pot's ledger: every figure on every page comes from these query functions.

Definitions (all in öre):
- paid: payouts marked paid; refunded: refunds received;
- committed by a grant: its amount, or what was actually paid if it was
  withdrawn, less what was refunded; committed on a line: the sum over its grants;
- left to apply for = budget − committed; remaining (cash) = budget − paid + refunded;
- on the meetings and training lines, committed is the expenses not cancelled
  and paid the expenses marked paid.

Each function runs a fixed number of grouped queries, whatever the number of
grants and payouts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from grants.core.time import local_today
from grants.extensions import db
from grants.funds.models import (
    BudgetLine,
    BudgetLineKind,
    Expense,
    FundingPeriod,
    Grant,
    GrantReport,
    GrantState,
    Payout,
    PayoutStatus,
    Refund,
    ReportStatus,
)


@dataclass(frozen=True)
class GrantFigures:
    amount: int
    paid: int
    refunded: int
    withdrawn: bool
    payouts_pending: int = 0  # registered or attested, not yet paid

    @property
    def committed(self) -> int:
        return (self.paid if self.withdrawn else self.amount) - self.refunded

    @property
    def unpaid(self) -> int:
        """What may still be paid out (0 once withdrawn)."""
        return 0 if self.withdrawn else self.amount - self.paid - self.payouts_pending


@dataclass(frozen=True)
class LineFigures:
    kind: BudgetLineKind
    budget: int
    committed: int = 0
    paid: int = 0
    refunded: int = 0

    @property
    def left_to_apply_for(self) -> int:
        return max(self.budget - self.committed, 0)

    @property
    def remaining(self) -> int:
        return self.budget - self.paid + self.refunded


@dataclass
class OrganisationFigures:
    organisation_id: int
    name: str
    granted: int = 0
    paid: int = 0
    refunded: int = 0
    reports_outstanding: int = 0
    reports_overdue: int = 0


@dataclass
class PeriodLedger:
    period: FundingPeriod
    lines: dict[BudgetLineKind, LineFigures] = field(default_factory=dict)

    @property
    def grants(self) -> LineFigures:
        return self.lines.get(BudgetLineKind.GRANTS, LineFigures(BudgetLineKind.GRANTS, 0))


def _sum(column):
    return sa.func.coalesce(sa.func.sum(column), 0)


def _of_grants(column, grants):
    """Restrict a per-grant subquery to ``grants`` (ids, or a select of ids) so its cost
    follows the page, not the whole installation."""
    return column.in_(grants)


def _paid_by_grant(grants):
    return (
        sa.select(Payout.grant_id, _sum(Payout.amount_ore).label("paid"))
        .where(Payout.status == PayoutStatus.PAID, _of_grants(Payout.grant_id, grants))
        .group_by(Payout.grant_id)
        .subquery()
    )


def _pending_by_grant(grants):
    return (
        sa.select(Payout.grant_id, _sum(Payout.amount_ore).label("pending"))
        .where(
            Payout.status.in_((PayoutStatus.REGISTERED, PayoutStatus.ATTESTED)),
            _of_grants(Payout.grant_id, grants),
        )
        .group_by(Payout.grant_id)
        .subquery()
    )


def _refunded_by_grant(grants):
    return (
        sa.select(Refund.grant_id, _sum(Refund.amount_ore).label("refunded"))
        .where(_of_grants(Refund.grant_id, grants))
        .group_by(Refund.grant_id)
        .subquery()
    )


def _grants_of_period(period_id: int):
    return sa.select(Grant.id).where(Grant.period_id == period_id).scalar_subquery()


def grant_figures(grant_ids: list[int]) -> dict[int, GrantFigures]:
    """Figures for each grant in ``grant_ids``, in one query."""
    if not grant_ids:
        return {}
    paid = _paid_by_grant(grant_ids)
    pending = _pending_by_grant(grant_ids)
    refunded = _refunded_by_grant(grant_ids)
    rows = db.session.execute(
        sa.select(
            Grant.id,
            Grant.amount_ore,
            Grant.state,
            sa.func.coalesce(paid.c.paid, 0),
            sa.func.coalesce(pending.c.pending, 0),
            sa.func.coalesce(refunded.c.refunded, 0),
        )
        .outerjoin(paid, paid.c.grant_id == Grant.id)
        .outerjoin(pending, pending.c.grant_id == Grant.id)
        .outerjoin(refunded, refunded.c.grant_id == Grant.id)
        .where(Grant.id.in_(grant_ids))
    )
    return {
        row[0]: GrantFigures(
            amount=int(row[1]),
            withdrawn=row[2] == GrantState.WITHDRAWN,
            paid=int(row[3]),
            payouts_pending=int(row[4]),
            refunded=int(row[5]),
        )
        for row in rows
    }


def committed_on(period_id: int) -> int:
    """Committed on a period's grants line (see the module's definitions), one query."""
    in_period = _grants_of_period(period_id)
    paid, refunded = _paid_by_grant(in_period), _refunded_by_grant(in_period)
    paid_value = sa.func.coalesce(paid.c.paid, 0)
    committed = sa.case(
        (Grant.state == GrantState.WITHDRAWN, paid_value), else_=Grant.amount_ore
    ) - sa.func.coalesce(refunded.c.refunded, 0)
    total = db.session.scalar(
        sa.select(_sum(committed))
        .select_from(Grant)
        .outerjoin(paid, paid.c.grant_id == Grant.id)
        .outerjoin(refunded, refunded.c.grant_id == Grant.id)
        .where(Grant.period_id == period_id)
    )
    return int(total)


def period_ledger(period: FundingPeriod) -> PeriodLedger:
    """Budget, committed, paid, refunded, remaining and left, per line of ``period``."""
    ledger = PeriodLedger(period)
    budgets = {
        line.kind: int(line.budget_ore)
        for line in db.session.scalars(
            sa.select(BudgetLine).where(BudgetLine.period_id == period.id)
        )
    }
    paid = int(
        db.session.scalar(
            sa.select(_sum(Payout.amount_ore))
            .join(Grant, Grant.id == Payout.grant_id)
            .where(Grant.period_id == period.id, Payout.status == PayoutStatus.PAID)
        )
    )
    refunded = int(
        db.session.scalar(
            sa.select(_sum(Refund.amount_ore))
            .join(Grant, Grant.id == Refund.grant_id)
            .where(Grant.period_id == period.id)
        )
    )
    spent = {
        row[0]: (int(row[1]), int(row[2]))
        for row in db.session.execute(
            sa.select(
                Expense.line_kind,
                _sum(Expense.amount_ore),
                _sum(sa.case((Expense.status == PayoutStatus.PAID, Expense.amount_ore), else_=0)),
            )
            .where(Expense.period_id == period.id, Expense.status != PayoutStatus.CANCELLED)
            .group_by(Expense.line_kind)
        )
    }
    for kind, budget in budgets.items():
        if kind == BudgetLineKind.GRANTS:
            ledger.lines[kind] = LineFigures(kind, budget, committed_on(period.id), paid, refunded)
        else:
            committed, spent_paid = spent.get(kind, (0, 0))
            ledger.lines[kind] = LineFigures(kind, budget, committed, spent_paid)
    return ledger


def organisation_figures(
    period: FundingPeriod, today: date | None = None
) -> list[OrganisationFigures]:
    """Per grantee organisation in ``period``: granted, paid, refunded, reports outstanding."""
    from grants.members.models import Organisation
    from grants.proposals.models import Proposal

    in_period = _grants_of_period(period.id)
    paid, refunded = _paid_by_grant(in_period), _refunded_by_grant(in_period)
    outstanding = report_outstanding()
    overdue = sa.and_(outstanding, Grant.report_due_on < (today or local_today()))
    rows = db.session.execute(
        sa.select(
            Organisation.id,
            Organisation.name,
            _sum(sa.case((Grant.state == GrantState.WITHDRAWN, 0), else_=Grant.amount_ore)),
            _sum(sa.func.coalesce(paid.c.paid, 0)),
            _sum(sa.func.coalesce(refunded.c.refunded, 0)),
            _sum(sa.case((outstanding, 1), else_=0)),
            _sum(sa.case((overdue, 1), else_=0)),
        )
        .select_from(Grant)
        .join(Proposal, Proposal.id == Grant.proposal_id)
        .join(Organisation, Organisation.id == Proposal.applicant_id)
        .outerjoin(paid, paid.c.grant_id == Grant.id)
        .outerjoin(refunded, refunded.c.grant_id == Grant.id)
        .outerjoin(GrantReport, GrantReport.grant_id == Grant.id)
        .where(Grant.period_id == period.id)
        .group_by(Organisation.id, Organisation.name)
        .order_by(Organisation.name)
    )
    return [OrganisationFigures(row[0], row[1], *(int(value) for value in row[2:])) for row in rows]


def report_outstanding():
    """A grant still owes its report: not withdrawn or closed, and no report handed in
    that awaits review or was accepted (one sent back for more counts as owed).
    Needs ``GrantReport`` outer-joined on the grant."""
    return sa.and_(
        Grant.state.not_in((GrantState.WITHDRAWN, GrantState.CLOSED)),
        sa.or_(GrantReport.id.is_(None), GrantReport.status == ReportStatus.NEEDS_MORE),
    )
