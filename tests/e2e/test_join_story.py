"""The issue's acceptance test: a new association joins, is approved, and signs in.

In a real browser against a live server, with mail going through a real SMTP
server. The same story twice: once with the mouse (and axe-core on every page
on the way), once with the keyboard alone.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e import keyboard
from tests.e2e.accessibility import AccessibilityChecks
from tests.e2e.conftest import COORDINATOR_EMAIL, COORDINATOR_PASSWORD, NETWORK_NAME, NETWORK_SLUG
from tests.e2e.people import KeyboardPerson, Person

NETWORK_PAGE = f"/n/{NETWORK_SLUG}/"

ORGANISATION = "Språkcaféet i Ålsäter"
ORGNR = "802430-7657"
PERSONAL_IDENTITY_NUMBER = "811218-9876"
KIND = "Förening eller organisation i ideell sektor"
CONTACT = "Åsa Öberg"
CONTACT_EMAIL = "asa.oberg@example.se"
NEW_PASSWORD = "blåbär och lingon i skogen"

INVITATION_LINK = re.compile(r"https?://\S+/auth/invite/\S+")


def the_invitation_link(live_server) -> str:
    """Send the outbox and read the newcomer's invitation from the SMTP server."""
    live_server.deliver_mail()
    invitations = [
        m for m in live_server.mails_to(CONTACT_EMAIL) if "Välkommen" in str(m["Subject"])
    ]
    assert len(invitations) == 1, "the contact person got no invitation mail (or several)"
    assert str(invitations[0]["Subject"]) == f"Välkommen till {NETWORK_NAME}"
    body = invitations[0].get_body(preferencelist=("plain",)).get_content()
    assert f"representant för {ORGANISATION}" in body
    link = INVITATION_LINK.search(body)
    assert link, f"no invitation link in the mail:\n{body}"
    assert link.group(0).startswith(f"{live_server.url}/auth/invite/"), (
        f"the link does not lead to the app's BASE_URL: {link.group(0)}"
    )
    return link.group(0)


def assert_the_request_was_received(live_server) -> None:
    live_server.deliver_mail()
    receipts = [str(m["Subject"]) for m in live_server.mails_to(CONTACT_EMAIL)]
    assert receipts == [f"Vi har tagit emot er ansökan till {NETWORK_NAME}"]
    notices = [str(m["Subject"]) for m in live_server.mails_to(COORDINATOR_EMAIL)]
    assert notices == [f"Ny ansökan om medlemskap: {ORGANISATION}"]


def assert_signed_in_as_the_new_representative(page: Page) -> None:
    expect(page).to_have_url(re.compile(rf"{NETWORK_PAGE}$"))
    main = page.locator("main")
    expect(main.locator(".alert-info")).to_contain_text(f"Du representerar: {ORGANISATION}")
    expect(main.get_by_role("listitem").filter(has_text=ORGANISATION)).to_be_visible()
    expect(page.get_by_role("banner")).to_contain_text(CONTACT)
    expect(page.get_by_role("button", name="Logga ut", exact=True)).to_be_visible()


