"""What the app holds about one person: the extract anyone signed in may ask for
(GDPR article 15).

``personal_data`` gathers it once, so the page and the JSON download say the
same thing. It holds the person's own data and nothing of anyone else's: a
proposal they registered shows its contact person only when that is them, and
mail is listed only when it was addressed to them.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from grants.core.audit import AuditEvent
from grants.core.outbox import OutboxMail
from grants.core.time import utcnow
from grants.extensions import db
from grants.members.models import JoinRequest, Organisation, Role, User
from grants.networks.models import Network


def _same_address(column, email: str):
    return sa.func.lower(column) == email.lower()


def personal_data(user: User, *, event_limit: int | None = None) -> dict[str, Any]:
    """Everything about ``user``: account, roles, organisations, join requests, proposals,
    what they did (audit events, the newest ``event_limit`` of them, all when None) and
    the mail sent to them. Values are plain: strings, numbers, dates, enums."""
    return {
        "generated_at": utcnow(),
        "account": _account(user),
        "roles": _roles(user),
        "organisations": _organisations(user),
        "join_requests": _join_requests(user),
        "proposals": _proposals(user),
        "audit_events": _events(user, event_limit),
        "mails": _mails(user),
    }


def _account(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "language": user.locale,
        "created_at": user.created_at,
        "has_password": user.has_password,  # never the hash itself
        "password_changed_at": user.password_changed_at,
        "last_login_at": user.last_login_at,
    }


def _roles(user: User) -> list[dict[str, Any]]:
    roles = db.session.scalars(
        sa.select(Role)
        .options(joinedload(Role.network), joinedload(Role.organisation))
        .where(Role.user_id == user.id)
        .order_by(Role.network_id, Role.role, Role.id)
    )
    return [
        {
            "network": role.network.name,
            "role": role.role,
            "organisation": role.organisation.name if role.organisation else None,
            "since": role.created_at,
        }
        for role in roles
    ]


def _organisations(user: User) -> list[dict[str, Any]]:
    """Organisations the person represents, and those that have them as contact person."""
    represented: dict[int, list[str]] = {}
    for organisation_id, network in db.session.execute(
        sa.select(Role.organisation_id, Network.name)
        .join(Network, Network.id == Role.network_id)
        .where(Role.user_id == user.id, Role.organisation_id.is_not(None))
    ):
        represented.setdefault(organisation_id, []).append(network)
    organisations = db.session.scalars(
        sa.select(Organisation)
        .where(
            sa.or_(
                Organisation.id.in_(list(represented)),
                _same_address(Organisation.contact_email, user.email),
            )
        )
        .order_by(Organisation.name)
    )
    found = []
    for organisation in organisations:
        contact = organisation.contact_email.lower() == user.email.lower()
        entry: dict[str, Any] = {
            "name": organisation.name,
            "orgnr": organisation.orgnr,
            "represented_in": sorted(represented.get(organisation.id, [])),
            "contact_person": contact,
        }
        if contact:
            entry["contact_name"] = organisation.contact_name
            entry["contact_email"] = organisation.contact_email
        found.append(entry)
    return found


def _join_requests(user: User) -> list[dict[str, Any]]:
    requests = db.session.scalars(
        sa.select(JoinRequest)
        .options(joinedload(JoinRequest.network))
        .where(_same_address(JoinRequest.contact_email, user.email))
        .order_by(JoinRequest.created_at)
    )
    return [
        {
            "network": request.network.name,
            "organisation": request.organisation_name,
            "orgnr": request.orgnr,
            "status": request.status,
            "created_at": request.created_at,
            "decided_at": request.decided_at,
            "contact_name": request.contact_name,
            "contact_email": request.contact_email,
            "message": request.message,
        }
        for request in requests
    ]


def _proposals(user: User) -> list[dict[str, Any]]:
    from grants.proposals.models import Proposal

    proposals = db.session.scalars(
        sa.select(Proposal)
        .options(joinedload(Proposal.network), joinedload(Proposal.applicant))
        .where(
            sa.or_(
                Proposal.registered_by_id == user.id,
                _same_address(Proposal.contact_email, user.email),
            )
        )
        .order_by(Proposal.received_at, Proposal.id)
    )
    found = []
    for proposal in proposals:
        contact = proposal.contact_email.lower() == user.email.lower()
        entry: dict[str, Any] = {
            "network": proposal.network.name,
            "reference": proposal.reference,
            "title": proposal.title,
            "applicant": proposal.applicant.name,
            "state": proposal.state,
            "received_at": proposal.received_at,
            "registered_by_you": proposal.registered_by_id == user.id,
            "contact_person": contact,
        }
        if contact:  # someone else's contact details are theirs, not this person's
            entry["contact_name"] = proposal.contact_name
            entry["contact_email"] = proposal.contact_email
            entry["contact_phone"] = proposal.contact_phone
        found.append(entry)
    return found


def _events(user: User, limit: int | None) -> dict[str, Any]:
    count = db.session.scalar(
        sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.actor_id == user.id)
    )
    query = (
        sa.select(AuditEvent.at, AuditEvent.action, Network.name)
        .outerjoin(Network, Network.id == AuditEvent.network_id)
        .where(AuditEvent.actor_id == user.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return {
        "count": int(count or 0),
        "events": [
            {"at": at, "action": action, "network": network}
            for at, action, network in db.session.execute(query)
        ],
    }


def _mails(user: User) -> list[dict[str, Any]]:
    mails = db.session.execute(
        sa.select(OutboxMail.subject, OutboxMail.created_at, OutboxMail.sent_at)
        .where(_same_address(OutboxMail.to_address, user.email))
        .order_by(OutboxMail.created_at.desc(), OutboxMail.id.desc())
    )
    return [
        {"subject": subject, "created_at": created, "sent_at": sent}
        for subject, created, sent in mails
    ]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def as_json(data: dict[str, Any]) -> str:
    """The extract as readable JSON (times in UTC, ISO 8601; enums as their codes)."""
    return json.dumps(data, default=_plain, ensure_ascii=False, indent=2, sort_keys=False)
