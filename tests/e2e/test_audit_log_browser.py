"""The auditor in a browser: the audit log filtered, a filter that does not fit, the
export list, and a payouts workbook downloaded and opened. axe-core on every page."""

from __future__ import annotations

import re

import openpyxl

from tests.e2e.people import Person
from tests.e2e.test_audit_pages import AUDITOR_EMAIL, _grant_with_history


def test_the_auditor_filters_the_log_and_downloads_the_payouts(
    live_server, network, new_page, tmp_path
):
    from tests.factories import PASSWORD

    _grant_with_history(live_server)
    auditor = Person.on(new_page(accept_downloads=True))
    auditor.open("/auth/login")
    auditor.sign_in(AUDITOR_EMAIL, PASSWORD)
    auditor.open("/n/uddevalla/audit/log")
    auditor.sees("Granskningslogg")
    auditor.field("Händelse").select_option("payout.paid")
    auditor.click(auditor.button("Visa"))
    auditor.sees("2 händelser")
    auditor.sees("V-2026-0144")
    auditor.open("/n/uddevalla/audit/log?from=2026-02-30")
    auditor.sees("Skriv datumet som ÅÅÅÅ-MM-DD")
    auditor.click(auditor.link("Alla exporter"))
    auditor.sees("Utbetalningar")
    with auditor.page.expect_download() as download:
        link = auditor.page.get_by_role("link", name=re.compile(r"^XLSX\s*:\s*Utbetalningar$"))
        link.click()
    assert download.value.suggested_filename.startswith("utbetalningar-uddevalla-")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    workbook = openpyxl.load_workbook(saved)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "Utbetalning" and len(rows) == 3
    header = rows[0]
    column = {name: header.index(name) for name in ("Verifikationsnummer", "Konto")}
    assert {row[column["Verifikationsnummer"]] for row in rows[1:]} == {
        "V-2026-0101",
        "V-2026-0144",
    }
    # Each payout says where it went (registered with the network's payout details).
    assert all(row[column["Konto"]] for row in rows[1:])
    auditor.axe.assert_every_page_checked()
