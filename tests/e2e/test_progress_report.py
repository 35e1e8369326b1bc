"""The auditor opens the progress report of a period from the pot page, reads it in
Swedish and in English, and downloads the PDF. axe-core on every page."""

from __future__ import annotations

import re

import sqlalchemy as sa
from playwright.sync_api import expect

from tests.e2e.conftest import COORDINATOR_EMAIL, NETWORK_SLUG
from tests.e2e.people import Person

AUDITOR_EMAIL = "granskare@uddevalla.example.se"


def _period_with_history(live_server) -> int:
    """The story of ``tests.progress.story`` in the live server's network."""
    from grants.extensions import db
    from grants.members.models import User
    from grants.networks.models import Network
    from tests.factories import attestant_of, auditor_of
    from tests.progress import story

    with live_server.app.app_context():
        network = db.session.scalar(sa.select(Network).where(Network.slug == NETWORK_SLUG))
        coordinator = db.session.scalar(sa.select(User).where(User.email == COORDINATOR_EMAIL))
        auditor_of(network, name="Greta Granskare", email=AUDITOR_EMAIL)
        told = story.build(network, coordinator, attestant_of(network, name="Bo Budgetansvarig"))
        period_id = told.period.id
        db.session.remove()
    return period_id


def test_the_auditor_opens_the_progress_report_from_the_pot(live_server, network, new_page):
    from tests.factories import PASSWORD

    period_id = _period_with_history(live_server)
    auditor = Person.on(new_page())
    auditor.open("/auth/login")
    auditor.sign_in(AUDITOR_EMAIL, PASSWORD)
    auditor.click(auditor.menu("Pott"))
    auditor.click(
        auditor.page.get_by_role(
            "link", name=re.compile(r"^Lägesrapport Hälsopolitiska rådet")
        ).first
    )
    assert auditor.page.url.endswith(f"/n/{NETWORK_SLUG}/progress/{period_id}")
    auditor.sees("Sökt")
    auditor.sees("51 000 kr")
    auditor.sees("Pengar per kriterium")
    # The charts are images with a name; their numbers are in the tables beside them.
    expect(
        auditor.page.get_by_role("img", name=re.compile("^Beviljat per kriterium"))
    ).to_be_visible()
    expect(auditor.page.get_by_role("img", name=re.compile("^Närvaro per möte"))).to_be_visible()
    expect(auditor.page.get_by_role("table", name="Beviljat per kriterium")).to_be_visible()

    pdf_link = auditor.link("Ladda ner som PDF")
    response = auditor.page.request.get(pdf_link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    xlsx_link = auditor.link("Ladda ner som Excel (XLSX)")
    response = auditor.page.request.get(xlsx_link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"].endswith("spreadsheetml.sheet")

    # In English too.
    auditor.click(auditor.page.get_by_role("button", name="English"))
    expect(auditor.page.locator("html")).to_have_attribute("lang", "en")
    auditor.sees("SEK 51,000")
    auditor.click(auditor.page.get_by_role("button", name="Svenska"))
    # Every period's report is listed too.
    auditor.click(auditor.link("Lägesrapporter"))
    expect(auditor.page.get_by_role("table", name="Perioder").get_by_role("row")).to_have_count(3)
    auditor.axe.assert_every_page_checked()
