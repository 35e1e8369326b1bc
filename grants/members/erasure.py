"""Erasing a person who has left (GDPR article 17) without breaking the history.

The person's row stays, because decisions, votes, payouts and audit events
point to it by id, but what made it a person goes: the name becomes
"Borttagen person #<id>", the e-mail address ``erased-<id>@invalid`` (a name
that can never receive mail, nor be typed into any form), the password and
every session end, and every role is removed. Where the app keeps the name or
the address as text (contact person of proposals, their versions, organisations
and join requests; attendance lists, chair, secretary and adjusters in the
minutes; other free text; the outbox) it is replaced by the pseudonym, in the
networks of the coordinator who erases. Audit events carry ids only
(invariant 9), so no event changes and every chain still verifies.

Decisions about mail: unsent mail to the person is given up (never sent);
mail to the person that was sent keeps its subject and dates, as the record
that it went out, but its recipient is pseudonymised and its bodies and
attachments are emptied (they greeted the person by name and could hold
links). Mail to others that names the person has the name replaced. Files
already delivered (a PDF of the minutes in someone's mailbox) are beyond reach.

The minutes of an adjusted meeting are locked (invariant 4); replacing a
person's name by the pseudonym is the one change made to them, and it leaves
attendance, votes and decisions as they were.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from grants.core import audit
from grants.core.audit import AuditEvent, chain_for
from grants.core.errors import DomainError
from grants.extensions import db
from grants.members import erasure_texts as texts
from grants.members.models import Role, RoleKind, User
from grants.members.operations import _remove_role
from grants.networks.models import Network

ERASED_DOMAIN = "invalid"  # RFC 2606: reserved, never delivers; the validator refuses it
ROLE_ACTIONS = ("role.granted", "role.revoked")


def pseudonym(user_id: int) -> str:
    return f"Borttagen person #{user_id}"


def erased_address(user_id: int) -> str:
    return f"erased-{user_id}@{ERASED_DOMAIN}"


def is_erased(user: User) -> bool:
    return user.email == erased_address(user.id)


# ---- who belongs to a network -----------------------------------------------------------


def _people_in_chain(network: Network) -> set[int]:
    """Ids of people who acted in the network's chain or were given or lost a role in it."""
    chain = chain_for(network)
    ids = set(
        db.session.scalars(
            sa.select(AuditEvent.actor_id)
            .where(AuditEvent.chain == chain, AuditEvent.actor_id.is_not(None))
            .distinct()
        )
    )
    for data in db.session.scalars(
        sa.select(AuditEvent.data).where(
            AuditEvent.chain == chain, AuditEvent.action.in_(ROLE_ACTIONS)
        )
    ):
        user_id = json.loads(data).get("user_id")
        if isinstance(user_id, int):
            ids.add(user_id)
    return ids


def belongs_to(user: User, network: Network) -> bool:
    """A person the network's coordinator may see here: one with a role in the network
    now, or one who had a role or acted in it before (the audit chain remembers)."""
    if any(role.network_id == network.id for role in user.roles):
        return True
    return user.id in _people_in_chain(network)


def former_people(network: Network) -> list[User]:
    """People who were in the network and have no role anywhere now, not yet erased."""
    ids = _people_in_chain(network)
    if not ids:
        return []
    return list(
        db.session.scalars(
            sa.select(User)
            .where(
                User.id.in_(ids),
                ~sa.exists().where(Role.user_id == User.id),
                User.email.not_like(f"erased-%@{ERASED_DOMAIN}"),
            )
            .order_by(User.name, User.id)
        )
    )


# ---- the rules ---------------------------------------------------------------------------


def _coordinated_networks(actor: User) -> set[int]:
    return {role.network_id for role in actor.roles if role.role == RoleKind.COORDINATOR}


def erasure_refusal(user: User, *, actor: User | None) -> str | None:
    """Why ``actor`` may not erase ``user``, or None. ``actor=None`` is the installation
    itself (a command), which may erase anyone but the last coordinator of a network."""
    if is_erased(user):
        return str(_l("Personen är redan borttagen."))
    if actor is not None:
        if actor.id == user.id:
            return str(
                _l("Du kan inte ta bort dina egna uppgifter. Be en annan samordnare göra det.")
            )
        own = _coordinated_networks(actor)
        if any(role.network_id not in own for role in user.roles):
            return str(
                _l(
                    "Personen har också roller i ett nätverk som du inte samordnar. Ta bort "
                    "personens roller här i stället; samordnaren där får ta ställning till att "
                    "ta bort personen."
                )
            )
    for role in user.roles:
        if role.role != RoleKind.COORDINATOR:
            continue
        coordinators = db.session.scalar(
            sa.select(sa.func.count(Role.id)).where(
                Role.network_id == role.network_id, Role.role == RoleKind.COORDINATOR
            )
        )
        if coordinators <= 1:
            return str(
                _l(
                    "%(network)s måste ha minst en samordnare. Ge någon annan rollen först.",
                    network=role.network.name,
                )
            )
    return None


# ---- the operation -----------------------------------------------------------------------


def erase_person(user: User, *, actor: User | None, network: Network | None) -> dict[str, int]:
    """Pseudonymise ``user`` and end their access (see the module's description).

    ``network`` is where the erasure is recorded (the coordinator's network; None for
    the installation's chain). Returns how many rows of each kind changed.
    """
    refusal = erasure_refusal(user, actor=actor)
    if refusal:
        raise DomainError(refusal)
    scope = None if actor is None else _coordinated_networks(actor)
    traces = texts.Traces(user.name, user.email, pseudonym(user.id), erased_address(user.id))
    counts = {"roles_removed": len(user.roles)}
    for role in list(user.roles):
        _remove_role(role, actor=actor)
    db.session.expire(user, ["roles"])

    counts["join_requests"] = texts.join_requests(traces, scope, actor)
    counts["organisations"] = texts.organisations(traces, scope, network=network, actor=actor)
    counts["proposals"] = texts.proposals(traces, scope)
    counts["minutes"] = texts.meetings(user, traces, scope)
    counts["texts"] = texts.free_texts(traces, scope)
    counts["mails"] = texts.outbox(traces, scope)

    user.name = traces.new_name
    user.email = traces.new_email
    user.password_hash = None  # nobody signs in as them, and old links stop working
    user.session_version += 1  # every session they had ends
    user.last_login_at = None
    db.session.flush()
    audit.record(network, "person.erased", user, actor=actor, data={"user_id": user.id, **counts})
    return counts
