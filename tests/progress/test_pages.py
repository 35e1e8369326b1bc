"""The progress report as the coordinator and the auditor see it: the page, the PDF and
the spreadsheet show the same figures; nobody else gets in."""

from __future__ import annotations

import io
import re

import pytest

from grants.core.time import utcnow
from grants.extensions import db
from grants.meetings.models import Attendance, MeetingStatus
from tests.conftest import text_of
from tests.factories import (
    PASSWORD,
    CriterionFactory,
    FundingPeriodFactory,
    MeetingFactory,
    MembershipFactory,
    NetworkFactory,
    ProposalFactory,
    attestant_of,
    coordinator_of,
    representative_of,
)

BASE = "/n/uddevalla/progress"


def page(told) -> str:
    return f"{BASE}/{told.period.id}"


@pytest.fixture
def signed_in(client, coordinator):
    client.login(coordinator.email, PASSWORD)
    return client


def test_the_page_shows_the_figures_of_the_period(told, signed_in):
    response = signed_in.get(page(told))
    assert response.status_code == 200
    text = text_of(response)
    for shown in (
        "Lägesrapport: Hälsopolitiska rådet",
        "Förslag mottagna 6",
        "Sökt 51 000 kr",
        "Beviljat (netto) 19 000 kr",
        "Utbetalt 10 000 kr",
        "Återbetalt 2 000 kr",
        "Redovisningar som saknas 2 (1 försenad)",
        "Beviljat 2 26 000 kr",
        "Avslaget 1 10 000 kr",
        "Bordlagt 1 5 000 kr",
        "Tillbakadraget 1 3 000 kr",
        "Beslut om bordläggning i perioden: 1.",
        "Språk och möten 2 30 000 kr 13 000 kr",
        "Utan kriterium 1 3 000 kr 0 kr",
        "Nätverkets träffar 20 000 kr 1 500 kr 1 500 kr 18 500 kr",
        "Fortbildning 10 000 kr 800 kr 0 kr 9 200 kr",
    ):
        assert shown in text, shown
    assert re.search(r"Möte 1 \d{4}-\d\d-\d\d Pågår 5 6", text)
    assert re.search(r"Möte 2 \d{4}-\d\d-\d\d Planerat inte hållet ännu", text)
    # The rule for proposals with several criteria is stated on the page.
    assert "räknas med hela sitt belopp under vart och ett av dem" in text
    # Meeting 3 (before the period) and the cancelled meeting 4 are not in it.
    assert "Möte 3" not in text and "Möte 4" not in text


def test_the_attendance_matrix_marks_each_organisation_at_each_meeting(told, signed_in):
    html = signed_in.get(page(told)).get_data(as_text=True)
    matrix = html[html.index("attendance-matrix") :]
    matrix = matrix[: matrix.index("</table>")]
    first, _, _, _, came_and_left, stayed_away = told.organisations
    assert re.search(rf"{first.name}</th>\s*<td[^>]*>Ja</td>", matrix)
    assert re.search(rf"{came_and_left.name}</th>\s*<td[^>]*>Ja</td>", matrix)
    assert re.search(rf"{stayed_away.name}</th>\s*<td[^>]*>Nej</td>", matrix)


def test_the_charts_are_svg_images_with_a_title_and_a_table_beside_them(told, signed_in):
    html = signed_in.get(page(told)).get_data(as_text=True)
    charts = re.findall(r"<svg[^>]*>.*?</svg>", html, flags=re.S)
    assert len(charts) == 2
    for chart in charts:
        opening = chart[: chart.index(">")]
        assert 'role="img"' in opening
        labelled_by = re.search(r'aria-labelledby="([^"]+)"', opening).group(1).split()
        for element_id in labelled_by:
            assert re.search(rf'<(title|desc) id="{element_id}">[^<]+</\1>', chart)
    criteria_chart = next(chart for chart in charts if "chart-criteria" in chart)
    assert "Språk och möten" in criteria_chart and "13\u00a0000\u00a0kr" in criteria_chart
    attendance_chart = next(chart for chart in charts if "chart-attendance" in chart)
    assert "5 av 6" in attendance_chart
    # The same numbers in captioned tables.
    assert "<caption>Beviljat per kriterium</caption>" in html
    assert "<caption>Närvaro per möte</caption>" in html


