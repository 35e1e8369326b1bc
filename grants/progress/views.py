"""The progress report (lägesrapport) to the municipality's integration group, per
funding period: a page, a PDF and an XLSX, for the coordinator and the auditor."""

from __future__ import annotations

from flask import g, render_template

from grants.core.auth import get_in_network_or_404, network_blueprint, role_required
from grants.funds import operations
from grants.funds.models import FundingPeriod
from grants.members.models import RoleKind
from grants.progress.figures import progress_figures
from grants.progress.report import report_context, report_pdf
from grants.progress.spreadsheet import report_xlsx

bp = network_blueprint("progress", __name__, "/progress")

READERS = (RoleKind.COORDINATOR, RoleKind.AUDITOR)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filename(period: FundingPeriod, extension: str) -> str:
    return f"lagesrapport-{period.starts_on.isoformat()}-{period.ends_on.isoformat()}.{extension}"


@bp.get("/")
@role_required(*READERS)
def index():
    return render_template(
        "progress/index.html",
        periods=operations.periods(g.network),
        current=operations.current_period(g.network),
    )


@bp.get("/<int:period_id>")
@role_required(*READERS)
def show(period_id: int):
    period = get_in_network_or_404(FundingPeriod, period_id)
    return render_template("progress/report.html", **report_context(period))


@bp.get("/<int:period_id>.pdf")
@role_required(*READERS)
def pdf(period_id: int):
    period = get_in_network_or_404(FundingPeriod, period_id)
    return (
        report_pdf(period),
        200,
        {
            "Content-Type": "application/pdf",
            "Content-Disposition": f'inline; filename="{_filename(period, "pdf")}"',
        },
    )


@bp.get("/<int:period_id>.xlsx")
@role_required(*READERS)
def xlsx(period_id: int):
    period = get_in_network_or_404(FundingPeriod, period_id)
    return (
        report_xlsx(progress_figures(period), g.network.name),
        200,
        {
            "Content-Type": XLSX,
            "Content-Disposition": f'attachment; filename="{_filename(period, "xlsx")}"',
        },
    )
