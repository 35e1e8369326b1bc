"""The ledger per funding period and budget line (``funds.ledger.period_ledger``)."""

from __future__ import annotations

from collections.abc import Iterator

from flask_babel import gettext as _

from grants.audit.tabular import Money
from grants.core.labels import label
from grants.funds.ledger import period_ledger
from grants.funds.models import BudgetLineKind
from grants.funds.operations import periods
from grants.networks.models import Network

ORDER = list(BudgetLineKind)


def header() -> list[str]:
    return [
        _("Finansiär"),
        _("Periodens start"),
        _("Periodens slut"),
        _("Budgetrad"),
        _("Budget (kr)"),
        _("Åtagande (kr)"),
        _("Kvar att söka (kr)"),
        _("Utbetalt (kr)"),
        _("Återbetalt (kr)"),
        _("Kvar i kassan (kr)"),
    ]


def rows(network: Network, **filters) -> Iterator[list]:
    yield header()
    for period in sorted(periods(network), key=lambda p: (p.starts_on, p.id)):
        ledger = period_ledger(period)
        for kind, line in sorted(ledger.lines.items(), key=lambda item: ORDER.index(item[0])):
            yield [
                period.funder,
                period.starts_on,
                period.ends_on,
                label(kind),
                Money(line.budget),
                Money(line.committed),
                Money(line.left_to_apply_for),
                Money(line.paid),
                Money(line.refunded),
                Money(line.remaining),
            ]
