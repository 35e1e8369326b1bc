"""Issue 8: a whole funding period in a browser, from the first proposal to the progress report.

Four members propose: an association and a municipal unit (with a church as co-applicant)
pre-register themselves before meeting 1; a study association's and the church's
proposals come by e-mail and the coordinator registers them for meeting 2. Meeting 1
grants both of its proposals (one with less than was asked); meeting 2 defers one and
rejects the other by a counted vote; meeting 3 grants the deferred one. Applicants never
vote on their own proposals: the session screen lists them as recused, and they have no
vote. The two adjusters approve each meeting's minutes, signed in, and the minutes go out
by mail as a PDF. The coordinator registers a payout for every grant, an attestant
attests it and the coordinator marks it paid; two grantees report with a receipt, the
coordinator accepts the reports, and the unused money of one comes back as a refund.
At the end the progress report for the period says what the story did: its figures are
counted from the story's own steps, never read off the page.

Every page anyone sees is checked with axe-core and, narrowed to 320 pixels, must not
scroll sideways (WCAG 1.4.10), in both languages: each page is also opened, in a browser of
its own with the person's cookies, in the other language, and checked there the same way.
Most pages are seen in Swedish; the progress report, the pot, a grant, the minutes and the
public list of grants are read in English too (and so checked in Swedish in the other
browser).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Locator, expect

from grants import demo
from grants.core.time import local_today
from grants.extensions import db
from tests.e2e.conftest import (
    ASSOCIATION,
    ASSOCIATION_REP_EMAIL,
    ASSOCIATION_REP_NAME,
    ASSOCIATION_REP_PASSWORD,
    COORDINATOR_EMAIL,
    COORDINATOR_PASSWORD,
    FUNDER,
    MUNICIPAL_REP_EMAIL,
    MUNICIPAL_REP_NAME,
    MUNICIPAL_REP_PASSWORD,
    MUNICIPAL_UNIT,
    NETWORK_SLUG,
    OTHER_ASSOCIATION,
    POT_ORE,
    PreRegistration,
)
from tests.e2e.people import Person
from tests.e2e.reflow import (
    AxeAndReflowChecks,
    assert_none_scrolled_sideways,
    assert_passed_in_other_language,
)
from tests.e2e.steps import (
    addressee,
    agenda_item,
    attachments,
    choose,
    definition,
    fill_in_the_activity,
    flash,
    kronor,
    lead,
    left_to_apply_for,
    mails_with_subject,
    one_line,
    open_the_form,
    payout_row,
    pdf_text,
    region,
    typed_kronor,
)
from tests.e2e.steps import field as field_in

NETWORK = f"/n/{NETWORK_SLUG}"
_, _, _, OTHER_REP_NAME, OTHER_REP_EMAIL = demo.ORGANISATIONS[1]
CHURCH, _, _, CHURCH_REP_NAME, CHURCH_REP_EMAIL = demo.ORGANISATIONS[2]
MEMBERS = [ASSOCIATION, OTHER_ASSOCIATION, CHURCH, MUNICIPAL_UNIT]
# Each member's representative (its contact person) gets the minutes.
INVITED = {ASSOCIATION_REP_EMAIL, OTHER_REP_EMAIL, CHURCH_REP_EMAIL, MUNICIPAL_REP_EMAIL}

CHAIR = OTHER_REP_NAME
COORDINATOR_NAME = "Sara Nilsson"
SECRETARY = COORDINATOR_NAME
ADJUSTERS = [ASSOCIATION_REP_NAME, MUNICIPAL_REP_NAME]  # present at every meeting, with passwords
ATTESTANT_NAME = "Bo Budgetansvarig"
ATTESTANT_EMAIL = "bo.budget@uddevalla.example.se"
WEEKS_BETWEEN_MEETINGS = 6
DEFERRAL_REASON = "Vi vill veta vilka skolor som är med."
RECEIPT = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# How the pages name a proposal's state (``ProposalState``).
PRE_REGISTERED, GRANTED, REJECTED, DEFERRED = "Föranmält", "Beviljat", "Avslaget", "Bordlagt"


# ---- what the story did, counted as it went -------------------------------------------------


@dataclass
class Proposed:
    """A proposal of the story, and what has happened to it so far."""

    applicant: str
    title: str
    budget: tuple[tuple[str, int], ...]  # cost, kronor
    co_applicant: str | None = None
    reference: str = ""
    state: str = PRE_REGISTERED
    granted: int = 0  # kronor
    grant_url: str = ""
    paid: int = 0
    refunded: int = 0
    report_accepted: bool = False

    @property
    def requested(self) -> int:
        return sum(amount for _, amount in self.budget)

    @property
    def recused(self) -> list[str]:
        return [self.applicant, *([self.co_applicant] if self.co_applicant else [])]


@dataclass
class Period:
    """The funding period as the story lived it; the progress report must say the same."""

    proposals: list[Proposed] = field(default_factory=list)
    meetings_held: int = 0
    deferrals: int = 0

    def grants(self) -> list[Proposed]:
        return [p for p in self.proposals if p.state == GRANTED]

    @property
    def granted_net(self) -> int:
        return sum(p.granted for p in self.grants()) - self.refunded

    @property
    def paid(self) -> int:
        return sum(p.paid for p in self.proposals)

    @property
    def refunded(self) -> int:
        return sum(p.refunded for p in self.proposals)

    @property
    def reports_outstanding(self) -> int:
        return sum(1 for p in self.grants() if not p.report_accepted)

    def count(self, state: str) -> int:
        return Counter(p.state for p in self.proposals)[state]

    def requested(self, state: str | None = None) -> int:
        return sum(p.requested for p in self.proposals if state in (None, p.state))


def money(amount: int, language: str) -> str:
    """An amount in kronor as the pages show it in ``language``."""
    return kronor(amount) if language == "sv" else f"SEK {amount:,}"


# ---- set-up: an attestant ---------------------------------------------------------------------


@pytest.fixture
def attestant(live_server, pre_registration: PreRegistration) -> None:
    """Someone with the attestant role (the budget holder), with a password."""
    from grants.networks.models import Network
    from tests.factories import attestant_of

    with live_server.app.app_context():
        network = db.session.scalar(sa.select(Network).where(Network.slug == NETWORK_SLUG))
        attestant_of(network, name=ATTESTANT_NAME, email=ATTESTANT_EMAIL)
        db.session.commit()
        db.session.remove()


# ---- people -------------------------------------------------------------------------------


def signed_in(new_page, email: str, password: str) -> Person:
    """Someone in a browser of their own, signed in; axe and the 320 px check on every page,
    in both languages."""
    person = checked_in_both_languages(new_page)
    person.open("/auth/login")
    person.sign_in(email, password)
    return person


def checked_in_both_languages(new_page) -> Person:
    """Someone in a browser of their own, with a second browser that checks each page they
    see in the other language."""
    page = new_page()
    return Person(page, AxeAndReflowChecks(page, other_language=new_page()))


def heading(person: Person) -> Locator:
    return person.page.get_by_role("heading", level=1)


# ---- proposals ------------------------------------------------------------------------------


def registered_reference(person: Person, meeting: int, day: date) -> str:
    """On the proposal's page right after it was sent: its number, and the meeting it goes to."""
    success = person.page.locator("main .alert-success")
    expect(success).to_contain_text("Förslaget är registrerat med nummer")
    found = re.search(r"registrerat med nummer (\S+)\.", one_line(success.inner_text()))
    assert found, success.inner_text()
    expect(person.page.locator("main .lead")).to_contain_text(PRE_REGISTERED)
    expect(
        person.page.locator("main").get_by_role("link", name=f"Möte {meeting}, {day.isoformat()}")
    ).to_be_visible()
    return found.group(1)


