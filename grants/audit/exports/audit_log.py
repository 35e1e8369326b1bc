"""The audit log in chain order (oldest first), with the same filters as the log page
and the full hashes, so the chain can be checked outside the app."""

from __future__ import annotations

from collections.abc import Iterator

from flask_babel import gettext as _

from grants.audit.exports import batches
from grants.audit.log import LogFilters, filtered_events
from grants.core.audit import AuditEvent
from grants.networks.models import Network


def header() -> list[str]:
    return [
        _("Nummer i kedjan"),
        _("Tid"),
        _("Utförd av"),
        _("Händelse"),
        _("Avser"),
        _("Id"),
        _("Uppgifter"),
        _("Föregående hash"),
        _("Hash"),
    ]


def rows(network: Network, **filters) -> Iterator[list]:
    yield header()
    query = filtered_events(network, LogFilters(**filters)).order_by(AuditEvent.seq)
    for batch in batches(query):
        for event, actor_name in batch:
            yield [
                event.seq,
                event.at,
                actor_name or "",
                event.action,
                event.subject_type,
                event.subject_id,
                event.data,
                event.prev_hash,
                event.hash,
            ]
