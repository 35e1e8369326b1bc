"""Backups that restore while people work: the database, files included, in one archive.

`flask backup create` writes a ``.tar.gz`` holding
- ``database.sqlite3`` (SQLite's online backup API) or ``database.pgdump``
  (``pg_dump --format=custom``), which includes the uploaded files (``stored_files``),
- ``manifest.json``: when, which schema revision, and row counts to check against.

The counts come from the same snapshot as the dump: on PostgreSQL a REPEATABLE READ
transaction exports its snapshot (``pg_export_snapshot()``), counts in it and keeps it
open while ``pg_dump --snapshot`` dumps exactly that; on SQLite they are counted in the
copy itself. Counted after the dump, as they first were, a backup taken while people
worked failed its own restore ("row counts differ").

`flask backup restore` puts the archive into an EMPTY database (it refuses one that
holds data, so a mistyped URL never overwrites a live installation) and checks the
counts before anything is kept: on PostgreSQL the restore and the check run in one
transaction, on SQLite in a copy that replaces the target only once it passed. A
failed check leaves the target as it was found. Then the chains are verified.

Archives of releases that kept files on disk have an ``uploads/`` folder: restore puts
it back into UPLOAD_DIR, and ``flask db upgrade`` moves those files into the database.
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
    "report_attachments",
    "stored_files",
    "audit_events",
    "audit_chain_heads",
)

ARCHIVE_GLOB = "grants-backup-*.tar.gz"


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
    """The URL as pg_dump understands it: no driver suffix, and a primary with its standby
    as libpq's ``host1:port1,host2:port2`` (SQLAlchemy keeps them as ``?host=`` pairs)."""
    url = _url().set(drivername="postgresql")
    hosts = url.query.get("host")
    if not isinstance(hosts, tuple):
        return url.render_as_string(hide_password=False)
    rendered = url.difference_update_query(["host"]).render_as_string(hide_password=False)
    scheme, _, rest = rendered.partition("://")
    userinfo, at, path = rest.rpartition("@") if "@" in rest else ("", "", rest)
    return f"{scheme}://{userinfo}{at}{','.join(hosts)}{path}"


def _counts(execute) -> dict[str, int]:
    """Row counts of the COUNTED tables that exist, read through ``execute``."""
    present = {
        row[0]
        for row in execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            if _is_sqlite()
            else "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        )
    }
    return {
        table: int(next(iter(execute(f'SELECT count(*) FROM "{table}"')))[0])  # noqa: S608
        for table in COUNTED
        if table in present
    }


def _revision(execute) -> str | None:
    try:
        rows = list(execute("SELECT version_num FROM alembic_version"))
    except (sa.exc.DBAPIError, sqlite3.Error):
        return None
    return rows[0][0] if rows else None


def row_counts() -> dict[str, int]:
    return _counts(lambda sql: db.session.execute(sa.text(sql)))


