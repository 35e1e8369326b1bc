"""The session screen and the vote page, through the browser's requests."""

import pytest
import sqlalchemy as sa

from grants.extensions import db
from grants.funds.models import Grant
from grants.meetings.models import Attendance, Decision, MeetingStatus, Vote
from grants.proposals.models import ProposalState
from tests.conftest import text_of
from tests.factories import PASSWORD, representative_of
from tests.meetings.conftest import item_for


@pytest.fixture
def screen(meeting):
    return f"/n/uddevalla/meetings/{meeting.id}/session"


@pytest.fixture
def as_coordinator(client, coordinator):
    client.login(coordinator.email, PASSWORD)
    return client


def open_with_attendance(client, screen, members):
    # Planned for another day: the screen says so, and the meeting is moved to today first.
    assert "Flytta mötet till i dag" in text_of(client.get(screen))
    refused = client.submit(screen + "/open", page=screen)
    assert "Ett möte hålls på sin dag" in text_of(client.get(refused.location))
    client.submit(screen + "/move-to-today", page=screen)
    client.submit(screen + "/open", page=screen)
    data = {}
    for organisation in members:
        data[f"present-{organisation.id}"] = "y"
        data[f"people-{organisation.id}"] = f"Person från {organisation.name}"
    client.submit(screen + "/attendance", data, page=screen)


def test_the_coordinator_opens_the_meeting_and_records_attendance(
    as_coordinator, screen, meeting, proposal, members
):
    open_with_attendance(as_coordinator, screen, members)
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.IN_SESSION
    rows = db.session.scalars(sa.select(Attendance)).all()
    assert len(rows) == 6 and all(row.present for row in rows)
    page = text_of(as_coordinator.get(screen))
    assert "6 organisationer är närvarande" in page
    assert proposal.title in page


def test_a_decision_by_acclamation_with_a_reduced_amount(
    as_coordinator, screen, meeting, proposal, members
):
    open_with_attendance(as_coordinator, screen, members)
    item = item_for(meeting, proposal)
    prefix = f"item{item.id}-"
    response = as_coordinator.submit(
        f"{screen}/items/{item.id}/decide",
        {
            prefix + "outcome": "approved",
            prefix + "method": "acclamation",
            prefix + "amount": "15 000",
            prefix + "conditions": "Redovisa senast i juni.",
        },
        page=screen,
    )
    assert response.status_code == 302
    grant = db.session.scalar(sa.select(Grant))
    assert grant.amount_ore == 1_500_000
    page = text_of(as_coordinator.get(screen))
    assert "Beslut: Bifall, 15 000 kr" in page and "Redovisa senast i juni." in page


def test_an_amount_above_the_request_is_refused_on_the_screen(
    as_coordinator, screen, meeting, proposal, members
):
    open_with_attendance(as_coordinator, screen, members)
    item = item_for(meeting, proposal)
    prefix = f"item{item.id}-"
    as_coordinator.submit(
        f"{screen}/items/{item.id}/decide",
        {
            prefix + "outcome": "approved",
            prefix + "method": "acclamation",
            prefix + "amount": "25 000",
        },
        page=screen,
    )
    assert "mer än det sökta beloppet" in text_of(as_coordinator.get(screen))
    assert db.session.scalar(sa.select(sa.func.count(Decision.id))) == 0


