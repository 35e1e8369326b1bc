"""E-mail addresses as people type them."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from grants.core.errors import DomainError


def normalise_email(value: str) -> str:
    """The address in lower case, or ``DomainError`` with the reason."""
    value = (value or "").strip()
    if any(ch in value for ch in "\r\n\t\x00") or len(value) > 254:
        raise DomainError(_l("Ange en enda e-postadress, till exempel namn@example.se."))
    try:
        result = validate_email(value, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as error:
        if any(ord(ch) > 127 for ch in value.split("@", 1)[0]):
            raise DomainError(
                _l(
                    "Adressen har tecken som å, ä eller ö före @, och sådana adresser kan "
                    "inte alltid ta emot e-post. Ange en adress med bara a–z, siffror och "
                    "punkt före @."
                )
            ) from error
        raise DomainError(
            _l("Det här ser inte ut som en e-postadress. Skriv till exempel namn@example.se.")
        ) from error
    return result.normalized.lower()
