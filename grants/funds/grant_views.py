"""A grant's page: decision, payouts with attestation, refunds, withdrawal."""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask import abort, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from grants.core.actions import form_status, save
from grants.core.auth import Permission, member_required, network_blueprint, require
from grants.extensions import db
from grants.funds import payouts, reports
from grants.funds.access import may_see
from grants.funds.forms import (
    CancelPayoutForm,
    PaidForm,
    PayoutForm,
    RefundForm,
    ReportForm,
    ReviewForm,
    WithdrawGrantForm,
)
from grants.funds.ledger import grant_figures
from grants.funds.models import Grant, Payout
from grants.members.models import RoleKind

bp = network_blueprint("grants", __name__, "/grants")

FORMS = {
    "payout": PayoutForm,
    "refund": RefundForm,
    "withdraw": WithdrawGrantForm,
    "review": ReviewForm,
}


def _grant(grant_id: int) -> Grant:
    grant = (
        db.session.scalars(
            sa.select(Grant)
            .where(Grant.id == grant_id, Grant.network_id == g.network.id)
            .options(
                joinedload(Grant.proposal),
                selectinload(Grant.payouts).joinedload(Payout.registered_by),
                selectinload(Grant.payouts).joinedload(Payout.attested_by),
                selectinload(Grant.refunds),
                joinedload(Grant.report),
            )
        )
        .unique()
        .one_or_none()
    )
    if grant is None:
        abort(404)
    require(may_see(current_user, grant))
    return grant


def _coordinator() -> bool:
    return current_user.has_role(g.network, RoleKind.COORDINATOR)


def _paid_form(payout_id: int) -> PaidForm:
    return PaidForm(prefix=f"paid{payout_id}")


def _cancel_form(payout_id: int) -> CancelPayoutForm:
    return CancelPayoutForm(prefix=f"cancel{payout_id}")


def _page(grant: Grant, *, submitted=None, **forms):
    """The grant page; ``forms`` replace the empty ones, ``submitted`` is the one posted."""
    coordinator = _coordinator()
    defaults = {name: form() for name, form in FORMS.items()} if coordinator else {}
    grantee = any(
        org.id == grant.proposal.applicant_id
        for org in current_user.represented_organisations(g.network)
    )
    if coordinator or grantee:
        defaults["report"] = ReportForm()
    defaults.update(forms)
    payout_forms = {
        payout.id: {
            "paid": defaults.pop(f"paid{payout.id}", None) or _paid_form(payout.id),
            "cancel": defaults.pop(f"cancel{payout.id}", None) or _cancel_form(payout.id),
        }
        for payout in grant.payouts
    }
    membership = payouts.payee_membership(grant)
    return render_template(
        "funds/grant.html",
        grant=grant,
        current_destination=membership.payout_details if membership is not None else None,
        sees_account=current_user.has_role(
            g.network, RoleKind.COORDINATOR, RoleKind.AUDITOR, RoleKind.ATTESTANT
        ),
        figures=grant_figures([grant.id])[grant.id],
        coordinator=coordinator,
        attest_refusals={p.id: payouts.attest_refusal(p, current_user) for p in grant.payouts},
        payout_forms=payout_forms,
        forms=defaults,
        submitted=submitted,
        grantee=grantee,
        costs=json.loads(grant.report.costs) if grant.report else [],
        early=reports.early_report(grant.report) if grant.report else None,
    ), form_status(submitted) if submitted is not None else 200


@bp.get("/<int:grant_id>")
@member_required
def show(grant_id: int):
    return _page(_grant(grant_id))


def _payout(grant: Grant, payout_id: int) -> Payout:
    payout = next((p for p in grant.payouts if p.id == payout_id), None)
    if payout is None:
        abort(404)
    return payout


def _back(grant: Grant):
    return redirect(url_for(".show", grant_id=grant.id))


