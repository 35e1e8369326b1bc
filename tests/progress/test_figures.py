"""The progress report's figures are what was done in the period, with a fixed number of
queries however big the period is."""

from __future__ import annotations

import json
from datetime import timedelta

from grants.core.time import local_today, utcnow
from grants.extensions import db
from grants.funds.ledger import organisation_figures, period_ledger
from grants.funds.models import (
    BudgetLineKind,
    Grant,
    Payout,
    PayoutStatus,
    Refund,
)
from grants.meetings.models import (
    AgendaItem,
    AgendaItemKind,
    Attendance,
    Decision,
    ItemStatus,
    MeetingStatus,
)
from grants.meetings.rules import Outcome
from grants.progress.figures import QUERIES, Cell, progress_figures
from grants.proposals.models import ProposalState
from tests.conftest import QueryCounter
from tests.factories import (
    CriterionFactory,
    FundingPeriodFactory,
    MeetingFactory,
    MembershipFactory,
    ProposalFactory,
)
from tests.progress.story import EXPECTED


def test_the_figures_are_what_was_done_in_the_period(told):
    figures = progress_figures(told.period)

    assert (len(figures.held), len(figures.planned)) == (EXPECTED["held"], EXPECTED["planned"])
    assert [row.number for row in figures.meetings] == [1, 2]
    proposals = figures.proposals
    assert proposals.received == EXPECTED["received"]
    assert proposals.count(ProposalState.APPROVED) == EXPECTED["approved"]
    assert proposals.count(ProposalState.REJECTED) == EXPECTED["rejected"]
    assert proposals.count(ProposalState.DEFERRED) == EXPECTED["deferred"]
    assert proposals.count(ProposalState.WITHDRAWN) == EXPECTED["withdrawn"]
    assert proposals.waiting == EXPECTED["waiting"]
    assert proposals.deferrals == EXPECTED["deferrals"]
    assert figures.requested == EXPECTED["requested"]
    assert figures.granted == EXPECTED["granted"]
    assert figures.paid == EXPECTED["paid"]
    assert figures.refunded == EXPECTED["refunded"]
    assert figures.reports_outstanding == EXPECTED["reports_outstanding"]
    assert figures.reports_overdue == EXPECTED["reports_overdue"]
    meetings_line, training_line = figures.spend_lines
    assert (meetings_line.budget, meetings_line.committed, meetings_line.paid) == EXPECTED[
        "meetings_line"
    ]
    assert (training_line.budget, training_line.committed, training_line.paid) == EXPECTED[
        "training_line"
    ]


def test_money_comes_from_the_ledger(told):
    """Granted, paid and refunded are the ledger's own figures, not a sum of their own."""
    figures = progress_figures(told.period)
    ledger = period_ledger(told.period).grants
    assert (figures.granted, figures.paid, figures.refunded) == (
        ledger.committed,
        ledger.paid,
        ledger.refunded,
    )
    assert figures.organisations == organisation_figures(told.period, figures.today)


def test_a_proposal_with_several_criteria_counts_in_full_under_each(told):
    figures = progress_figures(told.period)
    by_text = {row.text or None: row for row in figures.criteria}
    assert {
        text: (row.proposals, row.requested, row.granted) for text, row in by_text.items()
    } == EXPECTED["criteria"]
    # The retired criterion no proposal named is left out.
    assert "Gammalt kriterium" not in by_text
    # So the rows add up to more than was granted: the 15 000 kr grant is under two.
    assert sum(row.granted for row in figures.criteria) > figures.granted


def test_attendance_per_organisation_and_meeting(told):
    figures = progress_figures(told.period)
    held = figures.held[0]
    assert (held.present, held.members) == (EXPECTED["present"], EXPECTED["members"])
    cells = {row.organisation_id: row.cells for row in figures.attendance}
    first, came_and_left, stayed_away = told.organisations[0], *told.organisations[4:]
    assert cells[first.id] == (Cell.PRESENT,)
    assert cells[came_and_left.id] == (Cell.PRESENT,)
    assert cells[stayed_away.id] == (Cell.ABSENT,)


def test_an_organisation_that_joined_after_a_meeting_was_not_absent_from_it(told, network):
    # Joined the day after meeting 1 (which was held today, on its day).
    newcomer = MembershipFactory(
        network=network, joined_at=utcnow() + timedelta(days=1)
    ).organisation
    figures = progress_figures(told.period)
    row = next(row for row in figures.attendance if row.organisation_id == newcomer.id)
    assert row.cells == (Cell.NOT_MEMBER,)
    assert figures.held[0].members == EXPECTED["members"]


