"""The public face and a person's own data, in a browser: the network's page and what it
funded, in Swedish and in English (through the header's switch), and a representative
who finds and downloads what the app holds about them, with a mouse and with only a
keyboard. axe-core on every page."""

from __future__ import annotations

import json
import re
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from playwright.sync_api import expect

from grants.core.time import local_today
from tests.e2e import keyboard
from tests.e2e.conftest import (
    ASSOCIATION,
    ASSOCIATION_REP_EMAIL,
    ASSOCIATION_REP_NAME,
    ASSOCIATION_REP_PASSWORD,
    COORDINATOR_EMAIL,
    COORDINATOR_PASSWORD,
    NETWORK_SLUG,
)
from tests.e2e.people import KeyboardPerson, Person
from tests.e2e.reflow import NARROW, scrolls_sideways
from tests.factories import on_its_day

ACTIVITY = "Språkcafé på biblioteket"
NEXT_PLACE = "Stadsbiblioteket, Kungsgatan 15"


def _funded_network(live_server, pre_registration) -> None:
    """Meeting 1 decides the association's proposal (10 000 kr) and its minutes are adjusted
    on paper; meeting 2 is planned. Through the app's operations."""
    from grants.core.outbox import OutboxAttachment, OutboxMail
    from grants.core.time import STOCKHOLM
    from grants.extensions import db
    from grants.meetings import decisions, minutes, session
    from grants.meetings.models import DecisionMethod, Meeting
    from grants.meetings.operations import plan_meeting
    from grants.meetings.rules import Outcome
    from grants.members.models import Membership, Organisation, User
    from grants.networks.models import Network
    from grants.proposals.operations import ProposalInput, register_proposal

    with live_server.app.app_context():
        network = db.session.scalar(sa.select(Network).where(Network.slug == NETWORK_SLUG))
        coordinator = db.session.scalar(sa.select(User).where(User.email == COORDINATOR_EMAIL))
        rep = db.session.scalar(sa.select(User).where(User.email == ASSOCIATION_REP_EMAIL))
        association = db.session.scalar(
            sa.select(Organisation).where(Organisation.name == ASSOCIATION)
        )
        register_proposal(
            network,
            ProposalInput(
                applicant=association,
                title=ACTIVITY,
                summary="Samtal på svenska varje torsdag.",
                criteria=network.active_criteria[:1],
                planned_start=pre_registration.meeting_day + timedelta(days=14),
                planned_end=pre_registration.meeting_day + timedelta(days=100),
                requested_ore=1_000_000,
                budget_rows=[("Fika och material", 1_000_000)],
                contact_name=ASSOCIATION_REP_NAME,
                contact_email=ASSOCIATION_REP_EMAIL,
            ),
            actor=rep,
            by_coordinator=False,
        )
        meeting = db.session.scalar(sa.select(Meeting).where(Meeting.network_id == network.id))
        session.start_session(on_its_day(meeting), actor=coordinator)
        for membership in db.session.scalars(
            sa.select(Membership).where(Membership.network_id == network.id)
        ):
            session.record_attendance(
                meeting,
                membership.organisation,
                present=True,
                people=ASSOCIATION_REP_NAME,
                actor=coordinator,
            )
        for item in session.agenda(meeting):
            if item.proposal_id is not None:
                decisions.decide(
                    item,
                    outcome=Outcome.APPROVED,
                    method=DecisionMethod.ACCLAMATION,
                    amount_ore=1_000_000,
                    actor=coordinator,
                )
        minutes.set_officers(
            meeting,
            chair="Sara Nilsson",
            secretary="Karin Ek",
            adjuster_ids=[coordinator.id],
            actor=coordinator,
        )
        minutes.close_meeting(meeting, actor=coordinator)
        minutes.record_paper_adjustment(
            meeting, note="Justerat av Sara Nilsson.", actor=coordinator
        )
        day = pre_registration.meeting_day + timedelta(days=45)
        plan_meeting(
            network,
            starts_at=datetime.combine(day, time(16, 30), tzinfo=STOCKHOLM),
            ends_at=datetime.combine(day, time(19, 0), tzinfo=STOCKHOLM),
            place=NEXT_PLACE,
            host=association,
            theme="",
            actor=coordinator,
        )
        db.session.execute(sa.delete(OutboxAttachment))
        db.session.execute(sa.delete(OutboxMail))
        db.session.commit()
        db.session.remove()


def names_no_one(page) -> None:
    """Invariant 9: the page shown names no private person of the story."""
    text = page.locator("body").inner_text()
    for private in (ASSOCIATION_REP_NAME, ASSOCIATION_REP_EMAIL, "Sara Nilsson", "Karin Ek"):
        assert private not in text, f"{page.url} names {private}"


