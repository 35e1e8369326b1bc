"""The audit exports (CSV and XLSX) and the public open-data CSV.

What an auditor opens in Excel must say what the app says: Swedish letters
intact, the byte order mark that makes Excel read UTF-8, amounts as numbers,
and no cell that a spreadsheet would run as a formula. Nothing of another
network, and no person's name or e-mail in the public file.
"""

import csv
import io
import re
import tempfile

import openpyxl
import pytest
import sqlalchemy as sa

from grants.audit import tabular
from grants.audit.exports.registry import EXPORTS
from grants.core.audit import AuditEvent
from grants.core.time import local_today, to_local
from grants.extensions import db
from grants.funds import expenses, payouts
from grants.funds.models import BudgetLineKind
from grants.funds.operations import today
from grants.members.models import JoinRequest, Organisation, User
from grants.proposals.models import Proposal
from tests.audit.conftest import PDF, Upload
from tests.factories import (
    PASSWORD,
    FundingPeriodFactory,
    GrantFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    ProposalFactory,
    coordinator_of,
    on_its_day,
    representative_of,
)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TODAY = today().isoformat()  # in Stockholm, as the file names say


def signed_in(app, user):
    client = app.test_client()
    client.login(user.email, PASSWORD)
    return client


def csv_rows(response, sep=";") -> list[list[str]]:
    return list(
        csv.reader(io.StringIO(response.data.decode("utf-8-sig"), newline=""), delimiter=sep)
    )


def xlsx_sheet(response):
    return openpyxl.load_workbook(io.BytesIO(response.data)).active


def as_table(rows: list[list[str]]) -> list[dict[str, str]]:
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


# ---- the format -------------------------------------------------------------------------


def test_the_csv_opens_in_swedish_excel_bom_semicolons_decimal_comma_iso_dates(
    app, traced, auditor
):
    response = signed_in(app, auditor).get("/n/uddevalla/audit/export/payouts.csv")
    assert response.status_code == 200
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="utbetalningar-uddevalla-{TODAY}.csv"'
    )
    rows = as_table(csv_rows(response))
    assert [row["Belopp (kr)"] for row in rows] == ["6250,00", "6250,00"]
    assert [row["Verifikationsnummer"] for row in rows] == ["V-2026-0101", "V-2026-0144"]
    assert {row["Betald"] for row in rows} == {local_today().isoformat()}
    assert {row["Attesterad av"] for row in rows} == {"Bo Budgetansvarig"}
    assert rows[0]["Organisation"] == traced.proposal.applicant.name
    registered = rows[0]["Registrerad"]  # Stockholm time, to the minute
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", registered)


def test_with_sep_comma_the_csv_uses_commas_and_a_decimal_point(app, traced, auditor):
    response = signed_in(app, auditor).get("/n/uddevalla/audit/export/grants.csv?sep=comma")
    rows = as_table(csv_rows(response, sep=","))
    assert len(rows) == 1
    grant = rows[0]
    assert grant["Beviljat (kr)"] == "12500.00"
    assert grant["Utbetalt (kr)"] == "12500.00"
    assert grant["Återbetalt (kr)"] == "500.00"
    assert grant["Åtagande (kr)"] == "12000.00"
    assert grant["Läge"] == "Avslutat" and grant["Redovisning"] == "Godkänd"


def test_the_header_row_is_in_the_visitors_language(app, traced, auditor):
    client = signed_in(app, auditor)
    english = csv_rows(client.get("/n/uddevalla/audit/export/refunds.csv?lang=en"))
    swedish = csv_rows(client.get("/n/uddevalla/audit/export/refunds.csv?lang=sv"))
    assert swedish[0][0] == "Återbetalning"
    assert english[0] != swedish[0]
    assert english[1] == swedish[1]  # the same data


