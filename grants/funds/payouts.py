"""Payouts with attestation, refunds and withdrawals: every krona after the decision.

Swedish municipal internal control: one person registers a payout, a second
person with the attest role attests it, then it is marked paid with the date
and the accounting reference (verifikationsnummer). Nobody attests their own
payout or a payout to an organisation they represent. The grant row is locked
while payouts and refunds are checked against it, so racing requests never
pay more than the grant or refund more than was paid (invariant 2).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from grants.core import audit
from grants.core.errors import DomainError
from grants.core.i18n import current_language
from grants.core.money import format_amount
from grants.core.time import local_today, utcnow
from grants.extensions import db
from grants.funds import attestation
from grants.funds.ledger import grant_figures
from grants.funds.models import Grant, GrantState, Payout, PayoutStatus, Refund
from grants.members.models import Membership, User


def _locked(grant: Grant) -> Grant:
    """The grant row locked, and read again under the lock (its state may have changed)."""
    db.session.execute(sa.select(Grant.id).where(Grant.id == grant.id).with_for_update())
    db.session.refresh(grant)
    return grant


def _money(ore: int) -> str:
    return format_amount(ore, current_language())


def refresh_state(grant: Grant) -> None:
    """granted → partly paid → paid; reported and closed come from the report (an accepted
    report closes the grant once the last instalment is paid)."""
    if grant.state in (GrantState.WITHDRAWN, GrantState.CLOSED):
        return
    figures = grant_figures([grant.id])[grant.id]
    if grant.state == GrantState.REPORTED:
        report = grant.report
        if (
            report is not None
            and report.status == "accepted"
            and (figures.paid >= grant.amount_ore - report.unused_ore)
        ):
            grant.state = GrantState.CLOSED
        return
    if figures.paid == 0:
        grant.state = GrantState.GRANTED
    elif figures.paid < grant.amount_ore:
        grant.state = GrantState.PARTLY_PAID
    else:
        grant.state = GrantState.PAID


def payee_membership(grant: Grant) -> Membership | None:
    """The grantee's membership of the grant's network: it holds where this network pays."""
    return db.session.scalar(
        sa.select(Membership).where(
            Membership.network_id == grant.network_id,
            Membership.organisation_id == grant.proposal.applicant_id,
        )
    )


def _payee_membership_locked(grant: Grant) -> Membership | None:
    """As ``payee_membership``, locked: a change of the details waits for this payout."""
    membership = payee_membership(grant)
    if membership is not None:
        db.session.execute(
            sa.select(Membership.id).where(Membership.id == membership.id).with_for_update()
        )
        db.session.refresh(membership)
    return membership


def register_payout(
    grant: Grant, *, amount_ore: int, planned_on: date, note: str, actor: User
) -> Payout:
    """An instalment to the account the network has for the grantee, recorded on the
    payout so that attestation attests it; all payouts together never exceed the grant."""
    _locked(grant)
    if grant.state in (GrantState.WITHDRAWN, GrantState.CLOSED):
        raise DomainError(_("Bidraget är återkallat eller avslutat; inget mer betalas ut."))
    membership = _payee_membership_locked(grant)
    destination = membership.payout_details if membership is not None else None
    if destination is None:
        raise DomainError(
            _(
                "%(organisation)s har inga utbetalningsuppgifter i nätverket. Fyll i "
                "bankgiro, plusgiro eller bankkonto på organisationens sida först.",
                organisation=grant.proposal.applicant.name,
            )
        )
    figures = grant_figures([grant.id])[grant.id]
    if amount_ore > figures.unpaid:
        raise DomainError(
            _(
                "Det går bara att betala ut %(left)s till av bidraget (beviljat %(amount)s).",
                left=_money(max(figures.unpaid, 0)),
                amount=_money(grant.amount_ore),
            ),
            field="amount",
        )
    payout = Payout(
        network_id=grant.network_id,
        grant_id=grant.id,
        amount_ore=amount_ore,
        planned_on=planned_on,
        note=note,
        registered_by_id=actor.id,
        payee_name=grant.proposal.applicant.name,
        destination_method=destination.method.value,
        destination_number=destination.number,
        destination_bank=destination.bank,
    )
    if not grant.network.attestation_required:
        payout.status = PayoutStatus.ATTESTED
    db.session.add(payout)
    db.session.flush()
    audit.record(
        grant.network,
        "payout.registered",
        payout,
        actor=actor,
        data={
            "grant_id": grant.id,
            "amount_ore": amount_ore,
            "planned_on": planned_on.isoformat(),
            "method": destination.method.value,
            "number_end": destination.masked()[-4:],
        },
    )
    return payout


def attest_refusal(payout: Payout, user: User) -> str | None:
    """Why ``user`` may not attest ``payout``; ``None`` when they may."""
    why_not = attestation.refusal(
        payout.grant.network,
        user,
        registered_by_id=payout.registered_by_id,
        payee_id=payout.grant.proposal.applicant_id,
    )
    if why_not is None and payout.destination is None:
        return _("Utbetalningen har inget registrerat konto. Makulera den och registrera en ny.")
    return why_not


def attest_payout(payout: Payout, *, actor: User) -> None:
    """The attestant attests the amount *and* the destination recorded on the payout."""
    attestation.attest(Payout, payout, why_not=attest_refusal(payout, actor), actor=actor)
    destination = payout.destination
    audit.record(
        payout.grant.network,
        "payout.attested",
        payout,
        actor=actor,
        data={
            "grant_id": payout.grant_id,
            "amount_ore": payout.amount_ore,
            "method": destination.method.value,
            "number_end": destination.masked()[-4:],
        },
    )


def mark_paid(payout: Payout, *, paid_on: date, accounting_ref: str, actor: User) -> None:
    """The money has left the municipality's account, for the attested destination."""
    if payout.destination is None:
        raise DomainError(
            _("Utbetalningen har inget registrerat konto. Makulera den och registrera en ny.")
        )
    attestation.mark_paid(
        Payout, payout, paid_on=paid_on, accounting_ref=accounting_ref, actor=actor
    )
    refresh_state(payout.grant)
    audit.record(
        payout.grant.network,
        "payout.paid",
        payout,
        actor=actor,
        data={
            "grant_id": payout.grant_id,
            "amount_ore": payout.amount_ore,
            "paid_on": paid_on.isoformat(),
            "accounting_ref": accounting_ref,
        },
    )


