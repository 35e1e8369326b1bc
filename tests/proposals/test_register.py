"""A representative pre-registers a proposal; bad input gets a message and saves nothing."""

import pytest
import sqlalchemy as sa

from grants.core.audit import AuditEvent
from grants.core.outbox import OutboxMail
from grants.core.time import local_today
from grants.extensions import db
from grants.proposals.models import Proposal, ProposalSource, ProposalState
from tests.conftest import text_of
from tests.factories import (
    PASSWORD,
    GrantFactory,
    MeetingFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    ProposalFactory,
    representative_of,
)
from tests.proposals.conftest import NEW, proposal_data


def count_proposals():
    return db.session.scalar(sa.select(sa.func.count(Proposal.id)))


def test_a_representative_registers_a_proposal(as_representative, network, association):
    meeting = MeetingFactory(network=network, number=1)
    response = as_representative.submit(NEW, proposal_data(network, association), page=NEW)
    assert response.status_code == 302, text_of(response)
    proposal = db.session.scalar(sa.select(Proposal))
    assert proposal.reference == f"{local_today().year}-001"
    assert proposal.requested_ore == 1_250_050
    assert proposal.budget_total_ore == 1_250_050
    assert proposal.state == ProposalState.REGISTERED
    assert proposal.source == ProposalSource.WEB
    assert proposal.meeting_id == meeting.id
    assert proposal.registered_by.email == "rep@example.se"
    page = text_of(as_representative.get(response.headers["Location"]))
    assert "Språkcafé på torsdagar" in page and "12 500,50 kr" in page
    receipt = db.session.scalar(
        sa.select(OutboxMail).where(OutboxMail.kind == "proposal_registered")
    )
    assert receipt.to_address == "rep@example.se"
    assert proposal.reference in receipt.subject
    assert "Möte 1" in receipt.body_text
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "proposal.registered")
    )
    assert event.payload["requested_ore"] == 1_250_050


def test_without_a_planned_meeting_it_waits_for_the_next_one(
    as_representative, network, association
):
    as_representative.submit(NEW, proposal_data(network, association), page=NEW)
    proposal = db.session.scalar(sa.select(Proposal))
    assert proposal.meeting_id is None
    assert "Nästa möte (inte planerat än)" in text_of(
        as_representative.get(f"/n/uddevalla/proposals/{proposal.id}")
    )


def test_references_count_per_network_and_year(as_representative, network, association):
    ProposalFactory(network=NetworkFactory(), year=local_today().year, number=7)
    for _ in range(3):
        as_representative.submit(
            NEW,
            proposal_data(
                network,
                association,
                requested="100",
                **{"budget-0-amount": "100", "budget-1-item": "", "budget-1-amount": ""},
            ),
            page=NEW,
        )
    numbers = db.session.scalars(
        sa.select(Proposal.number)
        .where(Proposal.network_id == network.id)
        .order_by(Proposal.number)
    ).all()
    assert numbers == [1, 2, 3]


@pytest.mark.parametrize("typed", ["12500.50 kr", "12 500,50", "12500,50"])
def test_amounts_are_read_the_way_people_type_them(as_representative, network, association, typed):
    response = as_representative.submit(
        NEW, proposal_data(network, association, requested=typed), page=NEW
    )
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Proposal.requested_ore)) == 1_250_050


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"requested": "0"}, "större än noll"),
        ({"requested": "-5"}, "kunde inte läsas"),
        ({"requested": "100,555"}, "två decimaler"),
        ({"requested": "１２３"}, "kunde inte läsas"),
        ({"requested": "1e6"}, "kunde inte läsas"),
        ({"requested": '=HYPERLINK("x")'}, "kunde inte läsas"),
        ({"requested": "150 000"}, "Det finns bara 100 000 kr kvar"),
        ({"budget-1-amount": "9 000"}, "Summan av raderna ska vara lika med beloppet"),
        (
            {
                "budget-0-item": "",
                "budget-0-amount": "",
                "budget-1-item": "",
                "budget-1-amount": "",
            },
            "minst en rad i budgeten",
        ),
        ({"budget-1-item": ""}, "Skriv vad beloppet är till för"),
        ({"criteria": []}, "minst ett kriterium"),
        ({"title": ""}, "Ge aktiviteten ett namn"),
        ({"summary": "x" * 3001}, "Högst 3000 tecken"),
        ({"planned_start": "2026-02-30"}, "ÅÅÅÅ-MM-DD"),
        ({"planned_end": "2020-01-01"}, "kan inte sluta innan den börjar"),
        ({"contact_email": "åsa@example.se"}, "å, ä eller ö"),
    ],
)
def test_bad_input_gets_a_clear_message_and_nothing_is_saved(
    as_representative, network, association, overrides, message
):
    response = as_representative.submit(
        NEW, proposal_data(network, association, **overrides), page=NEW
    )
    assert response.status_code == 400
    assert message in text_of(response)
    assert count_proposals() == 0
    assert db.session.scalar(sa.select(sa.func.count(OutboxMail.id))) == 0


