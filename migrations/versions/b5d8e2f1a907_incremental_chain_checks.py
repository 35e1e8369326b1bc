"""Incremental chain checks: which kind of check ran, and where an intact chain ended.

Reviewed by hand. Issue 15: a check reads the chain in one snapshot, and the
nightly check starts from the last event an earlier check found intact
(last_seq, last_hash) instead of the first; a full pass runs on request.

Safe while the previous release still runs: only nullable columns, or columns with
a server default, are added. A row the previous release writes says "full" (what
it ran) and has no last_seq, so the next incremental check falls back to a full one.

Revision ID: b5d8e2f1a907
Revises: 7c1e4b9a2d63
Create Date: 2026-12-07
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "b5d8e2f1a907"
down_revision = "7c1e4b9a2d63"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("audit_chain_checks", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=12), nullable=False, server_default="full")
        )
        batch_op.add_column(
            sa.Column("from_seq", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("last_seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("last_hash", sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table("audit_chain_checks", schema=None) as batch_op:
        batch_op.drop_column("last_hash")
        batch_op.drop_column("last_seq")
        batch_op.drop_column("from_seq")
        batch_op.drop_column("kind")
