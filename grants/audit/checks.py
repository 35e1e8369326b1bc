"""Running the chain verification and remembering the result."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from grants.audit.models import ChainCheck
from grants.core.audit import ChainReport, chain_for, verify_chain
from grants.extensions import db

PROBLEMS = {
    "missing": _l("en händelse saknas i kedjan"),
    "moved": _l(
        "länken till föregående händelse stämmer inte (en händelse har flyttats eller tagits bort)"
    ),
    "changed": _l("händelsens innehåll har ändrats efter att den skrevs"),
    "ended": _l(
        "kedjan slutar inte där den ska (händelser borttagna i slutet eller tillagda utanför appen)"
    ),
}


def verify(chain: str, *, full: bool) -> ChainReport:
    """A full check, or one from where the last check found the chain intact.

    Incremental only when the chain's latest check was intact: after a check that found
    it broken, a check that reads only what came since must not say it is whole.
    """
    return verify_chain(chain, since=None if full else resume_point(chain))


def resume_point(chain: str) -> tuple[int, str] | None:
    latest = db.session.execute(
        sa.select(ChainCheck.ok, ChainCheck.last_seq, ChainCheck.last_hash)
        .where(ChainCheck.chain == chain)
        .order_by(ChainCheck.ran_at.desc(), ChainCheck.id.desc())
        .limit(1)
    ).first()
    if latest is None or not latest.ok or latest.last_seq is None or not latest.last_hash:
        return None
    return latest.last_seq, latest.last_hash


def remember(chain: str, report: ChainReport, *, ran_by=None) -> ChainCheck:
    check = ChainCheck(
        chain=chain,
        ok=report.ok,
        events=report.events,
        broken_seq=report.broken_seq,
        problem=report.problem,
        kind="full" if report.full else "incremental",
        from_seq=report.from_seq,
        last_seq=report.last_seq,
        last_hash=report.last_hash,
        ran_by_id=getattr(ran_by, "id", None),
    )
    db.session.add(check)
    db.session.flush()
    return check


def last_check(network, *, full_only: bool = False) -> ChainCheck | None:
    query = sa.select(ChainCheck).where(ChainCheck.chain == chain_for(network))
    if full_only:
        query = query.where(ChainCheck.kind == "full")
    return db.session.scalar(
        query.order_by(ChainCheck.ran_at.desc(), ChainCheck.id.desc()).limit(1)
    )


def compact_checks(cutoff: datetime) -> int:
    """Remove intact checks older than ``cutoff``, except per chain the latest of each kind
    (where the next incremental check starts; when the whole chain was last read). Every
    check that found a chain broken is kept: it is evidence. Returns how many went."""
    latest_intact = (
        sa.select(sa.func.max(ChainCheck.id))
        .where(ChainCheck.ok.is_(True))
        .group_by(ChainCheck.chain, ChainCheck.kind)
    )
    return db.session.execute(
        sa.delete(ChainCheck).where(
            ChainCheck.ok.is_(True),
            ChainCheck.ran_at < cutoff,
            ChainCheck.id.not_in(latest_intact),
        )
    ).rowcount
