"""The pot: funding periods and budget lines (coordinator edits, auditor reads)."""

from __future__ import annotations

from flask import abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from grants.core.actions import form_status, save
from grants.core.auth import (
    coordinator_required,
    get_in_network_or_404,
    network_blueprint,
    role_required,
)
from grants.core.numbers import ascii_int
from grants.funds import lists, operations
from grants.funds.forms import PeriodForm
from grants.funds.models import BudgetLineKind, FundingPeriod
from grants.members.models import RoleKind

bp = network_blueprint("funds", __name__, "/funds")


def _period_values(form: PeriodForm) -> dict:
    return {
        "funder": form.funder.data,
        "starts_on": form.starts_on.data,
        "ends_on": form.ends_on.data,
        "note": form.note.data,
        "budgets": {kind: getattr(form, f"budget_{kind.value}").data for kind in BudgetLineKind},
        "actor": current_user,
    }


@bp.get("/")
@role_required(RoleKind.COORDINATOR, RoleKind.AUDITOR, RoleKind.ATTESTANT)
def index():
    from grants.funds.ledger import organisation_figures, period_ledgers

    periods = operations.periods(g.network)
    # Every period's ledger; the grants and organisations of one period at a time (a
    # network grants about a hundred activities a period).
    known, shown = operations.chosen_period(periods, ascii_int(request.args.get("period")))
    if not known:
        abort(404)
    ledgers = period_ledgers(periods)
    return render_template(
        "funds/index.html",
        periods=[(period, ledgers[period.id]) for period in periods],
        shown=shown,
        organisations=organisation_figures(shown, operations.today()) if shown else [],
        grants=lists.grants_of(shown) if shown else [],
        awaiting_attest=lists.payouts_to_attest(g.network),
        meetings=operations.meetings_in_periods(periods),
        current=operations.running_among(periods),
    )


@bp.route("/periods/new", methods=["GET", "POST"])
@coordinator_required
def new_period():
    form = PeriodForm()
    if form.validate_on_submit():
        outcome = save(
            form,
            operations.create_period,
            g.network,
            **_period_values(form),
            success=_("Perioden är sparad."),
        )
        if outcome.ok:
            return redirect(url_for(".index"))
    return render_template("funds/period_form.html", form=form, period=None), form_status(form)


@bp.route("/periods/<int:period_id>", methods=["GET", "POST"])
@coordinator_required
def edit_period(period_id: int):
    period = get_in_network_or_404(FundingPeriod, period_id)
    form = PeriodForm(
        obj=period, data={f"budget_{line.kind.value}": line.budget_ore for line in period.lines}
    )
    if form.validate_on_submit():
        outcome = save(
            form,
            operations.update_period,
            period,
            **_period_values(form),
            success=_("Perioden är sparad."),
        )
        if outcome.ok:
            return redirect(url_for(".index"))
    return render_template("funds/period_form.html", form=form, period=period), form_status(form)
