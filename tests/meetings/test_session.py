"""Agenda, attendance, votes and decisions (invariants 2, 3 and 4)."""

import threading

import pytest
import sqlalchemy as sa

from grants.core.errors import DomainError
from grants.extensions import db
from grants.funds.models import Grant
from grants.funds.operations import pot
from grants.meetings import decisions, session
from grants.meetings.models import AgendaItemKind, DecisionMethod, MeetingStatus, Vote
from grants.meetings.rules import Choice, Outcome
from grants.networks.models import TieRule
from grants.proposals.models import ProposalState
from tests.factories import MeetingFactory, on_its_day
from tests.meetings.conftest import item_for, twenty_items_in_session


def test_the_agenda_has_the_standard_items_and_the_queued_proposals(meeting, proposal, coordinator):
    items = session.ensure_agenda(meeting, actor=coordinator)
    titles = [item.title for item in items]
    assert titles[0] == "Presentationsrunda av medverkande organisationer"
    money = titles.index("Regler och rutiner kring ekonomiska bidrag")
    assert items[money + 1].kind == AgendaItemKind.PROPOSAL
    assert titles[-2:] == ["Nästa möte", "Övriga frågor"]
    assert session.ensure_agenda(meeting, actor=coordinator) == items  # idempotent


def test_the_applicant_and_co_applicants_are_recused_automatically(in_session, proposal, members):
    item = item_for(in_session, proposal)
    assert session.recused_organisation_ids(item) == {members[0].id, members[1].id}


def test_votes_only_while_the_vote_is_open_and_the_meeting_in_session(
    meeting, proposal, members, coordinator
):
    session.ensure_agenda(meeting, actor=coordinator)
    item = item_for(meeting, proposal)
    with pytest.raises(DomainError, match="pågår inte"):
        decisions.cast_vote(item, members[2], Choice.YES, actor=coordinator)
    session.start_session(on_its_day(meeting), actor=coordinator)
    session.record_attendance(meeting, members[2], present=True, people="", actor=coordinator)
    with pytest.raises(DomainError, match="inte öppen"):
        decisions.cast_vote(item, members[2], Choice.YES, actor=coordinator)


def test_one_vote_per_organisation(in_session, proposal, members, coordinator):
    item = item_for(in_session, proposal)
    decisions.open_vote(item, actor=coordinator)
    decisions.cast_vote(item, members[2], Choice.YES, actor=coordinator)
    with pytest.raises(DomainError, match="redan röstat"):
        decisions.cast_vote(item, members[2], Choice.NO, actor=coordinator)
    db.session.rollback()


def test_recused_and_absent_organisations_cannot_vote(in_session, proposal, members, coordinator):
    item = item_for(in_session, proposal)
    decisions.open_vote(item, actor=coordinator)
    with pytest.raises(DomainError, match="jävig"):
        decisions.cast_vote(item, members[0], Choice.YES, actor=coordinator)
    session.record_attendance(in_session, members[3], present=False, people="", actor=coordinator)
    with pytest.raises(DomainError, match="närvarande"):
        decisions.cast_vote(item, members[3], Choice.YES, actor=coordinator)


def test_a_counted_vote_decides_by_majority_and_abstentions_do_not_count(
    in_session, proposal, members, coordinator
):
    item = item_for(in_session, proposal)
    decisions.open_vote(item, actor=coordinator)
    for organisation, choice in zip(
        members[2:], [Choice.YES, Choice.ABSTAIN, Choice.ABSTAIN, Choice.NO], strict=True
    ):
        decisions.cast_vote(item, organisation, choice, actor=coordinator)
    decisions.close_vote(item, actor=coordinator)
    with pytest.raises(DomainError, match="lika"):  # 1 yes, 1 no, default rule: rejected…
        in_session.network.tie_rule = TieRule.CHAIR_DECIDES
        decisions.decide(item, outcome=None, method=DecisionMethod.COUNTED, actor=coordinator)
    decision = decisions.decide(
        item,
        outcome=None,
        method=DecisionMethod.COUNTED,
        chair_approves=True,
        actor=coordinator,
    )
    assert (decision.yes, decision.no, decision.abstain) == (1, 1, 2)
    assert decision.tie and decision.tie_rule_applied == "chair_decides"
    assert decision.outcome == Outcome.APPROVED
    assert proposal.state == ProposalState.APPROVED


