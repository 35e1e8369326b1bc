"""Read-only lists for the coordinator's pages, each scoped to one network."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from grants.core.audit import AuditEvent
from grants.extensions import db
from grants.members.models import (
    JoinRequest,
    JoinRequestStatus,
    Membership,
    Organisation,
    Role,
    User,
)
from grants.networks.models import Network


def join_requests(network: Network, status: JoinRequestStatus | None = None):
    query = sa.select(JoinRequest).where(JoinRequest.network_id == network.id)
    if status is not None:
        query = query.where(JoinRequest.status == status)
    return db.session.scalars(query.order_by(JoinRequest.created_at.desc())).all()


def memberships(network: Network):
    return db.session.scalars(
        sa.select(Membership)
        .join(Organisation)
        .where(Membership.network_id == network.id)
        .options(selectinload(Membership.organisation))
        .order_by(Membership.active.desc(), Organisation.name)
    ).all()


def people(network: Network):
    """Everyone with a role in the network, with their roles there."""
    users = db.session.scalars(
        sa.select(User)
        .join(Role, Role.user_id == User.id)
        .where(Role.network_id == network.id)
        .options(selectinload(User.roles).selectinload(Role.organisation))
        .distinct()
        .order_by(User.name)
    ).all()
    return [(user, user.roles_in(network)) for user in users]


def admin_overview(network: Network) -> dict:
    def count(query):
        return db.session.scalar(query) or 0

    return {
        "pending_requests": count(
            sa.select(sa.func.count(JoinRequest.id)).where(
                JoinRequest.network_id == network.id,
                JoinRequest.status == JoinRequestStatus.PENDING,
            )
        ),
        "member_count": count(
            sa.select(sa.func.count(Membership.id)).where(
                Membership.network_id == network.id, Membership.active.is_(True)
            )
        ),
        "people_count": count(
            sa.select(sa.func.count(sa.distinct(Role.user_id))).where(Role.network_id == network.id)
        ),
        "event_count": count(
            sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.network_id == network.id)
        ),
    }
