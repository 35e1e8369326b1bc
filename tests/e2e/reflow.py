"""WCAG 1.4.10 reflow: at 320 CSS pixels wide a page must not scroll sideways."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Page

from grants.core.i18n import LANG_COOKIE
from tests.e2e.accessibility import (
    AccessibilityChecks,
    describe,
    run_axe_as_pages_load,
    violations_at_load,
)

NARROW = {"width": 320, "height": 640}
OTHER_LANGUAGE = {"sv": "en", "en": "sv"}


def scrolls_sideways(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


# The outermost elements that stick out beyond the page's width (not inside a box that
# scrolls or clips them), each with its parents, as CSS selectors.
_STICKING_OUT = """() => {
  const width = document.documentElement.clientWidth;
  const clipped = (el) => {
    for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
      if (getComputedStyle(node).overflowX !== "visible") return true;
    }
    return false;
  };
  const wide = (el) => el.getBoundingClientRect().right > width + 1 && !clipped(el);
  const out = [...document.querySelectorAll("body *")].filter(
    (el) => wide(el) && !(el.parentElement && wide(el.parentElement)));
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + [...el.classList].map((c) => "." + c).join("");
  return out.slice(0, 5).map((el) => {
    const path = [];
    for (let node = el; node && node !== document.body; node = node.parentElement) {
      path.unshift(name(node));
    }
    return path.slice(-4).join(" > ") + " (" + Math.round(el.getBoundingClientRect().right)
      + " px)";
  });
}"""


def sticking_out(page) -> list[str]:
    """What makes the page wider than the screen (for a failure message)."""
    return page.evaluate(_STICKING_OUT)


class AxeAndReflowChecks(AccessibilityChecks):
    """axe-core on every page a browser page loads (``AccessibilityChecks``), and the same
    page, as it is, narrowed to 320 pixels: it must not scroll sideways. The browser is
    then put back to its own width, so the story goes on as before.

    With ``other_language`` (a page in a browser of its own) every page is checked in the
    other language too (English for a Swedish page, Swedish for an English one): its
    address is opened there (GET) with the person's cookies, but the language cookie set
    to the other language. It must answer 200 at the same address, be in that language
    (``<html lang>``), pass axe and not scroll sideways at 320 px. The other browser keeps
    its cookies to itself, so the person's own language never changes. It shows no flash
    message: the person's page has already shown it (and taken it out of the session).

    The other browser waits only for the server's answer (after which the page cannot
    change); axe runs there as the page loads while the story goes on, and what it found
    is taken at the person's next page, or by ``finish()``.

    ``assert_every_page_checked()`` also fails listing the pages that scrolled sideways
    and what failed in the other language.
    """

    def __init__(self, page: Page, *, other_language: Page | None = None) -> None:
        super().__init__(page)
        self.other_language = other_language
        self.sideways: list[str] = []
        self.languages: list[str] = []  # the ``lang`` of each page checked, in order
        self.failed_in_other_language: list[str] = []
        self._loading: tuple[str, str] | None = None  # address and language, in the other
        if other_language is not None:
            run_axe_as_pages_load(other_language.context)

    def check(self) -> None:
        super().check()
        language = self.page.locator("html").get_attribute("lang") or ""
        self.languages.append(language)
        self._check_reflow(self.page)
        if self.other_language is not None:
            self.finish()
            self._open_in_other_language(language)

    def _check_reflow(self, page: Page, language: str = "") -> None:
        wide = page.viewport_size
        page.set_viewport_size(NARROW)
        try:
            if scrolls_sideways(page):
                shown = f" (in {language})" if language else ""
                self.sideways.append(f"{page.url}{shown}: {', '.join(sticking_out(page))}")
        finally:
            page.set_viewport_size(wide)

    def _open_in_other_language(self, language: str) -> None:
        url = self.page.url
        wanted = OTHER_LANGUAGE.get(language)
        assert wanted, f"{url} is in neither Swedish nor English: <html lang={language!r}>"
        page = self.other_language
        page.context.clear_cookies()
        page.context.add_cookies(
            [cookie for cookie in self.page.context.cookies() if cookie["name"] != LANG_COOKIE]
            + [{"name": LANG_COOKIE, "value": wanted, "url": _origin(url)}]
        )
        if _page_of(page.url) == _page_of(url):
            page.goto("about:blank")  # else a new fragment (``#item-3``) would only scroll
        response = page.goto(url, wait_until="commit")
        if response is None or response.status != 200 or _page_of(page.url) != _page_of(url):
            status = response.status if response else "no response"
            self.failed_in_other_language.append(
                f"{url} in {wanted}: GET answered {status}, at {page.url}"
            )
            return
        self._loading = (url, wanted)

    def finish(self) -> None:
        """Wait for the check, in the other language, of the last page the person saw."""
        if self._loading is None:
            return
        url, wanted = self._loading
        self._loading = None
        page = self.other_language
        found = violations_at_load(page)
        shown = page.locator("html").get_attribute("lang") or ""
        self.languages.append(shown)
        failed = self.failed_in_other_language
        if shown != wanted:
            failed.append(f"{url} in {wanted}: the page is <html lang={shown!r}>")
        if found:
            failed.append(
                f"axe found WCAG 2.1 AA violations on {url} in {wanted} ({page.title()}):\n"
                + describe(found)
            )
        self._check_reflow(page, wanted)

    def assert_every_page_checked(self) -> None:
        super().assert_every_page_checked()
        assert_none_scrolled_sideways(self)
        assert_passed_in_other_language(self)


def _page_of(url: str) -> str:
    """The address without its fragment (``#item-3``): the page a GET gives."""
    return urlsplit(url)._replace(fragment="").geturl()


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def assert_passed_in_other_language(*checks: AxeAndReflowChecks) -> None:
    """Fail listing every page, of everyone in the story, that could not be opened in the
    other language, was not in it, or failed axe there."""
    for check in checks:
        check.finish()
    failed = [line for check in checks for line in check.failed_in_other_language]
    assert failed == [], "pages that failed in the other language:\n" + "\n".join(failed)


def assert_none_scrolled_sideways(*checks: AxeAndReflowChecks) -> None:
    """Fail listing every page, of everyone in the story, that scrolled sideways at 320 px
    (with what stuck out)."""
    for check in checks:
        check.finish()
    sideways = [line for check in checks for line in check.sideways]
    assert sideways == [], "pages that scroll sideways at 320 px:\n" + "\n".join(sideways)