def create_backup(target: Path, *, keep: int | None = None) -> Path:
    """Write the archive to ``target`` (a file, or a folder to put a dated file in).

    In a folder, ``keep`` archives are kept and older ones removed once the new one is
    written (never before, so a failed backup never costs an old one).
    """
    folder_target = target.is_dir() or not target.suffix
    if folder_target:
        target.mkdir(parents=True, exist_ok=True)
        stamp = utcnow().strftime("%Y%m%d-%H%M%S-%f")
        target = target / f"grants-backup-{stamp}.tar.gz"
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        if _is_sqlite():
            name = "database.sqlite3"
            counts, revision = _sqlite_copy(work_dir / name)
        else:
            name = "database.pgdump"
            counts, revision = _pg_dump_with_counts(work_dir / name)
        manifest = {
            "created_at": utcnow().isoformat(),
            "database": name,
            "schema_revision": revision,
            "counts": counts,
        }
        (work_dir / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        partial = target.with_name(target.name + ".partial")
        try:
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(work_dir / "manifest.json", arcname="manifest.json")
                archive.add(work_dir / name, arcname=name)
            os.replace(partial, target)  # a half-written archive never looks finished
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise BackupError(f"could not write {target}: {error}") from error
    if folder_target and keep:
        rotate(target.parent, keep)
    return target


def rotate(folder: Path, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` archives in ``folder``; the removed ones."""
    archives = sorted(folder.glob(ARCHIVE_GLOB))  # dated names sort by time
    removed = archives[: max(len(archives) - keep, 0)]
    for archive in removed:
        archive.unlink()
    return removed


def _sqlite_copy(destination: Path) -> tuple[dict[str, int], str | None]:
    source = sqlite3.connect(_url().database)
    copy = sqlite3.connect(destination)
    try:
        with copy:
            source.backup(copy)
        # Counted in the copy itself: the very rows the archive holds.
        return _counts(copy.execute), _revision(copy.execute)
    finally:
        source.close()
        copy.close()


def _pg_dump_with_counts(destination: Path) -> tuple[dict[str, int], str | None]:
    """pg_dump of the snapshot the counts were read in, held open while it dumps."""
    with (
        db.engine.connect().execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        ) as connection,
        connection.begin(),
    ):
        snapshot = connection.scalar(sa.text("SELECT pg_export_snapshot()"))
        counts = _counts(lambda sql: connection.execute(sa.text(sql)))
        revision = connection.scalar(sa.text("SELECT version_num FROM alembic_version"))
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                f"--snapshot={snapshot}",
                f"--file={destination}",
                _libpq_url(),
            ]
        )
    return counts, revision


def _run(command: list[str], *, stdin: str | None = None) -> str:
    """Run a PostgreSQL client program; its standard output, or BackupError with why."""
    binary = shutil.which(command[0])
    if binary is None:
        raise BackupError(f"{command[0]} is not installed (apt-get install postgresql-client)")
    result = subprocess.run(  # noqa: S603 (fixed binary, no shell)
        [binary, *command[1:]], input=stdin, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:500]}")
    return result.stdout


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


def _differences(counts: dict[str, int], expected: dict[str, int]) -> str:
    return ", ".join(
        f"{table} {counts.get(table)} (expected {number})"
        for table, number in expected.items()
        if counts.get(table) != number
    )


def restore_backup(source: Path) -> RestoreResult:
    """Restore ``source`` into the configured, empty database."""
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
        expected = {table: int(number) for table, number in manifest["counts"].items()}
        unknown = set(expected) - set(COUNTED)
        if unknown:
            raise BackupError(f"the manifest counts tables this release does not know: {unknown}")
        db.session.remove()
        db.engine.dispose()
        if _is_sqlite():
            if manifest["database"] != "database.sqlite3":
                raise BackupError("this backup is of a PostgreSQL database; restore it there")
            _restore_sqlite(dump, expected)
        else:
            if manifest["database"] != "database.pgdump":
                raise BackupError("this backup is of an SQLite database; restore it there")
            _restore_postgresql(dump, expected)
        uploads = work_dir / "uploads"
        if uploads.is_dir():  # an archive of a release that kept files on disk
            shutil.copytree(uploads, current_app.config["UPLOAD_DIR"], dirs_exist_ok=True)
    chains_ok = all(verify_chain(chain).ok for chain in all_chains())
    return RestoreResult(row_counts(), chains_ok)


def _restore_sqlite(dump: Path, expected: dict[str, int]) -> None:
    """Checked in a copy beside the target, which replaces it only once it passed."""
    target = Path(_url().database)
    staging = target.with_name(target.name + ".restoring")
    staging.unlink(missing_ok=True)
    source, copy = sqlite3.connect(dump), sqlite3.connect(staging)
    try:
        with copy:
            source.backup(copy)
        differences = _differences(_counts(copy.execute), expected)
    finally:
        source.close()
        copy.close()
    if differences:
        staging.unlink(missing_ok=True)
        raise BackupError(f"row counts differ after restore, nothing kept: {differences}")
    for suffix in ("-wal", "-shm"):  # the empty target's journal must not replay onto it
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    os.replace(staging, target)


def _restore_postgresql(dump: Path, expected: dict[str, int]) -> None:
    """pg_restore's SQL and the count check in one transaction: all of it, or nothing."""
    script = _run(["pg_restore", "--no-owner", "--clean", "--if-exists", "--file=-", str(dump)])
    # Table names come from COUNTED (checked above) and numbers are ints: nothing of the
    # archive's own text reaches the SQL.
    checks = "\n".join(_count_check(table, number) for table, number in expected.items())
    check_block = f"DO $check$ BEGIN\n{checks}\nEND $check$;\n" if checks else ""
    _run(
        [
            "psql",
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set=ON_ERROR_STOP=1",
            f"--dbname={_libpq_url()}",
        ],
        stdin=script + "\n" + check_block,
    )


def _count_check(table: str, number: int) -> str:
    count = f'(SELECT count(*) FROM public."{table}")'  # noqa: S608 (a COUNTED name)
    message = f"row counts differ after restore, nothing kept: {table} % (expected {number})"
    return f"  IF {count} <> {int(number)} THEN RAISE EXCEPTION '{message}', {count}; END IF;"
