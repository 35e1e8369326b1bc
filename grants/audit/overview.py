"""What the auditor looks at first: the periods' money, overdue reports, and payments
that lack an attestation or an accounting reference."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from grants.extensions import db
from grants.funds.ledger import report_outstanding
from grants.funds.models import Expense, Grant, GrantReport, Payout, PayoutStatus
from grants.networks.models import Network
from grants.proposals.models import Proposal


def overdue_reports(network: Network, today: date) -> list[Grant]:
    """Grants whose report is owed and past its due date, the longest overdue first."""
    return list(
        db.session.scalars(
            sa.select(Grant)
            .outerjoin(GrantReport, GrantReport.grant_id == Grant.id)
            .where(
                Grant.network_id == network.id,
                report_outstanding(),
                Grant.report_due_on < today,
            )
            .options(joinedload(Grant.proposal).joinedload(Proposal.applicant))
            .order_by(Grant.report_due_on, Grant.id)
        )
    )


@dataclass(frozen=True)
class PaymentGaps:
    """Payments an auditor asks about: waiting for attestation, paid without one
    (the network had switched attestation off), or paid without a verifikationsnummer."""

    waiting: list
    paid_unattested: list
    paid_without_reference: list

    def __bool__(self) -> bool:
        return bool(self.waiting or self.paid_unattested or self.paid_without_reference)


def _gaps(model, network: Network, *options) -> PaymentGaps:
    rows = list(
        db.session.scalars(
            sa.select(model)
            .where(
                model.network_id == network.id,
                sa.or_(
                    model.status == PayoutStatus.REGISTERED,
                    sa.and_(
                        model.status == PayoutStatus.PAID,
                        sa.or_(model.attested_by_id.is_(None), model.accounting_ref == ""),
                    ),
                ),
            )
            .options(*options)
            .order_by(model.registered_at, model.id)
        )
    )
    return PaymentGaps(
        waiting=[r for r in rows if r.status == PayoutStatus.REGISTERED],
        paid_unattested=[
            r for r in rows if r.status == PayoutStatus.PAID and r.attested_by_id is None
        ],
        paid_without_reference=[
            r for r in rows if r.status == PayoutStatus.PAID and not r.accounting_ref
        ],
    )


def payout_gaps(network: Network) -> PaymentGaps:
    return _gaps(
        Payout,
        network,
        joinedload(Payout.grant).joinedload(Grant.proposal).joinedload(Proposal.applicant),
    )


def expense_gaps(network: Network) -> PaymentGaps:
    return _gaps(Expense, network)


@dataclass(frozen=True)
class TracedGrant:
    grant_id: int
    reference: str
    organisation: str
    activity: str
    amount_ore: int
    state: object


def grants_to_trace(network: Network, period) -> list[TracedGrant]:
    """The period's grants, each a line that leads to its trace (as plain rows: a period
    holds a few hundred at most)."""
    from grants.members.models import Organisation
    from grants.proposals.models import reference_of

    if period is None:
        return []
    rows = db.session.execute(
        sa.select(
            Grant.id,
            Proposal.year,
            Proposal.number,
            Organisation.name,
            Proposal.title,
            Grant.amount_ore,
            Grant.state,
        )
        .join(Proposal, Proposal.id == Grant.proposal_id)
        .join(Organisation, Organisation.id == Proposal.applicant_id)
        .where(Grant.network_id == network.id, Grant.period_id == period.id)
        .order_by(Proposal.year, Proposal.number)
    )
    return [
        TracedGrant(grant_id, reference_of(year, number), name, title, int(amount), state)
        for grant_id, year, number, name, title, amount, state in rows
    ]