def test_a_tie_is_rejected_under_the_default_rule(in_session, proposal, members, coordinator):
    item = item_for(in_session, proposal)
    decisions.open_vote(item, actor=coordinator)
    decisions.cast_vote(item, members[2], Choice.YES, actor=coordinator)
    decisions.cast_vote(item, members[3], Choice.NO, actor=coordinator)
    decisions.close_vote(item, actor=coordinator)
    decision = decisions.decide(
        item, outcome=None, method=DecisionMethod.COUNTED, actor=coordinator
    )
    assert decision.outcome == Outcome.REJECTED and decision.tie
    assert proposal.state == ProposalState.REJECTED
    assert db.session.scalar(sa.select(sa.func.count(Grant.id))) == 0


def test_approval_by_acclamation_with_a_reduced_amount_commits_the_money(
    in_session, proposal, coordinator, network
):
    item = item_for(in_session, proposal)
    decision = decisions.decide(
        item,
        outcome=Outcome.APPROVED,
        method=DecisionMethod.ACCLAMATION,
        amount_ore=1_500_000,
        conditions="Redovisa antal deltagare.",
        actor=coordinator,
    )
    db.session.commit()
    grant = db.session.scalar(sa.select(Grant))
    assert grant.amount_ore == 1_500_000 and grant.decision_id == decision.id
    assert grant.conditions == "Redovisa antal deltagare."
    assert pot(network).left_ore == 10_000_000 - 1_500_000


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (2_000_001, "mer än det sökta beloppet"),
        (0, "större än noll"),
    ],
)
def test_an_approved_amount_must_fit_the_request(
    in_session, proposal, coordinator, amount, message
):
    item = item_for(in_session, proposal)
    with pytest.raises(DomainError, match=message):
        decisions.decide(
            item,
            outcome=Outcome.APPROVED,
            method=DecisionMethod.ACCLAMATION,
            amount_ore=amount,
            actor=coordinator,
        )


def test_an_approval_above_what_is_left_is_refused(
    in_session, proposal, coordinator, network, period
):
    line = period.lines[0] if period.lines[0].kind == "grants" else period.lines[1]
    line.budget_ore = 1_000_000
    db.session.commit()
    item = item_for(in_session, proposal)
    with pytest.raises(DomainError, match="bara 10\u00a0000\u00a0kr kvar"):
        decisions.decide(
            item, outcome=Outcome.APPROVED, method=DecisionMethod.ACCLAMATION, actor=coordinator
        )


def test_a_deferral_puts_the_proposal_back_in_the_queue(in_session, proposal, coordinator, network):
    later = MeetingFactory(
        network=network,
        number=2,
        starts_at=in_session.starts_at + (in_session.ends_at - in_session.starts_at) * 100,
    )
    item = item_for(in_session, proposal)
    with pytest.raises(DomainError, match="varför"):
        decisions.decide(item, outcome=Outcome.DEFERRED, method=None, actor=coordinator)
    decision = decisions.decide(
        item,
        outcome=Outcome.DEFERRED,
        method=None,
        reason="Budgeten behöver kompletteras.",
        actor=coordinator,
    )
    assert decision.deferred_to_meeting_id == later.id
    assert proposal.state == ProposalState.DEFERRED and proposal.meeting_id == later.id


def test_no_decision_below_quorum(in_session, proposal, coordinator, network):
    network.quorum_min_orgs = 7
    item = item_for(in_session, proposal)
    with pytest.raises(DomainError, match="inte beslutfört"):
        decisions.decide(
            item, outcome=Outcome.APPROVED, method=DecisionMethod.ACCLAMATION, actor=coordinator
        )


def test_an_item_is_decided_once(in_session, proposal, coordinator):
    item = item_for(in_session, proposal)
    decisions.decide(
        item, outcome=Outcome.REJECTED, method=DecisionMethod.ACCLAMATION, actor=coordinator
    )
    with pytest.raises(DomainError, match="redan beslutad"):
        decisions.decide(
            item, outcome=Outcome.APPROVED, method=DecisionMethod.ACCLAMATION, actor=coordinator
        )


