"""The meeting itself: agenda items, attendance, recusals, votes, decisions.

Reviewed by hand. One vote per organisation and item and one decision per
item are unique constraints (invariant 3); a decision has an amount exactly
when it approves (CHECK). Grants learn which decision they come from.

Revision ID: 065f64995133
Revises: 0fc75030c8f8
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '065f64995133'
down_revision = '0fc75030c8f8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('attendances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('people', sa.Text(), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.Column('arrived_at', sa.DateTime(), nullable=False),
    sa.Column('left_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_attendances_meeting_id_meetings')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_attendances_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendances')),
    sa.UniqueConstraint('meeting_id', 'organisation_id', name=op.f('uq_attendances_meeting_id_organisation_id'))
    )
    with op.batch_alter_table('attendances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendances_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('agenda_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('standard', 'proposal', 'other', name='agenda_item_kind', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('late_reason', sa.Text(), nullable=False),
    sa.Column('minutes_text', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'voting', 'decided', name='item_status', native_enum=False, create_constraint=True, length=15), nullable=False),
    sa.CheckConstraint("(kind = 'proposal') = (proposal_id IS NOT NULL)", name=op.f('ck_agenda_items_proposal_iff_proposal_item')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_agenda_items_meeting_id_meetings')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_agenda_items_proposal_id_proposals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_items'))
    )
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_items_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_items_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Enum('approved', 'rejected', 'deferred', name='decision_outcome', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('method', sa.Enum('acclamation', 'counted', name='decision_method', native_enum=False, create_constraint=True, length=19), nullable=True),
    sa.Column('amount_ore', sa.BigInteger(), nullable=True),
    sa.Column('conditions', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('yes', sa.Integer(), nullable=True),
    sa.Column('no', sa.Integer(), nullable=True),
    sa.Column('abstain', sa.Integer(), nullable=True),
    sa.Column('tie', sa.Boolean(), nullable=False),
    sa.Column('tie_rule_applied', sa.String(length=20), nullable=True),
    sa.Column('present_organisation_ids', sa.Text(), nullable=False),
    sa.Column('recused_organisation_ids', sa.Text(), nullable=False),
    sa.Column('deferred_to_meeting_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("(outcome = 'approved') = (amount_ore IS NOT NULL AND amount_ore > 0)", name=op.f('ck_decisions_amount_iff_approved')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_decisions_decided_by_id_users')),
    sa.ForeignKeyConstraint(['deferred_to_meeting_id'], ['meetings.id'], name=op.f('fk_decisions_deferred_to_meeting_id_meetings')),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_decisions_item_id_agenda_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions')),
    sa.UniqueConstraint('item_id', name=op.f('uq_decisions_item_id'))
    )
    op.create_table('recusals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('automatic', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_recusals_item_id_agenda_items')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_recusals_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recusals')),
    sa.UniqueConstraint('item_id', 'organisation_id', name=op.f('uq_recusals_item_id_organisation_id'))
    )
    with op.batch_alter_table('recusals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recusals_item_id'), ['item_id'], unique=False)

    op.create_table('votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.Enum('yes', 'no', 'abstain', name='vote_choice', native_enum=False, create_constraint=True, length=15), nullable=False),
    sa.Column('cast_by_id', sa.Integer(), nullable=True),
    sa.Column('cast_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cast_by_id'], ['users.id'], name=op.f('fk_votes_cast_by_id_users')),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_votes_item_id_agenda_items')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_votes_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_votes')),
    sa.UniqueConstraint('item_id', 'organisation_id', name=op.f('uq_votes_item_id_organisation_id'))
    )
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_votes_item_id'), ['item_id'], unique=False)

    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decision_id', sa.Integer(), nullable=True))
        # Existing grants (none outside tests) get empty conditions.
        batch_op.add_column(sa.Column('conditions', sa.Text(), nullable=False, server_default=''))
        batch_op.create_unique_constraint(batch_op.f('uq_grants_decision_id'), ['decision_id'])
        batch_op.create_foreign_key(batch_op.f('fk_grants_decision_id_decisions'), 'decisions', ['decision_id'], ['id'])



def downgrade():
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_grants_decision_id_decisions'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_grants_decision_id'), type_='unique')
        batch_op.drop_column('conditions')
        batch_op.drop_column('decision_id')

    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_votes_item_id'))

    op.drop_table('votes')
    with op.batch_alter_table('recusals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recusals_item_id'))

    op.drop_table('recusals')
    op.drop_table('decisions')
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_items_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_agenda_items_meeting_id'))

    op.drop_table('agenda_items')
    with op.batch_alter_table('attendances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendances_meeting_id'))

    op.drop_table('attendances')
