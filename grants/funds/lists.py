"""The pot page's lists, read as rows of the columns they show.

A period has a hundred or more grants; loading each as a Grant with its Proposal and
Organisation built some 1,300 datetimes per request for a list that shows none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from grants.core.payment import PayoutDetails, PayoutMethod
from grants.extensions import db
from grants.funds.models import FundingPeriod, Grant, GrantState, Payout, PayoutStatus
from grants.members.models import Organisation
from grants.networks.models import Network
from grants.proposals.models import Proposal, reference_of


@dataclass(frozen=True)
class GrantLine:
    id: int
    reference: str
    title: str
    applicant: str
    amount_ore: int
    state: GrantState


@dataclass(frozen=True)
class PayoutToAttest:
    grant_id: int
    reference: str
    applicant: str
    amount_ore: int
    planned_on: date
    destination: PayoutDetails | None  # the account the attestant attests


def _with_applicant(query: sa.Select) -> sa.Select:
    """``query`` (about grants) joined to each grant's proposal and applicant."""
    return query.join(Proposal, Proposal.id == Grant.proposal_id).join(
        Organisation, Organisation.id == Proposal.applicant_id
    )


def grants_of(period: FundingPeriod) -> list[GrantLine]:
    """The period's grants with their applicants, in the order they were made."""
    columns = (Proposal.year, Proposal.number, Proposal.title, Organisation.name)
    rows = db.session.execute(
        _with_applicant(sa.select(Grant.id, *columns, Grant.amount_ore, Grant.state))
        .where(Grant.period_id == period.id)
        .order_by(Grant.created_at, Grant.id)
    )
    return [
        GrantLine(grant_id, reference_of(year, number), title, applicant, int(amount), state)
        for grant_id, year, number, title, applicant, amount, state in rows
    ]


def payouts_to_attest(network: Network) -> list[PayoutToAttest]:
    """Payouts registered and waiting for an attestant, oldest first."""
    rows = db.session.execute(
        _with_applicant(
            sa.select(
                Payout.grant_id,
                Proposal.year,
                Proposal.number,
                Organisation.name,
                Payout.amount_ore,
                Payout.planned_on,
                Payout.destination_method,
                Payout.destination_number,
                Payout.destination_bank,
            ).join(Grant, Grant.id == Payout.grant_id)
        )
        .where(Payout.network_id == network.id, Payout.status == PayoutStatus.REGISTERED)
        .order_by(Payout.registered_at, Payout.id)
    )
    return [
        PayoutToAttest(
            grant_id,
            reference_of(year, number),
            applicant,
            int(amount),
            planned_on,
            PayoutDetails(PayoutMethod(method), account, bank) if method and account else None,
        )
        for grant_id, year, number, applicant, amount, planned_on, method, account, bank in rows
    ]
