"""The audit log page: the network's chain, filtered, 50 events a page (read only)."""

from __future__ import annotations

from flask import g, render_template, request

from grants.audit.exports.registry import EXPORTS
from grants.audit.log import log_choices, log_page, parse_filters
from grants.core.auth import network_blueprint, role_required
from grants.core.numbers import ascii_int
from grants.members.models import RoleKind

bp = network_blueprint("audit_log", __name__, "/audit/log")

READERS = (RoleKind.COORDINATOR, RoleKind.AUDITOR)


@bp.get("")
@role_required(*READERS)
def index():
    choices = log_choices(g.network)
    parsed = parse_filters(request.args, choices)
    page = log_page(g.network, parsed.filters, ascii_int(request.args.get("page")) or 1)
    return render_template(
        "audit/log.html",
        page=page,
        choices=choices,
        parsed=parsed,
        filter_args=parsed.filters.query_args(),
        export=EXPORTS["audit-log"],
    )
