"""Each main page runs the same number of SQL queries whatever the amount of data.

The benchmark's pages (bench/pages.py) are fetched on a small seeded installation
and again on one with three times the networks and about five times the meetings,
proposals, grants and members per network. A page whose query count follows the
data (an N+1: a query per row) fails here; the timings are `make bench`'s.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy import event

from bench.pages import find_ids, main_pages
from grants.demo import DEMO_PASSWORD
from grants.demo.scale import Scale, seed_scaled
from grants.extensions import db

SMALL = Scale(
    networks=1, organisations=10, people=20, meetings_per_period=2, proposals_per_meeting=8
)
LARGE = Scale(
    networks=3, organisations=24, people=48, meetings_per_period=4, proposals_per_meeting=12
)


IN_LIST = re.compile(r"IN \((?:[^()]|\([^()]*\))*\)")


class Statements:
    """The SQL statements sent while active, to show what a differing page ran."""

    def __init__(self):
        self.sent: list[str] = []

    def __enter__(self):
        event.listen(db.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        event.remove(db.engine, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement, *args):
        # The length of an IN list follows the data; the statement is the same.
        self.sent.append(IN_LIST.sub("IN (…)", " ".join(statement.split()))[:160])


def queries_per_page(app, scale: Scale) -> dict[str, list[str]]:
    seed_scaled(scale)
    ids = find_ids()
    db.session.commit()
    clients = {}
    counts = {}
    for name, (path, role) in main_pages(ids).items():
        if role not in clients:
            clients[role] = app.test_client()
            if role:
                clients[role].login(ids[role], DEMO_PASSWORD)
        client = clients[role]
        assert client.get(path).status_code == 200, path  # warm: first-use loads
        with Statements() as statements:
            assert client.get(path).status_code == 200, path
        counts[name] = statements.sent
    return counts


def wipe() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(sa.delete(table))
    db.session.commit()


def test_every_main_page_runs_the_same_queries_on_small_and_larger_data(app):
    small = queries_per_page(app, SMALL)
    wipe()
    large = queries_per_page(app, LARGE)
    assert len(small) == 12, sorted(small)  # every page found something to show
    differing = {
        name: (small[name], large[name]) for name in small if len(small[name]) != len(large[name])
    }
    assert not differing, "\n".join(
        f"{name}: {len(few)} queries on small data, {len(many)} on larger\n  "
        + "\n  ".join(sorted(set(many) ^ set(few)) or many)
        for name, (few, many) in differing.items()
    )
