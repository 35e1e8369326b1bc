"""Running the chain verification and remembering the result."""

from __future__ import annotations

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


def check_chain(chain: str, *, ran_by=None) -> ChainCheck:
    """Verify ``chain`` now and keep the result (flushed, not committed)."""
    return remember(chain, verify_chain(chain), ran_by=ran_by)


def remember(chain: str, report: ChainReport, *, ran_by=None) -> ChainCheck:
    check = ChainCheck(
        chain=chain,
        ok=report.ok,
        events=report.events,
        broken_seq=report.broken_seq,
        problem=report.problem,
        ran_by_id=getattr(ran_by, "id", None),
    )
    db.session.add(check)
    db.session.flush()
    return check


def last_check(network) -> ChainCheck | None:
    return db.session.scalar(
        sa.select(ChainCheck)
        .where(ChainCheck.chain == chain_for(network))
        .order_by(ChainCheck.ran_at.desc(), ChainCheck.id.desc())
        .limit(1)
    )
