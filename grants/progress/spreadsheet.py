"""The progress report as an XLSX workbook: one sheet per section of the page.

Amounts are numbers (kronor, with a number format), so the municipality can
sum them again; dates are dates. Text that a spreadsheet program could take for
a formula is made harmless (``safe_text``), and XlsxWriter is told never to
turn strings into formulas or links.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import xlsxwriter
from flask_babel import gettext as _

from grants.audit.tabular import safe_text
from grants.core.i18n import current_language
from grants.core.labels import label
from grants.core.time import to_local
from grants.progress.figures import Cell, ProgressFigures
from grants.progress.report import criterion_label


# What a spreadsheet program may read as the start of a formula (or a DDE command).
def _kronor(ore: int) -> Decimal:
    """Öre as kronor for a number cell, without going through a float."""
    return Decimal(ore) / 100


class _Sheet:
    """Writes rows top-down with the workbook's formats."""

    def __init__(self, book: xlsxwriter.Workbook, name: str, formats: dict, widths: list[int]):
        self.sheet = book.add_worksheet(name[:31])
        self.formats = formats
        self.row = 0
        for column, width in enumerate(widths):
            self.sheet.set_column(column, column, width)

    def title(self, text: str) -> None:
        self.sheet.write_string(self.row, 0, safe_text(text), self.formats["title"])
        self.row += 2

    def header(self, *texts: str) -> None:
        for column, text in enumerate(texts):
            self.sheet.write_string(self.row, column, safe_text(text), self.formats["header"])
        self.row += 1

    def values(self, *cells) -> None:
        """Cells as ``str`` (text), ``int`` (a count), ``("money", öre)`` or ``date``."""
        for column, cell in enumerate(cells):
            if isinstance(cell, tuple) and cell[0] == "money":
                self.sheet.write_number(self.row, column, _kronor(cell[1]), self.formats["money"])
            elif isinstance(cell, date):
                self.sheet.write_datetime(self.row, column, cell, self.formats["date"])
            elif isinstance(cell, int):
                self.sheet.write_number(self.row, column, cell)
            else:
                self.sheet.write_string(self.row, column, safe_text(str(cell)))
        self.row += 1

    def note(self, text: str) -> None:
        self.row += 1
        self.sheet.write_string(self.row, 0, safe_text(text), self.formats["note"])
        self.row += 1


def _day(moment) -> date:
    return to_local(moment).date()


def _money(ore: int) -> tuple[str, int]:
    return ("money", ore)