def pre_register(
    rep: Person, period: Period, proposal: Proposed, seeded: PreRegistration, day: date
) -> None:
    """A representative pre-registers their organisation's proposal for meeting 1."""
    open_the_form(rep)
    expect(rep.field("Sökande organisation").locator("option:checked")).to_have_text(
        proposal.applicant
    )
    fill_in_the_activity(
        rep,
        seeded,
        title=proposal.title,
        budget=[(cost, amount * 100) for cost, amount in proposal.budget],
    )
    if proposal.co_applicant:
        rep.tick(proposal.co_applicant)
    rep.click(rep.button("Skicka förslaget"))
    expect(heading(rep)).to_have_text(proposal.title)
    proposal.reference = registered_reference(rep, 1, day)
    if proposal.co_applicant:
        rep.sees(f"Medsökande {proposal.co_applicant}")
    period.proposals.append(proposal)


def register_by_email(
    coordinator: Person,
    period: Period,
    proposal: Proposed,
    seeded: PreRegistration,
    *,
    contact: tuple[str, str],
    meeting: int,
    day: date,
) -> None:
    """The coordinator registers a proposal that came by e-mail between two meetings."""
    arrived = local_today() - timedelta(days=1)
    name, email = contact
    open_the_form(coordinator)
    coordinator.page.get_by_label("Med e-post mellan två nätverksträffar").check()
    coordinator.fill_date("Dag då e-posten kom", arrived)
    coordinator.field("Klockslag då e-posten kom").fill("09:15")
    coordinator.field("E-postmeddelandets text").fill(
        f"Hej Sara!\nVi vill söka pengar till {proposal.title.lower()}.\nHälsningar, {name}"
    )
    coordinator.field("Sökande organisation").select_option(label=proposal.applicant)
    fill_in_the_activity(
        coordinator,
        seeded,
        title=proposal.title,
        budget=[(cost, amount * 100) for cost, amount in proposal.budget],
    )
    coordinator.field("Kontaktperson").fill(name)
    coordinator.field("Kontaktpersonens e-postadress").fill(email)
    coordinator.click(coordinator.button("Skicka förslaget"))
    expect(heading(coordinator)).to_have_text(proposal.title)
    proposal.reference = registered_reference(coordinator, meeting, day)
    coordinator.sees(f"Med e-post, {arrived.isoformat()} 09:15")
    period.proposals.append(proposal)


