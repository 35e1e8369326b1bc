"""Uploaded files: type checked by content, stored outside the web root under a random key.

Only PDF, JPEG and PNG are taken, whatever the file's name says: the first
bytes decide. The name a person gave is kept (cleaned) for the download, and
served as an attachment so a browser never runs what it holds.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from grants.core.errors import DomainError

SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)


@dataclass(frozen=True)
class StoredFile:
    filename: str
    content_type: str
    size: int
    storage_key: str


def clean_filename(name: str, extension: str) -> str:
    """A name safe to show and to send back: no path, no control characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]", "", name)
    name = re.sub(r"[^\w .,()+-]", "_", name).strip(" .") or "bilaga"
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return stem[:100] + extension


def store_upload(stream, original_name: str, *, field: str = "attachments") -> StoredFile:
    """Check and store one uploaded file; ``DomainError`` with the reason otherwise."""
    limit = current_app.config["MAX_ATTACHMENT_BYTES"]
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise DomainError(
            _l("Filen %(name)s är större än 10 MB.", name=original_name[:80]), field=field
        )
    if not data:
        raise DomainError(_l("Filen %(name)s är tom.", name=original_name[:80]), field=field)
    kind = next((s for s in SIGNATURES if data.startswith(s[0])), None)
    if kind is None:
        raise DomainError(
            _l(
                "Filen %(name)s är inte en PDF, JPEG eller PNG. Bara sådana filer tas emot.",
                name=original_name[:80],
            ),
            field=field,
        )
    key = secrets.token_hex(24)
    folder = Path(current_app.config["UPLOAD_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / key).write_bytes(data)
    return StoredFile(clean_filename(original_name, kind[2]), kind[1], len(data), key)


def stored_path(storage_key: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{48}", storage_key):
        raise ValueError("not a storage key")
    return Path(current_app.config["UPLOAD_DIR"]) / storage_key
