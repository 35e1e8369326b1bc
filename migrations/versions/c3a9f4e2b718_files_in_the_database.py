"""Uploaded files in the database: stored_files, and the files on disk moved into it.

Reviewed by hand. Issue 15: receipts lived on one machine's disk, so a second app
node answered 500 for them, a full disk left 0-byte files, killed connections left
orphans, and a backup held only the node's own. Their bytes now go into
stored_files in the same transaction as the row naming their key.

The upgrade reads every key a report attachment or an expense names from
UPLOAD_DIR (the app's configuration, as `flask db upgrade` runs it) and stores
the bytes; a key whose file is missing is reported here and left as it is (its
download is a 404). The files on disk are left in place: delete them once the
new release serves. Safe while the previous release still runs: it keeps
writing new files to disk, which `flask files import` (idempotent) brings in
after the rollout; nothing it reads is changed.

Revision ID: c3a9f4e2b718
Revises: b5d8e2f1a907
Create Date: 2026-12-07
"""

from datetime import datetime, timezone
from pathlib import Path
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c3a9f4e2b718"
down_revision = "b5d8e2f1a907"
branch_labels = None
depends_on = None

KEY = re.compile(r"[0-9a-f]{48}")


def _upload_dir() -> Path | None:
    try:
        from flask import current_app

        return Path(current_app.config["UPLOAD_DIR"])
    except (ImportError, RuntimeError, KeyError):
        return None


def upgrade():
    stored_files = op.create_table(
        "stored_files",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=50), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("stored_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_stored_files")),
    )
    connection = op.get_bind()
    named = connection.execute(
        sa.text(
            "SELECT storage_key, content_type, 'report attachment ' || id FROM report_attachments "
            "UNION ALL SELECT receipt_key, receipt_content_type, 'expense ' || id FROM expenses"
        )
    ).all()
    if not named:
        return
    folder = _upload_dir()
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    moved, missing = 0, []
    for key, content_type, named_by in named:
        path = folder / key if folder is not None and KEY.fullmatch(key) else None
        if path is None or not path.is_file():
            missing.append(f"{named_by} (key {key})")
            continue
        data = path.read_bytes()
        connection.execute(
            stored_files.insert().values(
                key=key, content_type=content_type, size=len(data), data=data, stored_at=now
            )
        )
        moved += 1
    print(f"stored_files: {moved} files moved from {folder} into the database")
    for what in missing:
        print(f"stored_files: MISSING on disk, its download will be a 404: {what}")


def downgrade():
    # The files stay on disk where the previous release reads them; those uploaded
    # since are written back there first.
    folder = _upload_dir()
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        for key, data in op.get_bind().execute(sa.text("SELECT key, data FROM stored_files")):
            if KEY.fullmatch(key) and not (folder / key).exists():
                (folder / key).write_bytes(bytes(data))
    op.drop_table("stored_files")