# ---- meetings --------------------------------------------------------------------------------


def open_meeting(coordinator: Person, number: int) -> None:
    """From the list of meetings to the session screen: the meeting opens, all four members
    are present, and the officers are chosen."""
    coordinator.click(coordinator.menu("Möten"))
    coordinator.click(coordinator.link(f"Möte {number}"))
    expect(heading(coordinator)).to_have_text(f"Möte {number}")
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
    coordinator.field("Ordförande").fill(CHAIR)
    coordinator.field("Sekreterare").fill(SECRETARY)
    for name in ADJUSTERS:
        coordinator.tick(name)
    coordinator.click(coordinator.page.locator("#officers").get_by_role("button", name="Spara"))
    coordinator.sees("Ordförande, sekreterare och justerare är valda.")


def assert_recused(coordinator: Person, proposal: Proposed) -> Locator:
    """The applicant (and co-applicant) are recused by themselves, and no one else is."""
    item = agenda_item(coordinator, proposal)
    recused = item.locator("p").filter(has_text="Jäviga, röstar inte:")
    for organisation in MEMBERS:
        if organisation in proposal.recused:
            expect(recused).to_contain_text(organisation)
        else:
            expect(recused).not_to_contain_text(organisation)
    return item


def grant(coordinator: Person, proposal: Proposed, amount: int) -> None:
    """Granted by acclamation; ``amount`` may be less than was asked for."""
    item = assert_recused(coordinator, proposal)
    choose(coordinator, item, "Bifall: bevilja")
    if amount != proposal.requested:
        item.get_by_label("Beviljat belopp (kronor)").fill(typed_kronor(amount * 100))
    coordinator.click(item.get_by_role("button", name="Registrera beslutet"))
    coordinator.sees("Beslutet är registrerat: bifall.")
    expect(agenda_item(coordinator, proposal).locator(".decision")).to_have_text(
        f"Beslut: Bifall, {kronor(amount)}"
    )
    proposal.state, proposal.granted = GRANTED, amount


def defer(coordinator: Person, period: Period, proposal: Proposed) -> None:
    item = assert_recused(coordinator, proposal)
    choose(coordinator, item, "Bordläggning till nästa möte")
    item.get_by_label("Motivering").fill(DEFERRAL_REASON)
    coordinator.click(item.get_by_role("button", name="Registrera beslutet"))
    coordinator.sees("Beslutet är registrerat: bordlagt.")
    expect(agenda_item(coordinator, proposal).locator(".decision")).to_have_text(
        f"Beslut: Bordlagt. {DEFERRAL_REASON}"
    )
    proposal.state = DEFERRED
    period.deferrals += 1


def reject_by_counted_vote(coordinator: Person, proposal: Proposed, votes: dict[str, str]) -> None:
    """A vote is opened; the hands are counted (``votes``: organisation → Ja or Nej); the
    vote is closed, and the counts decide."""
    item = assert_recused(coordinator, proposal)
    coordinator.click(item.get_by_role("button", name="Öppna omröstning"))
    coordinator.sees("Omröstningen är öppen.")
    item = agenda_item(coordinator, proposal)
    voters = [organisation for organisation in MEMBERS if organisation not in proposal.recused]
    assert sorted(votes) == sorted(voters)
    expect(item.locator(".vote-count")).to_contain_text(f"Har inte röstat {len(voters)}")
    for organisation in proposal.recused:  # no vote for the applicant
        expect(item.get_by_label(f"Röst för {organisation}")).to_have_count(0)
    for organisation, choice in votes.items():
        item.get_by_label(f"Röst för {organisation}").select_option(label=choice)
    coordinator.click(item.get_by_role("button", name="Registrera rösterna"))
    coordinator.sees("Rösterna är registrerade.")
    item = agenda_item(coordinator, proposal)
    coordinator.click(item.get_by_role("button", name="Stäng omröstningen"))
    coordinator.sees("Omröstningen är stängd.")
    item = agenda_item(coordinator, proposal)
    expect(item.locator(".vote-result")).to_contain_text("Enligt rösterna: avslag.")
    coordinator.click(item.get_by_role("button", name="Registrera beslutet"))
    coordinator.sees("Beslutet är registrerat: avslag.")
    yes, no = Counter(votes.values())["Ja"], Counter(votes.values())["Nej"]
    assert yes < no
    expect(agenda_item(coordinator, proposal).locator(".decision")).to_have_text(
        f"Beslut: Avslag ({yes} ja, {no} nej, 0 avstår)"
    )
    proposal.state = REJECTED


