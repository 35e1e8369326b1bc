"""Indexes for the audit log's lists of people and actions.

Reviewed by hand: plain CREATE INDEX on both databases (no table rebuild on
SQLite). The audit log offers every person who acted in the network's chain and
every action in it; with (chain, actor_id) and (chain, action) both are read from
the index alone instead of from every event row of the chain.

Revision ID: 3b9d2c7e5a14
Revises: fe0f0e846d31
Create Date: 2026-12-04
"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "3b9d2c7e5a14"
down_revision = "fe0f0e846d31"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_audit_events_chain_actor", "audit_events", ["chain", "actor_id"])
    op.create_index("ix_audit_events_chain_action", "audit_events", ["chain", "action"])


def downgrade():
    op.drop_index("ix_audit_events_chain_action", table_name="audit_events")
    op.drop_index("ix_audit_events_chain_actor", table_name="audit_events")
