"""The network meetings issue in a browser: a whole meeting, from invitation to public minutes.

The coordinator sends the invitation (with a calendar file), runs the meeting on the
session screen (attendance, officers, three proposals: granted with a lower amount,
rejected by a counted vote with one vote from a phone, deferred), plans the next
meeting, closes the meeting and writes the minutes; the two adjusters approve them
signed in; the minutes go out as a PDF and each applicant gets its decision; the
public sees the public minutes without the names of private persons. A second test
runs the session screen with the keyboard alone. axe-core checks every page anyone sees.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from icalendar import Calendar
from playwright.sync_api import Locator, expect
from pypdf import PdfReader

from grants.extensions import db
from tests.e2e import keyboard
from tests.e2e.conftest import (
    ASSOCIATION,
    ASSOCIATION_REP_EMAIL,
    ASSOCIATION_REP_NAME,
    ASSOCIATION_REP_PASSWORD,
    COORDINATOR_EMAIL,
    COORDINATOR_PASSWORD,
    MUNICIPAL_REP_EMAIL,
    MUNICIPAL_REP_NAME,
    MUNICIPAL_REP_PASSWORD,
    MUNICIPAL_UNIT,
    NETWORK_NAME,
    NETWORK_SLUG,
    OTHER_ASSOCIATION,
    PreRegistration,
)
from tests.e2e.people import KeyboardPerson, Person

NETWORK = f"/n/{NETWORK_SLUG}"
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}

# The third member the ``network`` fixture adds (demo data), and its representative.
CHURCH, CHURCH_REP_NAME, CHURCH_REP_EMAIL = (
    "Svenska kyrkan i Uddevalla",
    "Maria Lund",
    ("maria.lund@kyrkan.example.se"),
)
OTHER_ASSOCIATION_REP_EMAIL = "eva.berg@bildning.example.se"
OTHER_ASSOCIATION_REP_NAME = "Eva Berg"

# A known fault, until grants/proposals/operations.py queue_waiting_proposals also queues
# deferred proposals that wait for "the next meeting" (see the report of this test).
DEFERRED_NOT_QUEUED = (
    "a proposal deferred before the next meeting was planned is not queued for it: "
    "queue_waiting_proposals picks only REGISTERED proposals, not DEFERRED ones"
)

CHAIR = "Eva Berg"
SECRETARY = "Sara Nilsson"
MINUTES_LINE = "Ahmad berättade om språkcaféet; många vill vara med."


@dataclass(frozen=True)
class Planned:
    """A proposal registered for meeting 1, as the people in the story know it."""

    reference: str
    title: str
    applicant: str
    contact_email: str
    requested_kr: int


@dataclass(frozen=True)
class Meeting1:
    meeting_id: int
    day: date
    a: Planned  # granted, with a lower amount and a condition
    b: Planned  # rejected by a counted vote
    c: Planned  # deferred to the next meeting


PROPOSALS = [
    # applicant, contact name, contact e-mail, title, kronor
    (ASSOCIATION, ASSOCIATION_REP_NAME, ASSOCIATION_REP_EMAIL, "Språkcafé i Dalaberg", 12_000),
    (
        OTHER_ASSOCIATION,
        OTHER_ASSOCIATION_REP_NAME,
        OTHER_ASSOCIATION_REP_EMAIL,
        "Läxhjälp på biblioteket",
        8_000,
    ),
    (CHURCH, CHURCH_REP_NAME, CHURCH_REP_EMAIL, "Sommarläger för familjer", 20_000),
]


def register_three_proposals(live_server, seeded: PreRegistration) -> Meeting1:
    """Three proposals from three members, registered by the coordinator for meeting 1."""
    from grants.members.models import Organisation, User
    from grants.networks.models import Network
    from grants.proposals.operations import ProposalInput, register_proposal

    with live_server.app.app_context():
        network = db.session.scalar(sa.select(Network).where(Network.slug == NETWORK_SLUG))
        coordinator = db.session.scalar(sa.select(User).where(User.email == COORDINATOR_EMAIL))
        planned = []
        meeting_id = None
        for applicant_name, contact, email, title, kronor in PROPOSALS:
            applicant = db.session.scalar(
                sa.select(Organisation).where(Organisation.name == applicant_name)
            )
            proposal = register_proposal(
                network,
                ProposalInput(
                    applicant=applicant,
                    title=title,
                    summary="En aktivitet för nyanlända och etablerade.",
                    criteria=network.active_criteria[:1],
                    planned_start=seeded.meeting_day + timedelta(days=14),
                    planned_end=seeded.meeting_day + timedelta(days=60),
                    requested_ore=kronor * 100,
                    budget_rows=[("Material och fika", kronor * 100)],
                    contact_name=contact,
                    contact_email=email,
                ),
                actor=coordinator,
                by_coordinator=True,
            )
            db.session.flush()
            meeting_id = proposal.meeting_id
            planned.append(Planned(proposal.reference, title, applicant_name, email, kronor))
        db.session.commit()
        db.session.remove()
    assert meeting_id is not None
    return Meeting1(meeting_id, seeded.meeting_day, *planned)


# ---- what people do and see --------------------------------------------------------------


def agenda_item(person: Person, proposal: Planned) -> Locator:
    """The proposal's item on the session screen: ``<li id="item-<ID>">``."""
    return person.page.locator("li[id^='item-']").filter(
        has=person.page.get_by_role(
            "heading", level=3, name=f"{proposal.reference} {proposal.title}"
        )
    )


