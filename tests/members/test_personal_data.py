"""A signed-in person sees what the app holds about them, and downloads it as JSON."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from grants.core.outbox import OutboxMail, queue_mail
from grants.core.time import local_today
from grants.extensions import db
from grants.members.models import RoleKind
from grants.proposals.operations import ProposalInput, register_proposal
from tests.conftest import text_of
from tests.factories import (
    PASSWORD,
    CriterionFactory,
    FundingPeriodFactory,
    JoinRequestFactory,
    MeetingFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    RoleFactory,
    coordinator_of,
    representative_of,
)

NAME, EMAIL = "Ahmad Rahimi", "ahmad@sprakvanner.example.se"
# Other people whose data must never be in Ahmad's extract.
OTHERS = [
    "Sara Samordnare",
    "sara@uddevalla.example.se",
    "Kim Annan",
    "kim.annan@example.se",
    "070-999 99 99",
    "Noor Nilsson",
    "noor@example.se",
    "Hemligt meddelande",
]


@pytest.fixture
def network(app):
    network = NetworkFactory(slug="uddevalla", name="Integrationsnätverket i Uddevalla")
    CriterionFactory(network=network)
    FundingPeriodFactory(network=network)
    MeetingFactory(network=network)
    return network


@pytest.fixture
def person(network):
    """Ahmad represents Språkvänner in Uddevalla and in a second network, and is its contact
    person; he registered a proposal with a colleague as contact, and is the contact of
    another one the coordinator registered; he applied for membership for a new group."""
    cafe = MembershipFactory(
        network=network,
        organisation=OrganisationFactory(
            name="Språkvänner i Uddevalla", contact_name=NAME, contact_email=EMAIL
        ),
    ).organisation
    ahmad = representative_of(network, cafe, name=NAME, email=EMAIL)
    other = NetworkFactory(slug="trollhattan", name="Nätverket i Trollhättan")
    MembershipFactory(network=other, organisation=cafe)
    RoleFactory(user=ahmad, network=other, role=RoleKind.REPRESENTATIVE, organisation=cafe)
    coordinator = coordinator_of(network, name="Sara Samordnare", email="sara@uddevalla.example.se")

    def proposal(title, contact, actor, by_coordinator):
        return register_proposal(
            network,
            ProposalInput(
                applicant=cafe,
                title=title,
                summary="Samtal på svenska.",
                criteria=network.active_criteria,
                planned_start=local_today() + timedelta(days=40),
                planned_end=local_today() + timedelta(days=80),
                requested_ore=500_000,
                budget_rows=[("Fika", 500_000)],
                contact_name=contact[0],
                contact_email=contact[1],
                contact_phone=contact[2],
            ),
            actor=actor,
            by_coordinator=by_coordinator,
        )

    proposal("Språkcafé", ("Kim Annan", "kim.annan@example.se", "070-999 99 99"), ahmad, False)
    proposal("Läxhjälp", (NAME, EMAIL.upper(), "070-111 11 11"), coordinator, True)
    JoinRequestFactory(
        network=network,
        organisation_name="Nya språkgruppen",
        contact_name=NAME,
        contact_email=EMAIL,
        message="Vi vill vara med.",
    )
    JoinRequestFactory(
        network=network,
        contact_name="Noor Nilsson",
        contact_email="noor@example.se",
        message="Hemligt meddelande",
    )
    queue_mail("password_changed", to="noor@example.se", to_name="Noor Nilsson", user=ahmad)
    db.session.commit()
    return ahmad


@pytest.fixture
def signed_in(client, person):
    assert client.login(EMAIL, PASSWORD).status_code == 302
    return client


def test_the_page_lists_everything_held_about_the_person(signed_in, person):
    response = signed_in.get("/auth/account/data")
    assert response.status_code == 200
    text = text_of(response)
    for expected in (
        NAME,
        EMAIL,
        # roles in both networks
        "Integrationsnätverket i Uddevalla Representant Språkvänner i Uddevalla",
        "Nätverket i Trollhättan Representant Språkvänner i Uddevalla",
        # the organisation, represented and as its contact person
        "Du är organisationens kontaktperson",
        # the join request made with the person's address
        "Nya språkgruppen",
        "Vi vill vara med.",
        # proposals registered, and those where the person is the contact
        "Språkcafé",
        "Du registrerade förslaget.",
        "Läxhjälp",
        "070-111 11 11",
        # what the person did, and mail to them
        "proposal.registered",
        "Förslag 2026-",
    ):
        assert expected in text, expected
    assert "Loggen har 1 händelse där du är den som gjorde något." in text


def test_the_extract_holds_nothing_of_anyone_else(signed_in, person):
    page = text_of(signed_in.get("/auth/account/data"))
    download = signed_in.get("/auth/account/data.json").get_data(as_text=True)
    for other in OTHERS:
        assert other not in page, other
        assert other not in download, other


def test_the_json_download_is_an_attachment_with_the_same_content(signed_in, person):
    response = signed_in.get("/auth/account/data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and 'filename="mina-uppgifter-' in disposition
    assert response.headers["Cache-Control"] == "private, no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == EMAIL and data["account"]["name"] == NAME
    assert "password_hash" not in json.dumps(data) and person.password_hash not in json.dumps(data)
    assert {(r["network"], r["role"], r["organisation"]) for r in data["roles"]} == {
        ("Integrationsnätverket i Uddevalla", "representative", "Språkvänner i Uddevalla"),
        ("Nätverket i Trollhättan", "representative", "Språkvänner i Uddevalla"),
    }
    assert [o["name"] for o in data["organisations"]] == ["Språkvänner i Uddevalla"]
    assert data["organisations"][0]["contact_person"] is True
    assert [r["organisation"] for r in data["join_requests"]] == ["Nya språkgruppen"]
    proposals = {p["title"]: p for p in data["proposals"]}
    cafe, homework = proposals["Språkcafé"], proposals["Läxhjälp"]
    assert cafe["registered_by_you"] and "contact_email" not in cafe  # Kim's, not Ahmad's
    assert homework["contact_person"] and not homework["registered_by_you"]
    assert data["audit_events"]["count"] == 1
    assert data["audit_events"]["events"][0]["action"] == "proposal.registered"
    mails = db.session.scalars(
        sa.select(OutboxMail.subject).where(sa.func.lower(OutboxMail.to_address) == EMAIL)
    ).all()
    assert mails and sorted(m["subject"] for m in data["mails"]) == sorted(mails)


def test_someone_with_no_data_gets_an_almost_empty_extract(client, network):
    lonely = coordinator_of(network, name="Ny Person", email="ny@example.se")
    client.login(lonely.email, PASSWORD)
    data = json.loads(client.get("/auth/account/data.json").get_data(as_text=True))
    assert data["proposals"] == [] and data["join_requests"] == [] and data["mails"] == []
    assert data["audit_events"] == {"count": 0, "events": []}
    text = text_of(client.get("/auth/account/data"))
    assert "Systemet har inte skickat någon e-post till dig." in text


@pytest.mark.parametrize("path", ["/auth/account/data", "/auth/account/data.json"])
def test_the_extract_needs_signing_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/auth/login" in response.location


def test_the_account_page_links_to_the_extract(signed_in):
    assert 'href="/auth/account/data"' in signed_in.get("/auth/account").get_data(as_text=True)
