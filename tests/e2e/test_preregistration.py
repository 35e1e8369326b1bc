"""The pre-registration issue in a browser: members propose activities for the next meeting.

A representative on a phone, the coordinator registering a proposal that came by
e-mail, a municipal unit that must apply with an association, the list with its
filters in both languages, a change and its diff, and the whole pre-registration
with the keyboard alone. axe-core checks every page anyone sees.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e import keyboard
from tests.e2e.conftest import (
    ASSOCIATION,
    ASSOCIATION_REP_EMAIL,
    ASSOCIATION_REP_NAME,
    ASSOCIATION_REP_PASSWORD,
    COORDINATOR_EMAIL,
    COORDINATOR_PASSWORD,
    FUNDER,
    MUNICIPAL_REP_EMAIL,
    MUNICIPAL_REP_PASSWORD,
    MUNICIPAL_UNIT,
    NETWORK_SLUG,
    OTHER_ASSOCIATION,
    PreRegistration,
)
from tests.e2e.people import KeyboardPerson, Person
from tests.e2e.steps import CRITERION, SUMMARY, fill_in_the_activity, open_the_form

PROPOSALS = f"/n/{NETWORK_SLUG}/proposals/"
TITLE = "Språkcafé på torsdagar"
PHONE = {
    "viewport": {"width": 375, "height": 812},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
MAIL_TEXT = (
    "Hej Sara!\n"
    "Vi på Studieförbundet vill ordna läxhjälp på biblioteket två kvällar i veckan.\n"
    "Vänliga hälsningar, Eva Berg"
)


# ---- what people do and see ------------------------------------------------------------------


def count_of_proposals(page: Page) -> Locator:
    """The line above the list that says how many proposals it holds."""
    return page.get_by_role("status").filter(has_text=re.compile(r"^\s*\d+ (förslag|proposals?)"))


def error_summary(page: Page) -> Locator:
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Det finns fel i formuläret")
    expect(summary).to_be_focused()
    return summary


def changes_under(page: Page, heading: str) -> Locator:
    """On a version's page: the list of removed and added lines under a field's heading."""
    return page.get_by_role("heading", name=heading, level=2, exact=True).locator(
        "xpath=following-sibling::ul[1]"
    )


def assert_no_horizontal_scrolling(page: Page) -> None:
    """Nothing sticks out sideways on the phone. (Not ``innerWidth``: a phone browser zooms
    out to fit a page that is too wide, and ``innerWidth`` grows with it.)"""
    screen = PHONE["viewport"]["width"]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= screen + 1, (
        f"{page.url} is {width} px wide on a {screen} px screen: it scrolls sideways"
    )


def assert_registered(page: Page, reference: str, seeded: PreRegistration) -> None:
    """The proposal's own page, right after it was sent."""
    main = page.locator("main")
    expect(main.locator(".alert-success")).to_contain_text(
        f"Förslaget är registrerat med nummer {reference}."
    )
    lead = main.locator(".lead")
    expect(lead).to_contain_text(reference)
    expect(lead).to_contain_text("Föranmält")
    expect(
        main.get_by_role("link", name=f"Möte 1, {seeded.meeting_day.isoformat()}")
    ).to_be_visible()


def the_receipt(live_server, to: str, reference: str):
    live_server.deliver_mail()
    receipts = live_server.mails_to(to)
    assert [str(m["Subject"]) for m in receipts] == [f"Förslag {reference} är registrerat"]
    return receipts[0].get_body(preferencelist=("plain",)).get_content()


# ---- the stories -------------------------------------------------------------------------


