"""A decision or a jäv entered by mistake is corrected while the meeting is in session;
the audit chain keeps both the mistake and the correction."""

import pytest
import sqlalchemy as sa

from grants.core.audit import AuditEvent, chain_for, verify_chain
from grants.core.errors import DomainError
from grants.core.time import local_today
from grants.extensions import db
from grants.funds import payouts
from grants.funds.models import Grant
from grants.funds.operations import pot
from grants.meetings import decisions, minutes, session
from grants.meetings.models import ItemStatus, Vote
from grants.meetings.rules import Choice, Outcome
from grants.proposals.models import ProposalState
from tests.conftest import text_of
from tests.factories import PASSWORD
from tests.meetings.conftest import item_for


def _events(network, action):
    return db.session.scalars(
        sa.select(AuditEvent).where(
            AuditEvent.chain == chain_for(network), AuditEvent.action == action
        )
    ).all()


def test_an_approval_taken_back_frees_the_money_and_the_item_is_decided_anew(
    in_session, proposal, coordinator, network
):
    item = item_for(in_session, proposal)
    decisions.decide(item, outcome=Outcome.APPROVED, amount_ore=1_500_000, actor=coordinator)
    db.session.commit()
    assert pot(network).left_ore == 10_000_000 - 1_500_000

    decisions.correct_decision(item, actor=coordinator)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(Grant.id))) == 0
    assert pot(network).left_ore == 10_000_000
    assert item.status == ItemStatus.PENDING and proposal.state == ProposalState.ON_AGENDA
    [taken_back] = _events(network, "decision.corrected")
    assert taken_back.payload["outcome"] == "approved"
    assert taken_back.payload["amount_ore"] == 1_500_000
    assert len(_events(network, "decision.approved")) == 1  # the mistake stays in the chain

    decisions.decide(item, outcome=Outcome.REJECTED, actor=coordinator)
    db.session.commit()
    assert proposal.state == ProposalState.REJECTED
    assert verify_chain(chain_for(network)).ok


def test_a_counted_decision_taken_back_clears_its_votes_for_a_new_count(
    in_session, proposal, members, coordinator
):
    item = item_for(in_session, proposal)
    decisions.open_vote(item, actor=coordinator)
    decisions.cast_vote(item, members[2], Choice.NO, actor=coordinator)
    decisions.close_vote(item, actor=coordinator)
    decisions.decide(item, outcome=None, actor=coordinator)
    decisions.correct_decision(item, actor=coordinator)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(Vote.id))) == 0
    assert item.vote_closed_at is None
    decisions.open_vote(item, actor=coordinator)
    decisions.cast_vote(item, members[2], Choice.YES, actor=coordinator)  # counted again
    decisions.close_vote(item, actor=coordinator)
    assert decisions.decide(item, outcome=None, actor=coordinator).outcome == Outcome.APPROVED


def test_a_deferral_taken_back_puts_the_proposal_back_on_this_agenda(
    in_session, proposal, coordinator
):
    item = item_for(in_session, proposal)
    decisions.decide(item, outcome=Outcome.DEFERRED, reason="Mer underlag.", actor=coordinator)
    assert proposal.meeting_id != in_session.id
    decisions.correct_decision(item, actor=coordinator)
    assert proposal.meeting_id == in_session.id and proposal.state == ProposalState.ON_AGENDA


def test_a_decision_with_money_paid_or_after_the_meeting_is_not_taken_back(
    in_session, proposal, coordinator, network
):
    item = item_for(in_session, proposal)
    decisions.decide(item, outcome=Outcome.APPROVED, actor=coordinator)
    grant = db.session.scalar(sa.select(Grant))
    payouts.register_payout(
        grant, amount_ore=100_000, planned_on=local_today(), note="", actor=coordinator
    )
    with pytest.raises(DomainError, match="återkalla bidraget"):
        decisions.correct_decision(item, actor=coordinator)
    db.session.rollback()

    other = item_for(in_session, proposal)
    assert other.status == ItemStatus.PENDING  # the rollback undid the decision too
    decisions.decide(other, outcome=Outcome.REJECTED, actor=coordinator)
    in_session.status = minutes.MeetingStatus.HELD
    with pytest.raises(DomainError, match="pågår inte"):
        decisions.correct_decision(other, actor=coordinator)


def test_a_jav_declared_by_mistake_is_taken_back_and_the_applicants_stays(
    in_session, proposal, members, coordinator, network
):
    item = item_for(in_session, proposal)
    session.declare_recusal(item, members[4], reason="Styrelseledamot", actor=coordinator)
    assert members[4].id in session.recused_organisation_ids(item)
    session.withdraw_recusal(item, members[4], actor=coordinator)
    assert members[4].id not in session.recused_organisation_ids(item)
    with pytest.raises(DomainError, match="alltid jäviga"):
        session.withdraw_recusal(item, members[0], actor=coordinator)  # the applicant
    assert [e.payload for e in _events(network, "recusal.withdrawn")] == [
        {"organisation_id": members[4].id}
    ]
    decisions.open_vote(item, actor=coordinator)
    decisions.cast_vote(item, members[4], Choice.YES, actor=coordinator)  # votes again


def test_the_screen_offers_both_corrections_while_the_meeting_is_in_session(
    app, in_session, proposal, members, coordinator
):
    item = item_for(in_session, proposal)
    session.declare_recusal(item, members[4], reason="Styrelseledamot", actor=coordinator)
    db.session.commit()
    client = app.test_client()
    client.login(coordinator.email, PASSWORD)
    screen = f"/n/uddevalla/meetings/{in_session.id}/session"
    withdrawn = client.submit(
        f"{screen}/items/{item.id}/recusal/withdraw",
        {"organisation": str(members[4].id)},
        page=screen,
    )
    assert "Jävet för" in text_of(client.get(withdrawn.headers["Location"]))
    prefix = f"item{item.id}-"
    client.submit(f"{screen}/items/{item.id}/decide", {prefix + "outcome": "approved"}, page=screen)
    assert "Ta tillbaka beslutet (registrerat av misstag)" in text_of(client.get(screen))
    taken_back = client.submit(f"{screen}/items/{item.id}/decision/correct", page=screen)
    said = text_of(client.get(taken_back.headers["Location"]))
    assert "Beslutet är återtaget och punkten öppen igen." in said
    db.session.expire_all()
    assert proposal.state == ProposalState.ON_AGENDA
