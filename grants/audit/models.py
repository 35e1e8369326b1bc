from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from grants.core.time import UTCDateTime, utcnow
from grants.extensions import db


class ChainCheck(db.Model):
    """One run of the hash-chain verification, so the auditor sees when it last ran
    and what it found (the nightly `flask audit verify`, or a check from the page)."""

    __tablename__ = "audit_chain_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    chain: Mapped[str] = mapped_column(sa.String(40), index=True)
    ran_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ok: Mapped[bool] = mapped_column()
    events: Mapped[int] = mapped_column()
    broken_seq: Mapped[int | None] = mapped_column()
    problem: Mapped[str] = mapped_column(sa.String(20), default="")
    # "full": from the first event; "incremental": from from_seq, an event an earlier
    # check found intact, to the head. last_seq/last_hash: where an intact chain ended,
    # where the next incremental check starts.
    kind: Mapped[str] = mapped_column(sa.String(12), default="full", server_default="full")
    from_seq: Mapped[int] = mapped_column(default=0, server_default="0")
    last_seq: Mapped[int | None] = mapped_column()
    last_hash: Mapped[str | None] = mapped_column(sa.String(64))
    # Who asked from the page; None for the scheduled command.
    ran_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
