"""For any sequence of commitments, payouts, refunds, withdrawals and expenses, the ledger holds:
committed ≤ budget, paid ≤ granted, refunded ≤ paid, and every figure equals the sum
of the events it summarises."""

import io

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grants.core.errors import DomainError
from grants.core.time import local_today
from grants.extensions import db
from grants.funds import expenses, payouts
from grants.funds.commitments import check_commitment, commit_grant
from grants.funds.ledger import grant_figures, organisation_figures, period_ledger
from grants.funds.models import (
    BudgetLineKind,
    Expense,
    Grant,
    GrantState,
    Payout,
    PayoutStatus,
    Refund,
)
from tests.factories import (
    FundingPeriodFactory,
    MembershipFactory,
    NetworkFactory,
    ProposalFactory,
    attestant_of,
    coordinator_of,
)

BUDGET = 1_000_000  # 10 000 kr, small so that the sequences hit the limits
amounts = st.integers(min_value=1, max_value=600_000)
actions = st.lists(
    st.one_of(
        st.tuples(st.just("commit"), amounts),
        st.tuples(st.just("payout"), st.integers(0, 5), amounts),
        st.tuples(st.just("refund"), st.integers(0, 5), amounts),
        st.tuples(st.just("withdraw"), st.integers(0, 5)),
        st.tuples(st.just("expense"), amounts, st.sampled_from(["registered", "paid", "cancel"])),
    ),
    max_size=25,
)


def _prepare(action, world):
    """What an action needs that is not part of it (a proposal to approve), made first."""
    if action[0] == "commit":
        return ProposalFactory(
            network=world["network"],
            period=world["period"],
            applicant=world["grantee"],
            requested_ore=action[1],
        )
    return None


def _run(action, world, proposal):
    kind = action[0]
    if kind == "commit":
        check_commitment(proposal, action[1])
        world["grants"].append(commit_grant(proposal, action[1], decision_id=None))
        return
    if kind == "expense":
        _spend(action, world)
        return
    if not world["grants"]:
        return
    grant = world["grants"][action[1] % len(world["grants"])]
    if kind == "payout":
        payout = payouts.register_payout(
            grant,
            amount_ore=action[2],
            planned_on=local_today(),
            note="",
            actor=world["coordinator"],
        )
        payouts.attest_payout(payout, actor=world["attestant"])
        payouts.mark_paid(
            payout, paid_on=local_today(), accounting_ref="V", actor=world["coordinator"]
        )
    elif kind == "refund":
        payouts.register_refund(
            grant,
            amount_ore=action[2],
            received_on=local_today(),
            reference="R",
            note="",
            actor=world["coordinator"],
        )
    else:
        payouts.withdraw_grant(grant, reason="Återkallat", actor=world["coordinator"])


def _spend(action, world):
    """An expense on the meetings line, left registered, paid or cancelled."""
    _, amount, fate = action
    coordinator = world["coordinator"]
    expense = expenses.register_expense(
        world["network"],
        line_kind=BudgetLineKind.MEETINGS,
        spent_on=local_today(),
        amount_ore=amount,
        payee="Kafé",
        payee_organisation=None,
        note="",
        receipt=_Receipt(),
        actor=coordinator,
    )
    if fate == "cancel":
        expenses.cancel_expense(expense, reason="Inställt", actor=coordinator)
    elif fate == "paid":
        expenses.attest_expense(expense, actor=world["attestant"])
        expenses.mark_expense_paid(
            expense, paid_on=local_today(), accounting_ref="V", actor=coordinator
        )


class _Receipt:
    filename = "kvitto.pdf"

    def __init__(self):
        self.stream = io.BytesIO(b"%PDF-1.4 kvitto")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sequence=actions)
def test_the_ledger_agrees_with_the_events_whatever_happens(app, sequence):
    network = NetworkFactory()
    world = {
        "network": network,
        "period": FundingPeriodFactory(
            network=network, budgets={"grants": BUDGET, "meetings": BUDGET}
        ),
        "grantee": MembershipFactory(network=network).organisation,
        "coordinator": coordinator_of(network),
        "attestant": attestant_of(network),
        "grants": [],
    }
    for action in sequence:
        proposal = _prepare(action, world)
        try:
            with db.session.begin_nested():
                _run(action, world, proposal)
        except DomainError:
            pass  # a refusal: nothing of it may remain (checked by the sums below)
    db.session.commit()

    period = world["period"]
    grants = db.session.scalars(sa.select(Grant).where(Grant.period_id == period.id)).all()
    paid = {g.id: 0 for g in grants}
    refunded = {g.id: 0 for g in grants}
    for payout in db.session.scalars(sa.select(Payout).where(Payout.status == PayoutStatus.PAID)):
        if payout.grant_id in paid:
            paid[payout.grant_id] += payout.amount_ore
    for refund in db.session.scalars(sa.select(Refund)):
        if refund.grant_id in refunded:
            refunded[refund.grant_id] += refund.amount_ore

    figures = grant_figures([g.id for g in grants])
    committed = 0
    for grant in grants:
        assert figures[grant.id].paid == paid[grant.id] <= grant.amount_ore
        assert figures[grant.id].refunded == refunded[grant.id] <= paid[grant.id]
        withdrawn = grant.state == GrantState.WITHDRAWN
        committed += (paid[grant.id] if withdrawn else grant.amount_ore) - refunded[grant.id]

    line = period_ledger(period).grants
    assert line.committed == committed <= BUDGET
    assert line.paid == sum(paid.values())
    assert line.refunded == sum(refunded.values())
    assert line.left_to_apply_for == BUDGET - committed
    assert line.remaining == BUDGET - sum(paid.values()) + sum(refunded.values())
    by_organisation = organisation_figures(period)
    assert sum(row.paid for row in by_organisation) == line.paid
    assert sum(row.refunded for row in by_organisation) == line.refunded

    spent = db.session.scalars(sa.select(Expense).where(Expense.period_id == period.id)).all()
    meetings = period_ledger(period).lines[BudgetLineKind.MEETINGS]
    assert meetings.committed == sum(e.amount_ore for e in spent if e.status != "cancelled")
    assert meetings.committed <= BUDGET
    assert meetings.paid == sum(e.amount_ore for e in spent if e.status == "paid")
