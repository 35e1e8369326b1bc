"""Grantees' reports with attachments, and the record of reminders sent.

Reviewed by hand: one report per grant (re-submitted when the coordinator asks
for more); attachments keep only a random storage key (the files live outside
the web root); a reminder is unique per grant and key, which makes sending
them idempotent.

Revision ID: 48bb7eb9c7d6
Revises: 82c81fd192c5
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '48bb7eb9c7d6'
down_revision = '82c81fd192c5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('grant_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('done_text', sa.Text(), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.Column('contribution_text', sa.Text(), nullable=False),
    sa.Column('costs', sa.Text(), nullable=False),
    sa.Column('unused_ore', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'needs_more', 'accepted', name='report_status', native_enum=False, create_constraint=True, length=18), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('coordinator_message', sa.Text(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('participants >= 0', name=op.f('ck_grant_reports_participants_not_negative')),
    sa.CheckConstraint('unused_ore >= 0', name=op.f('ck_grant_reports_unused_not_negative')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_grant_reports_decided_by_id_users')),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_grant_reports_grant_id_grants')),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_grant_reports_network_id_networks')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_grant_reports_submitted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_reports')),
    sa.UniqueConstraint('grant_id', name=op.f('uq_grant_reports_grant_id'))
    )
    with op.batch_alter_table('grant_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_reports_network_id'), ['network_id'], unique=False)

    op.create_table('reminders_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=20), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_reminders_sent_grant_id_grants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders_sent')),
    sa.UniqueConstraint('grant_id', 'key', name=op.f('uq_reminders_sent_grant_id_key'))
    )
    with op.batch_alter_table('reminders_sent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminders_sent_grant_id'), ['grant_id'], unique=False)

    op.create_table('report_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=50), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_report_attachments_network_id_networks')),
    sa.ForeignKeyConstraint(['report_id'], ['grant_reports.id'], name=op.f('fk_report_attachments_report_id_grant_reports')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_report_attachments_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_attachments')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_report_attachments_storage_key'))
    )
    with op.batch_alter_table('report_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_attachments_network_id'), ['network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_attachments_report_id'), ['report_id'], unique=False)



def downgrade():
    with op.batch_alter_table('report_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_attachments_report_id'))
        batch_op.drop_index(batch_op.f('ix_report_attachments_network_id'))

    op.drop_table('report_attachments')
    with op.batch_alter_table('reminders_sent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminders_sent_grant_id'))

    op.drop_table('reminders_sent')
    with op.batch_alter_table('grant_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grant_reports_network_id'))

    op.drop_table('grant_reports')
