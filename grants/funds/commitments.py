"""Committing money from the pot: the one place a grant is created (invariant 2)."""

from __future__ import annotations

import sqlalchemy as sa

from grants.core.errors import DomainError
from grants.extensions import db
from grants.funds.ledger import committed_on
from grants.funds.models import BudgetLine, BudgetLineKind, Grant
from grants.meetings import rules


def check_commitment(proposal, amount_ore: int) -> None:
    """Refuse ``amount_ore`` unless it fits the request and what is left in the pot.

    The grants line is locked until the transaction ends, so two approvals at
    once cannot both take the last krona.
    """
    line = db.session.scalar(
        sa.select(BudgetLine)
        .where(BudgetLine.period_id == proposal.period_id, BudgetLine.kind == BudgetLineKind.GRANTS)
        .with_for_update()
    )
    left = (line.budget_ore if line else 0) - committed_on(proposal.period_id)
    refusal = rules.amount_refusal(amount_ore, requested_ore=proposal.requested_ore, left_ore=left)
    if refusal:
        raise DomainError(refusal, field="amount")


def commit_grant(
    proposal, amount_ore: int, *, decision_id: int | None, conditions: str = ""
) -> Grant:
    """Create the grant (after ``check_commitment`` in the same transaction)."""
    from datetime import timedelta

    grant = Grant(
        network_id=proposal.network_id,
        period_id=proposal.period_id,
        proposal_id=proposal.id,
        decision_id=decision_id,
        amount_ore=amount_ore,
        conditions=conditions,
        report_due_on=proposal.planned_end + timedelta(days=proposal.network.report_due_days),
    )
    db.session.add(grant)
    db.session.flush()
    return grant
