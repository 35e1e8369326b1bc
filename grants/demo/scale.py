"""Demonstration data at regional scale: ``flask demo seed --scale regional|x10``.

Thirty networks (three hundred at x10) in Västra Götaland, each with its member
organisations, people, three funding periods, meetings with votes and minutes,
proposals, grants, payouts, reports, refunds and expenses, and a valid audit
chain. The small demo goes through the real operations; this is far too much
for that, so rows are written in bulk: ids are given here (from max(id) + 1 per
table), rows are collected as dictionaries and inserted with executemany in the
schema's dependency order, one network per transaction. The database's checks
and foreign keys stay on.

What the rows say follows the app's rules, not only its constraints: the pot is
checked before every approval (``meetings.rules.amount_refusal``), counted votes
go through ``meetings.rules`` (tally, majority, tie rule), applicants are
recused, payouts never pass the grant and are attested by a second person,
refunds never pass what was paid, and audit events carry ids and amounts only,
hashed with ``core.audit.event_digest`` as the app writes them.
"""

from __future__ import annotations

import itertools
import random
import time as timer
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from types import SimpleNamespace

import sqlalchemy as sa

from grants.core.audit import (
    GENESIS_HASH,
    INSTALLATION_CHAIN,
    AuditChainHead,
    canonical_json,
    event_digest,
)
from grants.core.time import STOCKHOLM, to_local, utcnow
from grants.demo.scale_names import ORGNR_PREFIX, orgnr_from
from grants.extensions import db


@dataclass(frozen=True)
class Scale:
    """How much to seed. Each network has three funding periods (past, current, next)."""

    networks: int = 30
    organisations: int = 60
    people: int = 120
    meetings_per_period: int = 8
    proposals_per_meeting: int = 25


SCALES = {"regional": Scale(), "x10": Scale(networks=300)}


@dataclass(frozen=True)
class Clock:
    """The seed's "now": everything recorded lies before it, everything planned after."""

    now: datetime

    @property
    def today(self) -> date:
        return to_local(self.now).date()

    @staticmethod
    def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
        """``day`` at ``hour:minute`` Stockholm time, as aware UTC (as the app stores it)."""
        return datetime.combine(day, time(hour, minute), tzinfo=STOCKHOLM).astimezone(UTC)


class Loader:
    """Rows with ids given here, written in batches; the audit events of each chain."""

    BATCH = 2000

    def __init__(self) -> None:
        self.tables = {table.name: table for table in db.metadata.sorted_tables}
        self.rows: dict[str, list[dict]] = defaultdict(list)
        self.counts: Counter[str] = Counter()
        self._next_ids: dict[str, int] = {}
        self._order = itertools.count()
        self.events: list[tuple] = []  # the current network's chain
        self.installation: list[tuple] = []

    def new_id(self, table: str) -> int:
        if table not in self._next_ids:
            column = self.tables[table].c.id
            self._next_ids[table] = (db.session.scalar(sa.select(sa.func.max(column))) or 0) + 1
        value = self._next_ids[table]
        self._next_ids[table] += 1
        return value

    def add(self, table: str, **values) -> int | None:
        """Queue a row; returns its id (given here when the table has one)."""
        if "id" in self.tables[table].c and "id" not in values:
            values["id"] = self.new_id(table)
        self.rows[table].append(values)
        return values.get("id")

    def event(
        self,
        network_id: int | None,
        at: datetime,
        action: str,
        subject: str,
        subject_id: int | None,
        *,
        actor: int | None = None,
        data: dict | None = None,
    ) -> None:
        """An audit event; ``network_id`` None puts it in the installation chain."""
        chain = self.installation if network_id is None else self.events
        entry = (at, next(self._order), network_id, actor, action, subject, subject_id, data)
        chain.append(entry)

    def _write_chain(self, chain: str, events: list[tuple], head: tuple[int, str]):
        seq, previous = head
        for at, _, network_id, actor, action, subject, subject_id, data in sorted(
            events, key=lambda event: (event[0], event[1])
        ):
            seq += 1
            event = SimpleNamespace(
                chain=chain,
                seq=seq,
                network_id=network_id,
                at=at,
                actor_id=actor,
                action=action,
                subject_type=subject,
                subject_id=subject_id,
                data=canonical_json(data or {}),
                prev_hash=previous,
            )
            event.hash = event_digest(event)
            self.add("audit_events", **vars(event))
            previous = event.hash
        return seq, previous

    def finish_network(self, network_id: int) -> None:
        """Chain this network's events, write everything queued, and commit."""
        chain = f"network:{network_id}"
        seq, last = self._write_chain(chain, self.events, (0, GENESIS_HASH))
        self.add("audit_chain_heads", chain=chain, seq=seq, hash=last)
        self.events = []
        # The installation chain is shared with the running app: take its head, locked.
        head = db.session.execute(
            sa.select(AuditChainHead.seq, AuditChainHead.hash)
            .where(AuditChainHead.chain == INSTALLATION_CHAIN)
            .with_for_update()
        ).first()
        seq, last = self._write_chain(
            INSTALLATION_CHAIN,
            self.installation,
            (head.seq, head.hash) if head else (0, GENESIS_HASH),
        )
        self.installation = []
        self.flush()
        table = self.tables["audit_chain_heads"]
        if head is not None:
            db.session.execute(
                table.update().where(table.c.chain == INSTALLATION_CHAIN).values(seq=seq, hash=last)
            )
        else:
            db.session.execute(table.insert().values(chain=INSTALLATION_CHAIN, seq=seq, hash=last))
        self._move_sequences()
        db.session.commit()

    def flush(self) -> None:
        connection = db.session.connection()
        for table in db.metadata.sorted_tables:
            rows = self.rows.pop(table.name, None)
            if not rows:
                continue
            # executemany needs the same columns in every row of a statement.
            shapes: dict[tuple, list[dict]] = defaultdict(list)
            for row in rows:
                shapes[tuple(sorted(row))].append(row)
            for same in shapes.values():
                for start in range(0, len(same), self.BATCH):
                    connection.execute(table.insert(), same[start : start + self.BATCH])
            self.counts[table.name] += len(rows)

    def _move_sequences(self) -> None:
        """PostgreSQL: move each id sequence past the ids given here, with every network,
        so the app's own inserts never collide, even after a seed that stopped half-way."""
        if db.session.get_bind().dialect.name != "postgresql":
            return
        for name in self.counts:
            if "id" in self.tables[name].c:
                table = self.tables[name]
                sequence = sa.func.pg_get_serial_sequence(name, "id")
                last = sa.select(sa.func.max(table.c.id)).scalar_subquery()
                db.session.execute(sa.select(sa.func.setval(sequence, last)))


