"""The money path in a browser: from the meeting's approval to the refund of what was not used.

The coordinator approves a proposal on the session screen and finds the grant under
*Pott*, registers a payout, and cannot attest it (the page says why). An attestant,
signed in in a browser of their own, attests it from the list of payouts waiting for
attest; the coordinator marks it paid with the verifikationsnummer. The grantee's
representative reports with a receipt and an unused amount; the coordinator accepts the
report (which closes the grant: everything but the unused amount was paid) and registers
the refund. "Kvar att söka" on the pot page falls by the grant and rises by exactly the
refund. axe-core checks every page anyone sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from grants import demo
from grants.core.time import local_today
from grants.extensions import db
from tests.e2e.conftest import (
    ASSOCIATION,
    ASSOCIATION_REP_EMAIL,
    ASSOCIATION_REP_NAME,
    ASSOCIATION_REP_PASSWORD,
    BANKGIROS,
    COORDINATOR_EMAIL,
    COORDINATOR_PASSWORD,
    MUNICIPAL_UNIT,
    NETWORK_SLUG,
    OTHER_ASSOCIATION,
    POT_ORE,
    PreRegistration,
)
from tests.e2e.people import Person
from tests.e2e.steps import (
    definition,
    field,
    flash,
    kronor,
    lead,
    left_to_apply_for,
    payout_row,
    read_left_to_apply_for,
    region,
)

NETWORK = f"/n/{NETWORK_SLUG}"
CHURCH = demo.ORGANISATIONS[2][0]  # the third member the ``network`` fixture adds
MEMBERS = [ASSOCIATION, OTHER_ASSOCIATION, CHURCH, MUNICIPAL_UNIT]

ATTESTANT_NAME = "Bo Budgetansvarig"
ATTESTANT_EMAIL = "bo.budget@uddevalla.example.se"

TITLE = "Språkcafé i Dalaberg"
BUDGET = [("Lokalhyra", 4_000), ("Material och fika", 8_000)]  # kronor
GRANTED = 12_000  # kronor, everything asked for
ACTUAL = {"Lokalhyra": 4_000, "Material och fika": 6_500}
UNUSED = GRANTED - sum(ACTUAL.values())  # 1 500 kr, paid back
RECEIPT = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass(frozen=True)
class OnAgenda:
    """The proposal on meeting 1's agenda, the invitation sent."""

    meeting_id: int
    reference: str


@pytest.fixture
def on_agenda(live_server, pre_registration: PreRegistration) -> OnAgenda:
    """One proposal from Språkvänner, on the agenda of meeting 1 (invitation sent); an
    attestant with a password; the coordinator is an attestant too, so that only the
    rule against attesting one's own payout keeps them from attesting it."""
    from grants.meetings.invitations import send_invitations
    from grants.meetings.models import Meeting
    from grants.members.models import Organisation, RoleKind, User
    from grants.networks.models import Network
    from grants.proposals.operations import ProposalInput, register_proposal
    from tests.factories import RoleFactory, attestant_of

    with live_server.app.app_context():
        network = db.session.scalar(sa.select(Network).where(Network.slug == NETWORK_SLUG))
        coordinator = db.session.scalar(sa.select(User).where(User.email == COORDINATOR_EMAIL))
        applicant = db.session.scalar(
            sa.select(Organisation).where(Organisation.name == ASSOCIATION)
        )
        proposal = register_proposal(
            network,
            ProposalInput(
                applicant=applicant,
                title=TITLE,
                summary="Samtal på svenska över en kopp kaffe, varje torsdag.",
                criteria=network.active_criteria[:1],
                planned_start=pre_registration.meeting_day + timedelta(days=14),
                planned_end=pre_registration.meeting_day + timedelta(days=60),
                requested_ore=GRANTED * 100,
                budget_rows=[(item, amount * 100) for item, amount in BUDGET],
                contact_name=ASSOCIATION_REP_NAME,
                contact_email=ASSOCIATION_REP_EMAIL,
            ),
            actor=coordinator,
            by_coordinator=True,
        )
        db.session.flush()
        send_invitations(db.session.get(Meeting, proposal.meeting_id), actor=coordinator)
        RoleFactory(network=network, role=RoleKind.ATTESTANT, user=coordinator)
        attestant_of(network, name=ATTESTANT_NAME, email=ATTESTANT_EMAIL)
        db.session.commit()
        seeded = OnAgenda(proposal.meeting_id, proposal.reference)
        db.session.remove()
    # The receipt and the invitations are not part of this story.
    live_server.deliver_mail()
    live_server.smtp.handler.messages.clear()
    return seeded


# ---- the story -----------------------------------------------------------------------------