def test_the_xlsx_has_a_bold_header_amounts_as_numbers_dates_as_dates(
    app, traced, auditor, monkeypatch, tmp_path
):
    folder = tmp_path / "temporary"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    response = signed_in(app, auditor).get("/n/uddevalla/audit/export/payouts.xlsx")
    assert response.status_code == 200
    assert response.mimetype == tabular.XLSX_MIMETYPE
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="utbetalningar-uddevalla-{TODAY}.xlsx"'
    )
    sheet = xlsx_sheet(response)
    response.close()
    header = [cell.value for cell in sheet[1]]
    assert all(cell.font.b for cell in sheet[1])
    amount = sheet.cell(row=2, column=header.index("Belopp (kr)") + 1)
    assert amount.value == 6250 and amount.data_type == "n"
    assert amount.number_format == "#,##0.00"
    paid = sheet.cell(row=2, column=header.index("Betald") + 1)
    assert paid.is_date and paid.value.date() == local_today()
    assert sheet.max_row == 3
    assert list(folder.iterdir()) == [], "the temporary workbook is deleted once sent"


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_every_export_answers_in_both_formats(app, traced, auditor, coordinator, name):
    expenses.register_expense(
        traced.network,
        line_kind=BudgetLineKind.MEETINGS,
        spent_on=local_today(),
        amount_ore=40_000,
        payee="Kafé Ålen",
        payee_organisation=None,
        note="Fika till nätverksträffen",
        receipt=Upload(PDF, "kvitto.pdf"),
        actor=coordinator,
    )
    db.session.commit()
    client = signed_in(app, auditor)
    as_csv = client.get(f"/n/uddevalla/audit/export/{name}.csv")
    as_xlsx = client.get(f"/n/uddevalla/audit/export/{name}.xlsx")
    assert as_csv.status_code == as_xlsx.status_code == 200
    rows = csv_rows(as_csv)
    sheet = [[cell for cell in row] for row in xlsx_sheet(as_xlsx).iter_rows(values_only=True)]
    assert len(rows) == len(sheet) > 1
    assert rows[0] == list(sheet[0])
    if name == "expenses":
        assert rows[1][4:6] == ["400,00", "Kafé Ålen"] and sheet[1][4] == 400


# ---- formulas ------------------------------------------------------------------------------


def test_cells_that_begin_like_a_formula_get_a_quote_and_numbers_stay_numbers(tmp_path):
    hostile = ["=1+1", "+1", "-1+1", "@SUM(1,1)", "\t=1", "\r=1", "ok", "a=b"]
    rows = [["Text", "Tal", "Belopp"], *([text, -5, tabular.Money(-150)] for text in hostile)]
    written = list(
        csv.reader(
            io.StringIO(b"".join(tabular.csv_chunks(rows)).decode("utf-8-sig"), newline=""),
            delimiter=";",
        )
    )
    assert [row[0] for row in written[1:]] == [
        "'=1+1",
        "'+1",
        "'-1+1",
        "'@SUM(1,1)",
        "'\t=1",
        "'\r=1",
        "ok",
        "a=b",
    ]
    assert {row[1] for row in written[1:]} == {"-5"}
    assert {row[2] for row in written[1:]} == {"-1,50"}
    path = tabular.write_xlsx(rows, "Prov", folder=str(tmp_path))
    sheet = openpyxl.load_workbook(path).active
    # XlsxWriter stores a carriage return as _x000D_, which Excel shows as one.
    assert [sheet.cell(row=r, column=1).value.replace("_x000D_", "\r") for r in range(2, 10)] == [
        "'=1+1",
        "'+1",
        "'-1+1",
        "'@SUM(1,1)",
        "'\t=1",
        "'\r=1",
        "ok",
        "a=b",
    ]
    assert {sheet.cell(row=r, column=2).value for r in range(2, 10)} == {-5}
    assert {sheet.cell(row=r, column=3).value for r in range(2, 10)} == {-1.5}


@pytest.fixture
def hostile(app, traced, inputs, coordinator):
    """Organisations, activities and payout notes named with every formula in the inputs."""
    network, period = traced.network, traced.period
    for number, text in enumerate(inputs["spreadsheet_formula"], start=101):
        organisation = MembershipFactory(
            network=network, organisation=OrganisationFactory(name=text)
        ).organisation
        grant = GrantFactory(
            proposal=ProposalFactory(
                network=network, period=period, applicant=organisation, title=text, number=number
            ),
            amount_ore=100_000,
        )
        payouts.register_payout(
            grant, amount_ore=10_000, planned_on=local_today(), note=text, actor=coordinator
        )
    db.session.commit()
    return inputs["spreadsheet_formula"]


