"""The network meetings issue in a browser: a whole meeting, from invitation to public minutes.

The coordinator sends the invitation (with a calendar file) and runs the meeting on the
session screen: attendance, officers, and three proposals, one granted with a lower
amount, one rejected by a counted vote with a vote from a phone, one deferred. The
coordinator plans the next meeting, closes this one and writes the minutes. The two
adjusters approve them signed in, the minutes go out as a PDF, each applicant gets its
decision, and the public reads the public minutes without the names of private persons.
A second test runs the session screen with the keyboard alone. axe-core checks every
page anyone sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from icalendar import Calendar
from playwright.sync_api import expect

from grants import demo
from grants.core.time import local_today
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
from tests.e2e.steps import (
    addressee,
    agenda_item,
    attachments,
    choose,
    flash,
    mails_with_subject,
    one_line,
    pdf_text,
)

NETWORK = f"/n/{NETWORK_SLUG}"
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}

# The other two members the ``network`` fixture adds (demo data), with their representatives.
_, _, _, OTHER_ASSOCIATION_REP_NAME, OTHER_ASSOCIATION_REP_EMAIL = demo.ORGANISATIONS[1]
CHURCH, _, _, CHURCH_REP_NAME, CHURCH_REP_EMAIL = demo.ORGANISATIONS[2]
MEMBERS = [ASSOCIATION, OTHER_ASSOCIATION, CHURCH, MUNICIPAL_UNIT]
# Each member's representative (its contact person) gets the invitation and the minutes.
INVITED = {
    ASSOCIATION_REP_EMAIL,
    OTHER_ASSOCIATION_REP_EMAIL,
    CHURCH_REP_EMAIL,
    MUNICIPAL_REP_EMAIL,
}

CHAIR = OTHER_ASSOCIATION_REP_NAME
SECRETARY = "Sara Nilsson"  # the coordinator
ADJUSTERS = [ASSOCIATION_REP_NAME, MUNICIPAL_REP_NAME]  # present, with passwords
CONDITION = "Redovisa antalet deltagare efteråt."
DEFERRAL_REASON = "Budgeten behöver delas upp per månad."
MINUTES_LINE = "Ahmad berättade om språkcaféet; många vill vara med."


@dataclass(frozen=True)
class Planned:
    """A proposal registered for meeting 1, as the people in the story know it."""

    reference: str
    title: str
    applicant: str
    contact_email: str


@dataclass(frozen=True)
class Meeting1:
    meeting_id: int
    day: date
    a: Planned  # granted by acclamation, with a lower amount and a condition
    b: Planned  # rejected by a counted vote
    c: Planned  # deferred to the next meeting


PROPOSALS = [
    # applicant, its contact person and address, title, kronor requested
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
    from grants.core.outbox import OutboxMail
    from grants.members.models import Organisation, User
    from grants.networks.models import Network
    from grants.proposals.operations import ProposalInput, register_proposal

    with live_server.app.app_context():
        network = db.session.scalar(sa.select(Network).where(Network.slug == NETWORK_SLUG))
        coordinator = db.session.scalar(sa.select(User).where(User.email == COORDINATOR_EMAIL))
        planned, meeting_ids = [], set()
        for applicant_name, contact, email, title, kronor in PROPOSALS:
            applicant = db.session.scalar(
                sa.select(Organisation).where(Organisation.name == applicant_name)
            )
            proposal = register_proposal(
                network,
                ProposalInput(
                    applicant=applicant,
                    title=title,
                    summary="En aktivitet för nyanlända och etablerade tillsammans.",
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
            meeting_ids.add(proposal.meeting_id)
            planned.append(Planned(proposal.reference, title, applicant_name, email))
        # The receipts are not part of the story.
        db.session.execute(sa.delete(OutboxMail))
        db.session.commit()
        db.session.remove()
    [meeting_id] = meeting_ids
    assert meeting_id is not None
    return Meeting1(meeting_id, seeded.meeting_day, *planned)


# ---- what people do and see --------------------------------------------------------------


def decision_mail(live_server, proposal: Planned) -> str:
    """The text of the one decision mail the proposal's contact person got."""
    [mail] = mails_with_subject(live_server, f"Beslut om förslag {proposal.reference}")
    assert addressee(mail) == proposal.contact_email
    return one_line(mail.get_body(preferencelist=("plain",)).get_content())


