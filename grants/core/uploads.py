"""Uploaded files: type checked by content, kept in the database with the row they belong to.

Only PDF, JPEG and PNG are taken, whatever the file's name says: the first
bytes decide. The name a person gave is kept (cleaned) for the download, and
served as an attachment so a browser never runs what it holds.

The bytes live in ``stored_files`` (BLOB / bytea), added in the same transaction
as the report or expense row that names their key: a failed save leaves neither,
every app node serves every file, and every database backup holds them.
(docs/architecture.md, "Files in the database", says why, and when an object
store would take over.)
"""

from __future__ import annotations

import io
import logging
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from flask import abort, current_app, send_file
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from grants.core.errors import DomainError
from grants.core.time import UTCDateTime, utcnow
from grants.extensions import db

SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)

KEY_PATTERN = re.compile(r"[0-9a-f]{48}")

log = logging.getLogger(__name__)


class FileBlob(db.Model):
    """The bytes of one uploaded file, under the random key its row names."""

    __tablename__ = "stored_files"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    content_type: Mapped[str] = mapped_column(sa.String(50))
    size: Mapped[int] = mapped_column()
    # Deferred: reading a row's size or type never loads its megabytes.
    data: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


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
    """Check one uploaded file and add it to the session; ``DomainError`` with the reason.

    Nothing reaches the database until the caller's transaction commits, together
    with the row that names the key.
    """
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
    db.session.add(FileBlob(key=key, content_type=kind[1], size=len(data), data=data))
    return StoredFile(clean_filename(original_name, kind[2]), kind[1], len(data), key)


def send_stored(storage_key: str, *, filename: str, content_type: str):
    """The file as a download (never inline), or 404 when its bytes are not there."""
    blob = db.session.get(FileBlob, storage_key) if KEY_PATTERN.fullmatch(storage_key) else None
    if blob is None:
        log.warning("stored file %s is missing", storage_key)
        abort(404)
    response = send_file(
        io.BytesIO(blob.data),
        mimetype=content_type,
        as_attachment=True,
        download_name=filename,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@dataclass(frozen=True)
class DiskImport:
    imported: int
    already_there: int
    missing: list[str]


def referenced_keys() -> list[tuple[str, str, str]]:
    """(key, content type, what names it) for every file a row names."""
    reports = sa.text(
        "SELECT storage_key, content_type, 'report attachment ' || id FROM report_attachments"
    )
    expenses = sa.text("SELECT receipt_key, receipt_content_type, 'expense ' || id FROM expenses")
    return [tuple(row) for query in (reports, expenses) for row in db.session.execute(query)]


def import_from_disk(folder: Path) -> DiskImport:
    """Put files a row names but the database lacks into it from ``folder`` (the
    UPLOAD_DIR of releases that kept files on disk); report those found nowhere.
    Flushed, not committed; running it again imports nothing twice."""
    present = set(db.session.scalars(sa.select(FileBlob.key)))
    imported, already, missing = 0, 0, []
    for key, content_type, named_by in referenced_keys():
        if key in present:
            already += 1
            continue
        path = folder / key
        if not KEY_PATTERN.fullmatch(key) or not path.is_file():
            missing.append(f"{named_by} (key {key})")
            continue
        data = path.read_bytes()
        db.session.add(FileBlob(key=key, content_type=content_type, size=len(data), data=data))
        present.add(key)
        imported += 1
    db.session.flush()
    return DiskImport(imported, already, missing)
