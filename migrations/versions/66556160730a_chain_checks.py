"""Results of the audit-chain verification, so the auditor sees when it last ran.

Reviewed by hand: one row per check (the nightly command or a check from the
auditor's page); ran_by is empty for the command. Not part of the chain itself.

Revision ID: 66556160730a
Revises: ec1ada62ca39
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '66556160730a'
down_revision = 'ec1ada62ca39'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_chain_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('chain', sa.String(length=40), nullable=False),
    sa.Column('ran_at', sa.DateTime(), nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.Column('events', sa.Integer(), nullable=False),
    sa.Column('broken_seq', sa.Integer(), nullable=True),
    sa.Column('problem', sa.String(length=20), nullable=False),
    sa.Column('ran_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['ran_by_id'], ['users.id'], name=op.f('fk_audit_chain_checks_ran_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_checks'))
    )
    with op.batch_alter_table('audit_chain_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_chain_checks_chain'), ['chain'], unique=False)



def downgrade():
    with op.batch_alter_table('audit_chain_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_chain_checks_chain'))

    op.drop_table('audit_chain_checks')