def test_a_new_association_joins_is_approved_and_signs_in_with_its_own_password(
    live_server, network, new_page
):
    newcomer_page = new_page()
    newcomer = Person(newcomer_page, AccessibilityChecks(newcomer_page))

    # The network's public page, in Swedish.
    newcomer.open(NETWORK_PAGE)
    expect(newcomer_page.locator("html")).to_have_attribute("lang", "sv")
    expect(newcomer_page.get_by_role("heading", level=1)).to_have_text(NETWORK_NAME)
    newcomer.click(
        newcomer_page.get_by_role("navigation", name="Nätverket").get_by_role(
            "link", name="Bli medlem"
        )
    )
    expect(newcomer_page.get_by_role("heading", level=1)).to_have_text(
        f"Ansök om medlemskap i {NETWORK_NAME}"
    )

    # First with a personal identity number, which is not an organisation number.
    newcomer.field("Organisationens namn").fill(ORGANISATION)
    newcomer.field("Organisationsnummer").fill(PERSONAL_IDENTITY_NUMBER)
    newcomer.page.get_by_label(KIND).check()
    newcomer.field("Kontaktperson").fill(CONTACT)
    newcomer.field("Kontaktpersonens e-postadress").fill(CONTACT_EMAIL)
    newcomer.click(newcomer.button("Skicka ansökan"))

    summary = newcomer_page.get_by_role("alert")
    expect(summary).to_contain_text("Det finns fel i formuläret")
    expect(summary).to_be_focused()
    orgnr = newcomer.field("Organisationsnummer")
    expect(orgnr).to_have_attribute("aria-invalid", "true")
    expect(orgnr).to_have_accessible_description(re.compile("ser ut som ett personnummer"))
    expect(newcomer.field("Organisationens namn")).to_have_value(ORGANISATION)
    summary.get_by_role("link", name=re.compile("personnummer")).click()
    expect(orgnr).to_be_focused()

    orgnr.fill(ORGNR)
    newcomer.click(newcomer.button("Skicka ansökan"))
    expect(newcomer_page.get_by_role("heading", level=1)).to_have_text("Tack för din ansökan")
    newcomer.sees(f"Vi har tagit emot ansökan från {ORGANISATION}")
    newcomer.sees(CONTACT_EMAIL)
    assert_the_request_was_received(live_server)

    # The coordinator approves the request.
    coordinator_page = new_page()
    coordinator = Person(coordinator_page, AccessibilityChecks(coordinator_page))
    coordinator.open("/auth/login")
    coordinator.sign_in(COORDINATOR_EMAIL, COORDINATOR_PASSWORD)
    coordinator.sees("Du är inloggad.")
    coordinator.click(coordinator.link("Administration"))
    coordinator.click(coordinator.link("Ansökningar om medlemskap"))
    coordinator.click(coordinator.link(ORGANISATION))
    expect(coordinator_page.get_by_role("heading", level=1)).to_have_text(
        f"Ansökan från {ORGANISATION}"
    )
    coordinator.sees(ORGNR)
    coordinator.sees(f"{CONTACT}, {CONTACT_EMAIL}")
    coordinator.click(coordinator.button("Godkänn och bjud in kontaktpersonen"))
    coordinator.sees(f"{ORGANISATION} är nu medlem. Kontaktpersonen får en inbjudan med e-post.")
    expect(
        coordinator_page.get_by_role("row").filter(has_text=ORGANISATION).filter(has_text="Godkänd")
    ).to_be_visible()

    # The newcomer opens the link in the invitation mail and chooses a password.
    newcomer.open(the_invitation_link(live_server))
    expect(newcomer_page.get_by_role("heading", level=1)).to_have_text(f"Välkommen, {CONTACT}")
    newcomer.field("Nytt lösenord").fill("för kort")
    newcomer.field("Skriv lösenordet igen").fill("för kort")
    newcomer.click(newcomer.button("Spara lösenordet och logga in"))
    expect(newcomer_page.get_by_role("alert")).to_contain_text("minst 12 tecken")

    newcomer.field("Nytt lösenord").fill(NEW_PASSWORD)
    newcomer.field("Skriv lösenordet igen").fill(NEW_PASSWORD)
    newcomer.click(newcomer.button("Spara lösenordet och logga in"))
    newcomer.sees("Välkommen! Ditt lösenord är sparat och du är inloggad.")
    assert_signed_in_as_the_new_representative(newcomer_page)

    # English and back.
    newcomer.click(newcomer.button("English"))
    expect(newcomer_page.locator("html")).to_have_attribute("lang", "en")
    expect(newcomer_page.get_by_role("heading", name="What can get support?")).to_be_visible()
    expect(newcomer_page.get_by_role("link", name="About the network")).to_be_visible()
    newcomer.sees(f"You represent: {ORGANISATION}")
    expect(newcomer.button("Log out")).to_be_visible()
    newcomer.click(newcomer.button("Svenska"))
    expect(newcomer_page.locator("html")).to_have_attribute("lang", "sv")
    expect(newcomer_page.get_by_role("heading", name="Vad kan få stöd?")).to_be_visible()

    # Out, and in again with the new password.
    newcomer.click(newcomer.button("Logga ut"))
    newcomer.sees("Du är utloggad.")
    expect(newcomer.button("Logga ut")).to_have_count(0)
    newcomer.click(newcomer.link("Logga in"))
    newcomer.sign_in(CONTACT_EMAIL, NEW_PASSWORD)
    newcomer.sees("Du är inloggad.")
    assert_signed_in_as_the_new_representative(newcomer_page)

    newcomer.axe.assert_every_page_checked()
    coordinator.axe.assert_every_page_checked()


