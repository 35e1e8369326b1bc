"""Invariant 9 against the demo data: no public page names a private person.

The demo network is seeded as ``flask demo seed`` does; its first meeting is then
held through the real operations (attendance with the representatives' names, a
counted chair and adjuster, three approvals, a payout attested by a second person,
one grant withdrawn), so the public pages have everything to show. Every public
page is fetched in Swedish and in English, and none may hold the name, address or
phone number of any person the database knows.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import sqlalchemy as sa

from grants import demo
from grants.core.time import STOCKHOLM, to_local, utcnow
from grants.extensions import db
from grants.funds import payouts
from grants.funds.models import FundingPeriod, Grant
from grants.meetings import decisions, minutes, session
from grants.meetings.models import DecisionMethod, Meeting, MeetingStatus
from grants.meetings.operations import plan_meeting
from grants.meetings.rules import Outcome
from grants.members import admin_queries
from grants.members import operations as members
from grants.members.models import JoinRequest, Organisation, RoleKind, User
from grants.networks.models import Network
from grants.proposals.models import Proposal
from tests.conftest import text_of
from tests.factories import on_its_day

SLUG = demo.DEMO_SLUG


def _hold_the_first_meeting() -> None:
    network = db.session.scalar(sa.select(Network).where(Network.slug == SLUG))
    coordinator = db.session.scalar(
        sa.select(User).where(User.email == "samordnare@uddevalla.example.se")
    )
    ahmad = db.session.scalar(sa.select(User).where(User.email == "ahmad@sprakvanner.example.se"))
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.network_id == network.id))
    session.start_session(on_its_day(meeting), actor=coordinator)
    people = {role.organisation_id: role.user.name for role in demo.network_roles(network)}
    for membership in admin_queries.memberships(network):
        session.record_attendance(
            meeting,
            membership.organisation,
            present=True,
            people=people.get(membership.organisation_id, ""),
            actor=coordinator,
        )
    amounts = iter([750_000, 650_000, 800_000])
    for item in session.agenda(meeting):
        if item.proposal_id is not None:
            decisions.decide(
                item,
                outcome=Outcome.APPROVED,
                method=DecisionMethod.ACCLAMATION,
                amount_ore=next(amounts),
                conditions="Redovisa antalet deltagare.",
                actor=coordinator,
            )
    minutes.set_officers(
        meeting,
        chair="Sara Nilsson",
        secretary="Karin Ek",
        adjuster_ids=[ahmad.id],
        actor=coordinator,
    )
    minutes.close_meeting(meeting, actor=coordinator)
    minutes.approve_minutes(meeting, actor=ahmad)
    assert meeting.status == MeetingStatus.ADJUSTED

    attestant = members.grant_role(
        network,
        email="kassor@uddevalla.example.se",
        name="Kim Kassör",
        role=RoleKind.ATTESTANT,
        organisation=None,
        actor=coordinator,
    ).user
    grants = db.session.scalars(
        sa.select(Grant).where(Grant.network_id == network.id).order_by(Grant.id)
    ).all()
    assert len(grants) == 3
    today = to_local(utcnow()).date()
    for grant in grants[:2]:
        payout = payouts.register_payout(
            grant, amount_ore=200_000, planned_on=today, note="Första delen", actor=coordinator
        )
        payouts.attest_payout(payout, actor=attestant)
        payouts.mark_paid(payout, paid_on=today, accounting_ref="V-2026-001", actor=coordinator)
    payouts.withdraw_grant(grants[1], reason="Planen fanns inte kvar.", actor=coordinator)
    day = today + timedelta(days=60)
    plan_meeting(
        network,
        starts_at=datetime.combine(day, time(16, 30), tzinfo=STOCKHOLM),
        ends_at=datetime.combine(day, time(19, 0), tzinfo=STOCKHOLM),
        place="Stadsbiblioteket, Kungsgatan 15",
        host=members.find_organisation_by_orgnr("252003-8767"),
        theme="",
        actor=coordinator,
    )


@pytest.fixture
def demo_network(app):
    assert demo.seed_small() is not None
    _hold_the_first_meeting()
    db.session.commit()


def private_traces() -> set[str]:
    """Every name, address and phone number of a person that the database holds."""
    found: set[str] = set()
    for name, email in db.session.execute(sa.select(User.name, User.email)):
        found |= {name, email}
    for row in db.session.execute(sa.select(JoinRequest.contact_name, JoinRequest.contact_email)):
        found |= set(row)
    for row in db.session.execute(sa.select(Organisation.contact_name, Organisation.contact_email)):
        found |= set(row)
    for row in db.session.execute(
        sa.select(Proposal.contact_name, Proposal.contact_email, Proposal.contact_phone)
    ):
        found |= set(row)
    return {trace for trace in found if trace and trace.strip()}


def public_pages(app) -> list[str]:
    network = db.session.scalar(sa.select(Network).where(Network.slug == SLUG))
    adjusted = db.session.scalars(
        sa.select(Meeting.id).where(
            Meeting.network_id == network.id, Meeting.status == MeetingStatus.ADJUSTED
        )
    ).all()
    assert adjusted, "the demo should have adjusted minutes to show"
    pages = [
        "/",
        f"/n/{SLUG}/",
        f"/n/{SLUG}/rules",
        f"/n/{SLUG}/rules?version=1",
        f"/n/{SLUG}/funded",
        f"/n/{SLUG}/calendar.ics",
        *(f"/n/{SLUG}/meetings/{meeting_id}/minutes/public" for meeting_id in adjusted),
        f"/n/{SLUG}/funded.csv",
        *(
            f"/n/{SLUG}/funded?period={period_id}"
            for period_id in db.session.scalars(
                sa.select(FundingPeriod.id).where(FundingPeriod.network_id == network.id)
            )
        ),
    ]
    return pages


@pytest.mark.parametrize("language", ["sv", "en"])
def test_no_public_page_names_a_private_person(app, client, demo_network, language):
    traces = private_traces()
    # The demo's people are all there to be found (the check below can fail).
    assert {"Sara Nilsson", "Ahmad Rahimi", "Kim Kassör", "Rami Haddad"} <= traces
    switched = client.submit("/language", {"lang": language, "next": "/"}, page="/")
    assert switched.status_code == 302
    seen = []
    for page in public_pages(app):
        response = client.get(page)
        assert response.status_code == 200, page
        body = response.get_data(as_text=True)
        if page.endswith("/funded") or page.endswith(f"/n/{SLUG}/"):
            assert f'<html lang="{language}">' in body
        seen.append(text_of(response))
        lowered = body.lower()
        named = sorted(trace for trace in traces if trace.lower() in lowered)
        assert named == [], f"{page} ({language}) names {named}"
    # And the pages show what they are for: organisations, activities, the minutes.
    everything = " ".join(seen)
    for shown in (
        "Språkcafé varje torsdag",
        "Föräldraträffar om skolan",
        "Språkvänner i Uddevalla",
        "Stadsbiblioteket, Kungsgatan 15",
    ):
        assert shown in everything, shown


def test_the_demo_story_leaves_sound_audit_chains(app, demo_network):
    from grants.core.audit import all_chains, verify_chain

    assert all(verify_chain(chain).ok for chain in all_chains())