def test_a_counted_vote_with_a_representative_voting_from_a_phone(
    app, as_coordinator, screen, meeting, proposal, members, network
):
    open_with_attendance(as_coordinator, screen, members)
    item = item_for(meeting, proposal)
    as_coordinator.submit(f"{screen}/items/{item.id}/vote/open", page=screen)
    phone = app.test_client()
    voter = representative_of(network, members[2])
    phone.login(voter.email, PASSWORD)
    vote_page = f"/n/uddevalla/meetings/{meeting.id}/vote"
    assert "För " + members[2].name in text_of(phone.get(vote_page))
    response = phone.submit(
        vote_page,
        {"item": str(item.id), "organisation": str(members[2].id), "choice": "no"},
        page=vote_page,
    )
    assert response.status_code == 302
    again = phone.submit(
        vote_page,
        {"item": str(item.id), "organisation": str(members[2].id), "choice": "yes"},
        page=vote_page,
    )
    assert again.status_code == 400 and "redan röstat" in text_of(again)
    as_coordinator.submit(
        f"{screen}/items/{item.id}/votes",
        {
            f"vote-{members[3].id}": "no",
            f"vote-{members[4].id}": "yes",
            f"vote-{members[5].id}": "abstain",
        },
        page=screen,
    )
    state = as_coordinator.get(f"/n/uddevalla/meetings/{meeting.id}/session/state.json")
    counts = state.get_json()["items"][str(item.id)]
    assert (counts["yes"], counts["no"], counts["abstain"], counts["missing"]) == (1, 2, 1, 0)
    page = as_coordinator.get(screen)
    assert "Nätverkets regel: Enkel majoritet: fler ja än nej ger bifall" in text_of(page)
    # While the vote is open there is nothing to decide with, only the vote to close.
    assert f"/items/{item.id}/decide" not in page.get_data(as_text=True)
    assert f"/items/{item.id}/vote/close" in page.get_data(as_text=True)
    closed = as_coordinator.submit(f"{screen}/items/{item.id}/vote/close", page=screen)
    assert "Omröstningen är stängd. Alla som fick rösta har röstat." in text_of(
        as_coordinator.get(closed.headers["Location"])
    )
    shown = text_of(as_coordinator.get(screen))
    assert "Omröstningen är stängd. Enligt rösterna: avslag." in shown
    prefix = f"item{item.id}-"
    as_coordinator.submit(f"{screen}/items/{item.id}/decide", {prefix + "amount": ""}, page=screen)
    db.session.refresh(proposal)
    assert proposal.state == ProposalState.REJECTED  # 1 yes against 2 no
    assert "1 ja, 2 nej, 1 avstår" in text_of(as_coordinator.get(screen))


def test_closing_a_vote_says_who_has_not_voted(
    app, as_coordinator, screen, meeting, proposal, members, network
):
    open_with_attendance(as_coordinator, screen, members)
    item = item_for(meeting, proposal)
    as_coordinator.submit(f"{screen}/items/{item.id}/vote/open", page=screen)
    as_coordinator.submit(
        f"{screen}/items/{item.id}/votes", {f"vote-{members[3].id}": "yes"}, page=screen
    )
    prefix = f"item{item.id}-"
    early = as_coordinator.submit(
        f"{screen}/items/{item.id}/decide", {prefix + "amount": ""}, page=screen
    )
    assert "Stäng omröstningen innan beslutet registreras." in text_of(
        as_coordinator.get(early.headers["Location"])
    )
    closed = as_coordinator.submit(f"{screen}/items/{item.id}/vote/close", page=screen)
    said = text_of(as_coordinator.get(closed.headers["Location"]))
    waiting = sorted(organisation.name for organisation in (members[2], members[4], members[5]))
    assert f"Omröstningen är stängd. Har inte röstat: {', '.join(waiting)}." in said
    phone = app.test_client()
    phone.login(representative_of(network, members[2]).email, PASSWORD)
    vote_page = f"/n/uddevalla/meetings/{meeting.id}/vote"
    assert "Ingen omröstning är öppen just nu." in text_of(phone.get(vote_page))


def test_a_representative_cannot_vote_for_an_organisation_they_do_not_represent(
    app, as_coordinator, screen, meeting, proposal, members, network
):
    open_with_attendance(as_coordinator, screen, members)
    item = item_for(meeting, proposal)
    as_coordinator.submit(f"{screen}/items/{item.id}/vote/open", page=screen)
    phone = app.test_client()
    phone.login(representative_of(network, members[2]).email, PASSWORD)
    vote_page = f"/n/uddevalla/meetings/{meeting.id}/vote"
    response = phone.submit(
        vote_page,
        {"item": str(item.id), "organisation": str(members[3].id), "choice": "yes"},
        page=vote_page,
    )
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(Vote.id))) == 0