def test_the_maximum_per_grant_applies(as_representative, network, association):
    network.max_grant_ore = 1_000_000
    db.session.commit()
    response = as_representative.submit(NEW, proposal_data(network, association), page=NEW)
    assert response.status_code == 400
    assert "högst 10 000 kr per ansökan" in text_of(response)


def test_what_is_granted_is_no_longer_left_to_apply_for(as_representative, network, association):
    GrantFactory(
        proposal=ProposalFactory(
            network=network, period=network_period(network), requested_ore=9_000_000
        )
    )
    page = text_of(as_representative.get(NEW))
    assert "10 000 kr" in page and "Kvar att söka" in page
    response = as_representative.submit(NEW, proposal_data(network, association), page=NEW)
    assert "Det finns bara 10 000 kr kvar" in text_of(response)


def network_period(network):
    from grants.funds.operations import current_period

    return current_period(network)


def test_a_co_applicant_that_is_not_a_member_is_refused(as_representative, network, association):
    outsider = OrganisationFactory(name="Inte medlem")
    MembershipFactory(network=NetworkFactory(), organisation=outsider)
    response = as_representative.submit(
        NEW, proposal_data(network, association, co_applicants=[str(outsider.id)]), page=NEW
    )
    assert response.status_code == 400
    assert "Alla medsökande måste vara medlemmar" in text_of(response)
    assert count_proposals() == 0


def test_the_applicant_cannot_be_its_own_co_applicant(as_representative, network, association):
    response = as_representative.submit(
        NEW, proposal_data(network, association, co_applicants=[str(association.id)]), page=NEW
    )
    assert response.status_code == 400
    assert "kan inte också vara medsökande" in text_of(response)


def test_a_municipal_unit_needs_a_civil_society_co_applicant(
    client, network, municipal_unit, association
):
    person = representative_of(network, municipal_unit)
    client.login(person.email, PASSWORD)
    alone = client.submit(NEW, proposal_data(network, municipal_unit), page=NEW)
    assert alone.status_code == 400
    assert "En kommunal verksamhet kan bara söka tillsammans med en förening" in text_of(alone)
    assert count_proposals() == 0
    together = client.submit(
        NEW, proposal_data(network, municipal_unit, co_applicants=[str(association.id)]), page=NEW
    )
    assert together.status_code == 302
    assert [o.id for o in db.session.scalar(sa.select(Proposal)).co_applicants] == [association.id]


def test_a_representative_cannot_apply_for_another_member(as_representative, network):
    other = MembershipFactory(network=network).organisation
    response = as_representative.submit(NEW, proposal_data(network, other), page=NEW)
    assert response.status_code == 403
    assert count_proposals() == 0


def test_an_organisation_of_another_network_answers_404(as_representative, network):
    foreign = MembershipFactory(network=NetworkFactory()).organisation
    response = as_representative.submit(NEW, proposal_data(network, foreign), page=NEW)
    assert response.status_code == 404
    assert count_proposals() == 0


def test_an_ended_membership_cannot_apply(as_representative, network, association):
    from grants.members.models import Membership

    membership = db.session.scalar(
        sa.select(Membership).where(Membership.organisation_id == association.id)
    )
    membership.active = False
    db.session.commit()
    response = as_representative.submit(NEW, proposal_data(network, association), page="/")
    assert response.status_code == 403
    assert "ingen organisation som är medlem" in text_of(response)
    assert count_proposals() == 0


def test_without_a_running_period_nobody_can_apply(client, app):
    network = NetworkFactory(slug="utan-pott")
    person = representative_of(network)
    client.login(person.email, PASSWORD)
    page = "/n/utan-pott/proposals/new"
    assert "ingen pott att söka ur" in text_of(client.get(page))


def test_script_in_text_fields_is_shown_escaped(as_representative, network, association):
    script = "<script>alert(1)</script>"
    response = as_representative.submit(
        NEW, proposal_data(network, association, title=script, summary=script), page=NEW
    )
    html = as_representative.get(response.headers["Location"]).get_data(as_text=True)
    assert script not in html and "&lt;script&gt;" in html
    listing = as_representative.get("/n/uddevalla/proposals/").get_data(as_text=True)
    assert script not in listing


def test_the_phone_form_has_labels_and_the_right_keyboards(as_representative, network):
    html = as_representative.get(NEW).get_data(as_text=True)
    assert 'inputmode="decimal"' in html
    assert 'type="date"' in html
    assert '<label class="form-label small mb-0" for="budget-0-amount">' in html


def test_a_representative_of_one_organisation_is_not_offered_it_as_co_applicant(
    as_representative, network, association
):
    partner = MembershipFactory(network=network).organisation
    html = as_representative.get(NEW).get_data(as_text=True)
    assert f'name="co_applicants" type="checkbox" value="{partner.id}"' in html
    assert f'name="co_applicants" type="checkbox" value="{association.id}"' not in html


def test_the_coordinators_form_does_not_fill_in_the_coordinator_as_contact(
    as_coordinator, coordinator
):
    html = as_coordinator.get(NEW).get_data(as_text=True)
    assert coordinator.email not in html.split('id="contact_email"', 1)[1][:200]
