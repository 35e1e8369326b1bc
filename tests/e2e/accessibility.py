"""axe-core on every page a browser loads, restricted to WCAG 2.1 A and AA.

Playwright's ``page.evaluate`` runs outside the page's Content Security Policy,
so axe is injected into the real pages, CSP and all (no ``bypass_csp``).
"""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_21_AA},
    "resultTypes": ["violations"],
}

_axe = Axe()


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {target}: {summary}")
    return "\n".join(lines)


def violations(page) -> list[dict]:
    """axe's WCAG 2.1 A and AA violations on the page now shown."""
    return _axe.run(page, options=AXE_OPTIONS).response["violations"]


def run_axe_as_pages_load(context) -> None:
    """Put axe into every page the browser ``context`` loads, and run it on the page (not
    in frames) as soon as the page has loaded, while the test goes on with other things;
    ``violations_at_load`` waits for what it found. Init scripts, like ``evaluate``, run
    outside the page's CSP."""
    options = json.dumps(AXE_OPTIONS)
    context.add_init_script(
        script=f"""{_axe.axe_script}
;if (window === window.top) {{
  window.addEventListener("load", () => {{ window.axeAtLoad = axe.run(document, {options}); }});
}}"""
    )


def violations_at_load(page, timeout_ms: int = 30_000) -> list[dict]:
    """What axe found when the page loaded, in a browser ``run_axe_as_pages_load`` set up
    (waiting for the page to load, at most ``timeout_ms``, and for axe to finish)."""
    return page.evaluate(
        """async (timeout) => {
          const until = Date.now() + timeout;
          while (!window.axeAtLoad) {
            if (Date.now() > until) throw new Error(`${location.href} did not load`);
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          return (await window.axeAtLoad).violations;
        }""",
        timeout_ms,
    )


class AccessibilityChecks:
    """Counts the pages a browser page loads, so none can go unchecked.

    ``check()`` runs axe on the page now shown and fails listing the violations
    (rule, help, the elements) if there are any, or if a page loaded since the
    last check went unchecked. ``assert_every_page_checked()`` ends the test.
    """

    def __init__(self, page) -> None:
        self.page = page
        self.unchecked: list[str] = []
        self.checked: list[str] = []
        page.on("load", lambda loaded: self.unchecked.append(loaded.url))

    def check(self) -> None:
        page = self.page
        page.wait_for_load_state("load")
        skipped = self.unchecked[:-1]
        assert not skipped, f"pages were loaded but never checked with axe: {skipped}"
        assert self.unchecked, f"no new page was loaded since the last check ({page.url})"
        self.unchecked.clear()
        found = violations(page)
        self.checked.append(page.url)
        if found:
            pytest.fail(
                f"axe found WCAG 2.1 AA violations on {page.url} "
                f"({page.title()}):\n{describe(found)}",
                pytrace=False,
            )

    def assert_every_page_checked(self) -> None:
        assert not self.unchecked, f"pages were loaded but never checked with axe: {self.unchecked}"
