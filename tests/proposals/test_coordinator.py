"""The coordinator registers proposals that came by e-mail or at a meeting, and moves them."""

from datetime import datetime, timedelta

import sqlalchemy as sa

from grants.core.time import STOCKHOLM, utcnow
from grants.extensions import db
from grants.members.models import OrganisationKind
from grants.proposals.models import Proposal, ProposalMove, ProposalSource
from tests.conftest import text_of
from tests.factories import MeetingFactory, NetworkFactory, ProposalFactory
from tests.proposals.conftest import NEW, proposal_data


def by_email(network, applicant, when, **overrides):
    local = when.astimezone(STOCKHOLM)
    arrival = {
        "source": "email",
        "received_date": local.date().isoformat(),
        "received_time": local.strftime("%H:%M"),
        "email_text": "Hej! Vi vill söka pengar till ett språkcafé.\n\nMvh Rami",
    }
    return proposal_data(network, applicant, **{**arrival, **overrides})


def test_an_emailed_proposal_keeps_its_arrival_time_and_text(
    as_coordinator, network, association, coordinator
):
    arrived = utcnow().replace(second=0, microsecond=0) - timedelta(days=2)
    response = as_coordinator.submit(NEW, by_email(network, association, arrived), page=NEW)
    assert response.status_code == 302, text_of(response)
    proposal = db.session.scalar(sa.select(Proposal))
    assert proposal.source == ProposalSource.EMAIL
    assert proposal.received_at == arrived
    assert proposal.email_text.startswith("Hej! Vi vill söka")
    assert proposal.registered_by_id == coordinator.id
    page = text_of(as_coordinator.get(f"/n/uddevalla/proposals/{proposal.id}"))
    assert "Med e-post" in page and "Sara Samordnare" in page


def test_an_arrival_in_the_future_is_refused(as_coordinator, network, association):
    tomorrow = utcnow() + timedelta(days=1)
    response = as_coordinator.submit(NEW, by_email(network, association, tomorrow), page=NEW)
    assert response.status_code == 400
    assert "kan inte ligga i framtiden" in text_of(response)
    assert db.session.scalar(sa.select(sa.func.count(Proposal.id))) == 0


def test_an_emailed_proposal_needs_the_mail_text(as_coordinator, network, association):
    response = as_coordinator.submit(
        NEW, by_email(network, association, utcnow() - timedelta(hours=1), email_text=""), page=NEW
    )
    assert response.status_code == 400
    assert "Klistra in texten" in text_of(response)


def test_a_proposal_raised_at_a_meeting_goes_to_the_next_one(as_coordinator, network, association):
    held = MeetingFactory(network=network, number=1, starts_at=utcnow() - timedelta(days=3))
    following = MeetingFactory(network=network, number=2, starts_at=utcnow() + timedelta(days=40))
    response = as_coordinator.submit(
        NEW,
        proposal_data(network, association, source="meeting", raised_at_meeting=str(held.id)),
        page=NEW,
    )
    assert response.status_code == 302, text_of(response)
    proposal = db.session.scalar(sa.select(Proposal))
    assert proposal.raised_at_meeting_id == held.id
    assert proposal.meeting_id == following.id


def test_a_future_meeting_cannot_be_where_it_was_raised(as_coordinator, network, association):
    future = MeetingFactory(network=network)
    response = as_coordinator.submit(
        NEW,
        proposal_data(network, association, source="meeting", raised_at_meeting=str(future.id)),
        page=NEW,
    )
    assert response.status_code == 400
    assert "Välj den nätverksträff" in text_of(response)


def test_a_meeting_of_another_network_answers_404(as_coordinator, network, association):
    foreign = MeetingFactory(network=NetworkFactory(), starts_at=utcnow() - timedelta(days=1))
    response = as_coordinator.submit(
        NEW,
        proposal_data(network, association, source="meeting", raised_at_meeting=str(foreign.id)),
        page=NEW,
    )
    assert response.status_code == 404


def test_the_network_itself_may_apply_through_the_coordinator(as_coordinator, network):
    itself = type("NetworkItself", (), {"id": "network_itself"})
    response = as_coordinator.submit(
        NEW, by_email(network, itself, utcnow() - timedelta(hours=2)), page=NEW
    )
    assert response.status_code == 302, text_of(response)
    proposal = db.session.scalar(sa.select(Proposal))
    assert proposal.applicant.kind == OrganisationKind.NETWORK_ITSELF
    assert proposal.applicant.name == network.name
    members_section = text_of(as_coordinator.get("/n/uddevalla/")).split("Medlemmar", 1)[1]
    assert network.name not in members_section


