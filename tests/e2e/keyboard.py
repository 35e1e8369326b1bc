"""Moving through pages as someone using only a keyboard: Tab, Shift+Tab, Enter, Space."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest

MAX_PRESSES = 60

# What the person's screen reader or eyes know about the focused element.
_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const text = (node) => (node ? node.innerText || node.textContent || "" : "")
    .replace(/\\s+/g, " ").trim();
  const box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    type: el.type || "",
    text: text(el),
    // The field's name as a screen reader gives it: aria-labelledby, aria-label, <label>.
    label: el.getAttribute("aria-labelledby")
      ? el.getAttribute("aria-labelledby").split(/\\s+/)
          .map((id) => text(document.getElementById(id))).join(" ").trim()
      : el.getAttribute("aria-label")
        || (el.labels && el.labels.length ? text(el.labels[0]) : ""),
    checked: !!el.checked,
    on_screen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
      && box.left < innerWidth && box.top < innerHeight,
    indicator: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
      || style.boxShadow !== "none",
  };
}"""


@dataclass(frozen=True)
class Focus:
    tag: str
    id: str
    type: str
    text: str
    label: str
    checked: bool
    on_screen: bool
    indicator: bool

    def __str__(self) -> str:
        name = self.label or self.text or self.id
        if len(name) > 60:
            name = name[:57] + "..."
        kind = f"{self.tag} {self.type}" if self.type else self.tag
        return f"<{kind}{' id=' + self.id if self.id else ''}> {name!r}"

    @property
    def is_link(self) -> bool:
        return self.tag == "a"

    @property
    def is_button(self) -> bool:
        return self.tag == "button"

    @property
    def is_field(self) -> bool:
        return self.tag in {"input", "textarea", "select"}


def focused(page) -> Focus | None:
    found = page.evaluate(_FOCUSED)
    return Focus(**found) if found else None


def press(page, key: str) -> None:
    page.keyboard.press(key)


def tab_until(
    page,
    matches: Callable[[Focus], bool],
    what: str,
    *,
    backwards: bool = False,
    max_presses: int = MAX_PRESSES,
) -> Focus:
    """Press Tab (or Shift+Tab) until the focused element ``matches``; fail saying where it went.

    Every element focused on the way must be visible, with a focus indicator
    (WCAG 2.4.7): a keyboard user has to see where they are.
    """
    key = "Shift+Tab" if backwards else "Tab"
    path = []
    for _ in range(max_presses):
        page.keyboard.press(key)
        now = focused(page)
        if now is not None:
            assert now.on_screen, f"{now} got focus but is not visible on {page.url}"
            assert now.indicator, f"{now} got focus without a visible focus indicator"
        path.append(str(now))
        if now is not None and matches(now):
            return now
    pytest.fail(
        f"{max_presses} presses of {key} on {page.url} never reached {what}; "
        f"focus went through: {', '.join(path)}",
        pytrace=False,
    )


def tab_to_link(page, text: str, **kwargs) -> Focus:
    return tab_until(page, lambda f: f.is_link and f.text == text, f"the link {text!r}", **kwargs)


def tab_to_button(page, text: str, **kwargs) -> Focus:
    return tab_until(
        page, lambda f: f.is_button and f.text == text, f"the button {text!r}", **kwargs
    )


def tab_to_field(page, label: str, **kwargs) -> Focus:
    """The field labelled ``label`` (its label may go on with "(måste fyllas i)")."""
    return tab_until(
        page,
        lambda f: f.is_field and re.match(rf"{re.escape(label)}(\s|$)", f.label) is not None,
        f"the field {label!r}",
        **kwargs,
    )


def type_into(page, label: str, text: str) -> None:
    tab_to_field(page, label)
    page.keyboard.type(text)


def choose_radio(page, label: str, max_options: int = 10) -> None:
    """Tab into a group of radio buttons, arrow to ``label`` and select it with Space."""
    tab_until(page, lambda f: f.type == "radio", "a group of radio buttons")
    for _ in range(max_options):
        now = focused(page)
        if now.label.startswith(label):
            page.keyboard.press("Space")
            assert focused(page).checked, f"Space did not select {now}"
            return
        page.keyboard.press("ArrowDown")
    pytest.fail(f"no radio button labelled {label!r} in the group", pytrace=False)


def tick_checkbox(page, label: str) -> None:
    """Tab to the tick box labelled ``label`` (or starting so) and tick it with Space."""
    box = tab_until(
        page,
        lambda f: f.type == "checkbox" and f.label.startswith(label),
        f"the tick box {label!r}",
    )
    assert not box.checked, f"{box} was already ticked"
    page.keyboard.press("Space")
    assert focused(page).checked, f"Space did not tick {box}"


# Chromium shows <input type=date> as three spin buttons, in the order of the browser's own
# language (not the page's): month, day, year in an English Chromium (Debian's has no other
# language pack unless chromium-l10n is installed), year, month, day in a Swedish one. A
# keyboard user types each part's digits in the order shown: two digits move on to the next
# part by themselves, a year does not (it may have more digits), so Tab follows it.
_DATE_ORDERS = (("month", "day", "year"), ("year", "month", "day"), ("day", "month", "year"))
_date_order_of_browser: dict[int, tuple[str, ...]] = {}


def _type_date_parts(page, day: date, order: tuple[str, ...]) -> None:
    digits = {"year": f"{day.year:04d}", "month": f"{day.month:02d}", "day": f"{day.day:02d}"}
    for place, part in enumerate(order):
        page.keyboard.type(digits[part])
        if part == "year" and place < len(order) - 1:
            page.keyboard.press("Tab")


def date_order(page) -> tuple[str, ...]:
    """The order of the date field's parts in this browser, found once on a scratch page."""
    browser = page.context.browser
    if id(browser) not in _date_order_of_browser:
        context = browser.new_context()
        try:
            scratch = context.new_page()
            scratch.set_content('<input type="date" id="d" aria-label="d">')
            probe = date(2003, 1, 2)
            for order in _DATE_ORDERS:
                scratch.fill("#d", "")
                scratch.focus("#d")
                _type_date_parts(scratch, probe, order)
                if scratch.input_value("#d") == probe.isoformat():
                    _date_order_of_browser[id(browser)] = order
                    break
            else:
                pytest.fail("could not work out the order of Chromium's date field", pytrace=False)
        finally:
            context.close()
    return _date_order_of_browser[id(browser)]


def type_date(page, label: str, day: date) -> None:
    """Tab to the date field labelled ``label`` and type ``day`` the way the field shows it."""
    field = tab_to_field(page, label)
    assert field.type == "date", f"{field} is not a date field"
    _type_date_parts(page, day, date_order(page))
    value = page.evaluate("document.activeElement.value")
    assert value == day.isoformat(), f"typing {day} into {field} gave {value!r}"


def activate(page, key: str = "Enter") -> None:
    """Press ``key`` on the focused link or button and wait for the page it leads to."""
    with page.expect_event("load"):
        page.keyboard.press(key)


def skip_to_content(page) -> None:
    """The first Tab on a page focuses the skip link, and Enter moves focus to <main>."""
    first = tab_until(page, lambda f: True, "anything", max_presses=1)
    assert first.is_link and first.text == "Hoppa till innehållet", (
        f"the first Tab on {page.url} focused {first}, not the skip link"
    )
    page.keyboard.press("Enter")
    now = focused(page)
    assert now is not None and now.tag == "main" and now.id == "main", (
        f"the skip link moved focus to {now}, not to <main id=main>"
    )
