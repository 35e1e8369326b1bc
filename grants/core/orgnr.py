"""Swedish organisation numbers (organisationsnummer).

Accepted as ``NNNNNN-NNNN``, ``NNNNNNNNNN``, with spaces, or in the twelve-digit form
with the ``16`` prefix (``16NNNNNN-NNNN``); stored as ``NNNNNN-NNNN``. The last digit
is a Luhn check digit. Legal persons have a third digit of 2 or more; a lower one is
a personal identity number (personnummer), which the network does not take as an
organisation number.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from stdnum import luhn

from grants.core.errors import DomainError

# Hyphen look-alikes that arrive by copy and paste; normalised, never stored.
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2212]")
_ALLOWED = re.compile(r"^[0-9 \-\u00a0]+$")


def normalise_orgnr(text: str | None) -> str:
    """``NNNNNN-NNNN`` from what was typed. Raises ``DomainError`` with the reason."""
    raw = _DASHES.sub("-", (text or "").strip())
    if not raw:
        raise DomainError(_l("Ange organisationsnumret, till exempel 802001-2343."))
    if not _ALLOWED.match(raw):
        raise DomainError(
            _l("Ett organisationsnummer består av tio siffror, till exempel 802001-2343.")
        )
    digits = re.sub(r"[ \-\u00a0]", "", raw)
    if len(digits) == 12 and digits.startswith("16"):
        # The twelve-digit form Skatteverket and many registers use for organisations:
        # "16" and the ten digits. Checked and stored as the ten.
        digits, raw = digits[2:], digits[2:]
    if len(digits) == 12:
        raise DomainError(
            _l(
                "Det här ser ut som ett personnummer. Ange föreningens eller organisationens "
                "organisationsnummer (tio siffror, till exempel 802001-2343)."
            )
        )
    if len(digits) != 10 or ("-" in raw and not re.fullmatch(r"[0-9]{6} ?- ?[0-9]{4}", raw)):
        raise DomainError(
            _l("Ett organisationsnummer består av tio siffror, till exempel 802001-2343.")
        )
    if int(digits[2]) < 2:
        raise DomainError(
            _l(
                "Det här ser ut som ett personnummer (den tredje siffran är 0 eller 1). "
                "Bara organisationer med organisationsnummer kan vara medlemmar; ange "
                "organisationens nummer."
            )
        )
    if not luhn.is_valid(digits):
        raise DomainError(
            _l(
                "Organisationsnumret stämmer inte: kontrollsiffran (den sista) är fel. "
                "Kontrollera att alla siffror är rätt."
            )
        )
    return f"{digits[:6]}-{digits[6:]}"
