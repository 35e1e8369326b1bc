"""The grantee's report on the grant page: submit, review, and the attachments."""

from __future__ import annotations

from flask import abort, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from grants.core.actions import save
from grants.core.auth import Permission, member_required, network_blueprint, require
from grants.core.errors import DomainError
from grants.core.money import parse_amount
from grants.core.uploads import send_stored
from grants.funds import reports
from grants.funds.forms import ReportForm, ReviewForm
from grants.funds.grant_views import _grant, _page
from grants.members.models import RoleKind

bp = network_blueprint("grant_reports", __name__, "/grants/<int:grant_id>/report")


def _may_report(grant) -> Permission:
    network = grant.network
    if current_user.has_role(network, RoleKind.COORDINATOR) or any(
        org.id == grant.proposal.applicant_id
        for org in current_user.represented_organisations(network)
    ):
        return Permission(True)
    return Permission(False, _("Bara organisationen som fått bidraget lämnar redovisningen."))


def _costs(grant) -> list[tuple[str, int, int]]:
    """Actual cost per budget row, typed like any amount (empty means 0)."""
    rows = []
    for row in grant.proposal.budget_rows:
        typed = request.form.get(f"actual-{row.position}", "")
        try:
            actual = parse_amount(typed, allow_zero=True) if typed.strip() else 0
        except DomainError as error:
            raise DomainError(f"{row.item}: {error.message}", field="done") from error
        rows.append((row.item, row.amount_ore, actual))
    return rows


@bp.post("")
@member_required
def submit(grant_id: int):
    grant = _grant(grant_id)
    require(_may_report(grant))
    form = ReportForm()
    if form.validate_on_submit():
        try:
            costs = _costs(grant)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            outcome = save(
                form,
                reports.submit_report,
                grant,
                done=form.done.data,
                participants=form.participants.data,
                contribution=form.contribution.data,
                costs=costs,
                unused_ore=form.unused.data or 0,
                files=request.files.getlist("attachments"),
                actor=current_user._get_current_object(),
                success=_("Redovisningen är inlämnad. Samordnaren granskar den."),
            )
            if outcome.ok:
                return redirect(url_for("grants.show", grant_id=grant.id) + "#report")
    return _page(grant, report=form, submitted=form)


@bp.post("/review")
@member_required
def review(grant_id: int):
    grant = _grant(grant_id)
    require(Permission(current_user.has_role(g.network, RoleKind.COORDINATOR)))
    if grant.report is None:
        abort(404)
    form = ReviewForm()
    if form.validate_on_submit():
        if request.form.get("decision") == "accept":
            outcome = save(
                form,
                reports.accept_report,
                grant.report,
                actor=current_user._get_current_object(),
                early_seen=form.early_seen.data,
                success=_("Redovisningen är godkänd."),
            )
        else:
            outcome = save(
                form,
                reports.request_more,
                grant.report,
                message=form.message.data,
                actor=current_user._get_current_object(),
                success=_("Organisationen har fått besked om vad som ska kompletteras."),
            )
        if outcome.ok:
            return redirect(url_for("grants.show", grant_id=grant.id) + "#report")
    return _page(grant, review=form, submitted=form)


@bp.get("/attachments/<int:attachment_id>")
@member_required
def attachment(grant_id: int, attachment_id: int):
    """Served only to those who may see the grant, always as a download."""
    grant = _grant(grant_id)
    found = reports.attachment_in_network(g.network, attachment_id)
    if found is None or grant.report is None or found.report_id != grant.report.id:
        abort(404)
    return send_stored(found.storage_key, filename=found.filename, content_type=found.content_type)
