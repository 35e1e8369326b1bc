"""Downloads: the audit exports as CSV and XLSX (coordinator and auditor), and the
public open-data CSV of what was granted."""

from __future__ import annotations

import contextvars
import os
import re
from collections.abc import Iterator

from flask import (
    Response,
    abort,
    g,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)

from grants.audit import tabular
from grants.audit.exports.registry import EXPORTS, FUNDED, Export
from grants.audit.log import log_choices, parse_filters
from grants.core.auth import network_blueprint, require_network_visible, role_required
from grants.funds.operations import today
from grants.members.models import RoleKind

bp = network_blueprint("exports", __name__, "/audit/export")
# The open-data file sits with the network's public pages.
open_data_bp = network_blueprint("open_data", __name__)

READERS = (RoleKind.COORDINATOR, RoleKind.AUDITOR)


def _export_or_404(name: str) -> Export:
    export = EXPORTS.get(name)
    if export is None:
        abort(404)
    return export


def filename(export: Export, extension: str) -> str:
    """``utbetalningar-uddevalla-2026-11-24.csv``: ASCII only, safe in any header."""
    slug = re.sub(r"[^a-z0-9-]+", "-", g.network.slug.lower()).strip("-") or "natverk"
    return f"{export.file_stem}-{slug}-{today().isoformat()}.{extension}"


def _filters(export: Export):
    """The audit log's filters from the query string (the other exports take none).

    ``None`` when a filter does not fit: the log page then says what is wrong.
    """
    if export.name != "audit-log":
        return {}
    parsed = parse_filters(request.args, log_choices(g.network))
    if parsed.errors:
        return None
    return parsed.filters.as_kwargs()


def streamed(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """``chunks`` produced after the view returned, with the request's contexts
    (database session, language, network) as ``stream_with_context`` gives them.

    Every step runs in one copy of the request's ``contextvars`` context, so the
    contexts pushed for the stream are popped in the context they were pushed in,
    whoever drives the iteration (the WSGI server, or a test client that reads
    the body after the request).
    """
    inner = stream_with_context(chunks)
    context = contextvars.copy_context()

    def generate() -> Iterator[bytes]:
        try:
            while True:
                try:
                    chunk = context.run(next, inner)
                except StopIteration:
                    return
                yield chunk
        finally:
            context.run(inner.close)

    return generate()


def csv_response(export: Export, filters: dict) -> Response:
    sep = tabular.separator(request.args.get("sep"))
    chunks = tabular.csv_chunks(export.rows(g.network, **filters), sep)
    response = Response(streamed(chunks), mimetype=tabular.CSV_MIMETYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename(export, "csv")}"'
    return response


def xlsx_response(export: Export, filters: dict) -> Response:
    path = tabular.write_xlsx(export.rows(g.network, **filters), str(export.title))
    response = Response(
        tabular.file_chunks(path), mimetype=tabular.XLSX_MIMETYPE, direct_passthrough=True
    )
    # If the client goes away before the body is read, the file still goes.
    response.call_on_close(lambda: tabular.remove_quietly(path))
    response.headers["Content-Length"] = str(os.path.getsize(path))
    response.headers["Content-Disposition"] = f'attachment; filename="{filename(export, "xlsx")}"'
    return response


@bp.get("/")
@role_required(*READERS)
def index():
    return render_template("audit/exports.html", exports=EXPORTS.values(), funded=FUNDED)


@bp.get("/<name>.csv")
@role_required(*READERS)
def csv(name: str):
    export = _export_or_404(name)
    filters = _filters(export)
    if filters is None:
        return redirect(url_for("audit_log.index", **request.args))
    return csv_response(export, filters)


@bp.get("/<name>.xlsx")
@role_required(*READERS)
def xlsx(name: str):
    export = _export_or_404(name)
    filters = _filters(export)
    if filters is None:
        return redirect(url_for("audit_log.index", **request.args))
    return xlsx_response(export, filters)


@open_data_bp.get("/funded.csv")
def funded_csv():
    """Open to anyone when the network is public (invariant 9: no person in it)."""
    require_network_visible()
    return csv_response(FUNDED, {})
