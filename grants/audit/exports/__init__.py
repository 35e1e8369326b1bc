"""The audit exports: each module has one ``rows(network, **filters)`` that yields a
header row and then the rows, as cells ``grants.audit.tabular`` writes to CSV and
XLSX alike. Rows come from the database in batches (``yield_per``), and whatever
a batch needs besides (co-applicants, votes, figures) is read once per batch, so
memory stays flat however many rows there are.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import sqlalchemy as sa

from grants.extensions import db

BATCH = 1000


def batches(query: sa.Select, size: int = BATCH) -> Iterator[Sequence[sa.Row]]:
    """The query's rows, ``size`` at a time, fetched as they are needed."""
    result = db.session.execute(query.execution_options(yield_per=size))
    try:
        yield from result.partitions()
    finally:
        result.close()


def joined(values, separator: str = "; ") -> str:
    return separator.join(str(value) for value in values)