def test_nothing_changes_in_an_adjusted_meeting(in_session, proposal, members, coordinator):
    item = item_for(in_session, proposal)
    in_session.status = MeetingStatus.ADJUSTED
    db.session.commit()
    attempts = [
        lambda: session.record_attendance(
            in_session, members[2], present=False, people="", actor=coordinator
        ),
        lambda: decisions.open_vote(item, actor=coordinator),
        lambda: decisions.cast_vote(item, members[2], Choice.YES, actor=coordinator),
        lambda: decisions.decide(
            item, outcome=Outcome.REJECTED, method=DecisionMethod.ACCLAMATION, actor=coordinator
        ),
        lambda: session.ensure_agenda(in_session, actor=coordinator),
        lambda: session.declare_recusal(item, members[3], reason="x", actor=coordinator),
        lambda: session.start_session(on_its_day(in_session), actor=coordinator),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError, match="justerat"):
            attempt()


def _in_thread(app, work):
    errors, results = [], []

    def run():
        with app.app_context():
            try:
                results.append(work())
                db.session.commit()
            except DomainError as error:
                db.session.rollback()
                errors.append(str(error))
            finally:
                db.session.remove()

    return run, errors, results


def test_twenty_parallel_approvals_never_overspend_the_pot(
    app, backend, network, period, meeting, members, coordinator
):
    if backend != "postgresql":
        pytest.skip("parallel writers race on PostgreSQL; SQLite has a single writer")
    item_ids = twenty_items_in_session(network, period, meeting, members, coordinator)
    from grants.meetings.models import AgendaItem
    from grants.members.models import User

    coordinator_id = coordinator.id
    errors_all, results_all, threads = [], [], []
    barrier = threading.Barrier(20)
    for item_id in item_ids:

        def work(item_id=item_id):
            barrier.wait()
            item = db.session.get(AgendaItem, item_id)
            return decisions.decide(
                item,
                outcome=Outcome.APPROVED,
                method=DecisionMethod.ACCLAMATION,
                actor=db.session.get(User, coordinator_id),
            ).amount_ore

        run, errors, results = _in_thread(app, work)
        errors_all.append(errors)
        results_all.append(results)
        threads.append(threading.Thread(target=run))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    succeeded = sum(len(r) for r in results_all)
    refused = [message for errors in errors_all for message in errors]
    assert succeeded == 14  # 14 × 7 000 = 98 000 ≤ 100 000 < 15 × 7 000
    assert len(refused) == 6 and all("kvar i potten" in message for message in refused)
    db.session.rollback()
    granted = db.session.scalar(sa.select(sa.func.sum(Grant.amount_ore)))
    assert int(granted) == 9_800_000


def test_two_browsers_voting_for_one_organisation_count_once(
    app, backend, in_session, proposal, members, coordinator
):
    if backend != "postgresql":
        pytest.skip("parallel writers race on PostgreSQL")
    item = item_for(in_session, proposal)
    decisions.open_vote(item, actor=coordinator)
    db.session.commit()
    from grants.meetings.models import AgendaItem
    from grants.members.models import Organisation

    item_id, organisation_id = item.id, members[2].id
    barrier = threading.Barrier(2)
    outcomes = []
    for choice in (Choice.YES, Choice.NO):

        def work(choice=choice):
            barrier.wait()
            return decisions.cast_vote(
                db.session.get(AgendaItem, item_id),
                db.session.get(Organisation, organisation_id),
                choice,
                actor=None,
            ).id

        outcomes.append(_in_thread(app, work))
    threads = [threading.Thread(target=run) for run, _, _ in outcomes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Vote.id))) == 1
    assert sum(len(errors) for _, errors, _ in outcomes) == 1


def test_no_vote_after_the_item_is_decided(in_session, proposal, members, coordinator):
    item = item_for(in_session, proposal)
    decisions.open_vote(item, actor=coordinator)
    decisions.close_vote(item, actor=coordinator)
    decisions.decide(item, outcome=None, actor=coordinator)  # 0–0: rejected
    with pytest.raises(DomainError, match="inte öppen"):
        decisions.cast_vote(item, members[2], Choice.YES, actor=coordinator)


