"""Every proposal of the network, oldest reference first (no contact details: those
are for the applicant's representatives and the coordinator only)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import sqlalchemy as sa
from flask_babel import gettext as _

from grants.audit.exports import batches, joined
from grants.audit.tabular import Money
from grants.core.labels import label
from grants.extensions import db
from grants.funds.models import FundingPeriod
from grants.meetings.models import Meeting
from grants.members.models import Organisation
from grants.networks.models import Criterion, Network
from grants.proposals.models import (
    Proposal,
    proposal_co_applicants,
    proposal_criteria,
    reference_of,
)


def header() -> list[str]:
    return [
        _("Referens"),
        _("Aktivitet"),
        _("Sökande"),
        _("Organisationsnummer"),
        _("Medsökande"),
        _("Kriterier"),
        _("Sökt belopp (kr)"),
        _("Planerad start"),
        _("Planerat slut"),
        _("Finansiär"),
        _("Möte"),
        _("Källa"),
        _("Inkom"),
        _("Läge"),
        _("Version"),
    ]


def rows(network: Network, **filters) -> Iterator[list]:
    yield header()
    query = (
        sa.select(
            Proposal.id,
            Proposal.year,
            Proposal.number,
            Proposal.title,
            Organisation.name,
            Organisation.orgnr,
            Proposal.requested_ore,
            Proposal.planned_start,
            Proposal.planned_end,
            FundingPeriod.funder,
            Meeting.number.label("meeting_number"),
            Proposal.source,
            Proposal.received_at,
            Proposal.state,
            Proposal.version,
        )
        .join(Organisation, Organisation.id == Proposal.applicant_id)
        .join(FundingPeriod, FundingPeriod.id == Proposal.period_id)
        .outerjoin(Meeting, Meeting.id == Proposal.meeting_id)
        .where(Proposal.network_id == network.id)
        .order_by(Proposal.year, Proposal.number)
    )
    for batch in batches(query):
        ids = [row.id for row in batch]
        co_applicants = _co_applicants(ids)
        criteria = _criteria(ids)
        for row in batch:
            yield [
                reference_of(row.year, row.number),
                row.title,
                row.name,
                row.orgnr,
                joined(co_applicants.get(row.id, [])),
                joined(criteria.get(row.id, [])),
                Money(row.requested_ore),
                row.planned_start,
                row.planned_end,
                row.funder,
                row.meeting_number,
                label(row.source),
                row.received_at,
                label(row.state),
                row.version,
            ]


def _co_applicants(ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for proposal_id, name in db.session.execute(
        sa.select(proposal_co_applicants.c.proposal_id, Organisation.name)
        .join(Organisation, Organisation.id == proposal_co_applicants.c.organisation_id)
        .where(proposal_co_applicants.c.proposal_id.in_(ids))
        .order_by(Organisation.name)
    ):
        found[proposal_id].append(name)
    return found


def _criteria(ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for proposal_id, text in db.session.execute(
        sa.select(proposal_criteria.c.proposal_id, Criterion.text)
        .join(Criterion, Criterion.id == proposal_criteria.c.criterion_id)
        .where(proposal_criteria.c.proposal_id.in_(ids))
        .order_by(Criterion.position)
    ):
        found[proposal_id].append(text)
    return found
