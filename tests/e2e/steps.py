"""What the people of the browser stories do and see, shared by the stories.

Filling in a proposal, finding an item on the session screen, the grant page's parts,
amounts as the pages show them, and mail as it arrives at the test's SMTP server.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import timedelta
from typing import Protocol

from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from tests.e2e.conftest import PreRegistration
from tests.e2e.people import Person

# ---- amounts -----------------------------------------------------------------------------


def kronor(amount: int) -> str:
    """``12 000 kr``, as the pages show it (with no-break spaces, which Playwright's text
    matching reads as spaces)."""
    return f"{amount:,} kr".replace(",", " ")


def typed_kronor(ore: int) -> str:
    """An amount as a person types it into a form: ``12 500`` or ``2 500,50``."""
    whole, rest = divmod(ore, 100)
    text = f"{whole:,}".replace(",", " ")
    return f"{text},{rest:02d}" if rest else text


def one_line(text: str) -> str:
    """Line breaks and no-break spaces as single spaces."""
    return " ".join(text.split())


# ---- pre-registration --------------------------------------------------------------------

CRITERION = "Insatsen bidrar till att nyanlända lär sig svenska."
SUMMARY = "Vi träffas varje torsdag i Ålsäter och pratar svenska över fika."
BUDGET = (("Fika", 250_050), ("Lokalhyra", 1_000_000))  # öre: 12 500,50 kr in all


def open_the_form(person: Person) -> None:
    person.click(person.menu("Förslag"))
    expect(person.page.get_by_role("heading", level=1)).to_have_text("Förslag")
    person.click(person.link("Lämna ett förslag"))
    expect(person.page.get_by_role("heading", level=1)).to_have_text("Lämna ett förslag")


def fill_in_the_activity(
    person: Person,
    seeded: PreRegistration,
    *,
    title: str,
    budget: Sequence[tuple[str, int]] = BUDGET,
    summary: str = SUMMARY,
) -> None:
    """Everything but who applies: the activity, its dates, the amount and a budget that adds
    up (``budget``: cost and amount in öre; the amount asked for is their sum).

    The contact person is already filled in with the signed-in person.
    """
    person.field("Aktivitetens namn").fill(title)
    person.field("Kort beskrivning").fill(summary)
    person.tick(CRITERION)
    person.fill_date("Aktiviteten börjar", seeded.today + timedelta(days=40))
    person.fill_date("Aktiviteten slutar", seeded.today + timedelta(days=130))
    person.field("Sökt belopp (kronor)").fill(typed_kronor(sum(ore for _, ore in budget)))
    for number, (cost, ore) in enumerate(budget, start=1):
        person.field(f"Kostnad {number}").fill(cost)
        person.field(f"Belopp {number} (kr)").fill(typed_kronor(ore))


# ---- the session screen ------------------------------------------------------------------


class OnAgenda(Protocol):
    reference: str
    title: str


def agenda_item(person: Person, proposal: OnAgenda) -> Locator:
    """The proposal's item on the session screen, ``<li id="item-<ID>">``; its decision
    form's fields have ids of their own (``item<ID>-…``) and are found by label within it."""
    heading = person.page.get_by_role(
        "heading", level=3, name=f"{proposal.reference} {proposal.title}", exact=True
    )
    return person.page.locator("li[id^='item-']").filter(has=heading)


def choose(person: Person, scope: Locator, label: str) -> None:
    """Select the radio button labelled ``label`` within ``scope``."""
    radio = scope.get_by_role("radio", name=label, exact=True)
    if person.touch:
        radio.tap()
    else:
        radio.click()
    expect(radio).to_be_checked()


# ---- any page ----------------------------------------------------------------------------


def flash(person: Person) -> Locator:
    return person.page.locator(".flash-messages")


def field(scope: Locator | Page, label: str) -> Locator:
    """The field labelled ``label`` within ``scope`` (the label may go on with "(måste …)")."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}(\s|$)"))


def region(person: Person, name: str) -> Locator:
    return person.page.get_by_role("region", name=name, exact=True)


def definition(person: Person, term: str) -> Locator:
    return person.page.locator(f"main dt:text-is('{term}') + dd")


# ---- the pot and the grant page ------------------------------------------------------------


def lead(person: Person) -> Locator:
    """The line under the grant page's heading: the grantee and the grant's state."""
    return person.page.locator("main p.lead")


def left_to_apply_for(person: Person) -> Locator:
    """The pot page's sentence "Beviljat ur potten: … · Kvar att söka: …" (one period)."""
    return person.page.locator("main p").filter(has_text="Kvar att söka:")


def read_left_to_apply_for(person: Person) -> int:
    text = " ".join(left_to_apply_for(person).inner_text().split())
    found = re.search(r"Kvar att söka: ([\d ]+) kr", text)
    assert found, text
    return int(found.group(1).replace(" ", ""))


def payout_row(person: Person) -> Locator:
    """The one payout in the table of payouts."""
    table = person.page.get_by_role("table", name="Utbetalningar", exact=True)
    rows = table.get_by_role("row").filter(has=person.page.get_by_role("cell"))
    expect(rows).to_have_count(1)
    return rows.first


# ---- mail ---------------------------------------------------------------------------------


def attachments(message, content_type: str) -> list:
    return [part for part in message.iter_attachments() if part.get_content_type() == content_type]


def addressee(message) -> str:
    return message["To"].addresses[0].addr_spec


def mails_with_subject(live_server, subject: str) -> list:
    return [m for m in live_server.smtp.handler.messages if str(m["Subject"]) == subject]


def pdf_text(data: bytes) -> str:
    return one_line("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))