def test_the_applicant_cannot_vote_on_its_own_proposal(
    app, as_coordinator, screen, meeting, proposal, members, network
):
    open_with_attendance(as_coordinator, screen, members)
    item = item_for(meeting, proposal)
    as_coordinator.submit(f"{screen}/items/{item.id}/vote/open", page=screen)
    phone = app.test_client()
    phone.login(representative_of(network, members[0]).email, PASSWORD)
    vote_page = f"/n/uddevalla/meetings/{meeting.id}/vote"
    assert "jävig" in text_of(phone.get(vote_page))
    response = phone.submit(
        vote_page,
        {"item": str(item.id), "organisation": str(members[0].id), "choice": "yes"},
        page=vote_page,
    )
    assert response.status_code == 400 and "jävig" in text_of(response)


def test_a_deferral_needs_a_reason(as_coordinator, screen, meeting, proposal, members):
    open_with_attendance(as_coordinator, screen, members)
    item = item_for(meeting, proposal)
    prefix = f"item{item.id}-"
    as_coordinator.submit(
        f"{screen}/items/{item.id}/decide", {prefix + "outcome": "deferred"}, page=screen
    )
    assert "Skriv varför förslaget bordläggs" in text_of(as_coordinator.get(screen))
    as_coordinator.submit(
        f"{screen}/items/{item.id}/decide",
        {prefix + "outcome": "deferred", prefix + "reason": "Mer underlag."},
        page=screen,
    )
    db.session.refresh(proposal)
    assert proposal.state == ProposalState.DEFERRED


def test_nothing_changes_through_any_url_once_adjusted(
    as_coordinator, screen, meeting, proposal, members
):
    open_with_attendance(as_coordinator, screen, members)
    item = item_for(meeting, proposal)
    meeting.status = MeetingStatus.ADJUSTED
    db.session.commit()
    prefix = f"item{item.id}-"
    attempts = [
        (f"{screen}/attendance", {f"present-{members[0].id}": ""}),
        (f"{screen}/items/{item.id}/vote/open", {}),
        (f"{screen}/items/{item.id}/votes", {f"vote-{members[2].id}": "yes"}),
        (
            f"{screen}/items/{item.id}/decide",
            {prefix + "outcome": "rejected", prefix + "method": "acclamation"},
        ),
        (f"{screen}/open", {}),
        (f"{screen}/move-to-today", {}),
    ]
    for url, data in attempts:
        as_coordinator.submit(url, data, page=screen)
    assert db.session.scalar(sa.select(sa.func.count(Vote.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Decision.id))) == 0
    assert all(row.present for row in db.session.scalars(sa.select(Attendance)))
    assert "justerat" in text_of(as_coordinator.get(screen))


def test_only_the_coordinator_has_the_session_screen(client, network, meeting, members):
    client.login(representative_of(network, members[0]).email, PASSWORD)
    assert client.get(f"/n/uddevalla/meetings/{meeting.id}/session").status_code == 403
    assert client.get(f"/n/uddevalla/meetings/{meeting.id}/session/state.json").status_code == 200


def test_an_organisation_declares_a_conflict_of_interest(
    as_coordinator, screen, meeting, proposal, members
):
    open_with_attendance(as_coordinator, screen, members)
    item = item_for(meeting, proposal)
    url = f"{screen}/items/{item.id}/recusal"
    as_coordinator.submit(url, {"organisation": str(members[4].id), "reason": ""}, page=screen)
    assert "Skriv varför organisationen är jävig" in text_of(as_coordinator.get(screen))
    as_coordinator.submit(
        url,
        {"organisation": str(members[4].id), "reason": "Ordföranden sitter i styrelsen."},
        page=screen,
    )
    from grants.meetings import session

    assert members[4].id in session.recused_organisation_ids(item)


def test_a_closed_meetings_screen_shows_attendance_as_a_record_not_a_form(
    as_coordinator, screen, meeting, proposal, members
):
    open_with_attendance(as_coordinator, screen, members)
    assert 'name="present-' in as_coordinator.get(screen).get_data(as_text=True)
    from grants.meetings.models import MeetingStatus

    meeting.status = MeetingStatus.HELD  # closed (closing itself: meetings/test_minutes.py)
    db.session.commit()
    page = as_coordinator.get(screen)
    html = page.get_data(as_text=True)
    assert 'name="present-' not in html and "Spara närvaron" not in html
    shown = text_of(page)
    assert f"{members[2].name} Ja Person från {members[2].name}" in shown
    assert "Mötet är avslutat: närvaron ändras inte längre." in shown
