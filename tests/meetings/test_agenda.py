"""The coordinator edits the agenda; a late proposal needs a reason."""

import pytest

from grants.core.errors import DomainError
from grants.extensions import db
from grants.meetings import invitations, session
from grants.meetings.models import AgendaItemKind
from tests.conftest import text_of
from tests.factories import PASSWORD, MeetingFactory, ProposalFactory


@pytest.fixture
def as_coordinator(client, coordinator):
    client.login(coordinator.email, PASSWORD)
    return client


def titles(meeting):
    return [item.title for item in session.agenda(meeting)]


def test_items_are_added_before_other_matters_and_reordered(as_coordinator, meeting):
    page = f"/n/uddevalla/meetings/{meeting.id}"
    as_coordinator.submit(
        page + "/agenda/items", {"title": "Seminarium om föreningsbidrag"}, page=page
    )
    assert titles(meeting)[-2:] == ["Seminarium om föreningsbidrag", "Övriga frågor"]
    item = session.agenda(meeting)[-2]
    as_coordinator.submit(f"{page}/agenda/items/{item.id}/move", {"direction": "up"}, page=page)
    db.session.expire_all()
    assert titles(meeting)[-3] == "Seminarium om föreningsbidrag"
    assert "Seminarium om föreningsbidrag" in text_of(as_coordinator.get(page))


def test_standard_items_can_be_removed_but_not_proposals(
    as_coordinator, meeting, proposal, coordinator
):
    session.ensure_agenda(meeting, actor=coordinator)
    db.session.commit()
    page = f"/n/uddevalla/meetings/{meeting.id}"
    standard = session.agenda(meeting)[1]
    as_coordinator.submit(f"{page}/agenda/items/{standard.id}/remove", page=page)
    assert "Kommunens integrationsarbete" not in titles(meeting)
    proposal_item = next(i for i in session.agenda(meeting) if i.kind == AgendaItemKind.PROPOSAL)
    as_coordinator.submit(f"{page}/agenda/items/{proposal_item.id}/remove", page=page)
    assert proposal_item.title in titles(meeting)


def test_a_late_proposal_needs_a_reason(network, meeting, period, members, coordinator):
    invitations.send_invitations(meeting, actor=coordinator, confirm_short_notice=True)
    late = ProposalFactory(
        network=network,
        period=period,
        applicant=members[1],
        meeting=MeetingFactory(network=network, number=2),
    )
    with pytest.raises(DomainError, match="motivering"):
        session.add_proposal_item(meeting, late, actor=coordinator)
    item = session.add_proposal_item(
        meeting, late, late_reason="Brådskande inför sommaren.", actor=coordinator
    )
    assert item.late_reason and late.meeting_id == meeting.id
    assert late.id in {i.proposal_id for i in session.agenda(meeting)}


def test_the_agenda_follows_the_networks_template(network, meeting, proposal, coordinator):
    network.agenda_template = "Välkommen\n[förslag]\nFika\nÖvriga frågor"
    db.session.commit()
    items = session.ensure_agenda(meeting, actor=coordinator)
    assert [item.title for item in items] == [
        "Välkommen",
        f"{proposal.reference} {proposal.title}",
        "Fika",
        "Övriga frågor",
    ]


def test_nothing_in_the_agenda_of_an_adjusted_meeting_changes(
    as_coordinator, meeting, proposal, coordinator
):
    from grants.meetings.models import MeetingStatus

    session.ensure_agenda(meeting, actor=coordinator)
    meeting.status = MeetingStatus.ADJUSTED
    db.session.commit()
    before = titles(meeting)
    page = f"/n/uddevalla/meetings/{meeting.id}"
    first = session.agenda(meeting)[0]
    as_coordinator.submit(page + "/agenda/items", {"title": "Ny punkt"}, page=page)
    as_coordinator.submit(f"{page}/agenda/items/{first.id}/remove", page=page)
    as_coordinator.submit(f"{page}/agenda/items/{first.id}/move", {"direction": "down"}, page=page)
    as_coordinator.submit(f"{page}/minutes/write", {f"text-{first.id}": "Ändrat"}, page=page)
    db.session.expire_all()
    assert titles(meeting) == before
    assert session.agenda(meeting)[0].minutes_text == ""
