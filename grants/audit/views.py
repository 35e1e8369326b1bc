"""The auditor's overview, the chain check and the trace of a grant (read only)."""

from __future__ import annotations

from flask import g, render_template
from flask_login import current_user

from grants.audit import checks, overview
from grants.audit.trace import snapshot, trace_grant
from grants.core.audit import chain_for
from grants.core.auth import get_in_network_or_404, network_blueprint, role_required
from grants.core.db import begin_writing
from grants.extensions import db
from grants.funds import operations
from grants.funds.ledger import period_ledgers
from grants.funds.models import Grant
from grants.members.models import RoleKind

bp = network_blueprint("audit", __name__, "/audit")

READERS = (RoleKind.COORDINATOR, RoleKind.AUDITOR)


def _overview(check):
    network = g.network
    last_full = check if check is not None and check.kind == "full" else None
    periods = operations.periods(network)
    ledgers = period_ledgers(periods)
    shown = operations.period_to_show(periods, operations.today())
    return render_template(
        "audit/overview.html",
        periods=[(period, ledgers[period.id]) for period in periods],
        overdue=overview.overdue_reports(network, operations.today()),
        payout_gaps=overview.payout_gaps(network),
        expense_gaps=overview.expense_gaps(network),
        check=check,
        shown_period=shown,
        grants=overview.grants_to_trace(network, shown),
        last_full=last_full or checks.last_check(network, full_only=True),
        problems=checks.PROBLEMS,
        today=operations.today(),
    )


@bp.get("/")
@role_required(*READERS)
def index():
    return _overview(checks.last_check(g.network))


@bp.get("/verify")
@role_required(*READERS)
def verify():
    """Runs the same check as `flask audit verify --full` for this network's chain.

    A GET, so that the read-only auditor can run it: it changes nothing but the
    record of when the chain was last checked. Always the full check: the auditor who
    asks wants the whole chain read, not only what came since the nightly check.
    """
    chain = chain_for(g.network)
    report = checks.verify(chain, full=True)  # read first: no write lock during the check
    begin_writing()
    check = checks.remember(chain, report, ran_by=current_user)
    db.session.commit()
    return _overview(check)


@bp.get("/trace/<int:grant_id>")
@role_required(*READERS)
def trace(grant_id: int):
    grant = get_in_network_or_404(Grant, grant_id)
    return render_template("audit/trace.html", trace=trace_grant(grant), snapshot=snapshot)
