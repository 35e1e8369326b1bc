"""The coordinator approves join requests, keeps the member list and gives roles."""

import pytest
import sqlalchemy as sa

from grants.core.audit import AuditEvent, chain_for, verify_chain
from grants.core.outbox import OutboxMail
from grants.extensions import db
from grants.members.models import (
    JoinRequestStatus,
    Membership,
    Organisation,
    Role,
    RoleKind,
    User,
)
from tests.conftest import text_of
from tests.factories import (
    PASSWORD,
    JoinRequestFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    RoleFactory,
    UserFactory,
    coordinator_of,
    representative_of,
)


@pytest.fixture
def network(app):
    return NetworkFactory(slug="uddevalla", name="Integrationsnätverket i Uddevalla")


@pytest.fixture
def coordinator(network):
    return coordinator_of(network, email="samordnare@example.se", name="Sara Samordnare")


@pytest.fixture
def signed_in(client, coordinator):
    assert client.login(coordinator.email, PASSWORD).status_code == 302
    return client


def actions():
    return [event.action for event in db.session.scalars(sa.select(AuditEvent))]


def test_approval_makes_the_membership_and_invites_the_contact(signed_in, network):
    request = JoinRequestFactory(
        network=network,
        organisation_name="Språkcaféet",
        contact_email="noor@example.se",
        contact_name="Noor",
    )
    page = f"/n/uddevalla/admin/join-requests/{request.id}"
    response = signed_in.submit(page, {"decision": "approve"}, page=page)
    assert response.status_code == 302
    db.session.refresh(request)
    assert request.status == JoinRequestStatus.APPROVED
    membership = db.session.scalar(sa.select(Membership))
    assert membership.active and membership.organisation.name == "Språkcaféet"
    user = db.session.scalar(sa.select(User).where(User.email == "noor@example.se"))
    assert not user.has_password
    role = db.session.scalar(sa.select(Role).where(Role.user_id == user.id))
    assert (
        role.role == RoleKind.REPRESENTATIVE and role.organisation_id == membership.organisation_id
    )
    invitation = db.session.scalar(sa.select(OutboxMail).where(OutboxMail.kind == "invitation"))
    assert invitation.to_address == "noor@example.se"
    assert "http://testserver.local/auth/invite/" in invitation.body_text
    assert {"join_request.approved", "membership.created", "role.granted"} <= set(actions())
    assert verify_chain(chain_for(network)).ok


def test_a_second_application_with_the_same_number_links_to_the_existing_organisation(
    signed_in, network
):
    other = NetworkFactory(slug="trollhattan")
    existing = OrganisationFactory(orgnr="802001-2343", name="Språkvänner")
    MembershipFactory(network=other, organisation=existing)
    request = JoinRequestFactory(
        network=network, orgnr="802001-2343", organisation_name="Språkvännerna"
    )
    page = f"/n/uddevalla/admin/join-requests/{request.id}"
    assert "finns redan hos oss som Språkvänner" in text_of(signed_in.get(page))
    signed_in.submit(page, {"decision": "approve"}, page=page)
    assert db.session.scalar(sa.select(sa.func.count(Organisation.id))) == 1
    membership = db.session.scalar(sa.select(Membership).where(Membership.network_id == network.id))
    assert membership.organisation_id == existing.id


def test_rejection_needs_a_reason_and_tells_the_applicant(signed_in, network):
    request = JoinRequestFactory(network=network, contact_email="noor@example.se")
    page = f"/n/uddevalla/admin/join-requests/{request.id}"
    empty = signed_in.submit(page, {"decision": "reject", "reason": "  "}, page=page)
    assert empty.status_code == 400
    assert "Skriv varför ansökan avslås" in text_of(empty)
    db.session.refresh(request)
    assert request.status == JoinRequestStatus.PENDING
    signed_in.submit(
        page, {"decision": "reject", "reason": "Ni saknar organisationsnummer."}, page=page
    )
    db.session.refresh(request)
    assert request.status == JoinRequestStatus.REJECTED
    mail = db.session.scalar(sa.select(OutboxMail).where(OutboxMail.kind == "join_rejected"))
    assert "Ni saknar organisationsnummer." in mail.body_text


def test_a_decided_request_cannot_be_decided_again(signed_in, network):
    request = JoinRequestFactory(network=network, status=JoinRequestStatus.REJECTED)
    page = f"/n/uddevalla/admin/join-requests/{request.id}"
    response = signed_in.submit(page, {"decision": "approve"}, page=page)
    assert response.status_code == 400
    assert "redan behandlad" in text_of(response)
    assert db.session.scalar(sa.select(sa.func.count(Membership.id))) == 0


def test_the_coordinator_edits_an_organisation(signed_in, network):
    membership = MembershipFactory(network=network)
    page = f"/n/uddevalla/admin/organisations/{membership.id}"
    response = signed_in.submit(
        page,
        {
            "name": "Nytt namn på föreningen",
            "orgnr": "8024123450",
            "kind": "association",
            "contact_name": "Ny Kontakt",
            "contact_email": "Ny.Kontakt@Example.se",
        },
        page=page,
    )
    assert response.status_code == 302
    organisation = db.session.get(Organisation, membership.organisation_id)
    assert organisation.name == "Nytt namn på föreningen"
    assert organisation.orgnr == "802412-3450"
    assert organisation.contact_email == "ny.kontakt@example.se"
    db.session.refresh(membership)
    assert membership.wants_invitations is False
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "organisation.changed")
    )
    assert "ny.kontakt" not in event.data and "Ny Kontakt" not in event.data