# ---- the story -----------------------------------------------------------------------------


def test_a_whole_meeting_from_invitation_to_public_minutes(live_server, pre_registration, new_page):
    from grants.core.time import STOCKHOLM

    meeting = register_three_proposals(live_server, pre_registration)
    a, b, c = meeting.a, meeting.b, meeting.c
    meeting_url = f"{NETWORK}/meetings/{meeting.meeting_id}"

    # -- the invitation, with a calendar file ---------------------------------------------------
    coordinator = Person.on(new_page())
    coordinator.open("/auth/login")
    coordinator.sign_in(COORDINATOR_EMAIL, COORDINATOR_PASSWORD)
    coordinator.open(meeting_url)
    # The meeting is 24 days away and the network invites 21 days before: no short notice
    # to confirm, so there is no tick box to confirm it with.
    short_notice = coordinator.page.get_by_role("checkbox", name=re.compile("^Skicka kallelsen"))
    expect(short_notice).to_have_count(0)
    coordinator.click(coordinator.button("Skicka kallelsen"))
    expect(flash(coordinator)).to_contain_text(
        "Kallelsen är skickad till 4 mottagare. Förslagen på dagordningen är nu låsta."
    )

    live_server.deliver_mail()
    invitations = mails_with_subject(
        live_server, f"Kallelse till nätverksträff 1, {meeting.day.isoformat()}"
    )
    assert {addressee(m) for m in invitations} == INVITED
    [invitation] = live_server.mails_to(MUNICIPAL_REP_EMAIL)
    assert f"{a.reference} {a.title}" in invitation.get_body(("plain",)).get_content()
    [ics] = attachments(invitation, "text/calendar")
    assert ics.get_filename() == "motet.ics"
    # The part's Content-Type names no charset: the bytes are iCalendar's own UTF-8.
    calendar = Calendar.from_ical(ics.get_payload(decode=True).decode("utf-8"))
    assert str(calendar["METHOD"]) == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{meeting.meeting_id}@127.0.0.1"
    assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert event.decoded("DTSTART") == datetime.combine(meeting.day, time(16, 30), STOCKHOLM)
    assert event.decoded("DTEND") == datetime.combine(meeting.day, time(19, 0), STOCKHOLM)
    assert str(event["SUMMARY"]) == f"Nätverksträff 1, {NETWORK_NAME}"
    assert str(event["LOCATION"]) == "Junogatan 2, våning 6"

    # -- the meeting opens: attendance and officers ----------------------------------------------
    coordinator.click(coordinator.link("Mötesskärmen"))
    # Planned for another day: a meeting is held on its day, so it moves to today.
    coordinator.click(coordinator.button("Flytta mötet till i dag"))
    coordinator.sees("Mötet är flyttat till i dag.")
    coordinator.click(coordinator.button("Öppna mötet"))
    coordinator.sees("Mötet är öppnat.")
    for organisation in MEMBERS:
        coordinator.tick(f"Närvarande: {organisation}")
    coordinator.page.get_by_role(
        "textbox", name=f"Namn på närvarande för {ASSOCIATION}", exact=True
    ).fill(ASSOCIATION_REP_NAME)
    coordinator.click(coordinator.button("Spara närvaron"))
    coordinator.sees("4 organisationer är närvarande.")

    coordinator.field("Ordförande").fill(CHAIR)
    coordinator.field("Sekreterare").fill(SECRETARY)
    for name in ADJUSTERS:
        coordinator.tick(name)
    coordinator.click(coordinator.page.locator("#officers").get_by_role("button", name="Spara"))
    coordinator.sees("Ordförande, sekreterare och justerare är valda.")

    # -- proposal A: granted by acclamation, less than requested, with a condition -----------
    item = agenda_item(coordinator, a)
    expect(item).to_contain_text(f"Jäviga, röstar inte: {ASSOCIATION}")
    choose(coordinator, item, "Bifall: bevilja")
    item.get_by_label("Beviljat belopp (kronor)").fill("9 500")
    item.get_by_label("Villkor (frivilligt)").fill(CONDITION)
    coordinator.click(item.get_by_role("button", name="Registrera beslutet"))
    coordinator.sees("Beslutet är registrerat: bifall.")
    expect(agenda_item(coordinator, a).locator(".decision")).to_have_text(
        f"Beslut: Bifall, 9 500 kr. Villkor: {CONDITION}"
    )

    # -- proposal B: a counted vote, one vote from a phone --------------------------------------
    item = agenda_item(coordinator, b)
    coordinator.click(item.get_by_role("button", name="Öppna omröstning"))
    coordinator.sees("Omröstningen är öppen.")
    item = agenda_item(coordinator, b)
    count = item.locator(".vote-count")
    expect(count).to_contain_text("Har inte röstat 3")  # the applicant does not vote

    phone = Person.on(new_page(**PHONE), touch=True)
    phone.open("/auth/login")
    phone.sign_in(MUNICIPAL_REP_EMAIL, MUNICIPAL_REP_PASSWORD)
    phone.open(f"{meeting_url}/vote")
    phone.sees(f"För {MUNICIPAL_UNIT}")
    phone.click(phone.button("Nej"))
    phone.sees(f"Rösten för {MUNICIPAL_UNIT} är registrerad.")

    # The projector updates by itself.
    expect(count).to_contain_text("Nej 1", timeout=8000)
    expect(count).to_contain_text("Har inte röstat 2")
    item.get_by_label(f"Röst för {ASSOCIATION}").select_option(label="Nej")
    item.get_by_label(f"Röst för {CHURCH}").select_option(label="Ja")
    coordinator.click(item.get_by_role("button", name="Registrera rösterna"))
    coordinator.sees("Rösterna är registrerade.")
    # The vote is closed; the counts decide that it is rejected, and nothing else is asked.
    item = agenda_item(coordinator, b)
    item.get_by_text("Nätverkets regel: Enkel majoritet").wait_for()
    coordinator.click(item.get_by_role("button", name="Stäng omröstningen"))
    coordinator.sees("Omröstningen är stängd. Alla som fick rösta har röstat.")
    item = agenda_item(coordinator, b)
    expect(item.locator(".vote-result")).to_have_text(
        "Omröstningen är stängd. Enligt rösterna: avslag."
    )
    expect(item.get_by_role("radio", name="Bifall: bevilja")).to_have_count(0)
    coordinator.click(item.get_by_role("button", name="Registrera beslutet"))
    coordinator.sees("Beslutet är registrerat: avslag.")
    expect(agenda_item(coordinator, b).locator(".decision")).to_have_text(
        "Beslut: Avslag (1 ja, 2 nej, 0 avstår)"
    )

    # -- proposal C: deferred, with a reason ----------------------------------------------------
    item = agenda_item(coordinator, c)
    choose(coordinator, item, "Bordläggning till nästa möte")
    item.get_by_label("Motivering").fill(DEFERRAL_REASON)
    coordinator.click(item.get_by_role("button", name="Registrera beslutet"))
    coordinator.sees("Beslutet är registrerat: bordlagt.")
    expect(agenda_item(coordinator, c).locator(".decision")).to_have_text(
        f"Beslut: Bordlagt. {DEFERRAL_REASON}"
    )

    # -- the next meeting, set at this one ------------------------------------------------------
    next_day = meeting.day + timedelta(days=42)
    coordinator.fill_date("Datum", next_day)
    coordinator.field("Börjar klockan").fill("17:00")
    coordinator.field("Slutar klockan").fill("19:30")
    coordinator.field("Plats").fill("Stadsbiblioteket, Kungstorget")
    coordinator.click(coordinator.button("Planera nästa möte"))
    coordinator.sees("Nästa möte är planerat: möte 2.")

    # The deferred proposal now waits for meeting 2.
    coordinator.click(agenda_item(coordinator, c).get_by_role("link", name="Förslaget"))
    expect(coordinator.page.get_by_role("heading", level=1)).to_have_text(c.title)
    taken_up = coordinator.page.locator("dt:text-is('Tas upp på') + dd")
    expect(taken_up).to_have_text(f"Möte 2, {next_day.isoformat()}")

    # -- the meeting closes; the minutes ---------------------------------------------------------
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
    expect(coordinator.page.locator("article.minutes")).to_contain_text(MINUTES_LINE)

    # -- the adjusters approve, each signed in in a browser of their own -----------------------
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

    # -- the minutes as a PDF to everyone invited, and each applicant's decision -------------
    live_server.smtp.handler.messages.clear()
    live_server.deliver_mail()
    minutes_mails = mails_with_subject(
        # moved to the day it was held
        live_server,
        f"Protokoll från nätverksträff 1, {local_today().isoformat()}",
    )
    assert sorted(addressee(m) for m in minutes_mails) == sorted(INVITED)
    pdfs = [attachments(mail, "application/pdf") for mail in minutes_mails]
    assert all(len(found) == 1 for found in pdfs)
    assert {found[0].get_filename() for found in pdfs} == {"protokoll-motet-1.pdf"}
    text = pdf_text(pdfs[0][0].get_content())
    for expected in (
        f"Nätverket beslutar att bevilja {ASSOCIATION} 9 500 kr. Villkor: {CONDITION}",
        MINUTES_LINE,
        "Nätverket beslutar att avslå förslaget.",
        "Beslutet fattades efter omröstning: 1 ja, 2 nej, 0 avstod.",
        f"Motivering: {DEFERRAL_REASON}",
        f"Ordförande: {CHAIR}",
        f"Justerare: {', '.join(ADJUSTERS)}",
    ):
        assert expected in text, f"{expected!r} is not in the minutes: {text}"

    assert "Beslut: bifall. Ni har beviljats 9 500 kr." in decision_mail(live_server, a)
    assert "Beslut: avslag." in decision_mail(live_server, b)
    assert "Beslut: förslaget är bordlagt till" in decision_mail(live_server, c)

    # -- the public minutes: organisations and decisions, no private persons ---------------
    public = Person.on(new_page())
    public.open(f"{NETWORK}/")
    under_minutes = public.page.get_by_role("heading", name="Protokoll", exact=True).locator(
        "xpath=following-sibling::ul[1]"
    )
    public.click(
        under_minutes.get_by_role("link", name=f"Nätverksträff 1, {local_today().isoformat()}")
    )
    expect(public.page.get_by_role("heading", level=1)).to_have_text("Protokoll, nätverksträff 1")
    public.sees(f"Nätverket beslutar att bevilja {ASSOCIATION} 9 500 kr.")
    public.sees("Nätverket beslutar att avslå förslaget.")
    for organisation in MEMBERS:
        public.sees(organisation)
    main = public.page.locator("main")
    for name in (CHAIR, SECRETARY, *ADJUSTERS):
        expect(main).not_to_contain_text(name)
    for title in ("Ordförande", "Sekreterare", "Justerare"):
        expect(main).not_to_contain_text(title)

    for person in (coordinator, phone, adjuster, public):
        person.axe.assert_every_page_checked()


