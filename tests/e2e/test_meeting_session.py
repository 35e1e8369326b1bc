"""The live meeting: the coordinator's screen on a projector and a representative's phone.

The coordinator opens the meeting, records attendance and opens a vote; a
representative votes from a phone; the screen's count changes without a
reload; the coordinator records the rest and the decision. axe runs on every
page either of them sees.
"""

from __future__ import annotations

import sqlalchemy as sa
from playwright.sync_api import expect

from grants.extensions import db
from tests.e2e.conftest import (
    ASSOCIATION,
    COORDINATOR_EMAIL,
    COORDINATOR_PASSWORD,
    MUNICIPAL_REP_EMAIL,
    MUNICIPAL_REP_PASSWORD,
    MUNICIPAL_UNIT,
    NETWORK_SLUG,
    OTHER_ASSOCIATION,
)
from tests.e2e.people import Person


def _queue_a_proposal(live_server) -> int:
    """A proposal from the association for meeting 1; returns the meeting's id."""
    from grants.members.models import Organisation, User
    from grants.networks.models import Network
    from grants.proposals.operations import ProposalInput, register_proposal

    with live_server.app.app_context():
        network = db.session.scalar(sa.select(Network).where(Network.slug == NETWORK_SLUG))
        applicant = db.session.scalar(
            sa.select(Organisation).where(Organisation.name == ASSOCIATION)
        )
        coordinator = db.session.scalar(sa.select(User).where(User.email == COORDINATOR_EMAIL))
        from grants.funds.operations import today

        proposal = register_proposal(
            network,
            ProposalInput(
                applicant=applicant,
                title="Språkcafé i Dalaberg",
                summary="Varje torsdag.",
                criteria=network.active_criteria[:1],
                planned_start=today(),
                planned_end=today(),
                requested_ore=750_000,
                budget_rows=[("Fika", 750_000)],
                contact_name="Ahmad",
                contact_email="ahmad@example.se",
            ),
            actor=coordinator,
            by_coordinator=True,
        )
        db.session.commit()
        meeting_id = proposal.meeting_id
        db.session.remove()
    return meeting_id


def test_a_vote_from_a_phone_shows_on_the_projector_and_the_meeting_decides(
    live_server, pre_registration, new_page
):
    meeting_id = _queue_a_proposal(live_server)
    screen_url = f"{live_server.url}/n/{NETWORK_SLUG}/meetings/{meeting_id}/session"

    coordinator = Person.on(new_page())
    coordinator.open(f"{live_server.url}/auth/login")
    coordinator.sign_in(COORDINATOR_EMAIL, COORDINATOR_PASSWORD)
    coordinator.open(screen_url)
    # Planned for another day: a meeting is held on its day, so it moves to today.
    coordinator.click(coordinator.button("Flytta mötet till i dag"))
    coordinator.sees("Mötet är flyttat till i dag.")
    coordinator.click(coordinator.button("Öppna mötet"))
    coordinator.sees("Mötet är öppnat.")
    for organisation in (ASSOCIATION, OTHER_ASSOCIATION, MUNICIPAL_UNIT):
        coordinator.tick(f"Närvarande: {organisation}")
    coordinator.click(coordinator.button("Spara närvaron"))
    coordinator.sees("3 organisationer är närvarande.")
    coordinator.sees(f"Jäviga, röstar inte: {ASSOCIATION}")
    coordinator.click(coordinator.button("Öppna omröstning"))
    coordinator.sees("Omröstningen är öppen.")
    count = coordinator.page.locator(".vote-count")
    expect(count).to_contain_text("Ja 0")

    phone = Person.on(
        new_page(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True), touch=True
    )
    phone.open(f"{live_server.url}/auth/login")
    phone.sign_in(MUNICIPAL_REP_EMAIL, MUNICIPAL_REP_PASSWORD)
    phone.open(f"{live_server.url}/n/{NETWORK_SLUG}/meetings/{meeting_id}/vote")
    phone.sees(f"För {MUNICIPAL_UNIT}")
    phone.click(phone.button("Ja"))
    phone.sees(f"Rösten för {MUNICIPAL_UNIT} är registrerad.")

    # The projector updates by itself, without a reload.
    expect(count).to_contain_text("Ja 1", timeout=8000)
    expect(count).to_contain_text("Har inte röstat 1")

    coordinator.page.get_by_label(f"Röst för {OTHER_ASSOCIATION}").select_option("yes")
    coordinator.click(coordinator.button("Registrera rösterna"))
    coordinator.click(coordinator.button("Stäng omröstningen"))
    coordinator.sees("Omröstningen är stängd. Alla som fick rösta har röstat.")
    coordinator.sees("Enligt rösterna: bifall.")
    coordinator.click(coordinator.button("Registrera beslutet"))
    coordinator.sees("Beslutet är registrerat: bifall.")
    coordinator.sees("Beslut: Bifall, 7 500 kr (2 ja, 0 nej, 0 avstår)")

    # A reload or a second browser shows the same meeting, nothing lost or doubled.
    coordinator.open(screen_url)
    coordinator.sees("Beslut: Bifall, 7 500 kr (2 ja, 0 nej, 0 avstår)")
    phone.open(f"{live_server.url}/n/{NETWORK_SLUG}/meetings/{meeting_id}/vote")
    phone.sees("Ingen omröstning är öppen just nu.")
    coordinator.axe.assert_every_page_checked()
    phone.axe.assert_every_page_checked()
