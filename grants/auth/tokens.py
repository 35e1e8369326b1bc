"""Signed, expiring, single-use links for invitations and password resets.

A token carries the user's id and a fingerprint of their current password
hash. Setting a password changes the fingerprint, so a used link (and every
older one) stops working without any table of used tokens.
"""

from __future__ import annotations

import hashlib
from enum import StrEnum

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from grants.core.errors import DomainError
from grants.core.urls import external_url
from grants.extensions import db
from grants.members.models import User


class TokenPurpose(StrEnum):
    INVITATION = "invitation"
    RESET = "reset"


def _serializer(purpose: TokenPurpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"grants-{purpose}")


def _fingerprint(user: User) -> str:
    material = f"{user.password_hash or 'no password'}:{user.email}"
    return hashlib.sha256(material.encode()).hexdigest()[:20]


def _max_age(purpose: TokenPurpose) -> int:
    if purpose is TokenPurpose.INVITATION:
        return current_app.config["INVITATION_MAX_AGE_SECONDS"]
    return current_app.config["RESET_MAX_AGE_SECONDS"]


def make_token(user: User, purpose: TokenPurpose) -> str:
    return _serializer(purpose).dumps({"u": user.id, "f": _fingerprint(user)})


def invitation_link(user: User) -> str:
    return external_url("auth.accept_invitation", token=make_token(user, TokenPurpose.INVITATION))


def reset_link(user: User) -> str:
    return external_url("auth.reset_password", token=make_token(user, TokenPurpose.RESET))


def read_token(token: str, purpose: TokenPurpose) -> User:
    """The user a valid token was made for; ``DomainError`` saying why otherwise."""
    try:
        payload = _serializer(purpose).loads(token, max_age=_max_age(purpose))
    except SignatureExpired as error:
        raise DomainError(
            _l("Länken har slutat gälla. Be om en ny länk.")
            if purpose is TokenPurpose.RESET
            else _l("Inbjudan har slutat gälla (den gäller i 7 dagar). Be samordnaren om en ny.")
        ) from error
    except BadSignature as error:
        raise DomainError(
            _l("Länken är inte giltig. Kontrollera att du fått med hela länken från e-posten.")
        ) from error
    user = db.session.get(User, payload.get("u")) if isinstance(payload, dict) else None
    if user is None:
        raise DomainError(_l("Länken är inte giltig."))
    if payload.get("f") != _fingerprint(user):
        raise DomainError(
            _l("Länken har redan använts. Logga in, eller be om en ny länk om du glömt lösenordet.")
        )
    return user