# ---- the keyboard ----------------------------------------------------------------------------


def test_the_session_screen_with_the_keyboard_alone(live_server, pre_registration, new_page):
    meeting = register_three_proposals(live_server, pre_registration)
    screen = f"{NETWORK}/meetings/{meeting.meeting_id}/session"

    person = KeyboardPerson.on(new_page())
    person.open(f"/auth/login?next={screen}")
    person.sign_in(COORDINATOR_EMAIL, COORDINATOR_PASSWORD)
    assert person.page.url.endswith(screen)

    keyboard.skip_to_content(person.page)
    person.press_button("Flytta mötet till i dag")
    person.sees("Mötet är flyttat till i dag.")
    keyboard.skip_to_content(person.page)
    person.press_button("Öppna mötet")
    person.sees("Mötet är öppnat.")

    # Ticked with Space, in the table's order (by name).
    for organisation in (MUNICIPAL_UNIT, ASSOCIATION, OTHER_ASSOCIATION):
        keyboard.tick_checkbox(person.page, f"Närvarande: {organisation}")
    person.press_button("Spara närvaron")
    person.sees("3 organisationer är närvarande.")

    # The first proposal on the agenda, A: the meeting agrees without a vote.
    keyboard.choose_radio(person.page, "Bifall: bevilja")
    person.type_into("Beviljat belopp (kronor)", "7000")
    person.press_button("Registrera beslutet")
    person.sees("Beslutet är registrerat: bifall.")
    decision = person.page.locator("li[id^='item-']").filter(has_text=meeting.a.reference)
    expect(decision.locator(".decision")).to_have_text("Beslut: Bifall, 7 000 kr")
    person.axe.assert_every_page_checked()
