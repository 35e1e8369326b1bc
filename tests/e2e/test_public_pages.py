"""The pages anyone can open, beyond the join story: axe-clean, and a skip link first."""

from __future__ import annotations

from tests.e2e import keyboard
from tests.e2e.accessibility import AccessibilityChecks
from tests.e2e.conftest import NETWORK_SLUG

PUBLIC_PAGES = [
    "/",
    f"/n/{NETWORK_SLUG}/",
    f"/n/{NETWORK_SLUG}/rules",
    f"/n/{NETWORK_SLUG}/join",
    "/auth/login",
    "/auth/reset",
    "/tillganglighet",
    "/personuppgifter",
]


def test_every_public_page_passes_axe_and_its_first_tab_reaches_the_skip_link(
    live_server, network, page
):
    axe = AccessibilityChecks(page)
    for path in PUBLIC_PAGES:
        page.goto(path)
        axe.check()
        keyboard.skip_to_content(page)
    axe.assert_every_page_checked()
