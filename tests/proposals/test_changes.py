"""Edit until the agenda is frozen, withdraw until decided; every version kept."""

import sqlalchemy as sa

from grants.extensions import db
from grants.meetings.models import MeetingStatus
from grants.proposals.models import Proposal, ProposalState, ProposalVersion
from tests.conftest import text_of
from tests.factories import PASSWORD, MeetingFactory, ProposalFactory, representative_of
from tests.proposals.conftest import NEW, proposal_data


def register(client, network, applicant, **overrides):
    response = client.submit(NEW, proposal_data(network, applicant, **overrides), page=NEW)
    assert response.status_code == 302, text_of(response)
    return db.session.scalar(sa.select(Proposal).order_by(Proposal.id.desc()))


def test_an_edit_is_a_new_version_and_the_difference_can_be_seen(
    as_representative, network, association
):
    proposal = register(as_representative, network, association)
    page = f"/n/uddevalla/proposals/{proposal.id}/edit"
    form = as_representative.get(page)
    assert 'value="Språkcafé på torsdagar"' in form.get_data(as_text=True)
    response = as_representative.submit(
        page,
        proposal_data(
            network,
            association,
            title="Språkcafé på onsdagar",
            requested="13 000",
            **{"budget-0-amount": "3 000"},
        ),
        page=page,
    )
    assert response.status_code == 302, text_of(response)
    db.session.refresh(proposal)
    assert proposal.version == 2 and proposal.title == "Språkcafé på onsdagar"
    assert db.session.scalar(sa.select(sa.func.count(ProposalVersion.id))) == 2
    diff = text_of(as_representative.get(f"/n/uddevalla/proposals/{proposal.id}/versions/2"))
    assert "Borttaget: Språkcafé på torsdagar" in diff
    assert "Tillagt: Språkcafé på onsdagar" in diff
    assert "12 500,50 kr" in diff and "13 000 kr" in diff
    assert "Fika: 3 000 kr" in diff


def test_saving_without_changes_makes_no_new_version(as_representative, network, association):
    proposal = register(as_representative, network, association)
    page = f"/n/uddevalla/proposals/{proposal.id}/edit"
    as_representative.submit(page, proposal_data(network, association), page=page)
    db.session.refresh(proposal)
    assert proposal.version == 1


def test_an_invalid_edit_saves_nothing(as_representative, network, association):
    proposal = register(as_representative, network, association)
    page = f"/n/uddevalla/proposals/{proposal.id}/edit"
    response = as_representative.submit(
        page, proposal_data(network, association, requested="999 999"), page=page
    )
    assert response.status_code == 400
    db.session.refresh(proposal)
    assert proposal.version == 1 and proposal.requested_ore == 1_250_050


def test_after_the_invitations_the_proposal_can_only_be_withdrawn(
    as_representative, network, association
):
    meeting = MeetingFactory(network=network, status=MeetingStatus.INVITED)
    proposal = ProposalFactory(network=network, applicant=association, meeting=meeting)
    page = f"/n/uddevalla/proposals/{proposal.id}"
    shown = text_of(as_representative.get(page))
    assert "kan inte ändras, bara dras tillbaka" in shown
    edit = as_representative.submit(
        page + "/edit", proposal_data(network, association, title="Nytt"), page=page
    )
    assert edit.status_code == 302
    db.session.refresh(proposal)
    assert proposal.title != "Nytt"
    assert "kan inte ändras längre" in text_of(as_representative.get(page))
    as_representative.submit(page + "/withdraw", page=page)
    db.session.refresh(proposal)
    assert proposal.state == ProposalState.WITHDRAWN
    assert "Tillbakadraget" in text_of(as_representative.get(page))


def test_a_decided_proposal_cannot_be_withdrawn(as_representative, network, association):
    proposal = ProposalFactory(network=network, applicant=association, state=ProposalState.APPROVED)
    page = f"/n/uddevalla/proposals/{proposal.id}"
    as_representative.submit(page + "/withdraw", page=page)
    db.session.refresh(proposal)
    assert proposal.state == ProposalState.APPROVED


def test_only_the_applicants_representatives_and_the_coordinator_change_it(
    client, network, association
):
    proposal = ProposalFactory(network=network, applicant=association)
    stranger = representative_of(network)
    client.login(stranger.email, PASSWORD)
    page = f"/n/uddevalla/proposals/{proposal.id}"
    assert client.get(page).status_code == 200  # openness: every member reads it
    assert client.get(page + "/edit").status_code == 403
    assert client.submit(page + "/withdraw", page=page).status_code == 403
    db.session.refresh(proposal)
    assert proposal.state == ProposalState.REGISTERED


def test_the_coordinator_can_edit_any_proposal(as_coordinator, network, association):
    proposal = register(
        as_coordinator,
        network,
        association,
        source="email",
        received_date="2026-01-05",
        received_time="09:00",
        email_text="Hej",
    )
    page = f"/n/uddevalla/proposals/{proposal.id}/edit"
    response = as_coordinator.submit(
        page, proposal_data(network, association, title="Rättat namn"), page=page
    )
    assert response.status_code == 302
    db.session.refresh(proposal)
    assert proposal.title == "Rättat namn" and proposal.version == 2


def test_withdrawal_is_mailed_to_the_contact(as_representative, network, association):
    from grants.core.outbox import OutboxMail

    proposal = register(as_representative, network, association)
    page = f"/n/uddevalla/proposals/{proposal.id}"
    as_representative.submit(page + "/withdraw", page=page)
    kinds = set(db.session.scalars(sa.select(OutboxMail.kind)))
    assert {"proposal_registered", "proposal_withdrawn"} <= kinds


def test_the_difference_is_listed_in_the_order_of_the_form(as_representative, network, association):
    proposal = register(as_representative, network, association)
    page = f"/n/uddevalla/proposals/{proposal.id}/edit"
    as_representative.submit(
        page,
        proposal_data(
            network,
            association,
            title="Nytt namn",
            planned_start="2030-01-01",
            planned_end="2030-02-01",
        ),
        page=page,
    )
    diff = text_of(as_representative.get(f"/n/uddevalla/proposals/{proposal.id}/versions/2"))
    assert diff.index("Namn") < diff.index("Börjar") < diff.index("Slutar")


def test_a_withdrawn_proposal_is_not_listed_among_those_to_decide(
    as_representative, network, association
):
    meeting = MeetingFactory(network=network)
    ProposalFactory(network=network, applicant=association, meeting=meeting, title="Kvar")
    ProposalFactory(
        network=network,
        applicant=association,
        meeting=meeting,
        title="Ångrad",
        state=ProposalState.WITHDRAWN,
    )
    page = text_of(as_representative.get(f"/n/uddevalla/meetings/{meeting.id}"))
    to_decide, _, rest = page.partition("Tillbakadragna förslag")
    assert "Kvar" in to_decide and "Ångrad" not in to_decide
    assert "Ångrad" in rest


def test_a_deferred_proposal_can_be_completed_before_the_next_meeting(
    as_representative, network, association
):
    later = MeetingFactory(network=network)
    proposal = ProposalFactory(
        network=network, applicant=association, meeting=later, state=ProposalState.DEFERRED
    )
    page = f"/n/uddevalla/proposals/{proposal.id}/edit"
    response = as_representative.submit(
        page, proposal_data(network, association, title="Kompletterat förslag"), page=page
    )
    assert response.status_code == 302
    db.session.refresh(proposal)
    assert proposal.title == "Kompletterat förslag" and proposal.version == 2
