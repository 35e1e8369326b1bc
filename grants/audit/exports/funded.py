"""Open data: what the network granted, to which organisation, at which meeting.

Public (invariant 9): organisations, activities and amounts only, never a person's
name or e-mail address, so no column here comes from a person. A grant is listed once
the minutes of the meeting that decided it are adjusted, as on the public page.
"""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from flask_babel import gettext as _

from grants.audit.exports import batches
from grants.audit.tabular import Money
from grants.core.labels import label
from grants.core.time import to_local
from grants.funds.models import FundingPeriod, Grant
from grants.meetings.models import AgendaItem, Decision, Meeting, MeetingStatus
from grants.members.models import Organisation
from grants.networks.models import Network
from grants.proposals.models import Proposal


def header() -> list[str]:
    return [
        _("Organisation"),
        _("Organisationsnummer"),
        _("Aktivitet"),
        _("Beviljat (kr)"),
        _("Möte"),
        _("Mötesdatum"),
        _("Finansiär"),
        _("Periodens start"),
        _("Periodens slut"),
        _("Läge"),
    ]


def rows(network: Network, **filters) -> Iterator[list]:
    yield header()
    query = (
        sa.select(
            Organisation.name,
            Organisation.orgnr,
            Proposal.title,
            Grant.amount_ore,
            Meeting.number.label("meeting_number"),
            Meeting.starts_at,
            FundingPeriod.funder,
            FundingPeriod.starts_on,
            FundingPeriod.ends_on,
            Grant.state,
        )
        .join(Proposal, Proposal.id == Grant.proposal_id)
        .join(Organisation, Organisation.id == Proposal.applicant_id)
        .join(FundingPeriod, FundingPeriod.id == Grant.period_id)
        .outerjoin(Decision, Decision.id == Grant.decision_id)
        .outerjoin(AgendaItem, AgendaItem.id == Decision.item_id)
        .outerjoin(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(
            Grant.network_id == network.id,
            # Official once the minutes are adjusted: not before (public open data).
            sa.or_(Meeting.id.is_(None), Meeting.status == MeetingStatus.ADJUSTED),
        )
        .order_by(FundingPeriod.starts_on, Meeting.starts_at, Grant.id)
    )
    for batch in batches(query):
        for row in batch:
            yield [
                row.name,
                row.orgnr,
                row.title,
                Money(row.amount_ore),
                row.meeting_number,
                to_local(row.starts_at).date() if row.starts_at else None,
                row.funder,
                row.starts_on,
                row.ends_on,
                label(row.state),
            ]
