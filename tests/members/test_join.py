"""The public join form: an organisation asks to join; nothing is a member until approved."""

import pytest
import sqlalchemy as sa

from grants.core.audit import AuditEvent
from grants.core.outbox import OutboxMail
from grants.extensions import db
from grants.members.models import JoinRequest, JoinRequestStatus, Membership, Organisation
from tests.conftest import text_of
from tests.factories import MembershipFactory, NetworkFactory, OrganisationFactory, coordinator_of


def join_data(**overrides):
    data = {
        "organisation_name": "Språkcaféet i Ålsäter",
        "orgnr": "802001-2343",
        "kind": "association",
        "contact_name": "Åsa Öberg",
        "contact_email": "asa.oberg@example.se",
        "wants_invitations": "y",
        "message": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def network(app):
    network = NetworkFactory(slug="uddevalla", name="Integrationsnätverket i Uddevalla")
    coordinator_of(network, email="samordnare@example.se")
    return network


def submit(client, **overrides):
    return client.submit("/n/uddevalla/join", join_data(**overrides), page="/n/uddevalla/join")


def count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_join_request_is_a_request_not_a_member(client, network):
    response = submit(client)
    assert response.status_code == 200
    assert "Tack för din ansökan" in text_of(response)
    join_request = db.session.scalar(sa.select(JoinRequest))
    assert join_request.status == JoinRequestStatus.PENDING
    assert join_request.orgnr == "802001-2343"
    assert join_request.wants_invitations is True
    assert count(Membership) == 0
    assert count(Organisation) == 0


def test_the_applicant_gets_a_receipt_and_the_coordinator_a_notice(client, network):
    submit(client)
    mails = {mail.to_address: mail for mail in db.session.scalars(sa.select(OutboxMail))}
    assert "asa.oberg@example.se" in mails
    assert "Språkcaféet i Ålsäter" in mails["asa.oberg@example.se"].body_text
    notice = mails["samordnare@example.se"]
    assert "/n/uddevalla/admin/join-requests/" in notice.body_text


def test_the_request_is_in_the_audit_chain_without_personal_data(client, network):
    submit(client)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action.like("join_request%")))
    assert event is not None
    assert "asa.oberg" not in event.data and "Åsa" not in event.data


def test_the_invitations_tick_box_can_be_left_empty(client, network):
    data = join_data()
    data.pop("wants_invitations")
    client.submit("/n/uddevalla/join", data, page="/n/uddevalla/join")
    assert db.session.scalar(sa.select(JoinRequest)).wants_invitations is False


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("orgnr", "811218-9876", "personnummer"),
        ("orgnr", "802001-2344", "kontrollsiffran"),
        ("orgnr", "", "Ange organisationsnumret"),
        ("orgnr", "abcdef-ghij", "tio siffror"),
        ("organisation_name", "", "Skriv organisationens namn"),
        ("organisation_name", "     ", "Skriv organisationens namn"),
        ("organisation_name", "x" * 10000, "Högst 200 tecken"),
        ("contact_name", "", "Skriv kontaktpersonens namn"),
        ("contact_email", "", "Ange en e-postadress"),
        ("contact_email", "anna", "inte ut som en e-postadress"),
        ("contact_email", "anna@example.se\r\nBcc: x@example.se", "en enda e-postadress"),
        ("contact_email", "åsa@example.se", "å, ä eller ö"),
        ("contact_email", "a@b@c.se", "inte ut som en e-postadress"),
        ("kind", "", "Välj vilken sorts organisation"),
        ("kind", "network_itself", "Inte ett giltigt val"),
    ],
)
def test_bad_input_gets_a_clear_message_and_nothing_is_saved(
    client, network, field, value, message
):
    response = submit(client, **{field: value})
    assert response.status_code == 400
    page = text_of(response)
    assert "Det finns fel i formuläret" in page
    assert message in page
    assert count(JoinRequest) == 0
    assert count(OutboxMail) == 0


def test_the_error_is_tied_to_its_field(client, network):
    html = submit(client, orgnr="811218-9876").get_data(as_text=True)
    assert 'id="orgnr-error"' in html
    assert 'aria-describedby="orgnr-hint orgnr-error"' in html
    assert 'aria-invalid="true"' in html
    assert '<a href="#orgnr">' in html


def test_what_was_typed_is_kept_when_the_form_comes_back(client, network):
    html = submit(client, orgnr="811218-9876").get_data(as_text=True)
    assert 'value="Språkcaféet i Ålsäter"' in html
    assert 'value="asa.oberg@example.se"' in html


def test_numbers_with_spaces_are_stored_with_a_hyphen(client, network):
    submit(client, orgnr="556036 0793")
    assert db.session.scalar(sa.select(JoinRequest.orgnr)) == "556036-0793"


def test_decomposed_swedish_letters_are_stored_composed(client, network, inputs):
    submit(client, organisation_name=inputs["text"]["swedish_decomposed"])
    stored = db.session.scalar(sa.select(JoinRequest.organisation_name))
    assert stored == inputs["text"]["swedish_composed"]


def test_script_in_every_text_field_is_stored_as_text_and_shown_escaped(client, network, inputs):
    script = inputs["text"]["script"]
    response = submit(client, organisation_name=script, contact_name=script, message=script)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    stored = db.session.scalar(sa.select(JoinRequest))
    assert stored.organisation_name == script and stored.contact_name == script


def test_a_member_organisation_cannot_ask_again(client, network):
    organisation = OrganisationFactory(orgnr="802001-2343", name="Språkvänner")
    MembershipFactory(network=network, organisation=organisation)
    response = submit(client)
    assert response.status_code == 400
    assert "Språkvänner är redan medlem" in text_of(response)
    assert count(JoinRequest) == 0


def test_a_second_pending_request_for_the_same_number_is_refused(client, network):
    submit(client)
    response = submit(client, contact_email="annan@example.se")
    assert response.status_code == 400
    assert "redan en ansökan" in text_of(response)
    assert count(JoinRequest) == 1


def test_a_private_network_has_no_join_page(client, app):
    NetworkFactory(slug="hemligt", public=False)
    assert client.get("/n/hemligt/join").status_code == 404


def test_the_join_page_explains_what_personal_data_is_kept(client, network):
    page = text_of(client.get("/n/uddevalla/join"))
    assert "Dina personuppgifter" in page
    assert "aldrig ditt namn eller din e-post" in page


def test_the_join_form_is_rate_limited_per_address(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    with app.app_context():
        NetworkFactory(slug="uddevalla")
        client = app.test_client()
        codes = [
            client.submit(
                "/n/uddevalla/join", {"orgnr": "fel"}, page="/n/uddevalla/join"
            ).status_code
            for _ in range(21)
        ]
    assert codes[:20] == [400] * 20
    assert codes[20] == 429
