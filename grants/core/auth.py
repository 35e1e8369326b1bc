"""Who may do what: roles are checked here and nowhere else.

Views under ``/n/<slug>/`` get the network from the URL. ``role_required``
answers an anonymous visitor with the login page, a signed-in person without
any role in the network with 404 (the network's private pages do not exist
for them: tenant wall), and a person with another role in it with 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

import sqlalchemy as sa
from flask import Blueprint, abort, g
from flask_login import current_user
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import Forbidden

from grants.core.numbers import is_ascii_number
from grants.extensions import db, login_manager
from grants.members.models import Role, RoleKind, User
from grants.networks.models import Network

STAFF_ROLES = (RoleKind.COORDINATOR, RoleKind.AUDITOR)


@dataclass(frozen=True)
class Permission:
    """Allowed, or not with a reason the page can show."""

    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


def require(permission: Permission) -> None:
    if not permission:
        raise Forbidden(description=permission.reason or None)


@login_manager.user_loader
def load_user(login_id: str) -> User | None:
    user_id, _, version = login_id.partition(":")
    if not (is_ascii_number(user_id) and is_ascii_number(version)):
        return None
    # Roles, their networks and organisations are on every page (header, checks): one
    # statement for all of them, since this runs before every signed-in request.
    user = (
        db.session.scalars(
            sa.select(User)
            .options(
                joinedload(User.roles).joinedload(Role.network),
                joinedload(User.roles).joinedload(Role.organisation),
            )
            .where(User.id == int(user_id))
        )
        .unique()
        .one_or_none()
    )
    if user is None or user.session_version != int(version) or not user.has_password:
        return None
    return user


def network_blueprint(name: str, import_name: str, url_prefix: str = "") -> Blueprint:
    """A blueprint mounted under ``/n/<slug>`` that loads ``g.network``."""
    bp = Blueprint(name, import_name, url_prefix="/n/<slug>" + url_prefix)

    @bp.url_value_preprocessor
    def load_network(endpoint, values):
        slug = (values or {}).pop("slug", None)
        network = db.session.scalar(sa.select(Network).where(Network.slug == slug))
        if network is None:
            abort(404)
        g.network = network

    @bp.url_defaults
    def add_slug(endpoint, values):
        if "slug" not in values and getattr(g, "network", None) is not None:
            values["slug"] = g.network.slug

    return bp


def has_any_role(user, network: Network) -> bool:
    return bool(user.is_authenticated and user.roles_in(network))


def may_view_network(user, network: Network) -> bool:
    return network.public or has_any_role(user, network)


def require_network_visible() -> None:
    if not may_view_network(current_user, g.network):
        abort(404)


def role_required(*kinds: RoleKind) -> Callable:
    """Only people with one of ``kinds`` in ``g.network`` reach the view."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not has_any_role(current_user, g.network):
                abort(404)
            if not current_user.has_role(g.network, *kinds):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


coordinator_required = role_required(RoleKind.COORDINATOR)
staff_required = role_required(*STAFF_ROLES)
member_required = role_required(*RoleKind)


def get_in_network_or_404(model, object_id: int):
    """``model`` row ``object_id`` when it belongs to ``g.network``; 404 otherwise."""
    row = db.session.get(model, object_id)
    if row is None or row.network_id != g.network.id:
        abort(404)
    return row
