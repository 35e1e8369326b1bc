"""The pot: funding periods and budget lines (coordinator edits, auditor reads)."""

from __future__ import annotations

from flask import g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from grants.core.actions import form_status, save
from grants.core.auth import (
    coordinator_required,
    get_in_network_or_404,
    network_blueprint,
    staff_required,
)
from grants.funds import operations
from grants.funds.forms import PeriodForm
from grants.funds.models import BudgetLineKind, FundingPeriod

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
@staff_required
def index():
    periods = operations.periods(g.network)
    return render_template(
        "funds/index.html",
        periods=[(period, operations.pot(g.network, period)) for period in periods],
        meetings={period.id: operations.meetings_in(period) for period in periods},
        current=operations.current_period(g.network),
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
