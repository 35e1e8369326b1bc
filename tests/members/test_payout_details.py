"""An organisation's payout details: validated, masked, and every change mailed and audited."""

import pytest
import sqlalchemy as sa

from grants.core.audit import AuditEvent
from grants.core.outbox import OutboxMail
from grants.extensions import db
from grants.members.operations import membership_of
from tests.conftest import text_of
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    NetworkFactory,
    auditor_of,
    coordinator_of,
    representative_of,
)


@pytest.fixture
def world(app):
    network = NetworkFactory(slug="uddevalla")
    organisation = MembershipFactory(
        network=network, payout_method=None, payout_number=None
    ).organisation
    return network, organisation


def details_of(network, organisation):
    db.session.expire_all()
    return membership_of(network, organisation).payout_details


def page_of(organisation):
    return f"/n/uddevalla/organisations/{organisation.id}"


def test_a_representative_sets_a_bankgiro_and_the_contact_is_told(client, world):
    network, organisation = world
    client.login(representative_of(network, organisation, name="Rami Rep").email, PASSWORD)
    page = page_of(organisation)
    response = client.submit(
        page + "/payout", {"method": "bankgiro", "number": "5050 1055"}, page=page
    )
    assert response.status_code == 302
    assert details_of(network, organisation).number == "5050-1055"
    shown = text_of(client.get(page))
    assert "••••1055" in shown and "5050-1055" not in shown
    mail = db.session.scalar(
        sa.select(OutboxMail).where(OutboxMail.kind == "payout_details_changed")
    )
    assert mail.to_address == organisation.contact_email
    assert "Rami Rep" in mail.body_text and "••••1055" in mail.body_text
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "organisation.payout_details_changed")
    )
    assert "5050" not in event.data


def test_staff_see_the_whole_number(app, world):
    network, organisation = world
    membership = membership_of(network, organisation)
    membership.payout_method, membership.payout_number = "bankgiro", "5050-1055"
    db.session.commit()
    for person in (coordinator_of(network), auditor_of(network)):
        client = app.test_client()
        client.login(person.email, PASSWORD)
        assert "5050-1055" in text_of(client.get(page_of(organisation)))


def test_a_wrong_check_digit_is_refused_and_nothing_changes(client, world):
    network, organisation = world
    client.login(representative_of(network, organisation).email, PASSWORD)
    page = page_of(organisation)
    response = client.submit(
        page + "/payout", {"method": "bankgiro", "number": "5050-1056"}, page=page
    )
    assert response.status_code == 400
    assert "kontrollsiffran" in text_of(response)
    assert details_of(network, organisation) is None
    assert db.session.scalar(sa.select(sa.func.count(OutboxMail.id))) == 0


def test_another_organisations_representative_cannot_change_them(client, world):
    network, organisation = world
    client.login(representative_of(network).email, PASSWORD)
    page = page_of(organisation)
    response = client.submit(
        page + "/payout", {"method": "bankgiro", "number": "5050 1055"}, page=page
    )
    assert response.status_code == 403
    assert "Utbetalningsuppgifter" not in text_of(client.get(page))


def test_an_organisation_of_another_network_answers_404(client, world):
    network, _ = world
    foreign = MembershipFactory(network=NetworkFactory()).organisation
    client.login(coordinator_of(network).email, PASSWORD)
    assert client.get(page_of(foreign)).status_code == 404


def test_the_change_reaches_the_contact_person_through_smtp(make_app, smtp_server):
    """A common fraud route: the contact person hears of every change, by real mail."""
    app = make_app(**smtp_server.config)
    with app.app_context():
        network = NetworkFactory(slug="uddevalla")
        organisation = MembershipFactory(
            network=network, payout_method=None, payout_number=None
        ).organisation
        person = representative_of(network, organisation, name="Rami Rep")
        db.session.commit()
        contact, page = organisation.contact_email, page_of(organisation)
        client = app.test_client()
        client.login(person.email, PASSWORD)
        client.submit(page + "/payout", {"method": "plusgiro", "number": "28 65 43-4"}, page=page)
        assert app.test_cli_runner().invoke(args=["outbox", "send"]).exit_code == 0
        db.session.remove()
    delivered = [m for m in smtp_server.handler.messages if contact in m["To"]]
    assert len(delivered) == 1, [(m["To"], m["Subject"]) for m in smtp_server.handler.messages]
    body = delivered[0].get_body(("plain",)).get_content()
    assert "Rami Rep" in body and "Nytt konto: Plusgiro •••5434" in body
    assert "286543" not in body.replace(" ", "").replace("-", "")
