"""WCAG 1.4.10 reflow: at 320 CSS pixels wide a page must not scroll sideways."""

from __future__ import annotations

from tests.e2e.accessibility import AccessibilityChecks

NARROW = {"width": 320, "height": 640}


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

    ``assert_every_page_checked()`` also fails listing the pages that scrolled sideways.
    """

    def __init__(self, page) -> None:
        super().__init__(page)
        self.sideways: list[str] = []
        self.languages: list[str] = []  # the ``lang`` of each page checked, in order

    def check(self) -> None:
        super().check()
        page = self.page
        self.languages.append(page.locator("html").get_attribute("lang") or "")
        wide = page.viewport_size
        page.set_viewport_size(NARROW)
        try:
            if scrolls_sideways(page):
                self.sideways.append(f"{page.url}: {', '.join(sticking_out(page))}")
        finally:
            page.set_viewport_size(wide)

    def assert_every_page_checked(self) -> None:
        super().assert_every_page_checked()
        assert_none_scrolled_sideways(self)


def assert_none_scrolled_sideways(*checks: AxeAndReflowChecks) -> None:
    """Fail listing every page, of everyone in the story, that scrolled sideways at 320 px
    (with what stuck out)."""
    sideways = [line for check in checks for line in check.sideways]
    assert sideways == [], "pages that scroll sideways at 320 px:\n" + "\n".join(sideways)
