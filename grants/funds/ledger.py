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


# Per-grant sums are correlated subqueries: each reads its grant's rows through the
# grant_id index, so a page's cost follows its own grants. (Subqueries grouped over
# all payouts and joined back made PostgreSQL scan every payout of the installation.)


def _paid_of_grant():
    return (
        sa.select(_sum(Payout.amount_ore))
        .where(Payout.grant_id == Grant.id, Payout.status == PayoutStatus.PAID)
        .correlate(Grant)
        .scalar_subquery()
    )


def _pending_of_grant():
    return (
        sa.select(_sum(Payout.amount_ore))
        .where(
            Payout.grant_id == Grant.id,
            Payout.status.in_((PayoutStatus.REGISTERED, PayoutStatus.ATTESTED)),
        )
        .correlate(Grant)
        .scalar_subquery()
    )


def _refunded_of_grant():
    return (
        sa.select(_sum(Refund.amount_ore))
        .where(Refund.grant_id == Grant.id)
        .correlate(Grant)
        .scalar_subquery()
    )


def _committed_of_grant():
    """What a grant commits of the pot (``GrantFigures.committed``), as SQL."""
    return (
        sa.case((Grant.state == GrantState.WITHDRAWN, _paid_of_grant()), else_=Grant.amount_ore)
        - _refunded_of_grant()
    )


def grant_figures(grant_ids: list[int]) -> dict[int, GrantFigures]:
    """Figures for each grant in ``grant_ids``, in one query."""
    if not grant_ids:
        return {}
    rows = db.session.execute(
        sa.select(
            Grant.id,
            Grant.amount_ore,
            Grant.state,
            _paid_of_grant(),
            _pending_of_grant(),
            _refunded_of_grant(),
        ).where(Grant.id.in_(grant_ids))
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


def committed_by_period(period_ids: list[int]) -> dict[int, int]:
    """Committed on the grants line of each period in ``period_ids`` (see the module's
    definitions), in one query whatever the number of periods."""
    if not period_ids:
        return {}
    rows = db.session.execute(
        sa.select(Grant.period_id, _sum(_committed_of_grant()))
        .where(Grant.period_id.in_(period_ids))
        .group_by(Grant.period_id)
    )
    committed_in = {row[0]: int(row[1]) for row in rows}
    return {period_id: committed_in.get(period_id, 0) for period_id in period_ids}


def committed_on(period_id: int) -> int:
    """Committed on a period's grants line, one query."""
    return committed_by_period([period_id])[period_id]


def period_ledgers(periods: list[FundingPeriod]) -> dict[int, PeriodLedger]:
    """Each period's ledger (see ``period_ledger``) in five queries, however many periods
    a page shows."""
    if not periods:
        return {}
    ids = [period.id for period in periods]
    # Payouts and refunds carry their network: reading them through its index keeps the
    # cost to the network's own rows, not the installation's.
    networks = {period.network_id for period in periods}
    budgets: dict[int, dict[BudgetLineKind, int]] = {period_id: {} for period_id in ids}
    for period_id, kind, budget in db.session.execute(
        sa.select(BudgetLine.period_id, BudgetLine.kind, BudgetLine.budget_ore).where(
            BudgetLine.period_id.in_(ids)
        )
    ):
        budgets[period_id][kind] = int(budget)
    paid = dict(
        db.session.execute(
            sa.select(Grant.period_id, _sum(Payout.amount_ore))
            .join(Grant, Grant.id == Payout.grant_id)
            .where(
                Grant.period_id.in_(ids),
                Payout.network_id.in_(networks),
                Payout.status == PayoutStatus.PAID,
            )
            .group_by(Grant.period_id)
        ).all()
    )
    refunded = dict(
        db.session.execute(
            sa.select(Grant.period_id, _sum(Refund.amount_ore))
            .join(Grant, Grant.id == Refund.grant_id)
            .where(Grant.period_id.in_(ids), Refund.network_id.in_(networks))
            .group_by(Grant.period_id)
        ).all()
    )
    spent = {
        (row[0], row[1]): (int(row[2]), int(row[3]))
        for row in db.session.execute(
            sa.select(
                Expense.period_id,
                Expense.line_kind,
                _sum(Expense.amount_ore),
                _sum(sa.case((Expense.status == PayoutStatus.PAID, Expense.amount_ore), else_=0)),
            )
            .where(Expense.period_id.in_(ids), Expense.status != PayoutStatus.CANCELLED)
            .group_by(Expense.period_id, Expense.line_kind)
        )
    }
    committed = committed_by_period(ids)
    ledgers = {}
    for period in periods:
        ledger = ledgers[period.id] = PeriodLedger(period)
        for kind, budget in budgets[period.id].items():
            if kind == BudgetLineKind.GRANTS:
                ledger.lines[kind] = LineFigures(
                    kind,
                    budget,
                    committed[period.id],
                    int(paid.get(period.id, 0)),
                    int(refunded.get(period.id, 0)),
                )
            else:
                line_committed, line_paid = spent.get((period.id, kind), (0, 0))
                ledger.lines[kind] = LineFigures(kind, budget, line_committed, line_paid)
    return ledgers


def period_ledger(period: FundingPeriod) -> PeriodLedger:
    """Budget, committed, paid, refunded, remaining and left, per line of ``period``."""
    return period_ledgers([period])[period.id]


def organisation_figures(
    period: FundingPeriod, today: date | None = None
) -> list[OrganisationFigures]:
    """Per grantee organisation in ``period``: granted, paid, refunded, reports outstanding."""
    from grants.members.models import Organisation
    from grants.proposals.models import Proposal

    outstanding = report_outstanding()
    overdue = sa.and_(outstanding, Grant.report_due_on < (today or local_today()))
    rows = db.session.execute(
        sa.select(
            Organisation.id,
            Organisation.name,
            _sum(sa.case((Grant.state == GrantState.WITHDRAWN, 0), else_=Grant.amount_ore)),
            _sum(_paid_of_grant()),
            _sum(_refunded_of_grant()),
            _sum(sa.case((outstanding, 1), else_=0)),
            _sum(sa.case((overdue, 1), else_=0)),
        )
        .select_from(Grant)
        .join(Proposal, Proposal.id == Grant.proposal_id)
        .join(Organisation, Organisation.id == Proposal.applicant_id)
        # The network's own reports only, through its index: without it PostgreSQL
        # hashes every report of the installation.
        .outerjoin(
            GrantReport,
            sa.and_(GrantReport.grant_id == Grant.id, GrantReport.network_id == period.network_id),
        )
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
