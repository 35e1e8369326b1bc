"""WCAG 1.4.10 reflow: at 320 CSS pixels wide no page scrolls sideways, in Swedish
and in English, for the public and for the coordinator (axe on every page too)."""

from __future__ import annotations

import pytest

from tests.e2e.accessibility import AccessibilityChecks
from tests.e2e.conftest import COORDINATOR_EMAIL, COORDINATOR_PASSWORD, NETWORK_SLUG
from tests.e2e.people import Person
from tests.e2e.reflow import NARROW, scrolls_sideways

N = f"/n/{NETWORK_SLUG}"
PUBLIC = ["/", f"{N}/", f"{N}/rules", f"{N}/join", "/auth/login", "/tillganglighet"]
SIGNED_IN = [
    f"{N}/proposals/",
    f"{N}/proposals/new",
    f"{N}/meetings/",
    f"{N}/meetings/new",
    f"{N}/funds/",
    f"{N}/funds/periods/new",
    f"{N}/funds/expenses/",
    f"{N}/audit/",
    f"{N}/progress/",
    f"{N}/admin/",
    f"{N}/admin/organisations/",
    f"{N}/admin/people/",
    f"{N}/admin/settings",
    "/auth/account",
]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_no_page_scrolls_sideways_at_320_pixels(live_server, network, new_page, language):
    page = new_page(viewport=NARROW)
    person = Person(page, AccessibilityChecks(page))
    sideways = []
    for path in PUBLIC:
        person.open(f"{path}?lang={language}" if path != "/auth/login" else path)
        if scrolls_sideways(page):
            sideways.append(path)
    person.open("/auth/login?lang=sv")  # the sign-in form in the language the helper reads
    person.sign_in(COORDINATOR_EMAIL, COORDINATOR_PASSWORD)
    for path in SIGNED_IN:
        person.open(f"{path}?lang={language}")
        if scrolls_sideways(page):
            sideways.append(path)
    assert sideways == [], sideways
    person.axe.assert_every_page_checked()
