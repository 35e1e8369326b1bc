"""Cleaning of text people type or paste, before it is validated or stored.

Text is stored in NFC (so "Å" typed on a Mac and on Windows is the same
string), without control characters (PostgreSQL refuses NUL), without
invisible characters that disguise a name (zero-width space, byte-order mark,
bidirectional overrides). Joiners (U+200C, U+200D) stay: Persian words and
emoji need them.
"""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069]")
_CONTROL_EXCEPT_NEWLINE_TAB = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_WHITESPACE_RUN = re.compile(r"[ \t\u00a0]+")


def clean_line(value: str | None) -> str:
    """One line of text: NFC, no control or invisible characters, single spaces."""
    if value is None:
        return ""
    value = unicodedata.normalize("NFC", str(value))
    value = value.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    value = _INVISIBLE.sub("", value)
    value = _CONTROL_EXCEPT_NEWLINE_TAB.sub("", value)
    return _WHITESPACE_RUN.sub(" ", value).strip()


def clean_multiline(value: str | None) -> str:
    """Free text: NFC, ``\\n`` line ends, no control or invisible characters."""
    if value is None:
        return ""
    value = unicodedata.normalize("NFC", str(value))
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _INVISIBLE.sub("", value)
    value = _CONTROL_EXCEPT_NEWLINE_TAB.sub("", value)
    lines = [line.rstrip() for line in value.split("\n")]
    return "\n".join(lines).strip()