def plan_next_meeting(coordinator: Person, number: int, day: date) -> None:
    """The date of the next meeting is set at the meeting."""
    coordinator.fill_date("Datum", day)
    coordinator.field("Börjar klockan").fill("17:00")
    coordinator.field("Slutar klockan").fill("19:30")
    coordinator.field("Plats").fill("Stadsbiblioteket, Kungstorget")
    coordinator.click(coordinator.button("Planera nästa möte"))
    coordinator.sees(f"Nästa möte är planerat: möte {number}.")


def close_meeting(coordinator: Person, period: Period, number: int) -> None:
    coordinator.click(coordinator.button("Avsluta mötet"))
    coordinator.sees("Mötet är avslutat.")
    expect(heading(coordinator)).to_have_text(f"Protokoll, nätverksträff {number}")
    period.meetings_held += 1


def adjust_minutes(adjusters: list[Person], number: int) -> None:
    """Each adjuster finds the minutes from the list of meetings and approves them."""
    for count, adjuster in enumerate(adjusters, start=1):
        adjuster.click(adjuster.menu("Möten"))
        adjuster.click(adjuster.link(f"Möte {number}"))
        adjuster.click(adjuster.link("Protokollet"))
        adjuster.sees("Du är justerare.")
        adjuster.click(adjuster.button("Jag godkänner protokollet"))
        if count < len(adjusters):
            adjuster.sees("Tack! Ditt godkännande är registrerat.")
        else:
            adjuster.sees("Alla justerare har godkänt: protokollet är justerat och skickat")
        expect(adjuster.button("Jag godkänner protokollet")).to_have_count(0)


def granted_in_minutes(proposal: Proposed, language: str = "sv") -> str:
    amount = money(proposal.granted, language)
    if language == "sv":
        return f"Nätverket beslutar att bevilja {proposal.applicant} {amount}."
    return f"The network decides to grant {proposal.applicant} {amount}."


def assert_minutes_mailed(live_server, number: int, day: date, decisions: list[str]) -> None:
    """Every member got the adjusted minutes as a PDF, with the meeting's decisions in it."""
    live_server.deliver_mail()
    mails = mails_with_subject(live_server, f"Protokoll från nätverksträff {number}, {day}")
    assert sorted(addressee(mail) for mail in mails) == sorted(INVITED)
    for mail in mails:
        [pdf] = attachments(mail, "application/pdf")
        assert pdf.get_filename() == f"protokoll-motet-{number}.pdf"
    text = pdf_text(attachments(mails[0], "application/pdf")[0].get_content())
    for expected in [*decisions, f"Justerare: {', '.join(ADJUSTERS)}"]:
        assert expected in text, f"{expected!r} is not in the minutes of meeting {number}: {text}"


# ---- money ------------------------------------------------------------------------------------


def find_grant(coordinator: Person, proposal: Proposed) -> None:
    """The grant, from the pot page."""
    coordinator.click(coordinator.menu("Pott"))
    link = coordinator.link(f"{proposal.reference} {proposal.title}")
    expect(link.locator("xpath=..")).to_contain_text(
        f"{proposal.applicant}, {kronor(proposal.granted)} (Beviljat)"
    )
    coordinator.click(link)
    proposal.grant_url = coordinator.page.url
    expect(heading(coordinator)).to_have_text(proposal.title)
    expect(lead(coordinator)).to_have_text(f"{proposal.applicant} · Beviljat")


