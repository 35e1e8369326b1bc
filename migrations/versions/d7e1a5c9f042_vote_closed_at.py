"""A counted vote is closed before the meeting decides on it.

Reviewed by hand. Issue 16: a counted vote was decided while five of seven
present organisations had not voted. The coordinator now closes the vote
(agenda_items.vote_closed_at); no vote is cast after that, and only a closed
vote is decided on its count.

Safe while the previous release still runs: one nullable column, which it
neither reads nor writes.

Revision ID: d7e1a5c9f042
Revises: c3a9f4e2b718
Create Date: 2026-12-08
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "d7e1a5c9f042"
down_revision = "c3a9f4e2b718"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("vote_closed_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.drop_column("vote_closed_at")
