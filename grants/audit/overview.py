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
