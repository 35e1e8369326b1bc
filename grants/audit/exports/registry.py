"""Which exports there are: the name in the URL, the rows, the file name and the title."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from grants.audit.exports import (
    audit_log,
    decisions,
    expenses,
    funded,
    grants,
    ledger,
    payouts,
    proposals,
    refunds,
)


@dataclass(frozen=True)
class Export:
    name: str  # in the URL: /audit/export/<name>.csv
    rows: Callable[..., Iterator[list]]
    file_stem: str  # Swedish, ASCII only, for the file name
    title: object  # lazy: the sheet's name and the link's text
    description: object


EXPORTS: dict[str, Export] = {
    export.name: export
    for export in (
        Export(
            "proposals",
            proposals.rows,
            "forslag",
            _l("Förslag"),
            _l("Alla förslag med sökande, belopp, kriterier, möte och läge."),
        ),
        Export(
            "decisions",
            decisions.rows,
            "beslut",
            _l("Beslut"),
            _l("Mötenas beslut med varje organisations röst och de jäviga organisationerna."),
        ),
        Export(
            "grants",
            grants.rows,
            "bidrag",
            _l("Bidrag"),
            _l("Beviljade bidrag med utbetalt, återbetalt och redovisning."),
        ),
        Export(
            "payouts",
            payouts.rows,
            "utbetalningar",
            _l("Utbetalningar"),
            _l("Utbetalningar med vem som registrerade och attesterade, och verifikationsnummer."),
        ),
        Export(
            "refunds",
            refunds.rows,
            "aterbetalningar",
            _l("Återbetalningar"),
            _l("Pengar som betalats tillbaka till potten."),
        ),
        Export(
            "expenses",
            expenses.rows,
            "utgifter",
            _l("Utgifter"),
            _l("Nätverkets egna utgifter för träffar och fortbildning."),
        ),
        Export(
            "ledger",
            ledger.rows,
            "kassabok",
            _l("Kassabok"),
            _l("Budget, åtagande, utbetalt, återbetalt och kvar, per period och budgetrad."),
        ),
        Export(
            "audit-log",
            audit_log.rows,
            "granskningslogg",
            _l("Granskningslogg"),
            _l("Händelserna i granskningskedjan med hash, med filtren från loggsidan."),
        ),
    )
}

FUNDED = Export(
    "funded",
    funded.rows,
    "beviljat",
    _l("Beviljade aktiviteter"),
    _l("Organisation, aktivitet, belopp, möte och period för varje beviljat bidrag."),
)
