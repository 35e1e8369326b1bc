"""What an organisation shares between networks, and who may change it.

An organisation that is a member of several networks is one row: its name,
number, kind and contact person are the same everywhere. Payout details are
not shared (each network keeps its own, see ``grants.funds.destinations``).

- Name, number and kind: any coordinator of a network the organisation belongs
  to may correct them; the change is written into the chain of *every* network
  it belongs to, so each network's auditor sees who changed it and from where,
  and the other networks' coordinators are mailed.
- The contact person and address: every network mails the organisation there,
  so a new address is announced to the old one. When the organisation belongs
  to another network too, the change waits until someone at the old address
  confirms it with the link mailed there (or, when there is no address, a
  coordinator of another of its networks): no network's coordinator can, on
  their own, redirect the mail another network sends.
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from grants.core import audit
from grants.core.errors import DomainError
from grants.core.outbox import mail_person, queue_mail
from grants.core.urls import external_url
from grants.extensions import db
from grants.members.models import Membership, Organisation, RoleKind, User
from grants.members.operations import coordinators
from grants.networks.models import Network

CONFIRMATION_MAX_AGE_SECONDS = 7 * 24 * 3600
_SALT = "grants-contact-change"


def networks_of(organisation: Organisation) -> list[Network]:
    """Every network the organisation is or was a member of (one that it left may still
    owe it money), by id."""
    return list(
        db.session.scalars(
            sa.select(Network)
            .join(Membership, Membership.network_id == Network.id)
            .where(Membership.organisation_id == organisation.id)
            .order_by(Network.id)
        )
    )


def other_networks(organisation: Organisation, network: Network) -> list[Network]:
    return [other for other in networks_of(organisation) if other.id != network.id]


def record_everywhere(
    organisation: Organisation, network: Network, action: str, *, actor, data: dict
) -> None:
    """The event in ``network``'s chain and in the chain of every other network the
    organisation belongs to (saying which network the change came from)."""
    audit.record(network, action, organisation, actor=actor, data=data)
    for other in other_networks(organisation, network):
        audit.record(
            other, action, organisation, actor=actor, data=data | {"from_network_id": network.id}
        )


def tell_other_networks(organisation: Organisation, network: Network, *, changed: list) -> None:
    """A shared organisation's name, number or kind changed from ``network``: the other
    networks' coordinators hear of it."""
    for other in other_networks(organisation, network):
        for coordinator in coordinators(other):
            mail_person(
                "organisation_changed_staff",
                coordinator,
                network=other,
                organisation=organisation,
                from_network=network,
                changed=changed,
            )


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _fingerprint(organisation: Organisation) -> str:
    """Changes with the contact, so a link works once and only for the contact it asked."""
    material = f"{organisation.id}:{organisation.contact_name}:{organisation.contact_email}"
    return hashlib.sha256(material.encode()).hexdigest()[:20]


def change_contact(
    organisation: Organisation, network: Network, *, name: str, email: str, actor: User
) -> bool:
    """A new contact person; returns ``True`` when it waits for a confirmation.

    Shared with no other network: changed now, and the old address is told. Shared:
    nothing changes until the link mailed to the old address is used, or, when there is
    no address, the link mailed to the coordinators of the organisation's other networks.
    """
    if (organisation.contact_name, organisation.contact_email) == (name, email):
        return False
    others = other_networks(organisation, network)
    email_changes = organisation.contact_email.lower() != email.lower()
    if not (others and email_changes):
        _apply(organisation, network, name=name, email=email, actor=actor, announce=email_changes)
        return False
    token = _serializer().dumps(
        {
            "o": organisation.id,
            "n": network.id,
            "a": actor.id,
            "name": name,
            "email": email,
            "f": _fingerprint(organisation),
        }
    )
    link = external_url("members.confirm_contact", slug=network.slug, token=token)
    context = {
        "organisation": organisation,
        "new_email": email,
        "new_name": name,
        "changed_by": actor,
        "link": link,
    }
    if organisation.contact_email:
        queue_mail(
            "contact_change_confirm",
            to=organisation.contact_email,
            to_name=organisation.contact_name,
            network=network,
            greeting=organisation.contact_name,
            **context,
        )
    else:
        # No address to ask: a coordinator of one of its other networks confirms.
        for other in others:
            for coordinator in coordinators(other):
                mail_person(
                    "contact_change_confirm",
                    coordinator,
                    network=network,
                    greeting=coordinator.name,
                    **context,
                )
    record_everywhere(
        organisation,
        network,
        "organisation.contact_change_requested",
        actor=actor,
        data={"contact_name": "changed", "contact_email": "changed"},
    )
    return True


