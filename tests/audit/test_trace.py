"""One page follows a grant from the proposal to the last krona."""

import re

import sqlalchemy as sa

from grants.core.audit import AuditEvent
from grants.extensions import db
from tests.conftest import text_of
from tests.factories import (
    PASSWORD,
    FundingPeriodFactory,
    GrantFactory,
    NetworkFactory,
    ProposalFactory,
    representative_of,
)


def signed_in(app, user):
    client = app.test_client()
    client.login(user.email, PASSWORD)
    return client


def test_the_trace_shows_every_step_with_who_and_when(app, traced, auditor, members):
    page = signed_in(app, auditor).get(f"/n/uddevalla/audit/trace/{traced.id}")
    assert page.status_code == 200
    shown = text_of(page).replace("\u00a0", " ")
    story = shown[shown.index("Förslaget Föranmält") :]  # after the summary
    steps = [
        "Förslaget Föranmält",  # the proposal and its versions
        "Versioner av förslaget",
        "Möte 1,",  # the agenda item
        "Närvaro",
        "Jäv",  # applicant and co-applicant recused
        "Organisationernas röster",
        "Bifall, 12 500 kr (Rösträkning: 3 ja, 1 nej, 0 avstår)",
        "Justerat",  # minutes adjusted
        "Bo Budgetansvarig",  # the attestant
        "V-2026-0101",
        "V-2026-0144",
        "500 kr mottaget",  # the refund
        "BG-4471",
        "Inlämnad",  # the report
        "41 deltagare",
        "Godkänd",
        "kvitto.pdf",
    ]
    positions = [story.find(step) for step in steps]
    assert all(p >= 0 for p in positions), [
        s for s, p in zip(steps, positions, strict=True) if p < 0
    ]
    assert positions == sorted(positions), "the steps come in the order they happened"
    for organisation in members[:2]:
        assert f"{organisation.name} (sökande eller medsökande)" in shown
    for organisation in members[2:5]:
        assert f"{organisation.name} Ja" in shown
    # Summary: where the money went.
    assert "Utbetalt 12 500 kr Återbetalt 500 kr Läge Avslutat Redovisning Godkänd" in shown
    assert "sökt belopp 12 500 kr" in shown and "15 000 kr" in shown  # both versions


def test_every_step_links_to_its_events_in_the_chain(app, traced, auditor):
    html = signed_in(app, auditor).get(f"/n/uddevalla/audit/trace/{traced.id}").text
    linked = set(re.findall(r'href="#event-(\d+)"', html))
    listed = set(re.findall(r'id="event-(\d+)"', html))
    assert linked and linked <= listed
    actions = set(
        db.session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.seq.in_([int(s) for s in listed]))
        )
    )
    for action in (
        "proposal.registered",
        "proposal.edited",
        "vote.cast",
        "decision.approved",
        "minutes.adjusted",
        "payout.registered",
        "payout.attested",
        "payout.paid",
        "report.submitted",
        "report.accepted",
        "refund.registered",
    ):
        assert action in actions, action


def test_the_trace_is_for_staff_and_walls_off_other_networks(app, traced, auditor, members):
    grantee = representative_of(traced.network, members[0])
    assert signed_in(app, grantee).get(f"/n/uddevalla/audit/trace/{traced.id}").status_code == 403
    other = NetworkFactory(slug="trollhattan")
    theirs = GrantFactory(
        proposal=ProposalFactory(network=other, period=FundingPeriodFactory(network=other))
    )
    db.session.commit()
    client = signed_in(app, auditor)
    assert client.get(f"/n/uddevalla/audit/trace/{theirs.id}").status_code == 404
    assert client.get(f"/n/trollhattan/audit/trace/{theirs.id}").status_code == 404