def choose(person: Person, scope: Locator, label: str) -> None:
    """Select the radio button labelled ``label`` inside ``scope``."""
    radio = scope.get_by_role("radio", name=label, exact=True)
    if person.touch:
        radio.tap()
    else:
        radio.click()
    expect(radio).to_be_checked()


def flash(person: Person) -> Locator:
    return person.page.locator(".flash-messages")


def one_line(text: str) -> str:
    """Whitespace (line breaks, no-break spaces) as single spaces."""
    return " ".join(text.split())


def pdf_text(data: bytes) -> str:
    return one_line("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def attachments(message, content_type: str) -> list:
    return [part for part in message.iter_attachments() if part.get_content_type() == content_type]


# ---- the story -----------------------------------------------------------------------------


def test_a_whole_meeting_from_invitation_to_public_minutes(live_server, pre_registration, new_page):
    from grants.core.time import STOCKHOLM

    meeting = register_three_proposals(live_server, pre_registration)
    a, b, c = meeting.a, meeting.b, meeting.c
    meeting_url = f"{NETWORK}/meetings/{meeting.meeting_id}"
    members = [ASSOCIATION, OTHER_ASSOCIATION, CHURCH, MUNICIPAL_UNIT]
    app_bugs: list[str] = []  # known faults in the app: the story goes on, the test xfails

    # -- the invitation ----------------------------------------------------------------------
    coordinator = Person.on(new_page())
    coordinator.open("/auth/login")
    coordinator.sign_in(COORDINATOR_EMAIL, COORDINATOR_PASSWORD)
    coordinator.open(meeting_url)
    # The meeting is 24 days away and the network invites 21 days before: no need to
    # confirm a short notice.
    short_notice = coordinator.page.get_by_role("checkbox", name=re.compile("^Skicka kallelsen"))
    expect(short_notice).not_to_be_checked()
    coordinator.click(coordinator.button("Skicka kallelsen"))
    expect(flash(coordinator)).to_contain_text("Kallelsen är skickad till 4 mottagare.")

    live_server.deliver_mail()
    invited = {str(m["To"]) for m in live_server.smtp.handler.messages}
    invitation = live_server.mails_to(MUNICIPAL_REP_EMAIL)[-1]
    assert str(invitation["Subject"]) == (
        f"Kallelse till nätverksträff 1, {meeting.day.isoformat()}"
    )
    [ics] = attachments(invitation, "text/calendar")
    # No charset in the part's Content-Type: the bytes are iCalendar's default, UTF-8.
    calendar = Calendar.from_ical(ics.get_payload(decode=True).decode("utf-8"))
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{meeting.meeting_id}@127.0.0.1"
    assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert event.decoded("DTSTART") == datetime.combine(meeting.day, time(16, 30), tzinfo=STOCKHOLM)
    assert str(event["SUMMARY"]) == f"Nätverksträff 1, {NETWORK_NAME}"

    # -- the meeting opens: attendance and officers -------------------------------------------
    coordinator.click(coordinator.link("Mötesskärmen"))
    coordinator.click(coordinator.button("Öppna mötet"))
    coordinator.sees("Mötet är öppnat.")
    for organisation in members:
        coordinator.tick(f"Närvarande: {organisation}")
    coordinator.page.get_by_role("textbox", name=f"Namn på närvarande för {ASSOCIATION}").fill(
        ASSOCIATION_REP_NAME
    )
    coordinator.click(coordinator.button("Spara närvaron"))
    coordinator.sees("4 organisationer är närvarande.")

    coordinator.field("Ordförande").fill(CHAIR)
    coordinator.field("Sekreterare").fill(SECRETARY)
    coordinator.tick(ASSOCIATION_REP_NAME)
    coordinator.tick(MUNICIPAL_REP_NAME)
    coordinator.click(coordinator.page.locator("#officers").get_by_role("button", name="Spara"))
    coordinator.sees("Ordförande, sekreterare och justerare är valda.")

    # -- proposal A: granted by acclamation, less than requested, with a condition -------------
    item_a = agenda_item(coordinator, a)
    expect(item_a).to_contain_text(f"Jäviga, röstar inte: {ASSOCIATION}")
    choose(coordinator, item_a, "Bifall: bevilja")
    item_a.get_by_label("Beviljat belopp (kronor)").fill("9 500")
    item_a.get_by_label("Villkor (frivilligt)").fill("Redovisa antalet deltagare efteråt.")
    coordinator.click(item_a.get_by_role("button", name="Registrera beslutet"))
    coordinator.sees("Beslutet är registrerat: bifall.")
    expect(item_a.locator(".decision")).to_contain_text(
        "Beslut: Bifall, 9 500 kr. Villkor: Redovisa antalet deltagare efteråt."
    )

    # -- proposal B: a counted vote, one vote from a phone ------------------------------------
    item_b = agenda_item(coordinator, b)
    coordinator.click(item_b.get_by_role("button", name="Öppna omröstning"))
    coordinator.sees("Omröstningen är öppen.")
    count = item_b.locator(".vote-count")
    expect(count).to_contain_text("Har inte röstat 3")

    phone = Person.on(new_page(**PHONE), touch=True)
    phone.open("/auth/login")
    phone.sign_in(MUNICIPAL_REP_EMAIL, MUNICIPAL_REP_PASSWORD)
    phone.open(f"{meeting_url}/vote")
    phone.sees(f"För {MUNICIPAL_UNIT}")
    phone.click(phone.button("Nej"))
    phone.sees(f"Rösten för {MUNICIPAL_UNIT} är registrerad.")

    expect(count).to_contain_text("Nej 1", timeout=8000)
    expect(count).to_contain_text("Har inte röstat 2")
    item_b.get_by_label(f"Röst för {ASSOCIATION}").select_option(label="Nej")
    item_b.get_by_label(f"Röst för {CHURCH}").select_option(label="Ja")
    coordinator.click(item_b.get_by_role("button", name="Registrera rösterna"))
    coordinator.sees("Rösterna är registrerade.")
    # The question put to the meeting is to grant; the counts decide.
    choose(coordinator, item_b, "Bifall: bevilja")
    choose(coordinator, item_b, "Med rösträkning (rösterna nedan)")
    coordinator.click(item_b.get_by_role("button", name="Registrera beslutet"))
    coordinator.sees("Beslutet är registrerat: avslag.")
    expect(item_b.locator(".decision")).to_have_text("Beslut: Avslag (1 ja, 2 nej, 0 avstår)")

    # -- proposal C: deferred to the next meeting ----------------------------------------------
    item_c = agenda_item(coordinator, c)
    choose(coordinator, item_c, "Bordläggning till nästa möte")
    item_c.get_by_label("Motivering").fill("Budgeten behöver delas upp per månad.")
    coordinator.click(item_c.get_by_role("button", name="Registrera beslutet"))
    coordinator.sees("Beslutet är registrerat: bordlagt.")
    expect(item_c.locator(".decision")).to_contain_text("Beslut: Bordlagt")

    # -- the next meeting, decided at this one -------------------------------------------------
    next_day = meeting.day + timedelta(days=42)
    coordinator.fill_date("Datum", next_day)
    coordinator.field("Börjar klockan").fill("17:00")
    coordinator.field("Slutar klockan").fill("19:30")
    coordinator.field("Plats").fill("Stadsbiblioteket, Kungstorget")
    coordinator.click(coordinator.button("Planera nästa möte"))
    coordinator.sees("Nästa möte är planerat: möte 2.")

    # The deferred proposal waits for meeting 2.
    coordinator.click(agenda_item(coordinator, c).get_by_role("link", name="Förslaget"))
    expect(coordinator.page.get_by_role("heading", level=1)).to_have_text(c.title)
    taken_up = coordinator.page.locator("dt:text-is('Tas upp på') + dd")
    if taken_up.inner_text().strip() == "Nästa möte (inte planerat än)":
        app_bugs.append(DEFERRED_NOT_QUEUED)
    else:
        expect(taken_up).to_have_text(f"Möte 2, {next_day.isoformat()}")

    # -- closing, and the minutes --------------------------------------------------------------
    coordinator.open(f"{meeting_url}/session")
    coordinator.click(coordinator.button("Avsluta mötet"))
    coordinator.sees("Mötet är avslutat.")
    expect(coordinator.page.get_by_role("heading", level=1)).to_have_text(
        "Protokoll, nätverksträff 1"
    )
    coordinator.page.get_by_label(re.compile(rf"^§ \d+ {re.escape(a.reference)} ")).fill(
        MINUTES_LINE
    )
    coordinator.click(coordinator.button("Spara texten"))
    coordinator.sees("Protokolltexten är sparad.")
    coordinator.sees(MINUTES_LINE)

    # -- the adjusters approve, each signed in -------------------------------------------------
    adjuster = Person.on(new_page())
    adjuster.open("/auth/login")
    adjuster.sign_in(ASSOCIATION_REP_EMAIL, ASSOCIATION_REP_PASSWORD)
    adjuster.click(adjuster.menu("Möten"))
    adjuster.click(adjuster.link("Möte 1"))
    adjuster.click(adjuster.link("Protokollet"))
    adjuster.sees("Du är justerare.")
    adjuster.click(adjuster.button("Jag godkänner protokollet"))
    adjuster.sees("Tack! Ditt godkännande är registrerat.")
    expect(adjuster.button("Jag godkänner protokollet")).to_have_count(0)

    phone.open(f"{meeting_url}/minutes")
    phone.sees("Du är justerare.")
    phone.click(phone.button("Jag godkänner protokollet"))
    phone.sees("Alla justerare har godkänt: protokollet är justerat och skickat till alla")

    # -- the minutes and the decisions by mail -------------------------------------------------
    live_server.smtp.handler.messages.clear()
    live_server.deliver_mail()
    minutes_mails = [
        m
        for m in live_server.smtp.handler.messages
        if str(m["Subject"]) == f"Protokoll från nätverksträff 1, {meeting.day.isoformat()}"
    ]
    assert {str(m["To"]) for m in minutes_mails} == invited
    for mail in minutes_mails:
        [pdf] = attachments(mail, "application/pdf")
        assert pdf.get_filename() == "protokoll-motet-1.pdf"
    text = pdf_text(attachments(minutes_mails[0], "application/pdf")[0].get_content())
    assert f"Nätverket beslutar att bevilja {ASSOCIATION} 9 500 kr." in text
    assert "Villkor: Redovisa antalet deltagare efteråt." in text
    assert "Nätverket beslutar att avslå förslaget." in text
    assert "Beslutet fattades efter omröstning: 1 ja, 2 nej, 0 avstod." in text
    assert "Motivering: Budgeten behöver delas upp per månad." in text
    assert MINUTES_LINE in text
    assert f"Ordförande: {CHAIR}" in text
    for proposal in (a, b, c):
        [decision] = [
            m
            for m in live_server.mails_to(proposal.contact_email)
            if str(m["Subject"]) == f"Beslut om förslag {proposal.reference}"
        ]
        body = one_line(decision.get_body(preferencelist=("plain",)).get_content())
        assert proposal.title in body
    body_of = {
        p.reference: one_line(
            next(
                m
                for m in live_server.mails_to(p.contact_email)
                if str(m["Subject"]) == f"Beslut om förslag {p.reference}"
            )
            .get_body(preferencelist=("plain",))
            .get_content()
        )
        for p in (a, b, c)
    }
    assert "Beslut: bifall. Ni har beviljats 9 500 kr." in body_of[a.reference]
    assert "Beslut: avslag." in body_of[b.reference]
    assert "Beslut: förslaget är bordlagt till" in body_of[c.reference]

    # -- the public minutes ----------------------------------------------------------------------
    public = Person.on(new_page())
    public.open(f"{NETWORK}/")
    minutes_list = public.page.get_by_role("heading", name="Protokoll", exact=True).locator(
        "xpath=following-sibling::ul[1]"
    )
    public.click(
        minutes_list.get_by_role("link", name=f"Nätverksträff 1, {meeting.day.isoformat()}")
    )
    expect(public.page.get_by_role("heading", level=1)).to_have_text("Protokoll, nätverksträff 1")
    public.sees(f"Nätverket beslutar att bevilja {ASSOCIATION} 9 500 kr.")
    public.sees("Nätverket beslutar att avslå förslaget.")
    for organisation in members:
        public.sees(organisation)
    main = public.page.locator("main")
    for person in (CHAIR, SECRETARY, ASSOCIATION_REP_NAME, MUNICIPAL_REP_NAME):
        expect(main).not_to_contain_text(person)
    for word in ("Ordförande", "Sekreterare", "Justerare"):
        expect(main).not_to_contain_text(word)

    for person in (coordinator, phone, adjuster, public):
        person.axe.assert_every_page_checked()
    if app_bugs:
        pytest.xfail("; ".join(app_bugs))


# ---- the keyboard ----------------------------------------------------------------------------


def test_the_session_screen_with_the_keyboard_alone(live_server, pre_registration, new_page):
    meeting = register_three_proposals(live_server, pre_registration)
    screen = f"{NETWORK}/meetings/{meeting.meeting_id}/session"

    person = KeyboardPerson.on(new_page())
    person.open(f"/auth/login?next={screen}")
    person.sign_in(COORDINATOR_EMAIL, COORDINATOR_PASSWORD)
    assert person.page.url.endswith(screen)

    keyboard.skip_to_content(person.page)
    person.press_button("Öppna mötet")
    person.sees("Mötet är öppnat.")

    # In the table's order (by name), ticked with Space.
    for organisation in (MUNICIPAL_UNIT, ASSOCIATION, OTHER_ASSOCIATION):
        keyboard.tick_checkbox(person.page, f"Närvarande: {organisation}")
    person.press_button("Spara närvaron")
    person.sees("3 organisationer är närvarande.")

    person.press_button("Öppna omröstning")
    person.sees("Omröstningen är öppen.")
    keyboard.choose_radio(person.page, "Bifall: bevilja")
    keyboard.tab_until(
        person.page,
        lambda f: f.type == "radio" and f.checked and f.label.startswith("Med acklamation"),
        "the chosen way of deciding",
    )
    person.type_into("Beviljat belopp (kronor)", "7000")
    person.press_button("Registrera beslutet")
    person.sees("Beslutet är registrerat: bifall.")
    item = person.page.locator("li[id^='item-']").filter(has_text=meeting.a.reference)
    expect(item.locator(".decision")).to_have_text("Beslut: Bifall, 7 000 kr")
    person.axe.assert_every_page_checked()