def test_chart_labels_are_escaped(network, signed_in):
    period = FundingPeriodFactory(network=network)
    criterion = CriterionFactory(network=network, text='<script>alert("x")</script>')
    ProposalFactory(network=network, period=period, criteria=[criterion])
    html = signed_in.get(f"{BASE}/{period.id}").get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_the_page_renders_in_english(told, signed_in):
    response = signed_in.get(page(told) + "?lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html
    text = text_of(response)
    assert "SEK\u00a051,000" in text or "SEK 51,000" in text
    assert "The network's meetings" in text and "Pot and budget" in text


def test_the_pdf_is_a_pdf_with_the_totals(told, signed_in):
    from pypdf import PdfReader

    response = signed_in.get(page(told) + ".pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    text = " ".join(text.replace("\u00a0", " ").split())
    for shown in (
        "Lägesrapport",
        "Sökt 51 000 kr",
        "Beviljat (netto) 19 000 kr",
        "Utbetalt 10 000 kr",
    ):
        assert shown in text, shown
    assert "Språk och möten" in text


def _workbook(response):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(response.data))


def test_the_spreadsheet_has_the_totals_as_numbers_and_no_formulas(told, signed_in):
    response = signed_in.get(page(told) + ".xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    book = _workbook(response)
    assert book.sheetnames == [
        "Sammanfattning",
        "Möten",
        "Närvaro",
        "Förslag",
        "Kriterier",
        "Organisationer",
        "Träffar och fortbildning",
    ]
    summary = {row[0]: row[1] for row in book["Sammanfattning"].iter_rows(values_only=True)}
    assert summary["Sökt"] == 51_000
    assert summary["Beviljat (netto)"] == 19_000
    assert summary["Utbetalt"] == 10_000
    assert summary["Återbetalt"] == 2_000
    assert summary["Förslag mottagna"] == 6
    assert summary["Redovisningar som saknas"] == 2
    money_cell = next(
        cell for row in book["Sammanfattning"].iter_rows() for cell in row if cell.value == 51_000
    )
    assert "kr" in money_cell.number_format
    criteria = {row[0]: row[1:] for row in book["Kriterier"].iter_rows(values_only=True)}
    assert criteria["Språk och möten"] == (2, 30_000, 13_000)
    lines = {
        row[0]: row[1:] for row in book["Träffar och fortbildning"].iter_rows(values_only=True)
    }
    assert lines["Nätverkets träffar"] == (20_000, 1_500, 1_500, 18_500)
    attendance = {row[0]: row[1:] for row in book["Närvaro"].iter_rows(values_only=True)}
    assert attendance[told.organisations[5].name] == ("Nej",)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)


def test_text_that_looks_like_a_formula_is_made_harmless(network, signed_in):
    """Organisation names are typed by applicants: none may become a formula or a link."""
    period = FundingPeriodFactory(network=network)
    meeting = MeetingFactory(network=network, status=MeetingStatus.HELD, starts_at=utcnow())
    names = ['=HYPERLINK("http://example.com","Klicka")', "+46 Förening", "@Förening", "-1"]
    for name in names:
        organisation = MembershipFactory(network=network, organisation__name=name).organisation
        ProposalFactory(network=network, period=period, applicant=organisation)
        db.session.add(Attendance(meeting=meeting, organisation=organisation, people=""))
    db.session.commit()
    book = _workbook(signed_in.get(f"{BASE}/{period.id}.xlsx"))
    shown = {row[0] for row in book["Närvaro"].iter_rows(values_only=True)}
    assert {"'" + name for name in names} <= shown
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)


def test_the_index_lists_every_period_with_its_report(told, signed_in):
    response = signed_in.get(f"{BASE}/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for period in (told.period, told.other_period):
        assert f'href="{BASE}/{period.id}"' in html
        assert f'href="{BASE}/{period.id}.pdf"' in html
        assert f'href="{BASE}/{period.id}.xlsx"' in html


def test_the_funds_page_links_each_period_to_its_report(told, client, auditor, network):
    client.login(auditor.email, PASSWORD)
    html = client.get("/n/uddevalla/funds/").get_data(as_text=True)
    assert f'href="{BASE}/{told.period.id}"' in html
    assert f'href="{BASE}/{told.other_period.id}"' in html


def test_the_auditor_reads_every_format(told, client, auditor):
    client.login(auditor.email, PASSWORD)
    for suffix in ("", ".pdf", ".xlsx"):
        assert client.get(page(told) + suffix).status_code == 200
    assert client.get(f"{BASE}/").status_code == 200


@pytest.mark.parametrize("suffix", ["", ".pdf", ".xlsx"])
def test_a_representative_or_an_attestant_is_refused(told, client, network, suffix):
    representative = representative_of(network, told.organisations[0])
    client.login(representative.email, PASSWORD)
    assert client.get(page(told) + suffix).status_code == 403
    assert client.get(f"{BASE}/").status_code == 403
    other = client.application.test_client()
    other.login(attestant_of(network).email, PASSWORD)
    assert other.get(page(told) + suffix).status_code == 403


def test_the_attestant_sees_no_link_to_the_report(told, client, network):
    client.login(attestant_of(network).email, PASSWORD)
    html = client.get("/n/uddevalla/funds/").get_data(as_text=True)
    assert f"{BASE}/" not in html


@pytest.mark.parametrize("suffix", ["", ".pdf", ".xlsx"])
def test_another_networks_period_is_not_found(told, client, suffix):
    elsewhere = NetworkFactory(slug="trollhattan")
    foreign = FundingPeriodFactory(network=elsewhere)
    coordinator_elsewhere = coordinator_of(elsewhere)
    # Our coordinator asking for their period through our network: 404.
    own = coordinator_of(told.period.network)
    client.login(own.email, PASSWORD)
    assert client.get(f"{BASE}/{foreign.id}{suffix}").status_code == 404
    # Their coordinator asking for our period through our network: 404 (no role here).
    other = client.application.test_client()
    other.login(coordinator_elsewhere.email, PASSWORD)
    assert other.get(page(told) + suffix).status_code == 404


def test_a_visitor_is_sent_to_sign_in(told, client):
    response = client.get(page(told))
    assert response.status_code == 302 and "/auth/login" in response.location
