"""Indexes that the regional data showed were missing.

Reviewed by hand: plain CREATE INDEX on both databases (no table rebuild on
SQLite). The trace page looks up audit events by their subject; the audit log's
organisation filter, a person's data extract and erasure look up votes,
recusals, attendance and co-applications by organisation.

Revision ID: fe0f0e846d31
Revises: 66556160730a
Create Date: 2026-12-03
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'fe0f0e846d31'
down_revision = '66556160730a'
branch_labels = None
depends_on = None

BY_ORGANISATION = ("attendances", "recusals", "votes", "proposal_co_applicants")


def upgrade():
    op.create_index("ix_audit_events_subject", "audit_events", ["subject_type", "subject_id"])
    for table in BY_ORGANISATION:
        op.create_index(f"ix_{table}_organisation_id", table, ["organisation_id"])


def downgrade():
    for table in BY_ORGANISATION:
        op.drop_index(f"ix_{table}_organisation_id", table_name=table)
    op.drop_index("ix_audit_events_subject", table_name="audit_events")
