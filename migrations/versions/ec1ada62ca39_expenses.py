"""The network's own expenses on the meetings and training lines.

Reviewed by hand: an expense never sits on the grants line (CHECK), is
attested by someone other than who registered it (CHECK, as for payouts),
and keeps its receipt under a random storage key outside the web root.

Revision ID: ec1ada62ca39
Revises: 48bb7eb9c7d6
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ec1ada62ca39'
down_revision = '48bb7eb9c7d6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('expenses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('line_kind', sa.Enum('grants', 'meetings', 'training', name='expense_line_kind', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('spent_on', sa.Date(), nullable=False),
    sa.Column('amount_ore', sa.BigInteger(), nullable=False),
    sa.Column('payee', sa.String(length=200), nullable=False),
    sa.Column('payee_organisation_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('receipt_filename', sa.String(length=200), nullable=False),
    sa.Column('receipt_content_type', sa.String(length=50), nullable=False),
    sa.Column('receipt_size', sa.Integer(), nullable=False),
    sa.Column('receipt_key', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Enum('registered', 'attested', 'paid', 'cancelled', name='expense_status', native_enum=False, create_constraint=True, length=18), nullable=False),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.Column('attested_by_id', sa.Integer(), nullable=True),
    sa.Column('attested_at', sa.DateTime(), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('accounting_ref', sa.String(length=60), nullable=False),
    sa.Column('paid_recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('cancelled_reason', sa.Text(), nullable=False),
    sa.CheckConstraint("line_kind != 'grants'", name=op.f('ck_expenses_not_the_grants_line')),
    sa.CheckConstraint('amount_ore > 0', name=op.f('ck_expenses_amount_positive')),
    sa.CheckConstraint('attested_by_id IS NULL OR attested_by_id != registered_by_id', name=op.f('ck_expenses_two_people')),
    sa.ForeignKeyConstraint(['attested_by_id'], ['users.id'], name=op.f('fk_expenses_attested_by_id_users')),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_expenses_network_id_networks')),
    sa.ForeignKeyConstraint(['paid_recorded_by_id'], ['users.id'], name=op.f('fk_expenses_paid_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['payee_organisation_id'], ['organisations.id'], name=op.f('fk_expenses_payee_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['period_id'], ['funding_periods.id'], name=op.f('fk_expenses_period_id_funding_periods')),
    sa.ForeignKeyConstraint(['registered_by_id'], ['users.id'], name=op.f('fk_expenses_registered_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expenses')),
    sa.UniqueConstraint('receipt_key', name=op.f('uq_expenses_receipt_key'))
    )
    with op.batch_alter_table('expenses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expenses_network_id'), ['network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_expenses_period_id'), ['period_id'], unique=False)



def downgrade():
    with op.batch_alter_table('expenses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expenses_period_id'))
        batch_op.drop_index(batch_op.f('ix_expenses_network_id'))

    op.drop_table('expenses')
