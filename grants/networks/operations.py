"""Operations on a network, its criteria and its rules. Flush and audit; never commit."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from grants.core import audit
from grants.core.errors import DomainError
from grants.core.time import utcnow
from grants.extensions import db
from grants.networks.models import Criterion, Network, RulesDocument, TieRule

SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$")

SETTINGS_FIELDS = (
    "name",
    "municipality",
    "project_name",
    "about",
    "contact_email",
    "public",
    "quorum_min_orgs",
    "tie_rule",
    "invite_lead_days",
    "max_grant_ore",
    "report_due_days",
    "agenda_template",
)
# Long or possibly personal values: the audit trail notes that they changed, not what to.
FREE_TEXT_SETTINGS = {"about", "contact_email", "agenda_template"}


def create_network(*, slug: str, name: str, municipality: str, actor=None, **settings) -> Network:
    slug = (slug or "").strip().lower()
    if not SLUG_PATTERN.match(slug):
        raise DomainError(
            _l("Kortnamnet får bara ha a–z, siffror och bindestreck (till exempel uddevalla)."),
            field="slug",
        )
    if db.session.scalar(sa.select(Network.id).where(Network.slug == slug)):
        raise DomainError(_l("Det finns redan ett nätverk med det kortnamnet."), field="slug")
    network = Network(slug=slug, name=name, municipality=municipality, **settings)
    db.session.add(network)
    db.session.flush()
    audit.record(None, "network.created", network, actor=actor, data={"slug": slug})
    audit.record(network, "network.created", network, actor=actor, data={"slug": slug})
    return network


def update_network_settings(network: Network, *, actor, **values) -> list[str]:
    """Change the settings given; return the names of those that changed."""
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"not settings: {sorted(unknown)}")
    if "tie_rule" in values:
        values["tie_rule"] = TieRule(values["tie_rule"])
    changed = [key for key, value in values.items() if getattr(network, key) != value]
    for key in changed:
        setattr(network, key, values[key])
    if changed:
        audit.record(
            network,
            "network.settings_changed",
            network,
            actor=actor,
            data={
                key: "changed" if key in FREE_TEXT_SETTINGS else _auditable(getattr(network, key))
                for key in changed
            },
        )
    return changed


def _auditable(value):
    return value.value if isinstance(value, TieRule) else value


def add_criterion(network: Network, text: str, *, actor) -> Criterion:
    if not text:
        raise DomainError(_l("Skriv kriteriet."), field="text")
    position = (
        db.session.scalar(
            sa.select(sa.func.max(Criterion.position)).where(Criterion.network_id == network.id)
        )
        or 0
    )
    criterion = Criterion(network=network, text=text, position=position + 1, active=True)
    db.session.add(criterion)
    audit.record(network, "criterion.added", criterion, actor=actor, data={"text": text})
    return criterion


def update_criterion(criterion: Criterion, *, text: str, active: bool, actor) -> None:
    if not text:
        raise DomainError(_l("Skriv kriteriet."), field="text")
    changes = {}
    if criterion.text != text:
        changes["text"] = text
    if criterion.active != active:
        changes["active"] = active
    if not changes:
        return
    criterion.text = text
    criterion.active = active
    audit.record(criterion.network, "criterion.changed", criterion, actor=actor, data=changes)


def move_criterion(criterion: Criterion, direction: int, *, actor) -> None:
    """Swap places with the neighbour above (-1) or below (+1)."""
    siblings = list(criterion.network.criteria)
    index = siblings.index(criterion)
    other = index + direction
    if not 0 <= other < len(siblings):
        return
    neighbour = siblings[other]
    criterion.position, neighbour.position = neighbour.position, criterion.position
    if criterion.position == neighbour.position:
        for place, item in enumerate(siblings, start=1):
            item.position = place
        criterion.position, neighbour.position = neighbour.position, criterion.position
    db.session.flush()
    db.session.expire(criterion.network, ["criteria"])
    audit.record(
        criterion.network,
        "criterion.moved",
        criterion,
        actor=actor,
        data={"position": criterion.position},
    )


def current_rules(network: Network) -> RulesDocument | None:
    return db.session.scalar(
        sa.select(RulesDocument)
        .where(RulesDocument.network_id == network.id, RulesDocument.published_at.is_not(None))
        .order_by(RulesDocument.version.desc())
        .limit(1)
    )


def rules_versions(network: Network) -> list[RulesDocument]:
    return list(
        db.session.scalars(
            sa.select(RulesDocument)
            .where(RulesDocument.network_id == network.id)
            .order_by(RulesDocument.version.desc())
        )
    )


def draft_rules(
    network: Network, *, title: str, body: str, change_note: str, actor
) -> RulesDocument:
    """A new version of the rules. Earlier versions are kept as they were."""
    if not title:
        raise DomainError(_l("Ge dokumentet en rubrik."), field="title")
    if not body:
        raise DomainError(_l("Skriv reglerna."), field="body")
    latest = db.session.scalar(
        sa.select(sa.func.max(RulesDocument.version)).where(RulesDocument.network_id == network.id)
    )
    document = RulesDocument(
        network=network,
        version=(latest or 0) + 1,
        title=title,
        body_markdown=body,
        change_note=change_note,
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(document)
    audit.record(
        network, "rules.drafted", document, actor=actor, data={"version": document.version}
    )
    return document


def publish_rules(document: RulesDocument, *, actor) -> None:
    if document.published_at is not None:
        raise DomainError(_l("Den här versionen är redan publicerad."))
    current = current_rules(document.network)
    if current is not None and current.version > document.version:
        raise DomainError(_l("En nyare version är redan publicerad. Gör en ny version i stället."))
    document.published_at = utcnow()
    audit.record(
        document.network,
        "rules.published",
        document,
        actor=actor,
        data={"version": document.version},
    )