def test_the_same_story_works_with_the_keyboard_alone(live_server, network, new_page):
    newcomer_page = new_page()
    newcomer = KeyboardPerson(newcomer_page, AccessibilityChecks(newcomer_page))

    newcomer.open(NETWORK_PAGE)
    keyboard.skip_to_content(newcomer_page)
    # The network's menu ends just before the content.
    newcomer.follow_link("Bli medlem", backwards=True)
    expect(newcomer_page.get_by_role("heading", level=1)).to_have_text(
        f"Ansök om medlemskap i {NETWORK_NAME}"
    )

    keyboard.skip_to_content(newcomer_page)
    newcomer.type_into("Organisationens namn", ORGANISATION)
    newcomer.type_into("Organisationsnummer", PERSONAL_IDENTITY_NUMBER)
    keyboard.choose_radio(newcomer_page, KIND)
    newcomer.type_into("Kontaktperson", CONTACT)
    newcomer.type_into("Kontaktpersonens e-postadress", CONTACT_EMAIL)
    newcomer.press_button("Skicka ansökan")

    # Focus is on the error summary; its link leads to the field, which gets the fix.
    summary = keyboard.focused(newcomer_page)
    assert summary is not None and summary.id == "error-summary", (
        f"after the failed submission focus is on {summary}, not on the error summary"
    )
    keyboard.tab_until(
        newcomer_page, lambda f: f.is_link and "personnummer" in f.text, "the error's link"
    )
    newcomer_page.keyboard.press("Enter")
    now = keyboard.focused(newcomer_page)
    assert now is not None and now.id == "orgnr", f"the error's link moved focus to {now}"
    newcomer_page.keyboard.press("Control+A")
    newcomer_page.keyboard.type(ORGNR)
    newcomer.press_button("Skicka ansökan")
    expect(newcomer_page.get_by_role("heading", level=1)).to_have_text("Tack för din ansökan")
    assert_the_request_was_received(live_server)

    # The coordinator, with the keyboard too.
    coordinator_page = new_page()
    coordinator = KeyboardPerson(coordinator_page, AccessibilityChecks(coordinator_page))
    coordinator.open("/auth/login")
    coordinator.sign_in(COORDINATOR_EMAIL, COORDINATOR_PASSWORD)
    coordinator.sees("Du är inloggad.")
    coordinator.follow_link("Administration")
    keyboard.skip_to_content(coordinator_page)
    coordinator.follow_link("Ansökningar om medlemskap")
    keyboard.skip_to_content(coordinator_page)
    coordinator.follow_link(ORGANISATION)
    keyboard.skip_to_content(coordinator_page)
    coordinator.press_button("Godkänn och bjud in kontaktpersonen", key="Space")
    coordinator.sees(f"{ORGANISATION} är nu medlem. Kontaktpersonen får en inbjudan med e-post.")

    # The newcomer follows the link from the mail and chooses a password.
    newcomer.open(the_invitation_link(live_server))
    keyboard.skip_to_content(newcomer_page)
    newcomer.type_into("Nytt lösenord", NEW_PASSWORD)
    newcomer.type_into("Skriv lösenordet igen", NEW_PASSWORD)
    newcomer.press_button("Spara lösenordet och logga in")
    assert_signed_in_as_the_new_representative(newcomer_page)

    # Having read the page from its start, she goes back up to the language switch.
    keyboard.skip_to_content(newcomer_page)
    newcomer.press_button("English", backwards=True)
    expect(newcomer_page.locator("html")).to_have_attribute("lang", "en")
    expect(newcomer_page.get_by_role("heading", name="What can get support?")).to_be_visible()
    newcomer.press_button("Svenska")
    expect(newcomer_page.locator("html")).to_have_attribute("lang", "sv")

    newcomer.press_button("Logga ut")
    newcomer.sees("Du är utloggad.")
    newcomer.follow_link("Logga in")
    newcomer.sign_in(CONTACT_EMAIL, NEW_PASSWORD)
    assert_signed_in_as_the_new_representative(newcomer_page)

    newcomer.axe.assert_every_page_checked()
    coordinator.axe.assert_every_page_checked()
