"""Set English translations from the command line: translate.py 'msgid' 'msgstr' ...

For the few strings added after a catalogue update; keeps the .po formatting that
`make messages` writes.
"""

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "grants/translations/en/LC_MESSAGES/messages.po"


def main(pairs: list[str]) -> None:
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    for msgid, msgstr in zip(pairs[::2], pairs[1::2], strict=True):
        if msgid not in catalog:
            raise SystemExit(f"not in the catalogue: {msgid!r}")
        catalog[msgid].string = msgstr
    with PO.open("wb") as handle:
        write_po(handle, catalog, no_location=True, sort_output=True, width=76)


if __name__ == "__main__":
    main(sys.argv[1:])