def test_an_organisation_cannot_take_another_ones_number(signed_in, network):
    MembershipFactory(
        network=network, organisation=OrganisationFactory(orgnr="802412-3450", name="Bildning")
    )
    membership = MembershipFactory(network=network)
    page = f"/n/uddevalla/admin/organisations/{membership.id}"
    response = signed_in.submit(
        page,
        {
            "name": "X",
            "orgnr": "802412-3450",
            "kind": "association",
            "contact_name": "K",
            "contact_email": "k@example.se",
        },
        page=page,
    )
    assert response.status_code == 400
    assert "tillhör redan Bildning" in text_of(response)


def test_ending_a_membership_removes_its_representatives(signed_in, network):
    membership = MembershipFactory(network=network)
    representative = representative_of(network, membership.organisation)
    page = f"/n/uddevalla/admin/organisations/{membership.id}"
    signed_in.submit(f"{page}/end", page=page)
    db.session.refresh(membership)
    assert not membership.active and membership.ended_at is not None
    assert db.session.scalars(sa.select(Role).where(Role.user_id == representative.id)).all() == []
    assert "Avslutat" in text_of(signed_in.get("/n/uddevalla/admin/organisations/"))
    assert membership.organisation.name not in text_of(signed_in.get("/n/uddevalla/"))


def test_the_coordinator_adds_a_member_that_signed_up_on_paper(signed_in, network):
    page = "/n/uddevalla/admin/organisations/new"
    response = signed_in.submit(
        page,
        {
            "organisation_name": "Schackklubben",
            "orgnr": "802430-7657",
            "kind": "association",
            "contact_name": "Kim",
            "contact_email": "kim@example.se",
            "wants_invitations": "y",
        },
        page=page,
    )
    assert response.status_code == 302
    assert "Schackklubben" in text_of(signed_in.get("/n/uddevalla/"))


def test_giving_a_role_to_a_new_person_sends_an_invitation(signed_in, network):
    page = "/n/uddevalla/admin/people/"
    response = signed_in.submit(
        page,
        {
            "email": "Granskare@Example.se",
            "name": "Karin Ek",
            "role": "auditor",
            "organisation": "",
        },
        page=page,
    )
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "granskare@example.se"))
    assert user.roles[0].role == RoleKind.AUDITOR
    assert (
        db.session.scalar(sa.select(OutboxMail.kind).where(OutboxMail.to_address == user.email))
        == "invitation"
    )


def test_a_representative_needs_a_member_organisation(signed_in, network):
    page = "/n/uddevalla/admin/people/"
    response = signed_in.submit(
        page,
        {"email": "x@example.se", "name": "X", "role": "representative", "organisation": ""},
        page=page,
    )
    assert response.status_code == 400
    assert "Välj vilken organisation" in text_of(response)


def test_an_organisation_of_another_network_cannot_be_chosen(signed_in, network):
    foreign = MembershipFactory(network=NetworkFactory())
    page = "/n/uddevalla/admin/people/"
    response = signed_in.submit(
        page,
        {
            "email": "x@example.se",
            "name": "X",
            "role": "representative",
            "organisation": str(foreign.organisation_id),
        },
        page=page,
    )
    assert response.status_code == 404
    assert db.session.scalar(sa.select(User).where(User.email == "x@example.se")) is None


def test_the_same_role_twice_is_refused(signed_in, network, coordinator):
    page = "/n/uddevalla/admin/people/"
    response = signed_in.submit(
        page,
        {"email": coordinator.email, "name": "", "role": "coordinator", "organisation": ""},
        page=page,
    )
    assert response.status_code == 400
    assert "redan den rollen" in text_of(response)


def test_the_last_coordinator_cannot_be_removed(signed_in, network, coordinator):
    role = coordinator.roles[0]
    signed_in.submit(
        f"/n/uddevalla/admin/roles/{role.id}/revoke", page="/n/uddevalla/admin/people/"
    )
    assert db.session.get(Role, role.id) is not None
    assert "minst en samordnare" in text_of(signed_in.get("/n/uddevalla/admin/people/"))


def test_a_role_is_taken_away(signed_in, network):
    representative = representative_of(network)
    role_id = representative.roles[0].id
    signed_in.submit(
        f"/n/uddevalla/admin/roles/{role_id}/revoke", page="/n/uddevalla/admin/people/"
    )
    assert db.session.scalar(sa.select(Role).where(Role.id == role_id)) is None
    assert "role.revoked" in actions()


def test_a_person_can_represent_several_organisations_in_several_networks(app, client):
    first, second = NetworkFactory(name="Nätverk Ett"), NetworkFactory(name="Nätverk Två")
    person = UserFactory()
    for network in (first, first, second):
        RoleFactory(
            user=person,
            network=network,
            role=RoleKind.REPRESENTATIVE,
            organisation=MembershipFactory(network=network).organisation,
        )
    client.login(person.email, PASSWORD)
    page = text_of(client.get(f"/n/{first.slug}/"))
    assert "Byt nätverk" in page and "Nätverk Två" in page
    assert len(person.represented_organisations(first)) == 2


def test_the_role_select_starts_empty_and_a_role_must_be_chosen(signed_in, network):
    """A select that hands out power picks none by itself (it once said "Samordnare")."""
    page = "/n/uddevalla/admin/people/"
    html = signed_in.get(page).get_data(as_text=True)
    select = html[html.index('name="role"') :].split("</select>", 1)[0]
    first = select.split("<option", 2)[1]
    assert 'value=""' in first and "välj roll" in first
    assert "selected" not in select
    refused = signed_in.submit(
        page,
        {"email": "ny@example.se", "name": "Ny Person", "role": "", "organisation": ""},
        page=page,
    )
    assert refused.status_code == 400 and "Välj en roll." in text_of(refused)
    assert db.session.scalar(sa.select(User).where(User.email == "ny@example.se")) is None
