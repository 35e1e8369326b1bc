"""Every refund (återbetalning) of a grant."""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from flask_babel import gettext as _

from grants.audit.exports import batches
from grants.audit.tabular import Money
from grants.funds.models import Grant, Refund
from grants.members.models import Organisation, User
from grants.networks.models import Network
from grants.proposals.models import Proposal, reference_of


def header() -> list[str]:
    return [
        _("Återbetalning"),
        _("Bidrag"),
        _("Förslag"),
        _("Organisation"),
        _("Organisationsnummer"),
        _("Belopp (kr)"),
        _("Mottagen"),
        _("Referens"),
        _("Anteckning"),
        _("Registrerad"),
        _("Registrerad av"),
    ]


def rows(network: Network, **filters) -> Iterator[list]:
    yield header()
    query = (
        sa.select(
            Refund.id,
            Refund.grant_id,
            Proposal.year,
            Proposal.number,
            Organisation.name,
            Organisation.orgnr,
            Refund.amount_ore,
            Refund.received_on,
            Refund.reference,
            Refund.note,
            Refund.registered_at,
            User.name.label("registered_by"),
        )
        .join(Grant, Grant.id == Refund.grant_id)
        .join(Proposal, Proposal.id == Grant.proposal_id)
        .join(Organisation, Organisation.id == Proposal.applicant_id)
        .outerjoin(User, User.id == Refund.registered_by_id)
        .where(Refund.network_id == network.id)
        .order_by(Refund.id)
    )
    for batch in batches(query):
        for row in batch:
            yield [
                row.id,
                row.grant_id,
                reference_of(row.year, row.number),
                row.name,
                row.orgnr,
                Money(row.amount_ore),
                row.received_on,
                row.reference,
                row.note,
                row.registered_at,
                row.registered_by,
            ]
