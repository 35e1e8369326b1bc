"""Invitations: files attached to outgoing mail; a meeting's calendar sequence.

Reviewed by hand. Attachments live in their own table (a mail may carry a
calendar file or the minutes as PDF); the calendar SEQUENCE starts at 0 for
meetings that already exist.

Revision ID: 38a2cd812158
Revises: 065f64995133
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '38a2cd812158'
down_revision = '065f64995133'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outbox_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mail_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['mail_id'], ['outbox_mails.id'], name=op.f('fk_outbox_attachments_mail_id_outbox_mails')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_attachments'))
    )
    with op.batch_alter_table('outbox_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_attachments_mail_id'), ['mail_id'], unique=False)

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        # Meetings that exist have sent nothing yet: sequence 0.
        batch_op.add_column(sa.Column('ics_sequence', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('invited_at', sa.DateTime(), nullable=True))



def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('invited_at')
        batch_op.drop_column('ics_sequence')

    with op.batch_alter_table('outbox_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_attachments_mail_id'))

    op.drop_table('outbox_attachments')
