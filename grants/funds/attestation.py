"""The attestation rule shared by grant payouts and the network's own expenses.

Swedish municipal internal control: one person registers the payment, a
second person with the attest role attests it, then it is marked paid with the
date and the accounting reference (verifikationsnummer). Nobody attests what
they registered, nor money to an organisation they represent. Each step is a
conditional UPDATE, so when two people press the button at once one wins.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from grants.core.errors import DomainError
from grants.core.time import local_today, utcnow
from grants.extensions import db
from grants.funds.models import PayoutStatus
from grants.members.models import RoleKind, User
from grants.networks.models import Network


def refusal(
    network: Network, user: User, *, registered_by_id: int | None, payee_id: int | None
) -> str | None:
    """Why ``user`` may not attest a payment; ``None`` when they may."""
    if not user.has_role(network, RoleKind.ATTESTANT):
        return _("Bara den som har rollen attestant kan attestera utbetalningar.")
    if registered_by_id == user.id:
        return _("Du registrerade utbetalningen och kan inte attestera den själv.")
    if payee_id is not None and any(
        org.id == payee_id for org in user.represented_organisations(network)
    ):
        return _("Du representerar organisationen som får pengarna och kan inte attestera.")
    return None


def _step(model, row, *, from_status: PayoutStatus, already: str, **values) -> None:
    result = db.session.execute(
        sa.update(model)
        .where(model.id == row.id, model.status == from_status)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise DomainError(already)
    db.session.refresh(row)


def attest(model, row, *, why_not: str | None, actor: User) -> None:
    if why_not:
        raise DomainError(why_not)
    _step(
        model,
        row,
        from_status=PayoutStatus.REGISTERED,
        already=_("Utbetalningen är redan attesterad eller makulerad."),
        status=PayoutStatus.ATTESTED,
        attested_by_id=actor.id,
        attested_at=utcnow(),
    )


def mark_paid(model, row, *, paid_on: date, accounting_ref: str, actor: User) -> None:
    """The money has left the municipality's account."""
    if row.status != PayoutStatus.ATTESTED:
        raise DomainError(_("Utbetalningen måste vara attesterad innan den markeras som betald."))
    if paid_on > local_today():
        raise DomainError(_("Betaldagen kan inte ligga i framtiden."), field="paid_on")
    if not accounting_ref:
        raise DomainError(
            _("Skriv verifikationsnumret från ekonomisystemet."), field="accounting_ref"
        )
    _step(
        model,
        row,
        from_status=PayoutStatus.ATTESTED,
        already=_("Utbetalningen är redan markerad som betald."),
        status=PayoutStatus.PAID,
        paid_on=paid_on,
        accounting_ref=accounting_ref,
        paid_recorded_by_id=actor.id,
    )


def cancel(row, *, reason: str) -> None:
    """A conditional UPDATE, like the other steps: a payment marked paid at the same
    moment stays paid (and is not paid a second time)."""
    if row.status in (PayoutStatus.PAID, PayoutStatus.CANCELLED):
        raise DomainError(_("En betald eller makulerad utbetalning kan inte makuleras."))
    if not reason:
        raise DomainError(_("Skriv varför utbetalningen makuleras."), field="reason")
    model = type(row)
    result = db.session.execute(
        sa.update(model)
        .where(
            model.id == row.id,
            model.status.in_((PayoutStatus.REGISTERED, PayoutStatus.ATTESTED)),
        )
        .values(status=PayoutStatus.CANCELLED, cancelled_reason=reason)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise DomainError(_("En betald eller makulerad utbetalning kan inte makuleras."))
    db.session.refresh(row)
