"""Words shown for stored values (enum members), in the visitor's language."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from grants.core.i18n import current_language

# Per enum class, because the same value means different things ("approved" join
# request: godkänd; approved proposal: beviljat).
LABELS: dict[str, dict[str, object]] = {
    "OrganisationKind": {
        "association": _l("Förening eller organisation i ideell sektor"),
        "civil_society_network": _l("Nätverk i ideell sektor"),
        "municipal_unit": _l("Kommunal verksamhet"),
        "network_itself": _l("Nätverket självt"),
    },
    "RoleKind": {
        "coordinator": _l("Samordnare"),
        "auditor": _l("Granskare"),
        "representative": _l("Representant"),
        "attestant": _l("Attestant"),
    },
    "GrantState": {
        "granted": _l("Beviljat"),
        "partly_paid": _l("Delvis utbetalt"),
        "paid": _l("Utbetalt"),
        "reported": _l("Redovisat"),
        "closed": _l("Avslutat"),
        "withdrawn": _l("Återkallat"),
    },
    "ReportStatus": {
        "submitted": _l("Inlämnad, väntar på granskning"),
        "needs_more": _l("Behöver kompletteras"),
        "accepted": _l("Godkänd"),
    },
    "PayoutMethod": {
        "bankgiro": _l("Bankgiro"),
        "plusgiro": _l("Plusgiro"),
        "bank_account": _l("Bankkonto"),
    },
    "PayoutStatus": {
        "registered": _l("Registrerad, väntar på attest"),
        "attested": _l("Attesterad"),
        "paid": _l("Utbetald"),
        "cancelled": _l("Makulerad"),
    },
    "JoinRequestStatus": {
        "pending": _l("Väntar på beslut"),
        "approved": _l("Godkänd"),
        "rejected": _l("Avslagen"),
    },
    "TieRule": {
        "chair_decides": _l("Ordföranden avgör"),
        "rejected": _l("Förslaget avslås"),
    },
    "ProposalState": {
        "registered": _l("Föranmält"),
        "on_agenda": _l("På dagordningen"),
        "approved": _l("Beviljat"),
        "rejected": _l("Avslaget"),
        "deferred": _l("Bordlagt"),
        "withdrawn": _l("Tillbakadraget"),
    },
    "Outcome": {
        "approved": _l("Bifall"),
        "rejected": _l("Avslag"),
        "deferred": _l("Bordlagt"),
    },
    "Choice": {
        "yes": _l("Ja"),
        "no": _l("Nej"),
        "abstain": _l("Avstår"),
    },
    "DecisionMethod": {
        "acclamation": _l("Acklamation"),
        "counted": _l("Rösträkning"),
    },
    "ProposalSource": {
        "web": _l("Via webben"),
        "email": _l("Med e-post"),
        "meeting": _l("På en nätverksträff"),
    },
    "MeetingStatus": {
        "planned": _l("Planerat"),
        "invited": _l("Kallat"),
        "in_session": _l("Pågår"),
        "held": _l("Hållet"),
        "adjusted": _l("Protokollet justerat"),
        "cancelled": _l("Inställt"),
    },
    "BudgetLineKind": {
        "grants": _l("Sökbar pott"),
        "meetings": _l("Nätverkets träffar"),
        "training": _l("Fortbildning"),
    },
}


# Translated labels per language: the catalogues do not change while the app runs,
# and a long table asks for the same few words hundreds of times.
_TRANSLATED: dict[tuple[str, str, str], str] = {}


def label(value) -> str:
    """The shown word for an enum member (or its class name and value)."""
    if not isinstance(value, StrEnum):
        return str(value)
    key = (current_language(), type(value).__name__, value.value)
    found = _TRANSLATED.get(key)
    if found is None:
        found = str(LABELS.get(key[1], {}).get(value.value, value.value))
        _TRANSLATED[key] = found
    return found


def lazy_label(member: StrEnum):
    """The label as a lazy string, for choices built when a form class is defined."""
    return LABELS[type(member).__name__][member.value]