def test_the_money_path_from_approval_to_refund(live_server, pre_registration, on_agenda, new_page):
    from tests.factories import PASSWORD

    reference = on_agenda.reference
    # Paid and received "today" in Stockholm, as a treasurer would type it.
    today = local_today()
    payday = pre_registration.today + timedelta(days=7)

    # -- the pot before the meeting ---------------------------------------------------------
    coordinator = Person.on(new_page())
    coordinator.open("/auth/login")
    coordinator.sign_in(COORDINATOR_EMAIL, COORDINATOR_PASSWORD)
    coordinator.click(coordinator.menu("Pott"))
    before = read_left_to_apply_for(coordinator)
    assert before == POT_ORE // 100

    # -- 1. the meeting approves the proposal ---------------------------------------------------
    coordinator.open(f"{NETWORK}/meetings/{on_agenda.meeting_id}")
    coordinator.click(coordinator.link("Mötesskärmen"))
    # Planned for another day: a meeting is held on its day, so it moves to today.
    coordinator.click(coordinator.button("Flytta mötet till i dag"))
    coordinator.sees("Mötet är flyttat till i dag.")
    coordinator.click(coordinator.button("Öppna mötet"))
    coordinator.sees("Mötet är öppnat.")
    for organisation in MEMBERS:
        coordinator.tick(f"Närvarande: {organisation}")
    coordinator.click(coordinator.button("Spara närvaron"))
    coordinator.sees("4 organisationer är närvarande.")

    heading = coordinator.page.get_by_role(
        "heading", level=3, name=f"{reference} {TITLE}", exact=True
    )
    item = coordinator.page.locator("li[id^='item-']").filter(has=heading)
    expect(item).to_contain_text(f"Jäviga, röstar inte: {ASSOCIATION}")
    item.get_by_role("radio", name="Bifall: bevilja", exact=True).check()
    item.get_by_label("Beviljat belopp (kronor)").fill(f"{GRANTED:,}".replace(",", " "))
    coordinator.click(item.get_by_role("button", name="Registrera beslutet"))
    coordinator.sees("Beslutet är registrerat: bifall.")
    expect(
        coordinator.page.locator("li[id^='item-']").filter(has=heading).locator(".decision")
    ).to_have_text(f"Beslut: Bifall, {kronor(GRANTED)}")

    # The money is committed: the pot has the grant less to give.
    coordinator.click(coordinator.menu("Pott"))
    expect(left_to_apply_for(coordinator)).to_contain_text(
        f"Kvar att söka: {kronor(before - GRANTED)}"
    )
    grant_link = coordinator.link(f"{reference} {TITLE}")
    expect(grant_link.locator("xpath=..")).to_contain_text(
        f"{ASSOCIATION}, {kronor(GRANTED)} (Beviljat)"
    )

    # -- 2. the coordinator registers the payout ------------------------------------------------
    coordinator.click(grant_link)
    assert re.search(rf"{NETWORK}/grants/\d+$", coordinator.page.url), coordinator.page.url
    grant_url = coordinator.page.url
    expect(coordinator.page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(lead(coordinator)).to_have_text(f"{ASSOCIATION} · Beviljat")
    coordinator.sees("Inga utbetalningar ännu.")
    payout_form = region(coordinator, "Registrera en utbetalning")
    expect(payout_form).to_contain_text(f"Kvar att betala ut: {kronor(GRANTED)}.")
    # Where the money will go, before it is registered, and then on the payout itself.
    expect(payout_form).to_contain_text(f"Betalas till: {ASSOCIATION} Bankgiro {BANKGIROS[0]}")
    field(payout_form, "Belopp (kronor)").fill(f"{GRANTED:,}".replace(",", " "))
    field(payout_form, "Planerad utbetalningsdag").fill(payday.isoformat())
    field(payout_form, "Anteckning").fill("Hela bidraget på en gång.")
    coordinator.click(payout_form.get_by_role("button", name="Registrera utbetalningen"))
    expect(flash(coordinator)).to_contain_text("Utbetalningen är registrerad och väntar på attest.")
    row = payout_row(coordinator)
    expect(row).to_contain_text(kronor(GRANTED))
    expect(row).to_contain_text("Hela bidraget på en gång.")
    expect(row).to_contain_text(payday.isoformat())
    expect(row).to_contain_text("Registrerad, väntar på attest")
    expect(row).to_contain_text(f"{ASSOCIATION} Bankgiro {BANKGIROS[0]}")
    expect(definition(coordinator, "Väntar på utbetalning")).to_have_text(kronor(GRANTED))

    # The coordinator is an attestant, but registered this payout: no attest button, and
    # the page says why.
    expect(coordinator.page.get_by_role("button", name=re.compile("^Attestera"))).to_have_count(0)
    expect(row).to_contain_text("Du registrerade utbetalningen och kan inte attestera den själv.")

    # -- 3. the attestant attests, in a browser of their own -----------------------------------
    attestant = Person.on(new_page())
    attestant.open("/auth/login")
    attestant.sign_in(ATTESTANT_EMAIL, PASSWORD)
    attestant.click(attestant.menu("Pott"))
    waiting = region(attestant, "Utbetalningar som väntar på attest")
    expect(waiting).to_contain_text(
        f"{reference} {ASSOCIATION}: {kronor(GRANTED)}, planerad {payday.isoformat()}"
    )
    attestant.click(waiting.get_by_role("link", name=f"{reference} {ASSOCIATION}", exact=True))
    assert attestant.page.url == grant_url
    # The attestant attests the amount and the account, both in the row they attest.
    expect(payout_row(attestant)).to_contain_text(f"{ASSOCIATION} Bankgiro {BANKGIROS[0]}")
    attestant.click(attestant.button(f"Attestera {kronor(GRANTED)}"))
    expect(flash(attestant)).to_contain_text("Utbetalningen är attesterad.")
    row = payout_row(attestant)
    expect(row).to_contain_text("Attesterad")
    expect(row).to_contain_text(f"Sara Nilsson / {ATTESTANT_NAME}, ")
    # Only the coordinator marks it paid.
    expect(attestant.button("Markera som betald")).to_have_count(0)

    # -- 4. the coordinator marks it paid --------------------------------------------------------
    coordinator.open(grant_url)
    row = payout_row(coordinator)
    expect(row).to_contain_text("Attesterad")
    field(row, "Betald den").fill(today.isoformat())
    field(row, "Verifikationsnummer").fill("V-2026-0412")
    coordinator.click(row.get_by_role("button", name="Markera som betald"))
    expect(flash(coordinator)).to_contain_text("Utbetalningen är markerad som betald.")
    expect(payout_row(coordinator)).to_contain_text(
        f"Utbetald {today.isoformat()}, ver. V-2026-0412", use_inner_text=True
    )
    expect(lead(coordinator)).to_have_text(f"{ASSOCIATION} · Utbetalt")
    expect(definition(coordinator, "Utbetalt")).to_have_text(kronor(GRANTED))
    expect(definition(coordinator, "Väntar på utbetalning")).to_have_text(kronor(0))

    # -- 5. the grantee reports, with a receipt --------------------------------------------------
    grantee = Person.on(new_page())
    grantee.open("/auth/login")
    grantee.sign_in(ASSOCIATION_REP_EMAIL, ASSOCIATION_REP_PASSWORD)
    grantee.click(grantee.menu("Förslag"))
    grantee.click(grantee.link(TITLE))
    grantee.click(grantee.page.locator("main").get_by_role("link", name=ASSOCIATION, exact=True))
    grantee.click(grantee.link(f"{reference} {TITLE}"))
    assert grantee.page.url == grant_url
    expect(lead(grantee)).to_have_text(f"{ASSOCIATION} · Utbetalt")
    # The grantee sees the money but none of the coordinator's forms.
    expect(region(grantee, "Registrera en utbetalning")).to_have_count(0)
    expect(region(grantee, "Registrera en återbetalning")).to_have_count(0)

    report_form = region(grantee, "Lämna redovisningen")
    field(report_form, "Vad gjorde ni?").fill(
        "Språkcafé varje torsdag i tio veckor på Dalabergs bibliotek."
    )
    field(report_form, "Antal deltagare").fill("34")
    field(report_form, "Hur bidrog aktiviteten till kriterierna?").fill(
        "Nyanlända och etablerade uddevallabor samtalade på svenska och lärde känna varandra."
    )
    for item_name, actual in ACTUAL.items():
        field(report_form, item_name).fill(str(actual))
    field(report_form, "Oanvänt belopp (kronor)").fill(f"{UNUSED:,}".replace(",", " "))
    field(report_form, "Kvitton och bilder").set_input_files(
        {"name": "kvitto-lokalhyra.pdf", "mimeType": "application/pdf", "buffer": RECEIPT}
    )
    grantee.click(report_form.get_by_role("button", name="Skicka redovisningen"))
    expect(flash(grantee)).to_contain_text("Redovisningen är inlämnad. Samordnaren granskar den.")
    expect(lead(grantee)).to_have_text(f"{ASSOCIATION} · Redovisat")
    grantee.sees("Inlämnad, väntar på granskning")
    expect(definition(grantee, "Antal deltagare")).to_have_text("34")
    expect(definition(grantee, "Oanvänt belopp")).to_have_text(kronor(UNUSED))
    costs = grantee.page.get_by_role("table", name="Kostnader mot budget")
    for item_name, budget in BUDGET:
        expect(
            costs.get_by_role("row").filter(has_text=item_name).get_by_role("cell")
        ).to_have_text([item_name, kronor(budget), kronor(ACTUAL[item_name])])
    receipt = grantee.link("kvitto-lokalhyra.pdf")
    expect(receipt).to_be_visible()
    download = grantee.page.request.get(receipt.get_attribute("href"))
    assert download.status == 200
    assert download.headers["content-type"] == "application/pdf"
    assert download.body() == RECEIPT
    # Nothing more to report while the coordinator reviews it.
    expect(region(grantee, "Lämna redovisningen")).to_have_count(0)

    # -- 6. the coordinator accepts the report ------------------------------------------------
    coordinator.open(grant_url)
    coordinator.sees("Inlämnad, väntar på granskning")
    expect(coordinator.link("kvitto-lokalhyra.pdf")).to_be_visible()
    # The story runs in one day: the report came before the activity began, and says so.
    expect(coordinator.page.locator(".early-report")).to_contain_text(
        "innan aktiviteten skulle börja"
    )
    coordinator.tick(
        "Jag har sett att redovisningen lämnades in innan aktiviteten var klar enligt planen"
    )
    coordinator.click(coordinator.button("Godkänn redovisningen"))
    expect(flash(coordinator)).to_contain_text("Redovisningen är godkänd.")
    coordinator.sees("Godkänd")
    # Everything but the unused amount is paid, so the accepted report closes the grant;
    # the grantee is asked to pay the unused amount back.
    expect(lead(coordinator)).to_have_text(f"{ASSOCIATION} · Avslutat")
    expect(coordinator.button("Godkänn redovisningen")).to_have_count(0)
    expect(region(coordinator, "Registrera en utbetalning")).to_have_count(0)
    live_server.deliver_mail()
    [accepted] = [
        m
        for m in live_server.mails_to(ASSOCIATION_REP_EMAIL)
        if str(m["Subject"]) == f"Redovisningen för {reference} är godkänd"
    ]
    text = " ".join(accepted.get_body(preferencelist=("plain",)).get_content().split())
    assert f"Ni har redovisat {kronor(UNUSED)} som inte användes." in text

    # -- 7. the coordinator registers the refund ---------------------------------------------
    refund_form = region(coordinator, "Registrera en återbetalning")
    field(refund_form, "Återbetalt belopp (kronor)").fill(f"{UNUSED:,}".replace(",", " "))
    field(refund_form, "Mottaget den").fill(today.isoformat())
    field(refund_form, "Referens").fill("V-2026-0519")
    field(refund_form, "Anteckning").fill("Oanvänt enligt redovisningen.")
    coordinator.click(refund_form.get_by_role("button", name="Registrera återbetalningen"))
    expect(flash(coordinator)).to_contain_text(
        "Återbetalningen är registrerad; pengarna är tillbaka i potten."
    )
    refunds = coordinator.page.get_by_role("heading", name="Återbetalningar", exact=True).locator(
        "xpath=following-sibling::ul[1]"
    )
    expect(refunds).to_have_text(
        f"{today.isoformat()}: {kronor(UNUSED)}, ref. V-2026-0519 – Oanvänt enligt redovisningen."
    )
    expect(definition(coordinator, "Återbetalt")).to_have_text(kronor(UNUSED))
    expect(lead(coordinator)).to_have_text(f"{ASSOCIATION} · Avslutat")

    # -- 8. the pot has the refund back; the grant is closed -------------------------------
    coordinator.click(coordinator.link("Pott och budget"))
    expect(left_to_apply_for(coordinator)).to_contain_text(
        f"Kvar att söka: {kronor(before - GRANTED + UNUSED)}"
    )
    assert read_left_to_apply_for(coordinator) - (before - GRANTED) == UNUSED
    expect(coordinator.link(f"{reference} {TITLE}").locator("xpath=..")).to_contain_text(
        f"{ASSOCIATION}, {kronor(GRANTED)} (Avslutat)"
    )
    pot_row = coordinator.page.get_by_role("table", name="Budgetrader").get_by_role(
        "row", name=re.compile("^Sökbar pott")
    )
    # Budget, granted (net), paid, refunded, left in the till, left to apply for.
    expect(pot_row.get_by_role("cell")).to_have_text(
        [
            kronor(POT_ORE // 100),
            kronor(GRANTED - UNUSED),
            kronor(GRANTED),
            kronor(UNUSED),
            kronor(POT_ORE // 100 - GRANTED + UNUSED),
            kronor(POT_ORE // 100 - GRANTED + UNUSED),
        ]
    )

    # The grantee sees the same.
    grantee.open(grant_url)
    expect(lead(grantee)).to_have_text(f"{ASSOCIATION} · Avslutat")
    grantee.sees("Godkänd")
    expect(definition(grantee, "Återbetalt")).to_have_text(kronor(UNUSED))

    for person in (coordinator, attestant, grantee):
        person.axe.assert_every_page_checked()
