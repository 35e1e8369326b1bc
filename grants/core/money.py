"""Money is an integer number of öre, never a float (invariant 1).

``parse_amount`` takes what people type (``12 500``, ``12 500,50``,
``12500.50 kr``) and returns öre; ``format_amount`` shows öre as
``12 500 kr`` in Swedish and ``SEK 12,500`` in English.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from grants.core.errors import DomainError

ORE_PER_KRONA = 100
# A hundred million kronor: far above any small grant, far below BigInteger's limit.
MAX_AMOUNT_ORE = 100_000_000 * ORE_PER_KRONA

# Spaces people put between digit groups: ordinary, no-break and narrow no-break.
_GROUP_SPACES = "[ \u00a0\u202f\u2009]"
_CURRENCY = re.compile(r"^(?:sek)?\s*(?P<number>.*?)\s*(?:kr\.?|kronor|sek|:-)?$", re.IGNORECASE)
_NUMBER = re.compile(
    r"^(?P<whole>[0-9]{1,3}(?:" + _GROUP_SPACES + r"[0-9]{3})+|[0-9]+)"
    r"(?:[,.](?P<fraction>[0-9]+))?$"
)


def parse_amount(text: str | None, *, allow_zero: bool = False) -> int:
    """Öre from a typed amount. Raises ``DomainError`` with a message otherwise."""
    raw = (text or "").strip()
    if not raw:
        raise DomainError(_l("Ange ett belopp i kronor, till exempel 12 500."))
    match = _CURRENCY.match(raw)
    number = match.group("number") if match else raw
    parsed = _NUMBER.match(number)
    if not parsed:
        raise DomainError(
            _l(
                "Beloppet kunde inte läsas. Skriv bara siffror, till exempel 12 500 "
                "eller 12 500,50."
            )
        )
    fraction = parsed.group("fraction") or ""
    if len(fraction) > 2:
        raise DomainError(_l("Ett belopp kan ha högst två decimaler (öre)."))
    whole = re.sub(_GROUP_SPACES, "", parsed.group("whole"))
    if len(whole) > 12:
        raise DomainError(_l("Beloppet är orimligt stort."))
    ore = int(whole) * ORE_PER_KRONA + int(fraction.ljust(2, "0") or 0)
    if ore > MAX_AMOUNT_ORE:
        raise DomainError(_l("Beloppet är orimligt stort."))
    if ore == 0 and not allow_zero:
        raise DomainError(_l("Beloppet måste vara större än noll."))
    return ore


def _group(number: int, separator: str) -> str:
    return f"{number:,}".replace(",", separator)


def format_amount(ore: int | None, locale: str = "sv") -> str:
    """``12 500 kr`` (sv) or ``SEK 12,500`` (en); öre shown only when there are any."""
    if ore is None:
        return ""
    if not isinstance(ore, int):
        raise TypeError("amounts are integers of öre")
    sign = "−" if ore < 0 else ""
    kronor, rest = divmod(abs(ore), ORE_PER_KRONA)
    if str(locale).startswith("en"):
        text = _group(kronor, ",") + (f".{rest:02d}" if rest else "")
        return f"{sign}SEK\u00a0{text}"
    text = _group(kronor, "\u00a0") + (f",{rest:02d}" if rest else "")
    return f"{sign}{text}\u00a0kr"


def format_amount_input(ore: int | None) -> str:
    """An amount as it is typed back into a form field (``12500`` or ``12500,50``)."""
    if ore is None:
        return ""
    kronor, rest = divmod(ore, ORE_PER_KRONA)
    return f"{kronor},{rest:02d}" if rest else str(kronor)