@pytest.mark.parametrize("name", ["proposals", "grants", "payouts", "audit-log", "decisions"])
def test_no_cell_of_an_export_is_a_formula_in_csv_or_xlsx(app, hostile, auditor, name):
    client = signed_in(app, auditor)
    rows = csv_rows(client.get(f"/n/uddevalla/audit/export/{name}.csv"))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    sheet = xlsx_sheet(client.get(f"/n/uddevalla/audit/export/{name}.xlsx"))
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
            if isinstance(cell.value, str):
                assert not cell.value.startswith(FORMULA_STARTS), (cell.coordinate, cell.value)
    if name in ("proposals", "grants", "payouts"):
        # Still there, readable, with the quote in front.
        for text in hostile:
            assert "'" + text in cells
            values = [c.value for row in sheet.iter_rows() for c in row]
            assert "'" + text in [str(v).replace("_x000D_", "\r") for v in values]


# ---- Swedish letters ------------------------------------------------------------------------


def test_swedish_letters_survive_both_formats(app, traced, auditor, inputs):
    composed = inputs["text"]["swedish_composed"]
    decomposed = inputs["text"]["swedish_decomposed"]
    network, period = traced.network, traced.period
    for number, title in enumerate((composed, decomposed), start=201):
        ProposalFactory(network=network, period=period, title=title, number=number)
    client = signed_in(app, auditor)
    titles = [
        row["Aktivitet"]
        for row in as_table(csv_rows(client.get("/n/uddevalla/audit/export/proposals.csv")))
    ]
    assert composed in titles and decomposed in titles
    sheet = xlsx_sheet(client.get("/n/uddevalla/audit/export/proposals.xlsx"))
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert composed in values and decomposed in values
    assert "Sökt belopp (kr)" in values and "Sökande" in values


# ---- what each export holds -----------------------------------------------------------------


def test_the_decisions_export_gives_each_organisations_vote(app, traced, auditor, members):
    rows = as_table(
        csv_rows(signed_in(app, auditor).get("/n/uddevalla/audit/export/decisions.csv"))
    )
    assert len(rows) == 1
    decision = rows[0]
    assert decision["Beslut"] == "Bifall" and decision["Beslutsform"] == "Rösträkning"
    assert decision["Beviljat belopp (kr)"] == "12500,00"
    assert (decision["Ja"], decision["Nej"], decision["Avstår"]) == ("3", "1", "0")
    votes = decision["Organisationernas röster"]
    for organisation in members[2:5]:
        assert f"{organisation.name}: Ja" in votes
    assert f"{members[5].name}: Nej" in votes
    for organisation in members[:2]:
        assert organisation.name in decision["Jäviga organisationer"]
        assert organisation.name not in votes


def test_the_ledger_export_has_the_ledgers_figures_per_period_and_line(app, traced, auditor):
    rows = as_table(csv_rows(signed_in(app, auditor).get("/n/uddevalla/audit/export/ledger.csv")))
    assert [row["Budgetrad"] for row in rows] == [
        "Sökbar pott",
        "Nätverkets träffar",
        "Fortbildning",
    ]
    pot = rows[0]
    assert pot["Budget (kr)"] == "100000,00"
    assert pot["Utbetalt (kr)"] == "12500,00" and pot["Återbetalt (kr)"] == "500,00"
    assert pot["Kvar i kassan (kr)"] == "88000,00"
    assert pot["Kvar att söka (kr)"] == "88000,00"


def test_the_audit_log_export_honours_the_log_pages_filters(app, traced, auditor, attestant):
    client = signed_in(app, auditor)
    everything = as_table(csv_rows(client.get("/n/uddevalla/audit/export/audit-log.csv")))
    events = db.session.scalar(
        sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.network_id == traced.network_id)
    )
    assert len(everything) == events
    assert [int(row["Nummer i kedjan"]) for row in everything] == list(range(1, events + 1))
    assert len(everything[0]["Hash"]) == 64
    paid = as_table(
        csv_rows(client.get("/n/uddevalla/audit/export/audit-log.csv?action=payout.paid"))
    )
    assert [row["Händelse"] for row in paid] == ["payout.paid", "payout.paid"]
    by_attestant = as_table(
        csv_rows(client.get(f"/n/uddevalla/audit/export/audit-log.csv?actor={attestant.id}"))
    )
    assert {row["Händelse"] for row in by_attestant} == {"payout.attested"}
    assert {row["Utförd av"] for row in by_attestant} == {"Bo Budgetansvarig"}
    sheet = xlsx_sheet(client.get("/n/uddevalla/audit/export/audit-log.xlsx?action=payout.paid"))
    assert sheet.max_row == 3