def test_a_representative_pre_registers_a_proposal_on_a_phone(
    live_server, pre_registration, new_page
):
    seeded = pre_registration
    reference = f"{seeded.today.year}-001"
    rep = Person.on(new_page(**PHONE), touch=True)

    rep.open("/auth/login")
    rep.sign_in(ASSOCIATION_REP_EMAIL, ASSOCIATION_REP_PASSWORD)
    open_the_form(rep)
    pot = rep.page.get_by_role("complementary", name="Kvar att söka")
    expect(pot).to_contain_text("100 000 kr")
    expect(pot).to_contain_text(FUNDER)
    assert_no_horizontal_scrolling(rep.page)
    expect(rep.field("Sökande organisation").locator("option:checked")).to_have_text(ASSOCIATION)
    expect(rep.field("Kontaktperson")).to_have_value(ASSOCIATION_REP_NAME)

    fill_in_the_activity(rep, seeded, title=TITLE)
    rep.click(rep.button("Skicka förslaget"))

    expect(rep.page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_registered(rep.page, reference, seeded)
    rep.sees("12 500,50 kr")
    budget = rep.page.get_by_role("table", name="Budget")
    expect(budget.get_by_role("row", name=re.compile("^Fika"))).to_contain_text("2 500,50 kr")
    expect(budget.get_by_role("row", name=re.compile("^Lokalhyra"))).to_contain_text("10 000 kr")
    expect(budget.get_by_role("row", name=re.compile("^Summa"))).to_contain_text("12 500,50 kr")
    assert_no_horizontal_scrolling(rep.page)

    body = the_receipt(live_server, ASSOCIATION_REP_EMAIL, reference)
    assert TITLE in body
    assert "12\u00a0500,50\u00a0kr" in body
    assert f"Möte 1, {seeded.meeting_day.isoformat()} 16:30" in body

    rep.axe.assert_every_page_checked()


def test_the_coordinator_registers_a_proposal_that_came_by_email(
    live_server, pre_registration, new_page
):
    seeded = pre_registration
    arrived = seeded.today - timedelta(days=2)
    reference = f"{arrived.year}-001"
    coordinator = Person.on(new_page())

    coordinator.open("/auth/login")
    coordinator.sign_in(COORDINATOR_EMAIL, COORDINATOR_PASSWORD)
    open_the_form(coordinator)

    # Typed in a hurry: the mail "came" tomorrow.
    coordinator.page.get_by_label("Med e-post mellan två nätverksträffar").check()
    coordinator.fill_date("Dag då e-posten kom", seeded.today + timedelta(days=1))
    coordinator.field("Klockslag då e-posten kom").fill("09:15")
    coordinator.field("E-postmeddelandets text").fill(MAIL_TEXT)
    coordinator.field("Sökande organisation").select_option(label=OTHER_ASSOCIATION)
    fill_in_the_activity(coordinator, seeded, title="Läxhjälp på biblioteket")
    coordinator.field("Kontaktperson").fill("Eva Berg")
    coordinator.field("Kontaktpersonens e-postadress").fill("eva.berg@bildning.example.se")
    coordinator.click(coordinator.button("Skicka förslaget"))

    summary = error_summary(coordinator.page)
    expect(summary).to_contain_text("Datumet då e-posten kom kan inte ligga i framtiden")
    received = coordinator.field("Dag då e-posten kom")
    expect(received).to_have_attribute("aria-invalid", "true")
    expect(received).to_have_accessible_description(re.compile("kan inte ligga i framtiden"))
    summary.get_by_role("link", name=re.compile("kan inte ligga i framtiden")).click()
    expect(received).to_be_focused()
    # What was typed is still there.
    expect(coordinator.field("E-postmeddelandets text")).to_have_value(MAIL_TEXT)
    expect(coordinator.page.get_by_label(CRITERION)).to_be_checked()
    expect(coordinator.field("Belopp 2 (kr)")).to_have_value("10 000")

    # Nothing was saved: the list in another tab is empty.
    other_tab = Person.on(coordinator.page.context.new_page())
    other_tab.open(PROPOSALS)
    expect(count_of_proposals(other_tab.page)).to_have_text("0 förslag")
    other_tab.sees("Inga förslag matchar.")
    other_tab.axe.assert_every_page_checked()
    other_tab.page.close()

    coordinator.fill_date("Dag då e-posten kom", arrived)
    coordinator.click(coordinator.button("Skicka förslaget"))
    expect(coordinator.page.get_by_role("heading", level=1)).to_have_text("Läxhjälp på biblioteket")
    assert_registered(coordinator.page, reference, seeded)
    coordinator.sees(f"Med e-post, {arrived.isoformat()} 09:15")
    coordinator.sees("Registrerat av")
    expect(coordinator.page.get_by_role("heading", name="E-postmeddelandet")).to_be_visible()
    expect(coordinator.page.locator("main pre")).to_contain_text(
        "vill ordna läxhjälp på biblioteket två kvällar i veckan"
    )
    the_receipt(live_server, "eva.berg@bildning.example.se", reference)

    # The meeting it goes to, and the pot, as the coordinator sees them.
    coordinator.click(coordinator.menu("Möten"))
    expect(coordinator.page.get_by_role("heading", level=1)).to_have_text("Nätverksträffar")
    meeting_row = coordinator.page.get_by_role("row", name=re.compile("^Möte 1"))
    expect(meeting_row).to_contain_text(f"{seeded.meeting_day.isoformat()} 16:30")
    expect(meeting_row).to_contain_text("Planerat")
    coordinator.click(meeting_row.get_by_role("link", name="Möte 1"))
    expect(coordinator.page.get_by_role("heading", level=1)).to_have_text("Möte 1")
    queued = coordinator.page.get_by_role("table", name="Förslag till mötet")
    expect(queued.get_by_role("row", name=re.compile(reference))).to_contain_text(
        "Läxhjälp på biblioteket"
    )

    coordinator.click(coordinator.menu("Pott"))
    expect(coordinator.page.get_by_role("heading", level=1)).to_have_text("Pott och budget")
    period = coordinator.page.get_by_role("region", name=re.compile(f"^{FUNDER}"))
    expect(period).to_contain_text("Pågår")
    expect(period).to_contain_text("Kvar att söka: 100 000 kr")

    coordinator.axe.assert_every_page_checked()


def test_a_municipal_unit_must_apply_together_with_an_association(
    live_server, pre_registration, new_page
):
    seeded = pre_registration
    rep = Person.on(new_page())

    rep.open("/auth/login")
    rep.sign_in(MUNICIPAL_REP_EMAIL, MUNICIPAL_REP_PASSWORD)
    open_the_form(rep)
    expect(rep.field("Sökande organisation").locator("option:checked")).to_have_text(MUNICIPAL_UNIT)
    fill_in_the_activity(rep, seeded, title="Föräldrakaffe i Ålsäter")
    rep.click(rep.button("Skicka förslaget"))

    refusal = "En kommunal verksamhet kan bara söka tillsammans med en förening"
    summary = error_summary(rep.page)
    expect(summary).to_contain_text(refusal)
    co_applicants = rep.page.get_by_role("group", name=re.compile("^Medsökande organisationer"))
    expect(co_applicants).to_have_accessible_description(re.compile(refusal))
    summary.get_by_role("link", name=re.compile(refusal)).click()
    expect(co_applicants.get_by_role("checkbox").first).to_be_focused()

    rep.tick(ASSOCIATION)
    rep.click(rep.button("Skicka förslaget"))
    expect(rep.page.get_by_role("heading", level=1)).to_have_text("Föräldrakaffe i Ålsäter")
    assert_registered(rep.page, f"{seeded.today.year}-001", seeded)
    rep.sees(f"Medsökande {ASSOCIATION}")
    rep.axe.assert_every_page_checked()


@pytest.fixture
def two_proposals(live_server, pre_registration):
    """The association's proposal, and another member's, withdrawn. Through the operations."""
    import sqlalchemy as sa

    from grants.core.outbox import OutboxMail
    from grants.extensions import db
    from grants.members.models import Organisation, User
    from grants.networks.models import Network
    from grants.proposals.operations import ProposalInput, register_proposal, withdraw_proposal

    start = pre_registration.today + timedelta(days=40)
    with live_server.app.app_context():
        network = db.session.scalar(sa.select(Network).where(Network.slug == NETWORK_SLUG))
        criteria = network.active_criteria

        def user(email):
            return db.session.scalar(sa.select(User).where(User.email == email))

        def organisation(name):
            return db.session.scalar(sa.select(Organisation).where(Organisation.name == name))

        def proposal(applicant, title, rows, contact):
            return ProposalInput(
                applicant=organisation(applicant),
                title=title,
                summary=SUMMARY,
                criteria=[criteria[0]],
                planned_start=start,
                planned_end=start + timedelta(days=60),
                requested_ore=sum(amount for _, amount in rows),
                budget_rows=rows,
                contact_name=contact.name,
                contact_email=contact.email,
            )

        ahmad, coordinator = user(ASSOCIATION_REP_EMAIL), user(COORDINATOR_EMAIL)
        register_proposal(
            network,
            proposal(ASSOCIATION, "Språkcafé varje torsdag", [("Fika", 750_000)], ahmad),
            actor=ahmad,
            by_coordinator=False,
        )
        homework = register_proposal(
            network,
            proposal(
                OTHER_ASSOCIATION, "Läxhjälp på biblioteket", [("Böcker", 500_000)], coordinator
            ),
            actor=coordinator,
            by_coordinator=True,
        )
        withdraw_proposal(homework, actor=coordinator)
        db.session.execute(sa.delete(OutboxMail))
        db.session.commit()
        db.session.remove()


def test_the_list_filters_a_change_shows_its_diff_and_it_all_reads_in_english(
    live_server, two_proposals, new_page
):
    rep = Person.on(new_page())
    rep.open("/auth/login")
    rep.sign_in(ASSOCIATION_REP_EMAIL, ASSOCIATION_REP_PASSWORD)
    rep.click(rep.menu("Förslag"))
    expect(count_of_proposals(rep.page)).to_have_text("2 förslag")
    expect(rep.page.get_by_role("complementary", name="Kvar att söka")).to_contain_text(
        "100 000 kr"
    )
    rows = rep.page.get_by_role("table").get_by_role("row")

    rep.field("Läge").select_option(label="Tillbakadraget")
    rep.click(rep.button("Visa"))
    expect(count_of_proposals(rep.page)).to_have_text("1 förslag")
    expect(rows).to_have_count(2)  # the header and one proposal
    expect(rows.nth(1)).to_contain_text("Läxhjälp på biblioteket")
    expect(rows.nth(1)).to_contain_text("Tillbakadraget")
    expect(rep.field("Läge")).to_have_value("withdrawn")  # the filter stays chosen

    rep.field("Läge").select_option(label="Alla")
    rep.field("Organisation").select_option(label=ASSOCIATION)
    rep.click(rep.button("Visa"))
    expect(count_of_proposals(rep.page)).to_have_text("1 förslag")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("Språkcafé varje torsdag")
    expect(rows.nth(1)).to_contain_text("Föranmält")
    expect(rows.nth(1)).to_contain_text("7 500 kr")

    # The representative raises the amount: version 2, and what changed.
    rep.click(rep.link("Språkcafé varje torsdag"))
    rep.click(rep.link("Ändra"))
    expect(rep.page.get_by_role("heading", level=1)).to_contain_text("Ändra förslag")
    expect(rep.field("Aktivitetens namn")).to_have_value("Språkcafé varje torsdag")
    rep.field("Sökt belopp (kronor)").fill("8 000")
    rep.field("Belopp 1 (kr)").fill("8 000")
    rep.click(rep.button("Spara ändringarna"))
    rep.sees("Ändringarna är sparade som version 2.")
    rep.sees("8 000 kr")
    rep.click(rep.link("vad som ändrades i version 2"))
    expect(rep.page.get_by_role("heading", level=1)).to_have_text("Vad som ändrades i version 2")
    amount = changes_under(rep.page, "Sökt belopp")
    expect(amount.get_by_role("deletion")).to_have_text("7 500 kr")
    expect(amount.get_by_role("insertion")).to_have_text("8 000 kr")
    budget = changes_under(rep.page, "Budget")
    expect(budget.get_by_role("deletion")).to_have_text("Fika: 7 500 kr")
    expect(budget.get_by_role("insertion")).to_have_text("Fika: 8 000 kr")
    rep.click(rep.link("Tillbaka till förslaget"))

    # In English, and back.
    rep.click(rep.button("English"))
    expect(rep.page.locator("html")).to_have_attribute("lang", "en")
    expect(rep.page.locator("main .lead")).to_contain_text("Pre-registered")
    expect(rep.page.locator("main .lead")).to_contain_text("SEK 8,000")
    rep.click(rep.menu("Proposals"))
    expect(rep.page.get_by_role("heading", level=1)).to_have_text("Proposals")
    expect(rep.page.get_by_role("complementary", name="Left to apply for")).to_contain_text(
        "SEK 100,000"
    )
    expect(count_of_proposals(rep.page)).to_have_text("2 proposals")
    expect(rep.page.get_by_role("row", name=re.compile("Språkcafé"))).to_contain_text(
        "Pre-registered"
    )
    expect(rep.page.get_by_role("row", name=re.compile("Läxhjälp"))).to_contain_text("Withdrawn")
    rep.click(rep.button("Svenska"))
    expect(rep.page.locator("html")).to_have_attribute("lang", "sv")
    expect(rep.page.get_by_role("heading", level=1)).to_have_text("Förslag")
    expect(count_of_proposals(rep.page)).to_have_text("2 förslag")

    rep.axe.assert_every_page_checked()


def test_a_representative_pre_registers_with_the_keyboard_alone(
    live_server, pre_registration, new_page
):
    seeded = pre_registration
    page = new_page()
    rep = KeyboardPerson.on(page)

    rep.open("/auth/login")
    rep.sign_in(ASSOCIATION_REP_EMAIL, ASSOCIATION_REP_PASSWORD)
    keyboard.skip_to_content(page)
    # The network's menu ends just before the content: Möten, then Förslag.
    rep.follow_link("Förslag", backwards=True)
    keyboard.skip_to_content(page)
    rep.follow_link("Lämna ett förslag")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lämna ett förslag")

    keyboard.skip_to_content(page)
    rep.type_into("Aktivitetens namn", TITLE)
    rep.type_into("Kort beskrivning", SUMMARY)
    keyboard.tick_checkbox(page, CRITERION)
    keyboard.type_date(page, "Aktiviteten börjar", seeded.today + timedelta(days=40))
    keyboard.type_date(page, "Aktiviteten slutar", seeded.today + timedelta(days=130))
    rep.type_into("Sökt belopp (kronor)", "12 500,50")
    rep.type_into("Kostnad 1", "Fika")
    rep.type_into("Belopp 1 (kr)", "2 500,50")
    rep.type_into("Kostnad 2", "Lokalhyra")
    rep.type_into("Belopp 2 (kr)", "10 000")
    # The contact person is filled in already; the button comes after the contact fields.
    rep.press_button("Skicka förslaget")

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_registered(page, f"{seeded.today.year}-001", seeded)
    rep.sees("12 500,50 kr")
    rep.axe.assert_every_page_checked()