def report_xlsx(figures: ProgressFigures, network_name: str) -> bytes:
    output = io.BytesIO()
    book = xlsxwriter.Workbook(
        output,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    amount = '#,##0.00 "kr"' if current_language() == "sv" else '"SEK" #,##0.00'
    formats = {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "header": book.add_format({"bold": True, "bottom": 1, "text_wrap": True}),
        "money": book.add_format({"num_format": amount}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "note": book.add_format({"italic": True}),
    }
    period = figures.period
    heading = _(
        "Lägesrapport: %(funder)s, %(start)s – %(end)s",
        funder=period.funder,
        start=period.starts_on.isoformat(),
        end=period.ends_on.isoformat(),
    )

    summary = _Sheet(book, _("Sammanfattning"), formats, [42, 18])
    summary.title(heading)
    summary.values(_("Nätverket"), network_name)
    summary.values(_("Finansiär"), period.funder)
    summary.values(_("Perioden börjar"), period.starts_on)
    summary.values(_("Perioden slutar"), period.ends_on)
    summary.values(_("Uppgifterna gäller"), figures.today)
    summary.row += 1
    summary.header(_("Uppgift"), _("Värde"))
    summary.values(_("Möten hållna"), len(figures.held))
    summary.values(_("Möten planerade"), len(figures.planned))
    summary.values(_("Förslag mottagna"), figures.proposals.received)
    summary.values(_("Sökt"), _money(figures.requested))
    summary.values(_("Beviljat (netto)"), _money(figures.granted))
    summary.values(_("Utbetalt"), _money(figures.paid))
    summary.values(_("Återbetalt"), _money(figures.refunded))
    summary.values(_("Redovisningar som saknas"), figures.reports_outstanding)
    summary.values(_("Varav försenade"), figures.reports_overdue)
    summary.note(
        _(
            "Beviljat netto är beviljade belopp minus återbetalningar; för ett återkallat "
            "bidrag räknas det som betalades ut."
        )
    )

    meetings = _Sheet(book, _("Möten"), formats, [10, 12, 22, 14, 14])
    meetings.title(_("Möten i perioden"))
    meetings.header(_("Möte"), _("Datum"), _("Läge"), _("Närvarande"), _("Medlemmar då"))
    for row in figures.meetings:
        if row.held:
            meetings.values(
                row.number, _day(row.starts_at), label(row.status), row.present, row.members
            )
        else:
            meetings.values(row.number, _day(row.starts_at), label(row.status))

    marks = {Cell.PRESENT: _("Ja"), Cell.ABSENT: _("Nej"), Cell.NOT_MEMBER: "–"}
    attendance = _Sheet(book, _("Närvaro"), formats, [36] + [12] * len(figures.held))
    attendance.title(_("Närvaro per organisation"))
    attendance.header(
        _("Organisation"), *(_("Möte %(number)d", number=row.number) for row in figures.held)
    )
    for row in figures.attendance:
        attendance.values(row.name, *(marks[cell] for cell in row.cells))
    attendance.note(_("Ja = närvarande, Nej = frånvarande, – = inte medlem när mötet hölls."))

    proposals = _Sheet(book, _("Förslag"), formats, [30, 12, 18])
    proposals.title(_("Förslag i perioden"))
    proposals.header(_("Läge"), _("Antal"), _("Sökt"))
    for state_count in figures.proposals.by_state.values():
        proposals.values(label(state_count.state), state_count.count, _money(state_count.requested))
    proposals.values(_("Mottagna totalt"), figures.proposals.received, _money(figures.requested))
    proposals.values(_("Bordläggningsbeslut"), figures.proposals.deferrals)
    proposals.note(
        _(
            "Ett förslag räknas efter sitt läge nu: ett förslag som bordlades och sedan "
            "beviljades räknas som beviljat."
        )
    )

    criteria = _Sheet(book, _("Kriterier"), formats, [60, 10, 18, 18])
    criteria.title(_("Pengar per kriterium"))
    criteria.header(_("Kriterium"), _("Förslag"), _("Sökt"), _("Beviljat (netto)"))
    for row in figures.criteria:
        criteria.values(
            criterion_label(row.text), row.proposals, _money(row.requested), _money(row.granted)
        )
    criteria.note(
        _(
            "Ett förslag med flera kriterier räknas med hela sitt belopp under vart och ett "
            "av dem, så raderna kan tillsammans bli mer än summan för perioden."
        )
    )

    organisations = _Sheet(book, _("Organisationer"), formats, [36, 16, 16, 16, 14, 14])
    organisations.title(_("Bidrag per organisation"))
    organisations.header(
        _("Organisation"),
        _("Beviljat"),
        _("Utbetalt"),
        _("Återbetalt"),
        _("Redovisningar som saknas"),
        _("Varav försenade"),
    )
    for row in figures.organisations:
        organisations.values(
            row.name,
            _money(row.granted),
            _money(row.paid),
            _money(row.refunded),
            row.reports_outstanding,
            row.reports_overdue,
        )

    lines = _Sheet(book, _("Träffar och fortbildning"), formats, [30, 16, 16, 16, 16])
    lines.title(_("Nätverkets träffar och fortbildning"))
    lines.header(_("Budgetrad"), _("Budget"), _("Registrerat"), _("Betalt"), _("Kvar"))
    for line in figures.spend_lines:
        lines.values(
            label(line.kind),
            _money(line.budget),
            _money(line.committed),
            _money(line.paid),
            _money(line.left_to_apply_for),
        )
    lines.note(_("Registrerat är utgifter som inte makulerats; betalt är de som är betalda."))

    book.close()
    return output.getvalue()