def cancel_payout(payout: Payout, *, reason: str, actor: User) -> None:
    attestation.cancel(payout, reason=reason)
    audit.record(
        payout.grant.network,
        "payout.cancelled",
        payout,
        actor=actor,
        data={"grant_id": payout.grant_id},
    )


def register_refund(
    grant: Grant, *, amount_ore: int, received_on: date, reference: str, note: str, actor: User
) -> Refund:
    """Money paid back; never more than was paid, and it returns to the pot."""
    _locked(grant)
    figures = grant_figures([grant.id])[grant.id]
    if amount_ore > figures.paid - figures.refunded:
        raise DomainError(
            _(
                "Återbetalningen kan inte vara större än det som betalats ut och inte redan "
                "återbetalats: %(left)s.",
                left=_money(figures.paid - figures.refunded),
            ),
            field="amount",
        )
    if received_on > local_today():
        raise DomainError(_("Datumet kan inte ligga i framtiden."), field="received_on")
    if not reference:
        raise DomainError(
            _("Skriv en referens, till exempel verifikationsnumret."), field="reference"
        )
    refund = Refund(
        network_id=grant.network_id,
        grant_id=grant.id,
        amount_ore=amount_ore,
        received_on=received_on,
        reference=reference,
        note=note,
        registered_by_id=actor.id,
    )
    db.session.add(refund)
    db.session.flush()
    audit.record(
        grant.network,
        "refund.registered",
        refund,
        actor=actor,
        data={
            "grant_id": grant.id,
            "amount_ore": amount_ore,
            "received_on": received_on.isoformat(),
            "reference": reference,
        },
    )
    return refund


def withdraw_grant(grant: Grant, *, reason: str, actor: User) -> None:
    """The decision is revoked or the grantee gives the grant up; what was not paid
    goes back to the pot, and payouts not yet paid are cancelled."""
    _locked(grant)
    if grant.state in (GrantState.WITHDRAWN, GrantState.CLOSED):
        raise DomainError(_("Bidraget är redan återkallat eller avslutat."))
    if not reason:
        raise DomainError(_("Skriv varför bidraget återkallas."), field="reason")
    # A conditional UPDATE: a payout marked paid at this moment stays paid.
    db.session.execute(
        sa.update(Payout)
        .where(
            Payout.grant_id == grant.id,
            Payout.status.in_((PayoutStatus.REGISTERED, PayoutStatus.ATTESTED)),
        )
        .values(status=PayoutStatus.CANCELLED, cancelled_reason=reason)
        .execution_options(synchronize_session=False)
    )
    for payout in grant.payouts:
        db.session.refresh(payout)
    grant.state = GrantState.WITHDRAWN
    grant.withdrawn_at = utcnow()
    grant.withdrawal_reason = reason
    figures = grant_figures([grant.id])[grant.id]
    audit.record(
        grant.network,
        "grant.withdrawn",
        grant,
        actor=actor,
        data={"released_ore": grant.amount_ore - figures.paid},
    )
