"""Backups that can be restored: the database and the uploaded receipts in one archive.

`flask backup create` writes a ``.tar.gz`` holding
- ``database.sqlite3`` (SQLite's online backup API: consistent while the app runs) or
  ``database.pgdump`` (``pg_dump --format=custom`` for PostgreSQL),
- ``uploads/`` (receipts and report attachments, which live outside the database),
- ``manifest.json`` (when, which schema revision, and row counts to check against).

`flask backup restore` puts them back into an EMPTY database (it refuses a database
that holds data, so a mistyped URL never overwrites a live installation), then the
chain is verified and the counts compared with the manifest.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from grants.core.time import utcnow
from grants.extensions import db

# Tables whose row counts go into the manifest and are compared after a restore.
COUNTED = (
    "networks",
    "organisations",
    "users",
    "proposals",
    "decisions",
    "grants",
    "payouts",
    "refunds",
    "expenses",
    "grant_reports",
    "audit_events",
)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


@dataclass(frozen=True)
class RestoreResult:
    counts: dict[str, int]
    chains_ok: bool


def _url() -> sa.engine.URL:
    return db.engine.url


def _is_sqlite() -> bool:
    return _url().get_backend_name() == "sqlite"


def _libpq_url() -> str:
    """The URL as pg_dump understands it (no SQLAlchemy driver suffix)."""
    return _url().set(drivername="postgresql").render_as_string(hide_password=False)


def _schema_revision() -> str | None:
    try:
        return db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
    except sa.exc.DBAPIError:
        db.session.rollback()
        return None


def row_counts() -> dict[str, int]:
    inspector = sa.inspect(db.engine)
    present = set(inspector.get_table_names())
    return {
        table: int(db.session.scalar(sa.text(f'SELECT count(*) FROM "{table}"')))  # noqa: S608
        for table in COUNTED
        if table in present
    }


def create_backup(target: Path) -> Path:
    """Write the archive to ``target`` (a file, or a folder to put a dated file in)."""
    if target.is_dir():
        stamp = utcnow().strftime("%Y%m%d-%H%M%S")
        target = target / f"grants-backup-{stamp}.tar.gz"
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        if _is_sqlite():
            name = "database.sqlite3"
            source = sqlite3.connect(_url().database)
            destination = sqlite3.connect(work_dir / name)
            with destination:
                source.backup(destination)
            source.close()
            destination.close()
        else:
            name = "database.pgdump"
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    f"--file={work_dir / name}",
                    _libpq_url(),
                ]
            )
        manifest = {
            "created_at": utcnow().isoformat(),
            "database": name,
            "schema_revision": _schema_revision(),
            "counts": row_counts(),
        }
        (work_dir / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        partial = target.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work_dir / "manifest.json", arcname="manifest.json")
            archive.add(work_dir / name, arcname=name)
            uploads = Path(current_app.config["UPLOAD_DIR"])
            if uploads.is_dir():
                archive.add(uploads, arcname="uploads")
        os.replace(partial, target)  # a half-written archive never looks finished
    return target


def _run(command: list[str]) -> None:
    binary = shutil.which(command[0])
    if binary is None:
        raise BackupError(f"{command[0]} is not installed (apt-get install postgresql-client)")
    result = subprocess.run(  # noqa: S603 (fixed binary, no shell)
        [binary, *command[1:]], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:500]}")


def _database_is_empty() -> bool:
    inspector = sa.inspect(db.engine)
    tables = [t for t in inspector.get_table_names() if t != "alembic_version"]
    return all(
        not db.session.scalar(sa.text(f'SELECT 1 FROM "{table}" LIMIT 1'))  # noqa: S608
        for table in tables
    )


def _safe_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """Only plain files and folders under the archive's root: no links, no ``..``."""
    members = []
    for member in archive.getmembers():
        path = Path(member.name)
        if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"refusing a suspicious archive entry: {member.name!r}")
        members.append(member)
    return members


def restore_backup(source: Path) -> RestoreResult:
    """Restore ``source`` into the configured, empty database and upload folder."""
    from grants.core.audit import all_chains, verify_chain

    if not source.is_file():
        raise BackupError(f"no such backup: {source}")
    if not _database_is_empty():
        raise BackupError(
            "the database already holds data; restore into an empty database "
            "(create it, run `flask db upgrade` or nothing at all, then restore)"
        )
    db.session.rollback()
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        with tarfile.open(source, "r:gz") as archive:
            archive.extractall(work_dir, members=_safe_members(archive))  # noqa: S202 (checked)
        manifest = json.loads((work_dir / "manifest.json").read_text(encoding="utf-8"))
        dump = work_dir / manifest["database"]
        db.session.remove()
        db.engine.dispose()
        if _is_sqlite():
            if manifest["database"] != "database.sqlite3":
                raise BackupError("this backup is of a PostgreSQL database; restore it there")
            source_db = sqlite3.connect(dump)
            destination = sqlite3.connect(_url().database)
            with destination:
                source_db.backup(destination)
            source_db.close()
            destination.close()
        else:
            if manifest["database"] != "database.pgdump":
                raise BackupError("this backup is of an SQLite database; restore it there")
            _run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--clean",
                    "--if-exists",
                    f"--dbname={_libpq_url()}",
                    str(dump),
                ]
            )
        uploads = work_dir / "uploads"
        if uploads.is_dir():
            shutil.copytree(uploads, current_app.config["UPLOAD_DIR"], dirs_exist_ok=True)
    counts = row_counts()
    expected = manifest["counts"]
    if any(counts.get(table) != number for table, number in expected.items()):
        raise BackupError(f"row counts differ after restore: {counts} != {expected}")
    chains_ok = all(verify_chain(chain).ok for chain in all_chains())
    return RestoreResult(counts, chains_ok)