def pay_out(coordinator: Person, attestant: Person, proposal: Proposed, ver: str) -> None:
    """The whole grant in one payout: registered by the coordinator, attested by the
    attestant (the coordinator may not attest it), marked paid by the coordinator."""
    amount, today = proposal.granted, local_today()
    find_grant(coordinator, proposal)
    payout_form = region(coordinator, "Registrera en utbetalning")
    expect(payout_form).to_contain_text(f"Kvar att betala ut: {kronor(amount)}.")
    field_in(payout_form, "Belopp (kronor)").fill(typed_kronor(amount * 100))
    field_in(payout_form, "Planerad utbetalningsdag").fill((today + timedelta(days=7)).isoformat())
    coordinator.click(payout_form.get_by_role("button", name="Registrera utbetalningen"))
    expect(flash(coordinator)).to_contain_text("Utbetalningen är registrerad och väntar på attest.")
    expect(payout_row(coordinator)).to_contain_text("Registrerad, väntar på attest")
    expect(coordinator.page.get_by_role("button", name=re.compile("^Attestera"))).to_have_count(0)

    attestant.click(attestant.menu("Pott"))
    waiting = region(attestant, "Utbetalningar som väntar på attest")
    attestant.click(
        waiting.get_by_role("link", name=f"{proposal.reference} {proposal.applicant}", exact=True)
    )
    assert attestant.page.url == proposal.grant_url
    attestant.click(attestant.button(f"Attestera {kronor(amount)}"))
    expect(flash(attestant)).to_contain_text("Utbetalningen är attesterad.")
    expect(payout_row(attestant)).to_contain_text(f"{COORDINATOR_NAME} / {ATTESTANT_NAME}, ")
    expect(attestant.button("Markera som betald")).to_have_count(0)

    coordinator.open(proposal.grant_url)
    row = payout_row(coordinator)
    expect(row).to_contain_text("Attesterad")
    field_in(row, "Betald den").fill(today.isoformat())
    field_in(row, "Verifikationsnummer").fill(ver)
    coordinator.click(row.get_by_role("button", name="Markera som betald"))
    expect(flash(coordinator)).to_contain_text("Utbetalningen är markerad som betald.")
    expect(payout_row(coordinator)).to_contain_text(
        f"Utbetald {today.isoformat()}, ver. {ver}", use_inner_text=True
    )
    expect(lead(coordinator)).to_have_text(f"{proposal.applicant} · Utbetalt")
    proposal.paid += amount


def report(grantee: Person, proposal: Proposed, actual: dict[str, int], unused: int) -> None:
    """The grantee finds the grant through the proposal and its organisation, and reports
    what was done and spent, with a receipt."""
    assert sum(actual.values()) + unused == proposal.paid
    grantee.click(grantee.menu("Förslag"))
    grantee.click(grantee.link(proposal.title))
    grantee.click(
        grantee.page.locator("main").get_by_role("link", name=proposal.applicant, exact=True)
    )
    grantee.click(grantee.link(f"{proposal.reference} {proposal.title}"))
    assert grantee.page.url == proposal.grant_url
    expect(lead(grantee)).to_have_text(f"{proposal.applicant} · Utbetalt")
    expect(region(grantee, "Registrera en utbetalning")).to_have_count(0)
    form = region(grantee, "Lämna redovisningen")
    field_in(form, "Vad gjorde ni?").fill(f"{proposal.title}, tio gånger under hösten.")
    field_in(form, "Antal deltagare").fill("27")
    field_in(form, "Hur bidrog aktiviteten till kriterierna?").fill(
        "Nyanlända och etablerade uddevallabor lärde känna varandra och pratade svenska."
    )
    for cost, amount in actual.items():
        field_in(form, cost).fill(typed_kronor(amount * 100))
    field_in(form, "Oanvänt belopp (kronor)").fill(typed_kronor(unused * 100))
    field_in(form, "Kvitton och bilder").set_input_files(
        {"name": "kvitto.pdf", "mimeType": "application/pdf", "buffer": RECEIPT}
    )
    grantee.click(form.get_by_role("button", name="Skicka redovisningen"))
    expect(flash(grantee)).to_contain_text("Redovisningen är inlämnad. Samordnaren granskar den.")
    expect(lead(grantee)).to_have_text(f"{proposal.applicant} · Redovisat")
    if unused:
        expect(definition(grantee, "Oanvänt belopp")).to_have_text(kronor(unused))
    expect(grantee.link("kvitto.pdf")).to_be_visible()


def accept_report(coordinator: Person, proposal: Proposed) -> None:
    """Everything but the unused amount was paid: the accepted report closes the grant."""
    coordinator.open(proposal.grant_url)
    coordinator.sees("Inlämnad, väntar på granskning")
    expect(coordinator.link("kvitto.pdf")).to_be_visible()
    # The period is walked in one day, so each report came before its activity began.
    expect(coordinator.page.locator(".early-report")).to_contain_text(
        "innan aktiviteten skulle börja"
    )
    coordinator.tick(
        "Jag har sett att redovisningen lämnades in innan aktiviteten var klar enligt planen"
    )
    coordinator.click(coordinator.button("Godkänn redovisningen"))
    expect(flash(coordinator)).to_contain_text("Redovisningen är godkänd.")
    expect(lead(coordinator)).to_have_text(f"{proposal.applicant} · Avslutat")
    proposal.report_accepted = True


