"""Set English translations from a file of lines `msgid ||| English` (helpers' reports).

Like scripts/translate.py, after `make messages`; msgids not in the catalogue are listed.
"""

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "grants/translations/en/LC_MESSAGES/messages.po"


def main(path: str) -> None:
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    missing = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if "|||" not in line:
            continue
        msgid, english = (part.strip() for part in line.split("|||", 1))
        if msgid in catalog:
            catalog[msgid].string = english
        else:
            missing.append(msgid)
    with PO.open("wb") as handle:
        write_po(handle, catalog, no_location=True, sort_output=True, width=76)
    for msgid in missing:
        print(f"not in the catalogue: {msgid!r}")


if __name__ == "__main__":
    main(sys.argv[1])
