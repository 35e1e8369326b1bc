"""Passwords: argon2 hashes and the rules a new password must meet."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l

from grants.core.errors import DomainError

MIN_LENGTH = 12
MAX_LENGTH = 128

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def _simplified(text: str) -> str:
    return re.sub(r"[^0-9a-zåäöéü]", "", text.casefold())


def check_password_rules(password: str, *, email: str = "", network_names=()) -> None:
    """Raise ``DomainError`` (field ``password``) when ``password`` is too weak."""
    if len(password) < MIN_LENGTH:
        raise DomainError(
            _l("Lösenordet måste ha minst %(min)d tecken. Tips: flera ord i rad.", min=MIN_LENGTH),
            field="password",
        )
    if len(password) > MAX_LENGTH:
        raise DomainError(
            _l("Lösenordet får ha högst %(max)d tecken.", max=MAX_LENGTH), field="password"
        )
    simple = _simplified(password)
    if len(set(password)) < 4:
        raise DomainError(
            _l("Lösenordet är för enkelt att gissa. Välj flera olika ord."), field="password"
        )
    forbidden = []
    if email:
        forbidden += [_simplified(email), _simplified(email.split("@", 1)[0])]
    forbidden += [_simplified(name) for name in network_names]
    for word in forbidden:
        if len(word) >= 4 and (word in simple or simple in word):
            raise DomainError(
                _l(
                    "Lösenordet får inte innehålla din e-postadress eller nätverkets namn. "
                    "Välj något som inte går att gissa."
                ),
                field="password",
            )