def refund(coordinator: Person, proposal: Proposed, amount: int) -> None:
    """The unused money comes back; the coordinator is on the grant's page."""
    form = region(coordinator, "Registrera en återbetalning")
    field_in(form, "Återbetalt belopp (kronor)").fill(typed_kronor(amount * 100))
    field_in(form, "Mottaget den").fill(local_today().isoformat())
    field_in(form, "Referens").fill("V-2026-0519")
    field_in(form, "Anteckning").fill("Oanvänt enligt redovisningen.")
    coordinator.click(form.get_by_role("button", name="Registrera återbetalningen"))
    expect(flash(coordinator)).to_contain_text(
        "Återbetalningen är registrerad; pengarna är tillbaka i potten."
    )
    expect(definition(coordinator, "Återbetalt")).to_have_text(kronor(amount))
    proposal.refunded += amount


# ---- the pot and the progress report ----------------------------------------------------------


def cells_by_row(table: Locator) -> dict[str, list[str]]:
    """A table as {its rows' headers: the texts of the row's other cells}."""
    rows = {}
    for row in table.locator("tbody tr, tfoot tr").all():
        cells = [one_line(text) for text in row.locator("td").all_inner_texts()]
        rows[one_line(row.locator("th").first.inner_text())] = cells
    return rows


SUMMARY_LABELS = {
    "sv": [
        "Möten hållna",
        "Möten planerade",
        "Förslag mottagna",
        "Sökt",
        "Beviljat (netto)",
        "Utbetalt",
        "Återbetalt",
        "Redovisningar som saknas",
    ],
    "en": [
        "Meetings held",
        "Meetings planned",
        "Proposals received",
        "Requested",
        "Granted (net)",
        "Paid out",
        "Refunded",
        "Reports outstanding",
    ],
}


def expected_summary(period: Period, language: str) -> dict[str, list[str]]:
    figures = [
        str(period.meetings_held),
        "0",  # no fourth meeting was planned
        str(len(period.proposals)),
        money(period.requested(), language),
        money(period.granted_net, language),
        money(period.paid, language),
        money(period.refunded, language),
        str(period.reports_outstanding),
    ]
    return {
        label: [figure] for label, figure in zip(SUMMARY_LABELS[language], figures, strict=True)
    }


def assert_progress_report(person: Person, period: Period, language: str) -> None:
    """The progress report's figures are those of the story."""
    caption = {"sv": "^Perioden i siffror", "en": "^The period in figures"}[language]
    summary = cells_by_row(person.page.get_by_role("table", name=re.compile(caption)))
    assert summary == expected_summary(period, language)
    deferrals = {
        "sv": f"Beslut om bordläggning i perioden: {period.deferrals}.",
        "en": f"Decisions to defer in the period: {period.deferrals}.",
    }[language]
    person.sees(deferrals)
    if language != "sv":
        return

    by_state = cells_by_row(
        person.page.get_by_role("table", name="Förslag i perioden efter läge", exact=True)
    )
    expected = {
        state: [str(period.count(state)), kronor(period.requested(state))]
        for state in (GRANTED, REJECTED, DEFERRED)
    }
    expected["Mottagna totalt"] = [str(len(period.proposals)), kronor(period.requested())]
    assert {state: by_state[state] for state in expected} == expected

    meetings = cells_by_row(person.page.get_by_role("table", name="Närvaro per möte", exact=True))
    assert sorted(meetings) == [f"Möte {n}" for n in range(1, period.meetings_held + 1)]
    for cells in meetings.values():
        assert cells[-2:] == [str(len(MEMBERS)), str(len(MEMBERS))], meetings  # all there

    per_organisation = cells_by_row(
        person.page.get_by_role("table", name="Bidrag per organisation", exact=True)
    )
    assert per_organisation == {
        p.applicant: [
            kronor(p.granted),
            kronor(p.paid),
            kronor(p.refunded),
            "0" if p.report_accepted else "1",
            "0",
        ]
        for p in period.grants()
    }


# ---- the story ----------------------------------------------------------------------------------


