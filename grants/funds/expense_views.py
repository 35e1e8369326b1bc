"""The network's own expenses: registered with a receipt, attested, paid."""

from __future__ import annotations

from flask import abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from grants.core.actions import form_status, save
from grants.core.auth import (
    Permission,
    get_in_network_or_404,
    network_blueprint,
    require,
    role_required,
)
from grants.core.forms import choices
from grants.core.uploads import send_stored
from grants.extensions import db
from grants.funds import expenses
from grants.funds.forms import CancelPayoutForm, ExpenseForm, PaidForm
from grants.funds.models import BudgetLineKind, Expense
from grants.members.models import Organisation, RoleKind
from grants.proposals.queries import active_member_organisations

bp = network_blueprint("expenses", __name__, "/funds/expenses")

READERS = (RoleKind.COORDINATOR, RoleKind.AUDITOR, RoleKind.ATTESTANT)


def _coordinator() -> bool:
    return current_user.has_role(g.network, RoleKind.COORDINATOR)


def _expense_form() -> ExpenseForm:
    form = ExpenseForm()
    form.payee_organisation.choices = choices(
        [("", _("Nej"))] + [(o.id, o.name) for o in active_member_organisations(g.network)]
    )
    return form


def _list_page(form: ExpenseForm | None = None):
    form = form or (_expense_form() if _coordinator() else None)
    return render_template(
        "funds/expenses.html",
        expenses=expenses.expenses_of(g.network),
        form=form,
        refusals={},
    ), (form_status(form) if form is not None else 200)


@bp.get("/")
@role_required(*READERS)
def index():
    return _list_page()


@bp.post("/")
@role_required(*READERS)
def register():
    require(Permission(_coordinator()))
    form = _expense_form()
    if form.validate_on_submit():
        members = {o.id: o for o in active_member_organisations(g.network)}
        organisation = members.get(form.payee_organisation.data)
        if form.payee_organisation.data and organisation is None:
            abort(404)  # another network's organisation, or one that has left
        outcome = save(
            form,
            expenses.register_expense,
            g.network,
            line_kind=BudgetLineKind(form.line.data),
            spent_on=form.spent_on.data,
            amount_ore=form.amount.data,
            payee=form.payee.data,
            payee_organisation=organisation,
            note=form.note.data,
            receipt=request.files.get("receipt"),
            actor=current_user._get_current_object(),
            success=_("Utgiften är registrerad och väntar på attest."),
        )
        if outcome.ok:
            return redirect(url_for(".show", expense_id=outcome.value.id))
    return _list_page(form)


def _expense(expense_id: int) -> Expense:
    return get_in_network_or_404(Expense, expense_id)


def _page(expense: Expense, *, submitted=None, paid=None, cancel=None):
    return render_template(
        "funds/expense.html",
        expense=expense,
        coordinator=_coordinator(),
        refusal=expenses.attest_refusal(expense, current_user),
        paid_form=paid or PaidForm(),
        cancel_form=cancel or CancelPayoutForm(),
        submitted=submitted,
        payee_organisation=(
            db.session.get(Organisation, expense.payee_organisation_id)
            if expense.payee_organisation_id
            else None
        ),
    ), (form_status(submitted) if submitted is not None else 200)


@bp.get("/<int:expense_id>")
@role_required(*READERS)
def show(expense_id: int):
    return _page(_expense(expense_id))


@bp.post("/<int:expense_id>/attest")
@role_required(*READERS)
def attest(expense_id: int):
    expense = _expense(expense_id)
    require(Permission(current_user.has_role(g.network, RoleKind.ATTESTANT)))
    form = PaidForm()  # carries the refusal's message to the page
    outcome = save(
        form,
        expenses.attest_expense,
        expense,
        actor=current_user._get_current_object(),
        success=_("Utgiften är attesterad."),
    )
    if outcome.ok:
        return redirect(url_for(".show", expense_id=expense.id))
    return _page(expense, submitted=form)


@bp.post("/<int:expense_id>/paid")
@role_required(*READERS)
def mark_paid(expense_id: int):
    require(Permission(_coordinator()))
    expense = _expense(expense_id)
    form = PaidForm()
    if form.validate_on_submit():
        outcome = save(
            form,
            expenses.mark_expense_paid,
            expense,
            paid_on=form.paid_on.data,
            accounting_ref=form.accounting_ref.data,
            actor=current_user._get_current_object(),
            success=_("Utgiften är markerad som betald."),
        )
        if outcome.ok:
            return redirect(url_for(".show", expense_id=expense.id))
    return _page(expense, submitted=form, paid=form)


@bp.post("/<int:expense_id>/cancel")
@role_required(*READERS)
def cancel(expense_id: int):
    require(Permission(_coordinator()))
    expense = _expense(expense_id)
    form = CancelPayoutForm()
    if form.validate_on_submit():
        outcome = save(
            form,
            expenses.cancel_expense,
            expense,
            reason=form.reason.data,
            actor=current_user._get_current_object(),
            success=_("Utgiften är makulerad; pengarna är tillbaka på budgetraden."),
        )
        if outcome.ok:
            return redirect(url_for(".show", expense_id=expense.id))
    return _page(expense, submitted=form, cancel=form)


@bp.get("/<int:expense_id>/receipt")
@role_required(*READERS)
def receipt(expense_id: int):
    """Always a download, never shown inline, so a browser runs nothing it holds."""
    expense = _expense(expense_id)
    return send_stored(
        expense.receipt_key,
        filename=expense.receipt_filename,
        content_type=expense.receipt_content_type,
    )
