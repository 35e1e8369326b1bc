"""The people in the browser stories: one with a mouse (or a finger), one with a keyboard.

axe-core checks every page either of them sees (``AccessibilityChecks``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from playwright.sync_api import Locator, Page, expect

from tests.e2e import keyboard
from tests.e2e.accessibility import AccessibilityChecks


@dataclass
class Person:
    """Someone in the story, in a browser of their own; axe checks every page they see.

    With ``touch`` they tap instead of clicking, as on a phone.
    """

    page: Page
    axe: AccessibilityChecks
    touch: bool = False

    @classmethod
    def on(cls, page: Page, *, touch: bool = False) -> Person:
        return cls(page, AccessibilityChecks(page), touch)

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.axe.check()

    def _press(self, target: Locator) -> None:
        if self.touch:
            target.tap()
        else:
            target.click()

    def click(self, target: Locator) -> None:
        """Click (or tap) what leads to another page, and check that page."""
        with self.page.expect_event("load"):
            self._press(target)
        self.axe.check()

    def tick(self, label: str) -> None:
        """Tick the tick box labelled ``label``."""
        box = self.page.get_by_role("checkbox", name=label, exact=True)
        self._press(box)
        expect(box).to_be_checked()

    def field(self, label: str) -> Locator:
        """The field labelled ``label`` (its label may go on with "(måste fyllas i)")."""
        return self.page.get_by_label(re.compile(rf"^{re.escape(label)}(\s|$)"))

    def fill_date(self, label: str, day: date) -> None:
        """A date field (``<input type=date>`` takes ``ÅÅÅÅ-MM-DD`` from a script)."""
        self.field(label).fill(day.isoformat())

    def button(self, name: str) -> Locator:
        return self.page.get_by_role("button", name=name, exact=True)

    def link(self, name: str) -> Locator:
        return self.page.get_by_role("link", name=name, exact=True)

    def menu(self, name: str) -> Locator:
        """A link in the network's menu, at the foot of the header (in either language)."""
        return (
            self.page.get_by_role("banner")
            .get_by_role("navigation")
            .get_by_role("link", name=name, exact=True)
        )

    def sees(self, text: str) -> None:
        expect(self.page.locator("main")).to_contain_text(text)

    def sign_in(self, email: str, password: str) -> None:
        self.field("E-postadress").fill(email)
        self.field("Lösenord").fill(password)
        self.click(self.button("Logga in"))


@dataclass
class KeyboardPerson:
    """Someone who uses only the keyboard; axe checks every page they see."""

    page: Page
    axe: AccessibilityChecks

    @classmethod
    def on(cls, page: Page) -> KeyboardPerson:
        return cls(page, AccessibilityChecks(page))

    def open(self, url: str) -> None:
        """Only for the first page and a link from a mail program."""
        self.page.goto(url)
        self.axe.check()

    def press(self, key: str = "Enter") -> None:
        """Press ``key`` on the focused link or button, and check the page it leads to."""
        keyboard.activate(self.page, key)
        self.axe.check()

    def follow_link(self, text: str, **kwargs) -> None:
        keyboard.tab_to_link(self.page, text, **kwargs)
        self.press("Enter")

    def press_button(self, text: str, key: str = "Enter", *, backwards: bool = False) -> None:
        keyboard.tab_to_button(self.page, text, backwards=backwards)
        self.press(key)

    def type_into(self, label: str, text: str) -> None:
        keyboard.type_into(self.page, label, text)

    def sees(self, text: str) -> None:
        expect(self.page.locator("main")).to_contain_text(text)

    def sign_in(self, email: str, password: str) -> None:
        keyboard.skip_to_content(self.page)
        self.type_into("E-postadress", email)
        self.type_into("Lösenord", password)
        self.press_button("Logga in")
