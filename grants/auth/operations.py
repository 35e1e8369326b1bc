"""Operations on a person's account. They flush, audit and queue mail; never commit."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from grants.auth.passwords import (
    check_password_rules,
    hash_password,
    needs_rehash,
    verify_password,
)
from grants.auth.tokens import invitation_link, reset_link
from grants.core import audit
from grants.core.errors import DomainError
from grants.core.outbox import mail_person
from grants.core.time import utcnow
from grants.extensions import db
from grants.members.models import User


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == (email or "").strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    """The user when the password is right; ``None`` otherwise (same cost either way)."""
    user = find_user_by_email(email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    return user


def record_login(user: User, password: str) -> None:
    """When the person signed in; the hash renewed if argon2's parameters were raised."""
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.flush()


def set_password(user: User, password: str, *, confirmation: str, actor: User | None) -> None:
    """Set a new password and end every session the person had."""
    if password != confirmation:
        raise DomainError(
            _l("Lösenorden är inte likadana. Skriv samma lösenord två gånger."), field="confirm"
        )
    check_password_rules(
        password, email=user.email, network_names=[n.name for n in user.networks()]
    )
    first_time = not user.has_password
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.session_version += 1
    audit.record(
        None, "user.password_set" if first_time else "user.password_changed", user, actor=actor
    )
    if not first_time:
        mail_person("password_changed", user)
    db.session.flush()


def change_password(user: User, *, current: str, password: str, confirmation: str) -> None:
    if not verify_password(user.password_hash, current):
        raise DomainError(_l("Det nuvarande lösenordet är fel."), field="current_password")
    set_password(user, password, confirmation=confirmation, actor=user)


def end_sessions(user: User) -> None:
    """Log out everywhere: every cookie issued before stops working."""
    user.session_version += 1
    db.session.flush()


def request_password_reset(email: str) -> None:
    """Mail a reset link if the address belongs to someone; say nothing either way."""
    user = find_user_by_email(email)
    if user is None:
        return
    if user.has_password:
        mail_person("password_reset", user, link=reset_link(user))
    else:
        # Invited but never signed in: the invitation link is what they need.
        mail_person("invitation_again", user, link=invitation_link(user))
    audit.record(None, "user.password_reset_requested", user, actor=None)


def reset_after_response(app, email: str) -> None:
    """``request_password_reset`` in its own transaction, once the visitor has their page,
    so the answer never says (by its timing) whether the address is known."""
    from flask import g

    with app.app_context():
        g.sqlite_write_transactions = True
        try:
            request_password_reset(email)
            db.session.commit()
        except Exception:
            db.session.rollback()
            app.logger.exception("password reset for a requested address failed")
        finally:
            db.session.remove()


def set_locale(user: User, locale: str) -> None:
    if locale in current_app.config["LANGUAGES"] and user.locale != locale:
        user.locale = locale
        db.session.flush()