def _apply(
    organisation: Organisation, network: Network, *, name: str, email: str, actor, announce: bool
) -> None:
    old_name, old_email = organisation.contact_name, organisation.contact_email
    organisation.contact_name, organisation.contact_email = name, email
    record_everywhere(
        organisation,
        network,
        "organisation.contact_changed",
        actor=actor,
        data={"contact_name": "changed", "contact_email": "changed"},
    )
    if announce and old_email:
        queue_mail(
            "contact_changed",
            to=old_email,
            to_name=old_name,
            network=network,
            organisation=organisation,
            new_email=email,
            changed_by=actor,
        )
    for other in other_networks(organisation, network):
        _tell_coordinators(other, organisation, new_email=email, from_network=network)


def _tell_coordinators(
    network: Network, organisation: Organisation, *, new_email: str, from_network: Network
) -> None:
    for coordinator in coordinators(network):
        mail_person(
            "contact_changed_staff",
            coordinator,
            network=network,
            organisation=organisation,
            new_email=new_email,
            from_network=from_network,
        )


def read_contact_change(token: str, network: Network) -> tuple[Organisation, dict]:
    """The organisation and the asked-for contact of a confirmation link."""
    try:
        payload = _serializer().loads(token, max_age=CONFIRMATION_MAX_AGE_SECONDS)
    except SignatureExpired as error:
        raise DomainError(
            _l("Länken har slutat gälla (den gäller i 7 dagar). Be samordnaren ändra igen.")
        ) from error
    except BadSignature as error:
        raise DomainError(
            _l("Länken är inte giltig. Kontrollera att du fått med hela länken från e-posten.")
        ) from error
    organisation = db.session.get(Organisation, payload.get("o"))
    if organisation is None or payload.get("n") != network.id:
        raise DomainError(_l("Länken är inte giltig."))
    asked_by = db.session.get(User, payload.get("a"))
    still_asked = (
        asked_by is not None
        and asked_by.has_role(network, RoleKind.COORDINATOR)
        and any(other.id == network.id for other in networks_of(organisation))
    )
    if not still_asked:
        raise DomainError(
            _l("Länken gäller inte längre: den som bad om ändringen är inte samordnare här.")
        )
    if payload.get("f") != _fingerprint(organisation):
        raise DomainError(
            _l("Länken har redan använts, eller kontaktuppgifterna har ändrats sedan.")
        )
    return organisation, payload


def confirm_contact_change(token: str, network: Network) -> Organisation:
    """The old address confirmed: the new contact applies in every network."""
    organisation, _ = read_contact_change(token, network)
    # Two links confirmed at once: the row lock makes the second see the first's change
    # (and its fingerprint no longer match).
    db.session.execute(
        sa.select(Organisation.id).where(Organisation.id == organisation.id).with_for_update()
    )
    db.session.refresh(organisation)
    organisation, payload = read_contact_change(token, network)
    asked_by = db.session.get(User, payload.get("a"))
    _apply(
        organisation,
        network,
        name=payload["name"],
        email=payload["email"],
        actor=asked_by,
        announce=False,
    )
    return organisation