class OrgnrAllocator:
    """Fresh valid organisation numbers, never one already in the database."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = taken
        self.serials: Counter[str] = Counter()

    def next(self, kind: str) -> str:
        prefix = ORGNR_PREFIX[kind]
        while True:
            self.serials[prefix] += 1
            # A bijection on six digits, so numbers look varied but never repeat.
            serial = (self.serials[prefix] * 7919 + 104_729) % 1_000_000
            number = orgnr_from(prefix, serial)
            if number not in self.taken:
                self.taken.add(number)
                return number


@dataclass
class SeedResult:
    counts: dict[str, int]
    seconds: float
    logins: list[tuple[str, str, str]]


# A one-page PDF: the expenses' receipts, so their download links work.
RECEIPT_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def store_receipt(loader: Loader, key: str, at: datetime) -> int:
    """The receipt's bytes in the database, under ``key``; returns its size."""
    loader.add(
        "stored_files",
        key=key,
        content_type="application/pdf",
        size=len(RECEIPT_PDF),
        data=RECEIPT_PDF,
        stored_at=at,
    )
    return len(RECEIPT_PDF)


def seed_scaled(
    scale: Scale, *, if_empty: bool = False, now: datetime | None = None, progress=None
) -> SeedResult | None:
    """Seed ``scale.networks`` networks with their history; None when ``if_empty`` and
    the database already has a network. Commits after each network."""
    from grants.auth.passwords import hash_password
    from grants.demo import DEMO_PASSWORD
    from grants.demo.scale_names import network_identity
    from grants.demo.scale_network import build_network
    from grants.members.models import Organisation
    from grants.networks.models import Network

    if if_empty and db.session.scalar(sa.select(sa.func.count(Network.id))):
        return None
    slugs = [network_identity(index)[0] for index in range(scale.networks)]
    taken = set(db.session.scalars(sa.select(Network.slug).where(Network.slug.in_(slugs))))
    if taken:
        raise ValueError(f"networks already exist: {', '.join(sorted(taken))}")
    started = timer.perf_counter()
    clock = Clock(now or utcnow())
    loader = Loader()
    orgnrs = OrgnrAllocator(
        set(
            db.session.scalars(sa.select(Organisation.orgnr).where(Organisation.orgnr.is_not(None)))
        )
    )
    # One argon2 hash for everyone: hashing 36,000 passwords would take an hour.
    password_hash = hash_password(DEMO_PASSWORD)
    shared: dict[str, int] = {}
    logins: list[tuple[str, str, str]] = []
    for index in range(scale.networks):
        plan = build_network(
            loader,
            index=index,
            scale=scale,
            clock=clock,
            rng=random.Random(index),  # noqa: S311 (invented data, reproducible)
            password_hash=password_hash,
            orgnrs=orgnrs,
            shared=shared,
        )
        loader.finish_network(plan.id)
        if index == 0:
            logins = plan.logins(DEMO_PASSWORD)
        if progress:
            progress(index + 1, scale.networks)
    # Planner statistics for the new rows: without them PostgreSQL chose sequential scans
    # over 180,000 payouts for the ledger (36 ms a statement instead of 3 at x10) until
    # autovacuum got round to it. Anyone loading data in bulk should do the same. On
    # PostgreSQL VACUUM also marks the pages all-visible, so that reads answered from an
    # index alone (the audit log's people and actions) need not visit the rows; it
    # cannot run inside a transaction.
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("VACUUM ANALYZE"))
    else:
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
    return SeedResult(dict(loader.counts), timer.perf_counter() - started, logins)
