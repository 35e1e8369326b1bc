"""Every payout of a grant, with who registered and who attested it."""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from grants.audit.exports import batches
from grants.audit.tabular import Money
from grants.core.labels import label
from grants.core.payment import PayoutMethod
from grants.funds.models import Grant, Payout
from grants.members.models import Organisation, User
from grants.networks.models import Network
from grants.proposals.models import Proposal, reference_of


def header() -> list[str]:
    return [
        _("Utbetalning"),
        _("Bidrag"),
        _("Förslag"),
        _("Organisation"),
        _("Organisationsnummer"),
        _("Belopp (kr)"),
        _("Betalas till"),
        _("Betalningssätt"),
        _("Konto"),
        _("Bank"),
        _("Planerad"),
        _("Läge"),
        _("Registrerad"),
        _("Registrerad av"),
        _("Attesterad"),
        _("Attesterad av"),
        _("Betald"),
        _("Verifikationsnummer"),
        _("Anteckning"),
    ]


def rows(network: Network, **filters) -> Iterator[list]:
    yield header()
    registered_by, attested_by = aliased(User), aliased(User)
    query = (
        sa.select(
            Payout.id,
            Payout.grant_id,
            Proposal.year,
            Proposal.number,
            Organisation.name,
            Organisation.orgnr,
            Payout.amount_ore,
            Payout.payee_name,
            Payout.destination_method,
            Payout.destination_number,
            Payout.destination_bank,
            Payout.planned_on,
            Payout.status,
            Payout.registered_at,
            registered_by.name.label("registered_by"),
            Payout.attested_at,
            attested_by.name.label("attested_by"),
            Payout.paid_on,
            Payout.accounting_ref,
            Payout.note,
        )
        .join(Grant, Grant.id == Payout.grant_id)
        .join(Proposal, Proposal.id == Grant.proposal_id)
        .join(Organisation, Organisation.id == Proposal.applicant_id)
        .outerjoin(registered_by, registered_by.id == Payout.registered_by_id)
        .outerjoin(attested_by, attested_by.id == Payout.attested_by_id)
        .where(Payout.network_id == network.id)
        .order_by(Payout.id)
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
                row.payee_name,
                label(PayoutMethod(row.destination_method)) if row.destination_method else "",
                row.destination_number or "",
                row.destination_bank,
                row.planned_on,
                label(row.status),
                row.registered_at,
                row.registered_by,
                row.attested_at,
                row.attested_by,
                row.paid_on,
                row.accounting_ref,
                row.note,
            ]
