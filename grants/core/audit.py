"""The audit trail: every change of state leaves an event (invariant 5).

Events form one hash chain per network (and one for the installation, for
changes that belong to no network): ``hash = sha256(prev_hash + canonical
JSON of the event)``. ``verify_chain`` recomputes it and names the first
event that was edited, deleted or moved. A separate head row per chain holds
the last sequence number and hash, so a deleted tail is noticed too, and it
is the row that writers lock so two transactions never take the same place.

Events carry ids, organisations and amounts, never people's names or e-mail
addresses (invariant 9), so a person can be erased without breaking the chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, mapped_column

from grants.core.time import UTCDateTime, utcnow
from grants.extensions import db

GENESIS_HASH = "0" * 64
INSTALLATION_CHAIN = "installation"


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    chain: Mapped[str] = mapped_column(sa.String(40))
    seq: Mapped[int] = mapped_column()
    network_id: Mapped[int | None] = mapped_column(sa.ForeignKey("networks.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(80), index=True)
    subject_type: Mapped[str] = mapped_column(sa.String(40))
    subject_id: Mapped[int | None] = mapped_column()
    data: Mapped[str] = mapped_column(sa.Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))

    __table_args__ = (
        sa.UniqueConstraint("chain", "seq"),
        # The trace page asks for the events about given rows.
        sa.Index("ix_audit_events_subject", "subject_type", "subject_id"),
        # The audit log's lists of people and actions read these from the index alone.
        sa.Index("ix_audit_events_chain_actor", "chain", "actor_id"),
        sa.Index("ix_audit_events_chain_action", "chain", "action"),
    )

    @property
    def payload(self) -> dict[str, Any]:
        return json.loads(self.data)


class AuditChainHead(db.Model):
    __tablename__ = "audit_chain_heads"

    chain: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
    hash: Mapped[str] = mapped_column(sa.String(64), default=GENESIS_HASH)


def chain_for(network) -> str:
    return f"network:{network.id}" if network is not None else INSTALLATION_CHAIN


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_digest(event: AuditEvent | sa.Row) -> str:
    body = {
        "chain": event.chain,
        "seq": event.seq,
        "network_id": event.network_id,
        "at": event.at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "action": event.action,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "data": json.loads(event.data),
    }
    return hashlib.sha256((event.prev_hash + canonical_json(body)).encode()).hexdigest()


def _locked_head(chain: str) -> AuditChainHead:
    """The chain's head row, created if needed, locked until the transaction ends."""
    dialect = db.session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        insert = (postgresql_insert if dialect == "postgresql" else sqlite_insert)(AuditChainHead)
        db.session.execute(
            insert.values(chain=chain, seq=0, hash=GENESIS_HASH).on_conflict_do_nothing()
        )
    elif db.session.get(AuditChainHead, chain) is None:
        db.session.add(AuditChainHead(chain=chain, seq=0, hash=GENESIS_HASH))
        db.session.flush()
    return db.session.execute(
        sa.select(AuditChainHead)
        .where(AuditChainHead.chain == chain)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def record(network, action: str, subject=None, *, actor=None, data: dict | None = None):
    """Append an event to ``network``'s chain in the current transaction.

    ``subject`` is the row the event is about (flushed here so it has an id).
    ``data`` must hold no personal data: ids, organisation names, amounts.
    """
    db.session.flush()
    chain = chain_for(network)
    head = _locked_head(chain)
    event = AuditEvent(
        chain=chain,
        seq=head.seq + 1,
        network_id=network.id if network is not None else None,
        at=utcnow(),
        actor_id=getattr(actor, "id", None),
        action=action,
        subject_type=getattr(subject, "__tablename__", "") if subject is not None else "",
        subject_id=getattr(subject, "id", None),
        data=canonical_json(data or {}),
        prev_hash=head.hash,
    )
    event.hash = event_digest(event)
    head.seq = event.seq
    head.hash = event.hash
    db.session.add(event)
    db.session.flush()
    return event


@dataclass(frozen=True)
class ChainReport:
    chain: str
    events: int  # the events this check read (after from_seq)
    ok: bool
    broken_seq: int | None = None
    broken_id: int | None = None
    reason: str = ""
    problem: str = ""  # missing, moved, changed or ended: for messages in the reader's language
    # A full check reads the chain from its first event; an incremental one starts after
    # an event an earlier check verified (from_seq, whose hash it was) and checks that
    # event is still there as it was, the new ones after it, and the head.
    full: bool = True
    from_seq: int = 0
    # Where an intact chain ended: the next incremental check starts here.
    last_seq: int | None = None
    last_hash: str | None = None


_EVENT_COLUMNS = (
    AuditEvent.id,
    AuditEvent.chain,
    AuditEvent.seq,
    AuditEvent.network_id,
    AuditEvent.at,
    AuditEvent.actor_id,
    AuditEvent.action,
    AuditEvent.subject_type,
    AuditEvent.subject_id,
    AuditEvent.data,
    AuditEvent.prev_hash,
    AuditEvent.hash,
)


@contextmanager
def _one_snapshot() -> Iterator[sa.Connection]:
    """A connection of its own whose reads all see the database at one moment.

    The events and the head must come from the same snapshot: read in two, a writer
    appending in between makes an intact chain look as if it lost its end. PostgreSQL
    gives one snapshot per statement unless asked for REPEATABLE READ; SQLite's read
    transaction (WAL) keeps the snapshot of its first read until it ends.
    """
    if db.engine.dialect.name == "postgresql":
        options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    else:
        options = {"snapshot_read": True}  # core.db: a plain BEGIN, never BEGIN IMMEDIATE
    with db.engine.connect().execution_options(**options) as connection, connection.begin():
        yield connection


def verify_chain(chain: str, *, since: tuple[int, str] | None = None) -> ChainReport:
    """Recompute ``chain`` and report the first event that does not fit.

    From the start, or with ``since=(seq, hash)`` from an event an earlier check found
    intact: that event must still be there with that hash and content, and every event
    after it must fit. (Only a full check sees a change before ``seq``.)
    """
    with _one_snapshot() as connection:
        return _verify(connection, chain, since)


def _verify(connection: sa.Connection, chain: str, since: tuple[int, str] | None) -> ChainReport:
    head = connection.execute(
        sa.select(AuditChainHead.seq, AuditChainHead.hash).where(AuditChainHead.chain == chain)
    ).first()
    from_seq, expected_prev = since or (0, GENESIS_HASH)
    full = since is None

    def broken(count, seq, event_id, reason, problem) -> ChainReport:
        return ChainReport(chain, count, False, seq, event_id, reason, problem, full, from_seq)

    if not full:
        anchor = connection.execute(
            sa.select(*_EVENT_COLUMNS).where(AuditEvent.chain == chain, AuditEvent.seq == from_seq)
        ).first()
        if anchor is None:
            return broken(0, from_seq, None, f"event {from_seq} is missing", "missing")
        if anchor.hash != expected_prev or event_digest(anchor) != anchor.hash:
            return broken(
                0, from_seq, anchor.id, "its content was changed after it was checked", "changed"
            )
    expected_seq = from_seq + 1
    count = 0
    rows = connection.execution_options(yield_per=5000).execute(
        sa.select(*_EVENT_COLUMNS)
        .where(AuditEvent.chain == chain, AuditEvent.seq > from_seq)
        .order_by(AuditEvent.seq)
    )
    # Rows, not ORM objects: building 200,000 objects was most of the time a check took.
    for event in rows:
        count += 1
        if event.seq != expected_seq:
            return broken(
                count,
                expected_seq,
                event.id,
                f"event {expected_seq} is missing (found {event.seq} in its place)",
                "missing",
            )
        if event.prev_hash != expected_prev:
            return broken(
                count,
                event.seq,
                event.id,
                "its link to the previous event does not match (an event was moved or removed)",
                "moved",
            )
        if event_digest(event) != event.hash:
            return broken(
                count,
                event.seq,
                event.id,
                "its content was changed after it was written",
                "changed",
            )
        expected_prev = event.hash
        expected_seq += 1
    last_seq = expected_seq - 1
    if head is not None and (head.seq != last_seq or head.hash != expected_prev):
        return broken(
            count,
            min(head.seq, last_seq) + 1,
            None,
            f"the chain should end at event {head.seq} but ends at {last_seq} "
            "(events deleted at the end, or added outside the app)",
            "ended",
        )
    return ChainReport(
        chain, count, True, full=full, from_seq=from_seq, last_seq=last_seq, last_hash=expected_prev
    )


def all_chains() -> list[str]:
    heads = set(db.session.scalars(sa.select(AuditChainHead.chain)))
    events = set(db.session.scalars(sa.select(AuditEvent.chain).distinct()))
    return sorted(heads | events)