def test_a_filter_that_does_not_fit_sends_the_export_back_to_the_log_page(app, traced, auditor):
    response = signed_in(app, auditor).get(
        "/n/uddevalla/audit/export/audit-log.csv?from=2026-02-30"
    )
    assert response.status_code == 302
    assert "/n/uddevalla/audit/log?from=2026-02-30" in response.location


# ---- who may download ------------------------------------------------------------------------


def test_another_networks_data_never_appears(app, traced, auditor):
    other = NetworkFactory(slug="trollhattan")
    stranger = OrganisationFactory(name="Trollhättans hemliga förening")
    MembershipFactory(network=other, organisation=stranger)
    grant = GrantFactory(
        proposal=ProposalFactory(
            network=other,
            period=FundingPeriodFactory(network=other),
            applicant=stranger,
            title="Hemlig aktivitet",
        )
    )
    other_coordinator = coordinator_of(other)
    payouts.register_payout(
        grant, amount_ore=10_000, planned_on=local_today(), note="hemlig", actor=other_coordinator
    )
    db.session.commit()
    client = signed_in(app, auditor)
    for name in EXPORTS:
        for extension in ("csv", "xlsx"):
            response = client.get(f"/n/uddevalla/audit/export/{name}.{extension}")
            if extension == "csv":
                text = response.data.decode("utf-8-sig")
            else:
                text = repr(list(xlsx_sheet(response).iter_rows(values_only=True)))
            assert "Trollhättans hemliga" not in text and "Hemlig aktivitet" not in text, name
    funded = app.test_client().get("/n/uddevalla/funded.csv").data.decode("utf-8-sig")
    assert "Hemlig aktivitet" not in funded and traced.proposal.title in funded


def test_another_networks_slug_answers_404_for_a_member(app, traced, auditor, coordinator):
    NetworkFactory(slug="trollhattan", public=False)
    for person in (auditor, coordinator):
        client = signed_in(app, person)
        for url in (
            "/n/trollhattan/audit/export/",
            "/n/trollhattan/audit/export/payouts.csv",
            "/n/trollhattan/audit/export/payouts.xlsx",
            "/n/trollhattan/audit/log",
            "/n/trollhattan/funded.csv",
        ):
            assert client.get(url).status_code == 404, url


def test_a_representative_gets_403_and_an_anonymous_visitor_the_login(app, traced, members):
    representative = representative_of(traced.network, members[0])
    client = signed_in(app, representative)
    anonymous = app.test_client()
    for url in (
        "/n/uddevalla/audit/export/",
        "/n/uddevalla/audit/export/payouts.csv",
        "/n/uddevalla/audit/export/payouts.xlsx",
        "/n/uddevalla/audit/export/audit-log.csv",
    ):
        assert client.get(url).status_code == 403, url
        answer = anonymous.get(url)
        assert answer.status_code == 302 and "/auth/login" in answer.location


def test_an_unknown_export_is_404(app, traced, auditor):
    client = signed_in(app, auditor)
    assert client.get("/n/uddevalla/audit/export/users.csv").status_code == 404
    assert client.get("/n/uddevalla/audit/export/users.xlsx").status_code == 404


def test_the_export_list_links_every_export_in_both_formats(app, traced, coordinator):
    html = signed_in(app, coordinator).get("/n/uddevalla/audit/export/").get_data(as_text=True)
    for name in EXPORTS:
        assert f"/n/uddevalla/audit/export/{name}.csv" in html
        assert f"/n/uddevalla/audit/export/{name}.csv?sep=comma" in html
        assert f"/n/uddevalla/audit/export/{name}.xlsx" in html
    assert "/n/uddevalla/funded.csv" in html


# ---- the public open-data file ------------------------------------------------------------