def test_an_empty_period_reports_zeros(network):
    period = FundingPeriodFactory(network=network)
    figures = progress_figures(period)
    assert figures.meetings == [] and figures.attendance == []
    assert figures.proposals.received == 0 and figures.requested == 0
    assert (figures.granted, figures.paid, figures.refunded) == (0, 0, 0)
    assert figures.reports_outstanding == 0
    assert figures.criteria == []


# ---- a fixed number of queries ------------------------------------------------------------


def _populate(network, scale: int):
    """A period with ``scale`` × (6 members, 2 held meetings with attendance, 6 proposals
    in every state with criteria, 2 grants paid and partly refunded, a deferral)."""
    now = utcnow()
    period = FundingPeriodFactory(network=network, budgets={BudgetLineKind.GRANTS: 10**12})
    criteria = [CriterionFactory(network=network) for _ in range(2 * scale)]
    organisations = [
        MembershipFactory(network=network, joined_at=now - timedelta(days=365)).organisation
        for _ in range(6 * scale)
    ]
    meetings = [
        MeetingFactory(
            network=network,
            starts_at=now - timedelta(days=2 + index),
            ends_at=now - timedelta(days=2 + index) + timedelta(hours=2),
            status=MeetingStatus.HELD,
        )
        for index in range(2 * scale)
    ]
    for meeting in meetings:
        for organisation in organisations[::2]:
            db.session.add(Attendance(meeting=meeting, organisation=organisation, people=""))
    states = list(ProposalState)
    for index in range(6 * scale):
        state = states[index % len(states)]
        proposal = ProposalFactory(
            network=network,
            period=period,
            applicant=organisations[index],
            criteria=criteria[index % len(criteria) :][:2],
            state=state,
        )
        meeting = meetings[index % len(meetings)]
        if state in (ProposalState.APPROVED, ProposalState.DEFERRED):
            item = AgendaItem(
                meeting=meeting,
                position=index,
                kind=AgendaItemKind.PROPOSAL,
                title=proposal.title,
                proposal_id=proposal.id,
                status=ItemStatus.DECIDED,
            )
            approved = state == ProposalState.APPROVED
            decision = Decision(
                item=item,
                outcome=Outcome.APPROVED if approved else Outcome.DEFERRED,
                amount_ore=proposal.requested_ore if approved else None,
                present_organisation_ids=json.dumps([]),
            )
            db.session.add_all([item, decision])
            db.session.flush()
            if approved:
                grant = Grant(
                    network_id=network.id,
                    period_id=period.id,
                    proposal_id=proposal.id,
                    decision_id=decision.id,
                    amount_ore=proposal.requested_ore,
                    report_due_on=local_today() - timedelta(days=1),
                )
                db.session.add(grant)
                db.session.flush()
                db.session.add(
                    Payout(
                        network_id=network.id,
                        grant_id=grant.id,
                        amount_ore=500_000,
                        planned_on=local_today(),
                        status=PayoutStatus.PAID,
                        paid_on=local_today(),
                    )
                )
                db.session.add(
                    Refund(
                        network_id=network.id,
                        grant_id=grant.id,
                        amount_ore=10_000,
                        received_on=local_today(),
                        reference="BG-1",
                    )
                )
    db.session.commit()
    return period


def test_the_figures_take_the_same_queries_for_a_small_and_a_ten_times_bigger_period(app, network):
    from tests.factories import NetworkFactory

    small = _populate(network, 1)
    big = _populate(NetworkFactory(), 10)
    counts = []
    for period in (small, big):
        db.session.refresh(period)  # loaded, as the view has it
        with QueryCounter(db.engine) as queries:
            figures = progress_figures(period)
        counts.append(queries.count)
        assert figures.proposals.received == 6 * (10 if period is big else 1)
        assert len(figures.held) == 2 * (10 if period is big else 1)
    assert counts == [QUERIES, QUERIES]


def test_every_format_takes_the_same_queries_for_a_small_and_a_ten_times_bigger_period(
    app, network
):
    from tests.factories import PASSWORD, NetworkFactory, coordinator_of

    small = _populate(network, 1)
    big = _populate(NetworkFactory(slug="storstad"), 10)
    counts = {}
    for period, slug in ((small, "uddevalla"), (big, "storstad")):
        client = app.test_client()
        client.login(coordinator_of(period.network).email, PASSWORD)
        for suffix in ("", ".pdf", ".xlsx"):
            with QueryCounter(db.engine) as queries:
                response = client.get(f"/n/{slug}/progress/{period.id}{suffix}")
            assert response.status_code == 200
            counts[(slug, suffix)] = queries.count
    # The page, the PDF and the spreadsheet gather the same figures the same way.
    assert len(set(counts.values())) == 1, counts