def test_the_public_sees_what_was_funded_in_swedish_and_english(
    live_server, pre_registration, page
):
    _funded_network(live_server, pre_registration)
    visitor = Person.on(page)
    visitor.open(f"/n/{NETWORK_SLUG}/")
    visitor.sees("Kommande nätverksträffar")
    visitor.sees(NEXT_PLACE)
    visitor.sees("10 000 kr beviljat")
    names_no_one(page)

    visitor.click(
        visitor.link("Vad nätverket har beviljat: organisationer, aktiviteter och belopp")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Beviljade bidrag")
    row = page.get_by_role("row", name=re.compile(ACTIVITY))
    expect(row).to_contain_text(ASSOCIATION)
    expect(row).to_contain_text("10 000 kr")
    expect(row.get_by_role("link", name=re.compile("Nätverksträff 1"))).to_be_visible()
    names_no_one(page)

    # English, through the switch in the header, and the network's page in English.
    visitor.click(visitor.button("English"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("row", name=re.compile(ACTIVITY))).to_contain_text("SEK 10,000")
    names_no_one(page)
    visitor.click(page.get_by_role("banner").locator(f'a[href="/n/{NETWORK_SLUG}/"]').last)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    visitor.sees(NEXT_PLACE)
    visitor.sees("SEK 10,000")
    names_no_one(page)

    # The public minutes the funded page links to, then back to Swedish.
    visitor.click(page.get_by_role("banner").locator(f'a[href="/n/{NETWORK_SLUG}/funded"]'))
    visitor.click(page.get_by_role("row", name=re.compile(ACTIVITY)).get_by_role("link"))
    visitor.sees(ASSOCIATION)
    names_no_one(page)
    visitor.click(visitor.button("Svenska"))
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    visitor.sees("Nätverket beslutar att bevilja")
    names_no_one(page)
    visitor.axe.assert_every_page_checked()


def test_the_public_pages_work_with_only_a_keyboard(live_server, pre_registration, page):
    _funded_network(live_server, pre_registration)
    visitor = KeyboardPerson.on(page)
    visitor.open(f"/n/{NETWORK_SLUG}/")
    keyboard.skip_to_content(page)
    visitor.follow_link("Vad nätverket har beviljat: organisationer, aktiviteter och belopp")
    expect(page.get_by_role("heading", level=1)).to_have_text("Beviljade bidrag")
    keyboard.skip_to_content(page)
    visitor.follow_link(f"Nätverksträff 1, {local_today().isoformat()}")  # held today
    visitor.sees("Nätverket beslutar att bevilja")
    # Back up to the language switch, and into English.
    keyboard.skip_to_content(page)
    visitor.press_button("English", backwards=True)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    visitor.axe.assert_every_page_checked()


def test_a_person_finds_and_downloads_what_the_app_holds_about_them(
    live_server, pre_registration, page, tmp_path
):
    _funded_network(live_server, pre_registration)
    rep = Person.on(page)
    rep.open("/auth/login")
    rep.sign_in(ASSOCIATION_REP_EMAIL, ASSOCIATION_REP_PASSWORD)
    rep.click(page.get_by_role("banner").get_by_role("link", name=ASSOCIATION_REP_NAME))
    rep.click(rep.link("Visa mina uppgifter"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina uppgifter")
    rep.sees(ASSOCIATION_REP_EMAIL)
    rep.sees(ACTIVITY)
    rep.sees("proposal.registered")
    with page.expect_download() as download_info:
        rep.link("Ladda ner uppgifterna (JSON)").click()
    download = download_info.value
    assert re.fullmatch(r"mina-uppgifter-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["account"]["email"] == ASSOCIATION_REP_EMAIL
    assert [p["title"] for p in data["proposals"]] == [ACTIVITY]
    assert "Sara Nilsson" not in saved.read_text(encoding="utf-8")
    # In English too.
    rep.click(rep.button("English"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    rep.sees(ASSOCIATION_REP_EMAIL)
    rep.axe.assert_every_page_checked()


def test_the_extract_is_reachable_with_only_a_keyboard(
    live_server, pre_registration, page, tmp_path
):
    _funded_network(live_server, pre_registration)
    rep = KeyboardPerson.on(page)
    rep.open("/auth/login")
    rep.sign_in(ASSOCIATION_REP_EMAIL, ASSOCIATION_REP_PASSWORD)
    rep.follow_link(ASSOCIATION_REP_NAME)
    keyboard.skip_to_content(page)
    rep.follow_link("Visa mina uppgifter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina uppgifter")
    keyboard.skip_to_content(page)
    keyboard.tab_to_link(page, "Ladda ner uppgifterna (JSON)")
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    saved = tmp_path / "extract.json"
    download_info.value.save_as(saved)
    assert json.loads(saved.read_text(encoding="utf-8"))["account"]["name"] == ASSOCIATION_REP_NAME
    rep.axe.assert_every_page_checked()


def test_the_new_pages_reflow_at_320_pixels(live_server, pre_registration, new_page):
    """WCAG 1.4.10: nothing scrolls sideways on a narrow phone (tables scroll in place)."""
    from grants.extensions import db
    from grants.members.models import User

    _funded_network(live_server, pre_registration)
    with live_server.app.app_context():
        rep_id = db.session.scalar(sa.select(User.id).where(User.email == ASSOCIATION_REP_EMAIL))
        db.session.remove()
    page = new_page(viewport=NARROW)
    person = Person.on(page)
    sideways = []

    def visit(path):
        person.open(path)
        if scrolls_sideways(page):
            sideways.append(path)

    for language in ("sv", "en"):
        visit(f"/n/{NETWORK_SLUG}/?lang={language}")
        visit(f"/n/{NETWORK_SLUG}/funded?lang={language}")
    visit("/auth/login?lang=sv")
    person.sign_in(COORDINATOR_EMAIL, COORDINATOR_PASSWORD)
    visit("/auth/account/data")
    visit(f"/n/{NETWORK_SLUG}/admin/people/")
    visit(f"/n/{NETWORK_SLUG}/admin/people/{rep_id}/erase")
    assert sideways == [], sideways
    person.axe.assert_every_page_checked()
