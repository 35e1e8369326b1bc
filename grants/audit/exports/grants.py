"""Every grant with what was paid and refunded (figures from the ledger)."""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from flask_babel import gettext as _

from grants.audit.exports import batches
from grants.audit.tabular import Money
from grants.core.labels import label
from grants.core.time import to_local
from grants.funds.ledger import grant_figures
from grants.funds.models import FundingPeriod, Grant, GrantReport
from grants.meetings.models import AgendaItem, Decision, Meeting
from grants.members.models import Organisation
from grants.networks.models import Network
from grants.proposals.models import Proposal, reference_of


def header() -> list[str]:
    return [
        _("Bidrag"),
        _("Förslag"),
        _("Aktivitet"),
        _("Organisation"),
        _("Organisationsnummer"),
        _("Finansiär"),
        _("Möte"),
        _("Mötesdatum"),
        _("Beviljat (kr)"),
        _("Utbetalt (kr)"),
        _("Återbetalt (kr)"),
        _("Under utbetalning (kr)"),
        _("Kvar att betala ut (kr)"),
        _("Åtagande (kr)"),
        _("Läge"),
        _("Redovisas senast"),
        _("Redovisning"),
    ]


def rows(network: Network, **filters) -> Iterator[list]:
    yield header()
    query = (
        sa.select(
            Grant.id,
            Proposal.year,
            Proposal.number,
            Proposal.title,
            Organisation.name,
            Organisation.orgnr,
            FundingPeriod.funder,
            Meeting.number.label("meeting_number"),
            Meeting.starts_at,
            Grant.state,
            Grant.report_due_on,
            GrantReport.status.label("report_status"),
        )
        .join(Proposal, Proposal.id == Grant.proposal_id)
        .join(Organisation, Organisation.id == Proposal.applicant_id)
        .join(FundingPeriod, FundingPeriod.id == Grant.period_id)
        .outerjoin(Decision, Decision.id == Grant.decision_id)
        .outerjoin(AgendaItem, AgendaItem.id == Decision.item_id)
        .outerjoin(Meeting, Meeting.id == AgendaItem.meeting_id)
        .outerjoin(GrantReport, GrantReport.grant_id == Grant.id)
        .where(Grant.network_id == network.id)
        .order_by(Grant.id)
    )
    for batch in batches(query):
        figures = grant_figures([row.id for row in batch])
        for row in batch:
            money = figures[row.id]
            yield [
                row.id,
                reference_of(row.year, row.number),
                row.title,
                row.name,
                row.orgnr,
                row.funder,
                row.meeting_number,
                to_local(row.starts_at).date() if row.starts_at else None,
                Money(money.amount),
                Money(money.paid),
                Money(money.refunded),
                Money(money.payouts_pending),
                Money(money.unpaid),
                Money(money.committed),
                label(row.state),
                row.report_due_on,
                label(row.report_status) if row.report_status else _("Ingen inlämnad"),
            ]