def test_a_whole_funding_period(live_server, pre_registration, attestant, new_page):
    from tests.factories import PASSWORD

    seeded = pre_registration
    period = Period()
    day1 = seeded.meeting_day
    day2 = day1 + timedelta(weeks=WEEKS_BETWEEN_MEETINGS)
    day3 = day2 + timedelta(weeks=WEEKS_BETWEEN_MEETINGS)
    language_cafe = Proposed(
        ASSOCIATION, "Språkcafé i Dalaberg", (("Lokalhyra", 4_000), ("Material och fika", 8_000))
    )
    parents_coffee = Proposed(
        MUNICIPAL_UNIT,
        "Föräldrakaffe i Ålsäter",
        (("Lokalhyra", 5_000), ("Fika och barnpassning", 15_000)),
        co_applicant=CHURCH,
    )
    homework = Proposed(
        OTHER_ASSOCIATION, "Läxhjälp på biblioteket", (("Böcker", 3_000), ("Ledare", 5_000))
    )
    summer_camp = Proposed(
        CHURCH, "Sommarläger för familjer", (("Buss", 8_000), ("Lägerplats", 12_000))
    )

    coordinator = signed_in(new_page, COORDINATOR_EMAIL, COORDINATOR_PASSWORD)
    ahmad = signed_in(new_page, ASSOCIATION_REP_EMAIL, ASSOCIATION_REP_PASSWORD)
    omar = signed_in(new_page, MUNICIPAL_REP_EMAIL, MUNICIPAL_REP_PASSWORD)
    budget_holder = signed_in(new_page, ATTESTANT_EMAIL, PASSWORD)
    adjusters = [ahmad, omar]

    # -- before meeting 1: an association and a municipal unit pre-register -----------------
    pre_register(ahmad, period, language_cafe, seeded, day1)
    pre_register(omar, period, parents_coffee, seeded, day1)

    # -- meeting 1: both granted, one with less than asked ----------------------------------
    open_meeting(coordinator, 1)
    grant(coordinator, language_cafe, language_cafe.requested)
    grant(coordinator, parents_coffee, 15_000)
    plan_next_meeting(coordinator, 2, day2)
    close_meeting(coordinator, period, 1)
    adjust_minutes(adjusters, 1)
    assert_minutes_mailed(
        live_server,
        1,
        local_today(),
        [granted_in_minutes(language_cafe), granted_in_minutes(parents_coffee)],
    )

    # -- the money for meeting 1's grants -------------------------------------------------
    pay_out(coordinator, budget_holder, language_cafe, "V-2026-0412")
    pay_out(coordinator, budget_holder, parents_coffee, "V-2026-0413")

    # -- between meetings 1 and 2: two proposals by e-mail -------------------------------------
    register_by_email(
        coordinator,
        period,
        homework,
        seeded,
        contact=(OTHER_REP_NAME, OTHER_REP_EMAIL),
        meeting=2,
        day=day2,
    )
    register_by_email(
        coordinator,
        period,
        summer_camp,
        seeded,
        contact=(CHURCH_REP_NAME, CHURCH_REP_EMAIL),
        meeting=2,
        day=day2,
    )

    # -- meeting 2: one deferred, one rejected by a counted vote -------------------------------
    open_meeting(coordinator, 2)
    defer(coordinator, period, homework)
    reject_by_counted_vote(
        coordinator,
        summer_camp,
        {ASSOCIATION: "Nej", OTHER_ASSOCIATION: "Nej", MUNICIPAL_UNIT: "Ja"},
    )
    plan_next_meeting(coordinator, 3, day3)
    close_meeting(coordinator, period, 2)
    adjust_minutes(adjusters, 2)
    assert_minutes_mailed(
        live_server,
        2,
        local_today(),
        [
            "Nätverket beslutar att bordlägga förslaget",
            f"Motivering: {DEFERRAL_REASON}",
            "Nätverket beslutar att avslå förslaget.",
            "Beslutet fattades efter omröstning: 1 ja, 2 nej, 0 avstod.",
        ],
    )

    # -- meeting 3: the deferred proposal is granted ---------------------------------------------
    open_meeting(coordinator, 3)
    grant(coordinator, homework, homework.requested)
    close_meeting(coordinator, period, 3)
    adjust_minutes(adjusters, 3)
    assert_minutes_mailed(live_server, 3, local_today(), [granted_in_minutes(homework)])
    pay_out(coordinator, budget_holder, homework, "V-2026-0601")

    # -- reports, and the unused money back ----------------------------------------------------
    report(ahmad, language_cafe, {"Lokalhyra": 4_000, "Material och fika": 6_500}, unused=1_500)
    report(omar, parents_coffee, {"Lokalhyra": 5_000, "Fika och barnpassning": 10_000}, unused=0)
    accept_report(coordinator, parents_coffee)
    accept_report(coordinator, language_cafe)
    refund(coordinator, language_cafe, 1_500)

    # -- the pot -----------------------------------------------------------------------------
    coordinator.click(coordinator.link("Pott och budget"))
    expect(left_to_apply_for(coordinator)).to_contain_text(
        f"Beviljat ur potten: {kronor(period.granted_net)} · "
        f"Kvar att söka: {kronor(POT_ORE // 100 - period.granted_net)}"
    )
    coordinator.sees(f"Möten i perioden: {period.meetings_held} hållna, 0 planerade")

    # -- the progress report, in Swedish and in English -------------------------------------------
    coordinator.click(
        coordinator.page.get_by_role("link", name=re.compile(f"^Lägesrapport {FUNDER}")).first
    )
    expect(heading(coordinator)).to_contain_text(f"Lägesrapport: {FUNDER}")
    assert_progress_report(coordinator, period, "sv")
    coordinator.click(coordinator.button("English"))
    expect(coordinator.page.locator("html")).to_have_attribute("lang", "en")
    assert_progress_report(coordinator, period, "en")

    # -- the pot, a grant and the minutes in English --------------------------------------------
    coordinator.click(coordinator.menu("Pot"))
    left = coordinator.page.locator("main p").filter(has_text="Left to apply for:")
    expect(left).to_contain_text(
        f"Left to apply for: {money(POT_ORE // 100 - period.granted_net, 'en')}"
    )
    coordinator.click(coordinator.link(f"{language_cafe.reference} {language_cafe.title}"))
    expect(lead(coordinator)).to_have_text(f"{ASSOCIATION} · Closed")
    coordinator.click(coordinator.menu("Meetings"))
    coordinator.click(coordinator.link("Meeting 1"))
    coordinator.click(coordinator.link("The minutes"))
    expect(heading(coordinator)).to_have_text("Minutes, network meeting 1")
    coordinator.sees(granted_in_minutes(language_cafe, "en"))
    coordinator.click(coordinator.button("Svenska"))
    expect(coordinator.page.locator("html")).to_have_attribute("lang", "sv")

    # -- the public sees what was funded, in both languages --------------------------------------
    public = checked_in_both_languages(new_page)
    public_page = public.page
    public.open(f"{NETWORK}/")
    public.click(public.link("Vad nätverket har beviljat: organisationer, aktiviteter och belopp"))
    expect(heading(public)).to_have_text("Beviljade bidrag")
    expect(definition(public, "Beviljat (netto)")).to_have_text(kronor(period.granted_net))
    # Each meeting was moved to the day the story holds it: today.
    for proposal, meeting, day in (
        (language_cafe, 1, local_today()),
        (parents_coffee, 1, local_today()),
        (homework, 3, local_today()),
    ):
        row = public_page.get_by_role("row", name=re.compile(re.escape(proposal.title)))
        expect(row).to_contain_text(proposal.applicant)
        expect(row).to_contain_text(kronor(proposal.granted))
        expect(row.get_by_role("link")).to_have_text(f"Nätverksträff {meeting}, {day}")
    expect(
        public_page.get_by_role("row", name=re.compile(re.escape(parents_coffee.title)))
    ).to_contain_text(f"med {CHURCH}")
    expect(public_page.get_by_role("row", name=re.compile(summer_camp.title))).to_have_count(0)
    public.click(public.button("English"))
    expect(heading(public)).to_have_text("Grants awarded")
    expect(definition(public, "Granted (net)")).to_have_text(money(period.granted_net, "en"))
    public.click(
        public_page.get_by_role("row", name=re.compile(re.escape(homework.title))).get_by_role(
            "link"
        )
    )
    expect(heading(public)).to_have_text("Minutes, network meeting 3")
    public.sees(granted_in_minutes(homework, "en"))
    public.click(public.button("Svenska"))
    public.sees(granted_in_minutes(homework))

    # -- every page anyone saw passed axe and reflowed at 320 px, in both languages -------------
    checks = [person.axe for person in (coordinator, ahmad, omar, budget_holder, public)]
    for check in checks:
        check.finish()  # the last page each of them saw, in the other language
    languages = Counter(language for check in checks for language in check.languages)
    print(f"\naxe-core and reflow at 320 px, pages per language: {dict(languages)}")
    assert_none_scrolled_sideways(*checks)
    assert_passed_in_other_language(*checks)
    # Every page anyone saw, once in Swedish and once in English.
    pages_seen = sum(len(check.checked) for check in checks)
    assert languages == {"sv": pages_seen, "en": pages_seen}, languages
    for check in checks:
        check.assert_every_page_checked()
