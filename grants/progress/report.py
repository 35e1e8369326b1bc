"""The progress report as a page and as a PDF: one context, one body template."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from grants.core.i18n import current_language
from grants.core.money import format_amount
from grants.core.time import format_date
from grants.funds.models import FundingPeriod
from grants.progress.charts import Bar, bar_chart
from grants.progress.figures import ProgressFigures, progress_figures


def criterion_label(text: str) -> str:
    return text or _("Utan kriterium")


def meeting_label(number: int, starts_at) -> str:
    return _("Möte %(number)d, %(day)s", number=number, day=format_date(starts_at))


def criterion_chart(figures: ProgressFigures):
    language = current_language()
    return bar_chart(
        "chart-criteria",
        _("Beviljat per kriterium"),
        _(
            "Liggande staplar: beviljat belopp (netto) per kriterium. "
            "Samma siffror står i tabellen intill."
        ),
        [
            Bar(criterion_label(row.text), row.granted, format_amount(row.granted, language))
            for row in figures.criteria
        ],
    )


def attendance_chart(figures: ProgressFigures):
    held = figures.held
    return bar_chart(
        "chart-attendance",
        _("Närvaro per möte"),
        _(
            "Liggande staplar: antal närvarande organisationer per hållet möte, av dem som "
            "var medlemmar då. Samma siffror står i tabellen intill."
        ),
        [
            Bar(
                meeting_label(row.number, row.starts_at),
                row.present,
                _("%(present)d av %(members)d", present=row.present, members=row.members),
            )
            for row in held
        ],
        maximum=max((row.members for row in held), default=0),
    )


def report_context(period: FundingPeriod) -> dict:
    figures = progress_figures(period)
    return {
        "period": period,
        "figures": figures,
        "criterion_chart": criterion_chart(figures) if figures.criteria else None,
        "attendance_chart": attendance_chart(figures) if figures.held else None,
        "criterion_label": criterion_label,
        "meeting_label": meeting_label,
    }


def report_pdf(period: FundingPeriod) -> bytes:
    """The report on A4, made like the minutes' PDF: self-contained, nothing fetched."""
    html = render_template("progress/report_pdf.html", **report_context(period))
    # Only data: URLs may be read (no http, no file); the charts are inline SVG.
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return HTML(string=html, url_fetcher=fetcher).write_pdf()