@pytest.fixture
def demo(app):
    """The demo network with its three queued proposals decided at its first meeting:
    two approved, one rejected."""
    from grants.demo import seed_small
    from grants.meetings import decisions, session
    from grants.meetings.models import DecisionMethod, Meeting
    from grants.meetings.rules import Outcome

    seed_small()
    db.session.commit()
    meeting = db.session.scalar(sa.select(Meeting))
    network = meeting.network
    coordinator = db.session.scalar(
        sa.select(User).where(User.email == "samordnare@uddevalla.example.se")
    )
    session.start_session(on_its_day(meeting), actor=coordinator)
    members = db.session.scalars(sa.select(Organisation).order_by(Organisation.id)).all()
    for organisation in members:
        session.record_attendance(
            meeting, organisation, present=True, people="Anna Andersson", actor=coordinator
        )
    items = [item for item in session.agenda(meeting) if item.proposal_id]
    assert len(items) == 3
    for item in items:
        rejected = item.proposal.title == "Föräldraträffar om skolan"
        decisions.decide(
            item,
            outcome=Outcome.REJECTED if rejected else Outcome.APPROVED,
            method=DecisionMethod.ACCLAMATION,
            actor=coordinator,
        )
    db.session.commit()
    return network


def test_the_public_funded_csv_lists_the_grants_and_no_person(app, demo):
    before = app.test_client().get("/n/uddevalla/funded.csv")
    assert len(csv_rows(before)) == 1  # the header: no decision is official before its minutes
    from grants.meetings.models import Meeting, MeetingStatus

    meeting = db.session.scalar(sa.select(Meeting))
    meeting.status = MeetingStatus.ADJUSTED  # the adjusters approved the minutes
    db.session.commit()
    response = app.test_client().get("/n/uddevalla/funded.csv")
    assert response.status_code == 200
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="beviljat-uddevalla-{TODAY}.csv"'
    )
    text = response.data.decode("utf-8-sig")
    rows = as_table(csv_rows(response))
    assert {(row["Organisation"], row["Aktivitet"], row["Beviljat (kr)"]) for row in rows} == {
        ("Språkvänner i Uddevalla", "Språkcafé varje torsdag", "7500,00"),
        ("IK Uddevalla Fotboll", "Fotboll för alla – prova på", "6500,00"),
    }
    assert {row["Möte"] for row in rows} == {"1"}
    assert {row["Läge"] for row in rows} == {"Beviljat"}
    assert {row["Finansiär"] for row in rows} == {"Hälsopolitiska rådet"}
    assert all(row["Organisationsnummer"] for row in rows)
    # Nobody: not the people with accounts, not the contacts, not who attended.
    people = set()
    for user in db.session.scalars(sa.select(User)):
        people |= {user.name, user.email}
    for organisation in db.session.scalars(sa.select(Organisation)):
        people |= {organisation.contact_name, organisation.contact_email}
    for proposal in db.session.scalars(sa.select(Proposal)):
        people |= {proposal.contact_name, proposal.contact_email}
    for request in db.session.scalars(sa.select(JoinRequest)):
        people |= {request.contact_name, request.contact_email}
    people |= {"Anna Andersson"}
    people.discard("")
    assert len(people) > 20
    found = sorted(person for person in people if person in text)
    assert found == []
    lowered = text.lower()
    assert "@" not in lowered


def test_the_funded_csv_of_a_network_that_is_not_public_is_404(app):
    network = NetworkFactory(slug="stangt", public=False)
    member = coordinator_of(network)
    assert app.test_client().get("/n/stangt/funded.csv").status_code == 404
    assert app.test_client().get("/n/finns-inte/funded.csv").status_code == 404
    assert signed_in(app, member).get("/n/stangt/funded.csv").status_code == 200


def test_the_funded_csv_takes_commas_on_request(app, traced):
    text = app.test_client().get("/n/uddevalla/funded.csv?sep=comma").data.decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text)))
    assert header[:4] == ["Organisation", "Organisationsnummer", "Aktivitet", "Beviljat (kr)"]
    meeting = traced.proposal.meeting
    assert row[2] == traced.proposal.title and row[3] == "12500.00"
    assert row[4] == str(meeting.number)
    assert row[5] == to_local(meeting.starts_at).date().isoformat()
