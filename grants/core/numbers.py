"""Numbers read from a URL, a form or a cookie: ASCII digits only, one way everywhere.

``str.isdigit()`` accepts ``²`` and ``int()`` accepts ``١٢`` and ``1_000``; an id
of 30 digits overflows PostgreSQL's bigint. So an id, a page number or a choice
is read here and nowhere else: anything but 1–18 ASCII digits is "no number",
which the caller ignores or refuses, never a server error.
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

_ASCII_DIGITS = frozenset("0123456789")
# 18 digits stay below 2**63, the largest id either database stores.
MAX_DIGITS = 18


def ascii_int(text: str | None) -> int | None:
    """The number that ``text`` spells in ASCII digits, or ``None``."""
    if text is None:
        return None
    text = text.strip()
    if not text or len(text) > MAX_DIGITS or not _ASCII_DIGITS.issuperset(text):
        return None
    return int(text)


def is_ascii_number(text: str | None) -> bool:
    return ascii_int(text) is not None


class AsciiIntConverter(IntegerConverter):
    """``<int:…>`` in a route: 1–18 ASCII digits, so ``/grants/١٢`` or thirty nines are a
    404 (Werkzeug's own takes any Unicode digit and any length)."""

    regex = r"[0-9]{1,%d}" % MAX_DIGITS  # noqa: UP031  (a regex, not a message)
