"""The regional demo data (`flask demo seed --scale regional|x10`), seeded small here.

Bulk-written rows must still say what the app itself would have recorded: the
chains verify, no pot is overspent, payouts and refunds stay within the grant,
only present, non-recused organisations vote, and the pages work on the data.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict

import pytest
import sqlalchemy as sa

from grants.core.audit import AuditEvent
from grants.core.orgnr import normalise_orgnr
from grants.core.time import to_local
from grants.demo import DEMO_PASSWORD
from grants.demo.scale import Scale, seed_scaled
from grants.extensions import db
from grants.funds.ledger import (
    committed_by_period,
    grant_figures,
    period_ledger,
    period_ledgers,
)
from grants.funds.models import (
    BudgetLine,
    BudgetLineKind,
    Expense,
    FundingPeriod,
    Grant,
    GrantReport,
    Payout,
    PayoutStatus,
    Refund,
)
from grants.funds.operations import meetings_in, meetings_in_periods
from grants.meetings.models import (
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MeetingStatus,
    Minutes,
    Recusal,
    Vote,
)
from grants.members.models import Organisation, OrganisationKind, Role, RoleKind, User
from grants.networks.models import Network
from grants.proposals.models import Proposal, proposal_co_applicants

SMALL = Scale(
    networks=2, organisations=12, people=24, meetings_per_period=2, proposals_per_meeting=10
)


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


@pytest.fixture
def seeded(app):
    return seed_scaled(SMALL)


def all_of(model):
    return db.session.scalars(sa.select(model)).all()


def test_the_sizes_asked_for_are_seeded(seeded):
    counts = seeded.counts
    assert counts["networks"] == 2 and counts["memberships"] == 2 * 12
    assert counts["proposals"] == 2 * 3 * 2 * 10  # networks × periods × meetings × proposals
    assert counts["funding_periods"] == 6 and counts["meetings"] == 12
    people = Counter(role.role for role in all_of(Role))
    assert people[RoleKind.AUDITOR] == 2 and people[RoleKind.ATTESTANT] == 2
    assert 2 <= people[RoleKind.COORDINATOR] <= 4
    assert counts["users"] == 2 * 24
    for table in ("grants", "payouts", "votes", "decisions", "grant_reports", "expenses"):
        assert counts[table] > 0, table


def test_the_audit_chains_verify(app, seeded):
    result = run(app, "audit", "verify")
    assert result.exit_code == 0, result.output
    intact = [line for line in result.output.splitlines() if "chain intact" in line]
    assert len(intact) == 3  # two networks and the installation
    assert (
        db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
        == (seeded.counts["audit_events"])
    )


def test_a_changed_seeded_event_is_found(app, seeded):
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "payout.paid"))
    event.data = event.data.replace('"amount_ore":', '"amount_ore":1')
    db.session.commit()
    result = run(app, "audit", "verify")
    assert result.exit_code == 1 and "BROKEN" in result.output


def test_no_budget_line_is_overspent(seeded):
    periods = all_of(FundingPeriod)
    committed = 0
    for period in periods:
        for line in period_ledger(period).lines.values():
            assert 0 <= line.committed <= line.budget, (period.id, line)
            assert line.paid - line.refunded <= line.budget
        committed += period_ledger(period).grants.committed
    assert committed > 0


def test_payouts_stay_within_the_grant_and_refunds_within_what_was_paid(seeded):
    grants = all_of(Grant)
    figures = grant_figures([grant.id for grant in grants])
    for grant in grants:
        money = figures[grant.id]
        assert money.paid + money.payouts_pending <= grant.amount_ore
        assert money.refunded <= money.paid
    for refund in all_of(Refund):
        assert refund.received_on >= refund.grant.created_at.date()


def test_payments_are_attested_by_an_attestant_who_did_not_register_them(seeded):
    attestants = {
        (role.network_id, role.user_id) for role in all_of(Role) if role.role == RoleKind.ATTESTANT
    }
    represents = {
        (role.network_id, role.user_id, role.organisation_id)
        for role in all_of(Role)
        if role.role == RoleKind.REPRESENTATIVE
    }
    payments = [(p, p.grant.proposal.applicant_id) for p in all_of(Payout)]
    payments += [(e, e.payee_organisation_id) for e in all_of(Expense)]
    for payment, payee in payments:
        if payment.status == PayoutStatus.REGISTERED:
            assert payment.attested_by_id is None
            continue
        assert payment.attested_by_id != payment.registered_by_id
        assert (payment.network_id, payment.attested_by_id) in attestants
        assert (payment.network_id, payment.attested_by_id, payee) not in represents
        if payment.status == PayoutStatus.PAID:
            assert payment.accounting_ref and payment.paid_on


def test_only_present_organisations_vote_and_never_on_their_own_proposal(seeded):
    present = defaultdict(set)
    for attendance in all_of(Attendance):
        if attendance.present:
            present[attendance.meeting_id].add(attendance.organisation_id)
    recused = defaultdict(set)
    for recusal in all_of(Recusal):
        recused[recusal.item_id].add(recusal.organisation_id)
    votes = all_of(Vote)
    assert votes
    for vote in votes:
        assert vote.organisation_id in present[vote.item.meeting_id]
        assert vote.organisation_id not in recused[vote.item_id]
    assert len({(vote.item_id, vote.organisation_id) for vote in votes}) == len(votes)
    co_applicants = defaultdict(set)
    for proposal_id, organisation_id in db.session.execute(sa.select(proposal_co_applicants)):
        co_applicants[proposal_id].add(organisation_id)
    for item in all_of(AgendaItem):
        if item.proposal is None:
            continue
        parties = {item.proposal.applicant_id} | co_applicants[item.proposal_id]
        assert parties <= recused[item.id]
        decision = item.decision
        assert set(json.loads(decision.recused_organisation_ids)) == recused[item.id]
        assert set(json.loads(decision.present_organisation_ids)) == present[item.meeting_id]
        if decision.method == "counted":
            cast = Counter(vote.choice.value for vote in item.votes)
            assert (decision.yes, decision.no, decision.abstain) == (
                cast["yes"],
                cast["no"],
                cast["abstain"],
            )
            if decision.outcome == "approved":
                assert decision.yes > decision.no or decision.tie


def test_every_proposal_fitted_the_rules_when_it_was_registered(seeded):
    budgets = {
        line.period_id: line.budget_ore
        for line in all_of(BudgetLine)
        if line.kind == BudgetLineKind.GRANTS
    }
    grants = all_of(Grant)
    co_applicants = defaultdict(list)
    for proposal_id, organisation_id in db.session.execute(sa.select(proposal_co_applicants)):
        co_applicants[proposal_id].append(db.session.get(Organisation, organisation_id))
    for proposal in all_of(Proposal):
        granted_before = sum(
            grant.amount_ore
            for grant in grants
            if grant.period_id == proposal.period_id and grant.created_at < proposal.created_at
        )
        assert proposal.requested_ore <= budgets[proposal.period_id] - granted_before
        assert proposal.requested_ore <= proposal.network.max_grant_ore
        assert sum(row.amount_ore for row in proposal.budget_rows) == proposal.requested_ore
        period = proposal.period
        assert period.starts_on <= to_local(proposal.created_at).date() <= period.ends_on
        if proposal.applicant.kind == OrganisationKind.MUNICIPAL_UNIT:
            kinds = {org.kind for org in co_applicants[proposal.id]}
            assert kinds & {OrganisationKind.ASSOCIATION, OrganisationKind.CIVIL_SOCIETY_NETWORK}


def test_held_meetings_are_adjusted_and_the_rest_planned(seeded):
    from grants.core.time import utcnow

    for meeting in all_of(Meeting):
        if meeting.starts_at < utcnow():
            assert meeting.status == MeetingStatus.ADJUSTED
            minutes = db.session.scalar(sa.select(Minutes).where(Minutes.meeting_id == meeting.id))
            assert minutes.adjusted_at and all(a.approved_at for a in minutes.adjusters)
        else:
            assert meeting.status == MeetingStatus.PLANNED
    reports = Counter(report.status.value for report in all_of(GrantReport))
    assert reports["accepted"] > 0
    outcomes = Counter(decision.outcome.value for decision in all_of(Decision))
    assert outcomes["approved"] > outcomes["rejected"] > 0


def test_organisation_numbers_and_addresses_are_valid_and_unique(seeded):
    numbers = [org.orgnr for org in all_of(Organisation)]
    assert len(set(numbers)) == len(numbers)
    for number in numbers:
        assert normalise_orgnr(number) == number
    emails = [user.email for user in all_of(User)]
    assert len(set(emails)) == len(emails)
    for email in emails:
        assert re.fullmatch(r"[a-z-]+\.[a-z-]+\.[0-9]+@exempel\.se", email), email


def test_audit_events_name_no_person(seeded):
    people = {user.name for user in all_of(User)} | {user.email for user in all_of(User)}
    for (data,) in db.session.execute(sa.select(AuditEvent.data)):
        assert not any(person in data for person in people), data


def test_the_network_pages_work_for_the_public_and_the_coordinator(client, seeded):
    network = db.session.scalar(sa.select(Network).order_by(Network.id))
    n = f"/n/{network.slug}"
    grant = db.session.scalar(
        sa.select(Grant).where(Grant.network_id == network.id).order_by(Grant.id)
    )
    held = db.session.scalar(
        sa.select(Meeting)
        .where(Meeting.network_id == network.id, Meeting.status == MeetingStatus.ADJUSTED)
        .order_by(Meeting.number.desc())
    )
    ahead = db.session.scalar(
        sa.select(Meeting)
        .where(Meeting.network_id == network.id, Meeting.status == MeetingStatus.PLANNED)
        .order_by(Meeting.number)
    )
    expense = db.session.scalar(sa.select(Expense).where(Expense.network_id == network.id))
    public = [f"{n}/", f"{n}/rules", f"{n}/calendar.ics", f"{n}/meetings/{held.id}/minutes/public"]
    for path in public:
        assert client.get(path).status_code == 200, path
    coordinator = db.session.scalar(
        sa.select(User)
        .join(Role)
        .where(Role.network_id == network.id, Role.role == RoleKind.COORDINATOR)
        .order_by(User.id)
    )
    assert client.login(coordinator.email, DEMO_PASSWORD).status_code == 302
    signed_in = [
        f"{n}/proposals/",
        f"{n}/proposals/{grant.proposal_id}",
        f"{n}/meetings/",
        f"{n}/meetings/{held.id}",
        f"{n}/meetings/{ahead.id}",
        f"{n}/meetings/{held.id}/minutes",
        f"{n}/meetings/{held.id}/session",
        f"{n}/funds/",
        f"{n}/grants/{grant.id}",
        f"{n}/funds/expenses/{expense.id}",
        f"{n}/funds/expenses/{expense.id}/receipt",
        f"{n}/admin/",
        f"{n}/admin/organisations/",
        f"{n}/admin/people/",
        f"{n}/audit/",
        f"{n}/audit/trace/{grant.id}",
    ]
    for path in signed_in:
        assert client.get(path).status_code == 200, path


def test_the_app_carries_on_after_the_seed(app, seeded):
    """New rows get fresh ids (PostgreSQL's sequences moved on) and extend the chains."""
    from grants.networks.operations import add_criterion, create_network

    network = create_network(slug="nytt", name="Nytt nätverk", municipality="Vara")
    first = db.session.scalar(sa.select(Network).order_by(Network.id))
    add_criterion(first, "Insatsen når unga.", actor=None)
    db.session.commit()
    assert network.id == 3
    assert run(app, "audit", "verify").exit_code == 0


def test_seeding_twice_refuses_and_if_empty_does_nothing(app, seeded):
    with pytest.raises(ValueError, match="already exist"):
        seed_scaled(SMALL)
    db.session.rollback()
    result = run(app, "demo", "seed", "--scale", "regional", "--if-empty")
    assert result.exit_code == 0 and "already has data" in result.output
    again = run(app, "demo", "seed", "--scale", "regional")
    assert again.exit_code != 0 and "trollhattan" in again.output
    assert db.session.scalar(sa.select(sa.func.count(Network.id))) == 2


def test_the_x10_networks_have_distinct_valid_slugs():
    from grants.demo.scale import SCALES
    from grants.demo.scale_names import network_identity
    from grants.networks.operations import SLUG_PATTERN

    identities = [network_identity(index) for index in range(SCALES["x10"].networks)]
    slugs = [slug for slug, _, _, _ in identities]
    assert len(set(slugs)) == len(slugs) == 300
    assert all(SLUG_PATTERN.match(slug) for slug in slugs)
    assert "uddevalla" not in slugs and slugs[:4] == [
        "trollhattan",
        "vanersborg",
        "lysekil",
        "stromstad",
    ]
    assert len({name for _, name, _, _ in identities}) == 300


def test_the_regional_demo_is_refused_in_production(make_app):
    app = make_app(ENV="production")
    with app.app_context():
        result = run(app, "demo", "seed", "--scale", "regional")
        assert result.exit_code != 0 and "production" in result.output
        assert db.session.scalar(sa.select(sa.func.count(Network.id))) == 0


def test_the_planner_has_statistics_for_the_seeded_rows(seeded, backend):
    """Without them PostgreSQL scanned every payout for the ledger until autovacuum ran."""
    if backend == "sqlite":
        analysed = db.session.scalars(sa.text("SELECT DISTINCT tbl FROM sqlite_stat1")).all()
    else:
        analysed = db.session.scalars(
            sa.text("SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL")
        ).all()
    assert {"payouts", "grants", "audit_events", "votes"} <= set(analysed)


def test_a_pages_periods_read_together_keep_each_periods_own_figures(seeded):
    """The pot and the public pages read all of a network's periods in one set of
    queries; each period must still get its own grants' money, and no other's."""
    for network in all_of(Network):
        periods = [p for p in all_of(FundingPeriod) if p.network_id == network.id]
        assert len(periods) > 1
        together = period_ledgers(periods)
        committed = committed_by_period([period.id for period in periods])
        meetings = meetings_in_periods(periods)
        for period in periods:
            grants = [g.id for g in all_of(Grant) if g.period_id == period.id]
            money = grant_figures(grants).values()
            line = together[period.id].grants
            assert line.committed == committed[period.id] == sum(m.committed for m in money)
            assert line.paid == sum(m.paid for m in money)
            assert line.refunded == sum(m.refunded for m in money)
            assert together[period.id] == period_ledger(period)
            assert meetings[period.id] == meetings_in(period)
        assert len({together[period.id].grants.committed for period in periods}) > 1
