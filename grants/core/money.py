"""Money is an integer number of öre, never a float (invariant 1).

``parse_amount`` takes what people type (``12 500``, ``12 500,50``,
``12500.50 kr``) and returns öre; ``format_amount`` shows öre as
``12 500 kr`` in Swedish and ``SEK 12,500`` in English.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from grants.core.errors import DomainError

ORE_PER_KRONA = 100
# A hundred million kronor: far above any small grant, far below BigInteger's limit.
MAX_AMOUNT_ORE = 100_000_000 * ORE_PER_KRONA

# Spaces people put between digit groups: ordinary, no-break and narrow no-break.
GROUP_SPACES = " \u00a0\u202f\u2009"
# The longest amount anyone types ("SEK 100 000 000,00 kronor" is 25): anything longer is
# refused before it is read, so no input can make reading it slow.
MAX_AMOUNT_INPUT = 40
_PREFIXES = ("sek",)
_SUFFIXES = ("kronor", "kr.", "kr", "sek", ":-")
_ASCII_DIGITS = frozenset("0123456789")


def _without_currency(raw: str) -> str:
    """``12 500`` from ``SEK 12 500``, ``12 500 kr``, ``12 500:-`` (no pattern, one pass)."""
    lowered = raw.lower()
    for prefix in _PREFIXES:
        if lowered.startswith(prefix):
            raw, lowered = raw[len(prefix) :].lstrip(), lowered[len(prefix) :].lstrip()
            break
    for suffix in _SUFFIXES:
        if lowered.endswith(suffix):
            raw = raw[: -len(suffix)].rstrip()
            break
    return raw


def _is_digits(text: str) -> bool:
    return bool(text) and all(char in _ASCII_DIGITS for char in text)


def _split_number(number: str) -> tuple[str, str] | None:
    """(whole kronor, fraction) of ``12 500,50``; ``None`` unless digit groups are of
    three after the first (``12 500``, ``1 250 000``) or there are no groups at all."""
    whole, separator, fraction = number, "", ""
    for mark in (",", "."):
        if mark in number:
            whole, separator, fraction = number.rpartition(mark)
            break
    if separator and not _is_digits(fraction):
        return None
    groups = [whole]
    for space in GROUP_SPACES:
        groups = [part for group in groups for part in group.split(space)]
    if not all(_is_digits(group) for group in groups):
        return None
    if len(groups) > 1 and (len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:])):
        return None
    return "".join(groups), fraction


def parse_amount(text: str | None, *, allow_zero: bool = False) -> int:
    """Öre from a typed amount. Raises ``DomainError`` with a message otherwise.

    Linear in the input and bounded: the length is checked before anything else."""
    raw = (text or "").strip()
    if not raw:
        raise DomainError(_l("Ange ett belopp i kronor, till exempel 12 500."))
    if len(raw) > MAX_AMOUNT_INPUT:
        raise DomainError(_l("Beloppet är för långt. Skriv till exempel 12 500 eller 12 500,50."))
    parts = _split_number(_without_currency(raw))
    if parts is None:
        raise DomainError(
            _l(
                "Beloppet kunde inte läsas. Skriv bara siffror, till exempel 12 500 "
                "eller 12 500,50."
            )
        )
    whole, fraction = parts
    if len(fraction) > 2:
        raise DomainError(_l("Ett belopp kan ha högst två decimaler (öre)."))
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
