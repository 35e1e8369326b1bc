"""The network's own spending on the meetings and training lines.

An expense (room hire, coffee, a lecturer) is registered with its receipt
against the period that covers its date, never beyond what is left on the
line, and is then attested and paid under the same rule as grant payouts.
The budget line's row is locked while the check runs, so two expenses
registered at once cannot together pass the budget (invariant 2).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from grants.core import audit
from grants.core.errors import DomainError
from grants.core.i18n import current_language
from grants.core.money import format_amount
from grants.core.uploads import store_upload
from grants.extensions import db
from grants.funds import attestation
from grants.funds.models import BudgetLine, BudgetLineKind, Expense, FundingPeriod, PayoutStatus
from grants.members.models import Organisation, User
from grants.networks.models import Network

EXPENSE_LINES = (BudgetLineKind.MEETINGS, BudgetLineKind.TRAINING)


def committed_on_line(period_id: int, kind: BudgetLineKind) -> int:
    """What the line's expenses take, cancelled ones excepted; one query."""
    total = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Expense.amount_ore), 0)).where(
            Expense.period_id == period_id,
            Expense.line_kind == kind,
            Expense.status != PayoutStatus.CANCELLED,
        )
    )
    return int(total)


def _period_covering(network: Network, on: date) -> FundingPeriod:
    period = db.session.scalar(
        sa.select(FundingPeriod).where(
            FundingPeriod.network_id == network.id,
            FundingPeriod.starts_on <= on,
            FundingPeriod.ends_on >= on,
        )
    )
    if period is None:
        raise DomainError(
            _("Ingen period täcker %(day)s. Lägg upp perioden först.", day=on.isoformat()),
            field="spent_on",
        )
    return period


def register_expense(
    network: Network,
    *,
    line_kind: BudgetLineKind,
    spent_on: date,
    amount_ore: int,
    payee: str,
    payee_organisation: Organisation | None,
    note: str,
    receipt,
    actor: User,
) -> Expense:
    if line_kind not in EXPENSE_LINES:
        raise DomainError(_("Välj nätverkets träffar eller fortbildning."), field="line")
    if not payee:
        raise DomainError(_("Skriv vem som får pengarna."), field="payee")
    if receipt is None or not receipt.filename:
        raise DomainError(_("Bifoga kvittot eller fakturan."), field="receipt")
    period = _period_covering(network, spent_on)
    line = db.session.scalar(
        sa.select(BudgetLine)
        .where(BudgetLine.period_id == period.id, BudgetLine.kind == line_kind)
        .with_for_update()
    )
    budget = line.budget_ore if line else 0
    left = budget - committed_on_line(period.id, line_kind)
    if amount_ore > left:
        raise DomainError(
            _(
                "Utgiften ryms inte i budgetraden: %(left)s kvar av %(budget)s.",
                left=format_amount(max(left, 0), current_language()),
                budget=format_amount(budget, current_language()),
            ),
            field="amount",
        )
    stored = store_upload(receipt.stream, receipt.filename, field="receipt")
    expense = Expense(
        network_id=network.id,
        period_id=period.id,
        line_kind=line_kind,
        spent_on=spent_on,
        amount_ore=amount_ore,
        payee=payee,
        payee_organisation_id=payee_organisation.id if payee_organisation else None,
        note=note,
        receipt_filename=stored.filename,
        receipt_content_type=stored.content_type,
        receipt_size=stored.size,
        receipt_key=stored.storage_key,
        registered_by_id=actor.id,
    )
    if not network.attestation_required:
        expense.status = PayoutStatus.ATTESTED
    db.session.add(expense)
    db.session.flush()
    audit.record(
        network,
        "expense.registered",
        expense,
        actor=actor,
        data={
            "line": line_kind.value,
            "amount_ore": amount_ore,
            "spent_on": spent_on.isoformat(),
            # The payee may be a private person (a lecturer): only an organisation's id
            # goes into the chain (invariant 9).
            "payee_organisation_id": expense.payee_organisation_id,
        },
    )
    return expense


def attest_refusal(expense: Expense, user: User) -> str | None:
    return attestation.refusal(
        expense.network,
        user,
        registered_by_id=expense.registered_by_id,
        payee_id=expense.payee_organisation_id,
    )


def attest_expense(expense: Expense, *, actor: User) -> None:
    attestation.attest(Expense, expense, why_not=attest_refusal(expense, actor), actor=actor)
    audit.record(expense.network, "expense.attested", expense, actor=actor, data=_figures(expense))


def mark_expense_paid(expense: Expense, *, paid_on: date, accounting_ref: str, actor: User) -> None:
    attestation.mark_paid(
        Expense, expense, paid_on=paid_on, accounting_ref=accounting_ref, actor=actor
    )
    audit.record(
        expense.network,
        "expense.paid",
        expense,
        actor=actor,
        data=_figures(expense) | {"paid_on": paid_on.isoformat(), "accounting_ref": accounting_ref},
    )


def cancel_expense(expense: Expense, *, reason: str, actor: User) -> None:
    attestation.cancel(expense, reason=reason)
    audit.record(expense.network, "expense.cancelled", expense, actor=actor, data=_figures(expense))


def _figures(expense: Expense) -> dict:
    return {"line": expense.line_kind.value, "amount_ore": expense.amount_ore}


def expenses_of(network: Network) -> list[Expense]:
    return list(
        db.session.scalars(
            sa.select(Expense)
            .where(Expense.network_id == network.id)
            .order_by(Expense.spent_on.desc(), Expense.id.desc())
        )
    )