def test_the_coordinator_moves_a_proposal_to_a_later_meeting_with_a_reason(
    as_coordinator, network, association
):
    first = MeetingFactory(network=network, number=1, starts_at=utcnow() + timedelta(days=10))
    later = MeetingFactory(network=network, number=2, starts_at=utcnow() + timedelta(days=50))
    proposal = ProposalFactory(network=network, applicant=association, meeting=first)
    page = f"/n/uddevalla/proposals/{proposal.id}"
    no_reason = as_coordinator.submit(
        page + "/move", {"meeting": str(later.id), "reason": ""}, page=page
    )
    assert no_reason.status_code == 400
    assert "Skriv varför" in text_of(no_reason)
    response = as_coordinator.submit(
        page + "/move",
        {"meeting": str(later.id), "reason": "Budgeten behöver ses över."},
        page=page,
    )
    assert response.status_code == 302
    db.session.refresh(proposal)
    assert proposal.meeting_id == later.id
    move = db.session.scalar(sa.select(ProposalMove))
    assert move.from_meeting_id == first.id and move.reason == "Budgeten behöver ses över."
    assert "Budgeten behöver ses över." in text_of(as_coordinator.get(page))


def test_a_proposal_cannot_be_moved_to_an_earlier_meeting(as_coordinator, network, association):
    earlier = MeetingFactory(network=network, number=1, starts_at=utcnow() + timedelta(days=10))
    current = MeetingFactory(network=network, number=2, starts_at=utcnow() + timedelta(days=50))
    proposal = ProposalFactory(network=network, applicant=association, meeting=current)
    page = f"/n/uddevalla/proposals/{proposal.id}"
    response = as_coordinator.submit(
        page + "/move", {"meeting": str(earlier.id), "reason": "Fel"}, page=page
    )
    assert response.status_code == 400
    assert "senare möte" in text_of(response)


def test_representatives_cannot_move_proposals(as_representative, network, association):
    later = MeetingFactory(network=network)
    proposal = ProposalFactory(network=network, applicant=association)
    page = f"/n/uddevalla/proposals/{proposal.id}"
    response = as_representative.submit(
        page + "/move", {"meeting": str(later.id), "reason": "x"}, page=page
    )
    assert response.status_code == 403


def test_planning_a_meeting_queues_the_waiting_proposals(as_coordinator, network, association):
    waiting = ProposalFactory(network=network, applicant=association, meeting=None)
    start = (utcnow() + timedelta(days=30)).astimezone(STOCKHOLM)
    response = as_coordinator.submit(
        "/n/uddevalla/meetings/new",
        {
            "date": start.date().isoformat(),
            "start_time": "16:30",
            "end_time": "19:00",
            "place": "Junogatan 2, våning 6",
            "host": str(association.id),
            "theme": "",
        },
        page="/n/uddevalla/meetings/new",
    )
    assert response.status_code == 302, text_of(response)
    db.session.refresh(waiting)
    assert waiting.meeting is not None
    assert waiting.meeting.starts_at.astimezone(STOCKHOLM).strftime("%H:%M") == "16:30"
    assert waiting.title in text_of(as_coordinator.get(response.headers["Location"]))


def test_a_meeting_in_the_past_or_ending_before_it_starts_is_refused(as_coordinator, network):
    page = "/n/uddevalla/meetings/new"
    past = as_coordinator.submit(
        page,
        {"date": "2020-05-02", "start_time": "16:30", "end_time": "19:00", "place": "X"},
        page=page,
    )
    assert "måste ligga i framtiden" in text_of(past)
    day = (datetime.now(STOCKHOLM) + timedelta(days=5)).date().isoformat()
    backwards = as_coordinator.submit(
        page, {"date": day, "start_time": "19:00", "end_time": "16:30", "place": "X"}, page=page
    )
    assert "sluta efter" in text_of(backwards)
    bad_time = as_coordinator.submit(
        page, {"date": day, "start_time": "25:99", "end_time": "16:30", "place": "X"}, page=page
    )
    assert "TT:MM" in text_of(bad_time)
