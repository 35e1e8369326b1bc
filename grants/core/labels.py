"""Words shown for stored values (enum members), in the visitor's language."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l

LABELS: dict[str, object] = {
    # organisation kinds
    "association": _l("Förening eller organisation i ideell sektor"),
    "civil_society_network": _l("Nätverk i ideell sektor"),
    "municipal_unit": _l("Kommunal verksamhet"),
    "network_itself": _l("Nätverket självt"),
    # roles
    "coordinator": _l("Samordnare"),
    "auditor": _l("Granskare"),
    "representative": _l("Representant"),
    # join requests
    "pending": _l("Väntar på beslut"),
    "approved": _l("Godkänd"),
    "rejected": _l("Avslagen"),
    # tie rule
    "chair_decides": _l("Ordföranden avgör"),
}


def label(value) -> str:
    key = value.value if isinstance(value, StrEnum) else str(value)
    return str(LABELS.get(key, key))
