"""Payouts with attestation, refunds, grant states, and the attestant role.

Reviewed by hand: existing grants start as "granted"; networks require
attestation by default; the roles CHECK constraint is rewritten to allow the
new attestant role (autogenerate does not see CHECK constraints); a payout's
attester is never its registrar (CHECK).

Revision ID: 514ba0e5d6c2
Revises: 2d3d16e84682
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '514ba0e5d6c2'
down_revision = '2d3d16e84682'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('payouts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('amount_ore', sa.BigInteger(), nullable=False),
    sa.Column('planned_on', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('status', sa.Enum('registered', 'attested', 'paid', 'cancelled', name='payout_status', native_enum=False, create_constraint=True, length=18), nullable=False),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.Column('attested_by_id', sa.Integer(), nullable=True),
    sa.Column('attested_at', sa.DateTime(), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('accounting_ref', sa.String(length=60), nullable=False),
    sa.Column('paid_recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('cancelled_reason', sa.Text(), nullable=False),
    sa.CheckConstraint('amount_ore > 0', name=op.f('ck_payouts_amount_positive')),
    sa.CheckConstraint('attested_by_id IS NULL OR attested_by_id != registered_by_id', name=op.f('ck_payouts_two_people')),
    sa.ForeignKeyConstraint(['attested_by_id'], ['users.id'], name=op.f('fk_payouts_attested_by_id_users')),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_payouts_grant_id_grants')),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_payouts_network_id_networks')),
    sa.ForeignKeyConstraint(['paid_recorded_by_id'], ['users.id'], name=op.f('fk_payouts_paid_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['registered_by_id'], ['users.id'], name=op.f('fk_payouts_registered_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payouts'))
    )
    with op.batch_alter_table('payouts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payouts_grant_id'), ['grant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payouts_network_id'), ['network_id'], unique=False)

    op.create_table('refunds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('amount_ore', sa.BigInteger(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('reference', sa.String(length=60), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('amount_ore > 0', name=op.f('ck_refunds_amount_positive')),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_refunds_grant_id_grants')),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_refunds_network_id_networks')),
    sa.ForeignKeyConstraint(['registered_by_id'], ['users.id'], name=op.f('fk_refunds_registered_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refunds'))
    )
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refunds_grant_id'), ['grant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_refunds_network_id'), ['network_id'], unique=False)

    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.Enum('granted', 'partly_paid', 'paid', 'reported', 'closed', 'withdrawn', name='grant_state', native_enum=False, create_constraint=True, length=19), nullable=False,
                                      server_default='granted'))
        batch_op.add_column(sa.Column('report_due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('withdrawal_reason', sa.Text(), nullable=False,
                                      server_default=''))

    with op.batch_alter_table('networks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attestation_required', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))



    # A new role: the CHECK constraint on roles.role lists the allowed values.
    with op.batch_alter_table('roles', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_roles_role_kind'), type_='check')
        batch_op.create_check_constraint(
            'role_kind', "role IN ('coordinator', 'auditor', 'representative', 'attestant')"
        )


def downgrade():
    op.execute("DELETE FROM roles WHERE role = 'attestant'")
    with op.batch_alter_table('roles', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_roles_role_kind'), type_='check')
        batch_op.create_check_constraint(
            'role_kind', "role IN ('coordinator', 'auditor', 'representative')"
        )

    with op.batch_alter_table('networks', schema=None) as batch_op:
        batch_op.drop_column('attestation_required')

    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.drop_column('withdrawal_reason')
        batch_op.drop_column('withdrawn_at')
        batch_op.drop_column('report_due_on')
        batch_op.drop_column('state')

    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refunds_network_id'))
        batch_op.drop_index(batch_op.f('ix_refunds_grant_id'))

    op.drop_table('refunds')
    with op.batch_alter_table('payouts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payouts_network_id'))
        batch_op.drop_index(batch_op.f('ix_payouts_grant_id'))

    op.drop_table('payouts')
