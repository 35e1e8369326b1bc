"""The coordinator's pages beyond the join story: axe-clean too."""

from __future__ import annotations

from tests.e2e.accessibility import AccessibilityChecks
from tests.e2e.conftest import COORDINATOR_EMAIL, COORDINATOR_PASSWORD, NETWORK_SLUG

ADMIN = f"/n/{NETWORK_SLUG}/admin"
ADMIN_PAGES = [
    f"{ADMIN}/",
    f"{ADMIN}/join-requests/",
    f"{ADMIN}/organisations/",
    f"{ADMIN}/organisations/new",
    f"{ADMIN}/people/",
    f"{ADMIN}/criteria",
    f"{ADMIN}/rules",
    f"{ADMIN}/settings",
    "/auth/account",
]


def test_every_page_of_the_coordinators_administration_passes_axe(live_server, network, page):
    axe = AccessibilityChecks(page)
    page.goto("/auth/login")
    axe.check()
    page.get_by_label("E-postadress").fill(COORDINATOR_EMAIL)
    page.get_by_label("Lösenord").fill(COORDINATOR_PASSWORD)
    with page.expect_event("load"):
        page.get_by_role("button", name="Logga in", exact=True).click()
    axe.check()
    for path in ADMIN_PAGES:
        page.goto(path)
        axe.check()
    axe.assert_every_page_checked()