@bp.post("/<int:grant_id>/payouts")
@member_required
def register_payout(grant_id: int):
    grant = _grant(grant_id)
    require(Permission(_coordinator()))
    form = PayoutForm()
    if form.validate_on_submit():
        outcome = save(
            form,
            payouts.register_payout,
            grant,
            amount_ore=form.amount.data,
            planned_on=form.planned_on.data,
            note=form.note.data,
            actor=current_user._get_current_object(),
            success=_("Utbetalningen är registrerad och väntar på attest."),
        )
        if outcome.ok:
            return _back(grant)
    return _page(grant, payout=form, submitted=form)


@bp.post("/<int:grant_id>/payouts/<int:payout_id>/attest")
@member_required
def attest(grant_id: int, payout_id: int):
    grant = _grant(grant_id)
    require(Permission(current_user.has_role(g.network, RoleKind.ATTESTANT)))
    payout = _payout(grant, payout_id)
    form = PaidForm()  # carries the refusal's message to the page
    outcome = save(
        form,
        payouts.attest_payout,
        payout,
        actor=current_user._get_current_object(),
        success=_("Utbetalningen är attesterad."),
    )
    if outcome.ok:
        return _back(grant)
    return _page(grant, submitted=form)


@bp.post("/<int:grant_id>/payouts/<int:payout_id>/paid")
@member_required
def mark_paid(grant_id: int, payout_id: int):
    grant = _grant(grant_id)
    require(Permission(_coordinator()))
    payout = _payout(grant, payout_id)
    form = _paid_form(payout_id)
    if form.validate_on_submit():
        outcome = save(
            form,
            payouts.mark_paid,
            payout,
            paid_on=form.paid_on.data,
            accounting_ref=form.accounting_ref.data,
            actor=current_user._get_current_object(),
            success=_("Utbetalningen är markerad som betald."),
        )
        if outcome.ok:
            return _back(grant)
    return _page(grant, submitted=form, **{f"paid{payout_id}": form})


@bp.post("/<int:grant_id>/payouts/<int:payout_id>/cancel")
@member_required
def cancel_payout(grant_id: int, payout_id: int):
    grant = _grant(grant_id)
    require(Permission(_coordinator()))
    payout = _payout(grant, payout_id)
    form = _cancel_form(payout_id)
    if form.validate_on_submit():
        outcome = save(
            form,
            payouts.cancel_payout,
            payout,
            reason=form.reason.data,
            actor=current_user._get_current_object(),
            success=_("Utbetalningen är makulerad."),
        )
        if outcome.ok:
            return _back(grant)
    return _page(grant, submitted=form, **{f"cancel{payout_id}": form})


@bp.post("/<int:grant_id>/refunds")
@member_required
def register_refund(grant_id: int):
    grant = _grant(grant_id)
    require(Permission(_coordinator()))
    form = RefundForm()
    if form.validate_on_submit():
        outcome = save(
            form,
            payouts.register_refund,
            grant,
            amount_ore=form.amount.data,
            received_on=form.received_on.data,
            reference=form.reference.data,
            note=form.note.data,
            actor=current_user._get_current_object(),
            success=_("Återbetalningen är registrerad; pengarna är tillbaka i potten."),
        )
        if outcome.ok:
            return _back(grant)
    return _page(grant, refund=form, submitted=form)


@bp.post("/<int:grant_id>/withdraw")
@member_required
def withdraw(grant_id: int):
    grant = _grant(grant_id)
    require(Permission(_coordinator()))
    form = WithdrawGrantForm()
    if form.validate_on_submit():
        outcome = save(
            form,
            payouts.withdraw_grant,
            grant,
            reason=form.reason.data,
            actor=current_user._get_current_object(),
            success=_("Bidraget är återkallat; det som inte betalats ut är tillbaka i potten."),
        )
        if outcome.ok:
            return _back(grant)
    return _page(grant, withdraw=form, submitted=form)
