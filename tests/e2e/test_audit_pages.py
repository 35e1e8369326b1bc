"""The auditor in a browser: the overview, the chain check, and one grant traced
from the proposal to the refund. axe-core on every page."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from grants.core.time import local_today
from tests.e2e.conftest import NETWORK_SLUG
from tests.e2e.people import Person

AUDITOR_EMAIL = "granskare@uddevalla.example.se"


def _grant_with_history(live_server) -> int:
    """A grant decided, adjusted, paid twice with attestation, reported and refunded."""
    from grants.extensions import db
    from grants.meetings import session
    from grants.members.models import Membership
    from grants.networks.models import Network
    from grants.proposals.operations import ProposalInput, register_proposal
    from tests.audit.story import decided_paid_reported
    from tests.factories import (
        FundingPeriodFactory,
        MeetingFactory,
        MembershipFactory,
        attestant_of,
        auditor_of,
        coordinator_of,
        on_its_day,
    )

    with live_server.app.app_context():
        network = db.session.scalar(sa.select(Network).where(Network.slug == NETWORK_SLUG))
        FundingPeriodFactory(network=network)
        for _ in range(3):
            MembershipFactory(network=network)
        members = [
            m.organisation
            for m in db.session.scalars(
                sa.select(Membership).where(Membership.network_id == network.id)
            )
        ]
        coordinator = coordinator_of(network, name="Sara Samordnare")
        attestant = attestant_of(network, name="Bo Budgetansvarig")
        auditor_of(network, name="Greta Granskare", email=AUDITOR_EMAIL)
        meeting = MeetingFactory(network=network, number=1)
        proposal = register_proposal(
            network,
            ProposalInput(
                applicant=members[0],
                co_applicants=[members[1]],
                title="Språkcafé på biblioteket",
                summary="Samtal på svenska för nyanlända och etablerade.",
                criteria=network.active_criteria[:1],
                planned_start=local_today() + timedelta(days=40),
                planned_end=local_today() + timedelta(days=100),
                requested_ore=1_250_000,
                budget_rows=[("Fika och material", 1_250_000)],
                contact_name="Leyla Ahmadi",
                contact_email="leyla@example.se",
            ),
            actor=coordinator,
            by_coordinator=True,
        )
        session.start_session(on_its_day(meeting), actor=coordinator)
        for organisation in members:
            session.record_attendance(
                meeting, organisation, present=True, people="", actor=coordinator
            )
        grant = decided_paid_reported(meeting, proposal, members, coordinator, attestant)
        grant_id = grant.id
        db.session.remove()
    return grant_id


def test_the_auditor_traces_a_grant_from_the_overview(live_server, network, new_page):
    from tests.factories import PASSWORD

    grant_id = _grant_with_history(live_server)
    auditor = Person.on(new_page())
    auditor.open("/auth/login")
    auditor.sign_in(AUDITOR_EMAIL, PASSWORD)
    auditor.click(auditor.menu("Granskning"))
    auditor.sees("Pengarna per period")
    auditor.click(auditor.link("Kontrollera hela kedjan nu"))
    auditor.sees("Kedjan är hel")
    auditor.click(auditor.menu("Pott"))
    auditor.click(auditor.page.get_by_role("link", name="Språkcafé på biblioteket"))
    auditor.click(auditor.link("Spåra bidraget"))
    assert auditor.page.url.endswith(f"/audit/trace/{grant_id}")
    for step in (
        "Versioner av förslaget",
        "Organisationernas röster",
        "Bifall, 12 500 kr",
        "V-2026-0101",
        "Bo Budgetansvarig",
        "41 deltagare",
        "BG-4471",
    ):
        auditor.sees(step)
    # Each step's events are on the same page: following one lands on its row.
    first_event = auditor.page.locator("main a[href^='#event-']").first
    target = first_event.get_attribute("href")
    first_event.click()
    assert auditor.page.url.endswith(target)
    auditor.axe.assert_every_page_checked()