def test_a_deferral_before_the_next_meeting_exists_is_queued_when_it_is_planned(
    in_session, proposal, coordinator, network
):
    from datetime import timedelta

    from grants.core.time import utcnow
    from grants.meetings.operations import plan_meeting

    item = item_for(in_session, proposal)
    decisions.decide(
        item, outcome=Outcome.DEFERRED, method=None, reason="Mer underlag.", actor=coordinator
    )
    assert proposal.meeting_id is None
    start = utcnow() + timedelta(days=60)
    following = plan_meeting(
        network,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="Biblioteket",
        host=None,
        theme="",
        actor=coordinator,
    )
    assert proposal.meeting_id == following.id


def test_a_meeting_is_opened_on_its_day_or_moved_to_today_first(meeting, proposal, coordinator):
    """A meeting planned for another day cannot be opened, run and closed today without a
    word: the coordinator moves it to today first, and the invited are told."""
    from grants.core.time import local_today, to_local
    from grants.meetings import operations

    planned_time = to_local(meeting.starts_at).time()
    with pytest.raises(DomainError, match="Ett möte hålls på sin dag"):
        session.start_session(meeting, actor=coordinator)
    db.session.rollback()
    assert meeting.status == MeetingStatus.PLANNED
    operations.move_to_today(meeting, actor=coordinator)
    assert to_local(meeting.starts_at).date() == local_today()
    assert to_local(meeting.starts_at).time() == planned_time  # the same hour, today
    session.start_session(meeting, actor=coordinator)
    assert meeting.status == MeetingStatus.IN_SESSION


def test_minutes_are_not_adjusted_before_the_meetings_day(in_session, coordinator):
    from datetime import timedelta

    from grants.meetings import minutes

    in_session.status = MeetingStatus.HELD
    in_session.starts_at += timedelta(days=20)  # as if held weeks before its date
    in_session.ends_at += timedelta(days=20)
    with pytest.raises(DomainError, match="före mötets dag"):
        minutes.record_paper_adjustment(in_session, note="Justerat på papper", actor=coordinator)


def test_a_counted_vote_is_closed_before_it_is_decided_and_its_counts_decide(
    in_session, proposal, members, coordinator
):
    """Decided with 5 of 7 not voted, or "avslag" chosen and "bifall" recorded: neither again."""
    from grants.core.audit import AuditEvent

    item = item_for(in_session, proposal)
    decisions.open_vote(item, actor=coordinator)
    decisions.cast_vote(item, members[2], Choice.YES, actor=coordinator)
    decisions.cast_vote(item, members[3], Choice.YES, actor=coordinator)
    with pytest.raises(DomainError, match="Stäng omröstningen"):
        decisions.decide(item, outcome=None, actor=coordinator)
    with pytest.raises(DomainError, match="omröstning"):  # no acclamation once it is put
        decisions.decide(item, outcome=Outcome.REJECTED, actor=coordinator)

    not_voted = decisions.close_vote(item, actor=coordinator)
    assert {organisation.id for organisation in not_voted} == {members[4].id, members[5].id}
    with pytest.raises(DomainError, match="stängd"):
        decisions.cast_vote(item, members[4], Choice.NO, actor=coordinator)
    with pytest.raises(DomainError, match="Rösterna avgör"):
        decisions.decide(item, outcome=Outcome.REJECTED, actor=coordinator)
    decision = decisions.decide(item, outcome=None, actor=coordinator)
    assert decision.outcome == Outcome.APPROVED and decision.method == DecisionMethod.COUNTED
    assert (decision.yes, decision.no) == (2, 0)
    closed = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "vote.closed"))
    assert closed.payload == {
        "yes": 2,
        "no": 0,
        "abstain": 0,
        "not_voted": sorted([members[4].id, members[5].id]),
    }


def test_a_vote_must_be_opened_for_a_counted_decision(in_session, proposal, coordinator):
    item = item_for(in_session, proposal)
    with pytest.raises(DomainError, match="Öppna en omröstning"):
        decisions.decide(item, outcome=None, method=DecisionMethod.COUNTED, actor=coordinator)
    with pytest.raises(DomainError, match="Välj beslut"):
        decisions.decide(item, outcome=None, actor=coordinator)
