"""Moving through pages as someone using only a keyboard: Tab, Shift+Tab, Enter, Space."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

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
    label: el.labels && el.labels.length ? text(el.labels[0]) : "",
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
