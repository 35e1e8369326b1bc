"""The network's own expenses on the meetings and training lines."""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from grants.audit.exports import batches
from grants.audit.tabular import Money
from grants.core.labels import label
from grants.funds.models import Expense, FundingPeriod
from grants.members.models import Organisation, User
from grants.networks.models import Network


def header() -> list[str]:
    return [
        _("Utgift"),
        _("Finansiär"),
        _("Budgetrad"),
        _("Datum"),
        _("Belopp (kr)"),
        _("Mottagare"),
        _("Mottagande organisation"),
        _("Organisationsnummer"),
        _("Läge"),
        _("Registrerad"),
        _("Registrerad av"),
        _("Attesterad"),
        _("Attesterad av"),
        _("Betald"),
        _("Verifikationsnummer"),
        _("Anteckning"),
        _("Kvitto"),
    ]


def rows(network: Network, **filters) -> Iterator[list]:
    yield header()
    registered_by, attested_by = aliased(User), aliased(User)
    query = (
        sa.select(
            Expense.id,
            FundingPeriod.funder,
            Expense.line_kind,
            Expense.spent_on,
            Expense.amount_ore,
            Expense.payee,
            Organisation.name.label("organisation"),
            Organisation.orgnr,
            Expense.status,
            Expense.registered_at,
            registered_by.name.label("registered_by"),
            Expense.attested_at,
            attested_by.name.label("attested_by"),
            Expense.paid_on,
            Expense.accounting_ref,
            Expense.note,
            Expense.receipt_filename,
        )
        .join(FundingPeriod, FundingPeriod.id == Expense.period_id)
        .outerjoin(Organisation, Organisation.id == Expense.payee_organisation_id)
        .outerjoin(registered_by, registered_by.id == Expense.registered_by_id)
        .outerjoin(attested_by, attested_by.id == Expense.attested_by_id)
        .where(Expense.network_id == network.id)
        .order_by(Expense.spent_on, Expense.id)
    )
    for batch in batches(query):
        for row in batch:
            yield [
                row.id,
                row.funder,
                label(row.line_kind),
                row.spent_on,
                Money(row.amount_ore),
                row.payee,
                row.organisation,
                row.orgnr,
                label(row.status),
                row.registered_at,
                row.registered_by,
                row.attested_at,
                row.attested_by,
                row.paid_on,
                row.accounting_ref,
                row.note,
                row.receipt_filename,
            ]
