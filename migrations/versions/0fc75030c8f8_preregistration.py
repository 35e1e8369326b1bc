"""Pre-registration: funding periods and budget lines, meetings, proposals, grants.

Reviewed by hand. The organisation number becomes optional for one kind only,
the network itself (checked by a named constraint that autogenerate does not
see, so it is written here). Grants are the minimal table the pot needs to
know what is granted; the meetings and funds issues add to it.

Revision ID: 0fc75030c8f8
Revises: 1cd88e9e3cad
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0fc75030c8f8'
down_revision = '1cd88e9e3cad'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('funding_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('funder', sa.String(length=200), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_funding_periods_dates_in_order')),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_funding_periods_network_id_networks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funding_periods'))
    )
    with op.batch_alter_table('funding_periods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_funding_periods_network_id'), ['network_id'], unique=False)

    op.create_table('meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('host_organisation_id', sa.Integer(), nullable=True),
    sa.Column('theme', sa.String(length=300), nullable=False),
    sa.Column('status', sa.Enum('planned', 'invited', 'in_session', 'held', 'adjusted', 'cancelled', name='meeting_status', native_enum=False, create_constraint=True, length=18), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_meetings_ends_after_start')),
    sa.ForeignKeyConstraint(['host_organisation_id'], ['organisations.id'], name=op.f('fk_meetings_host_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_meetings_network_id_networks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings')),
    sa.UniqueConstraint('network_id', 'number', name=op.f('uq_meetings_network_id_number'))
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meetings_network_id'), ['network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_starts_at'), ['starts_at'], unique=False)

    op.create_table('budget_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('grants', 'meetings', 'training', name='budget_line_kind', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('budget_ore', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('budget_ore >= 0', name=op.f('ck_budget_lines_budget_not_negative')),
    sa.ForeignKeyConstraint(['period_id'], ['funding_periods.id'], name=op.f('fk_budget_lines_period_id_funding_periods')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_lines')),
    sa.UniqueConstraint('period_id', 'kind', name=op.f('uq_budget_lines_period_id_kind'))
    )
    with op.batch_alter_table('budget_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_lines_period_id'), ['period_id'], unique=False)

    op.create_table('proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('applicant_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('planned_start', sa.Date(), nullable=False),
    sa.Column('planned_end', sa.Date(), nullable=False),
    sa.Column('requested_ore', sa.BigInteger(), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('contact_phone', sa.String(length=40), nullable=False),
    sa.Column('source', sa.Enum('web', 'email', 'meeting', name='proposal_source', native_enum=False, create_constraint=True, length=15), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('email_text', sa.Text(), nullable=False),
    sa.Column('raised_at_meeting_id', sa.Integer(), nullable=True),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.Enum('registered', 'on_agenda', 'approved', 'rejected', 'deferred', 'withdrawn', name='proposal_state', native_enum=False, create_constraint=True, length=18), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('planned_end >= planned_start', name=op.f('ck_proposals_period_in_order')),
    sa.CheckConstraint('requested_ore > 0', name=op.f('ck_proposals_requested_positive')),
    sa.ForeignKeyConstraint(['applicant_id'], ['organisations.id'], name=op.f('fk_proposals_applicant_id_organisations')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_proposals_meeting_id_meetings')),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_proposals_network_id_networks')),
    sa.ForeignKeyConstraint(['period_id'], ['funding_periods.id'], name=op.f('fk_proposals_period_id_funding_periods')),
    sa.ForeignKeyConstraint(['raised_at_meeting_id'], ['meetings.id'], name=op.f('fk_proposals_raised_at_meeting_id_meetings')),
    sa.ForeignKeyConstraint(['registered_by_id'], ['users.id'], name=op.f('fk_proposals_registered_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposals')),
    sa.UniqueConstraint('network_id', 'year', 'number', name=op.f('uq_proposals_network_id_year_number'))
    )
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposals_applicant_id'), ['applicant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_network_id'), ['network_id'], unique=False)
        batch_op.create_index('ix_proposals_network_state_created', ['network_id', 'state', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_period_id'), ['period_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_state'), ['state'], unique=False)

    op.create_table('grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('amount_ore', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('amount_ore > 0', name=op.f('ck_grants_amount_positive')),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_grants_network_id_networks')),
    sa.ForeignKeyConstraint(['period_id'], ['funding_periods.id'], name=op.f('fk_grants_period_id_funding_periods')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_grants_proposal_id_proposals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grants')),
    sa.UniqueConstraint('proposal_id', name=op.f('uq_grants_proposal_id'))
    )
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grants_network_id'), ['network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grants_period_id'), ['period_id'], unique=False)

    op.create_table('proposal_budget_rows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=200), nullable=False),
    sa.Column('amount_ore', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('amount_ore > 0', name=op.f('ck_proposal_budget_rows_amount_positive')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_budget_rows_proposal_id_proposals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_budget_rows'))
    )
    with op.batch_alter_table('proposal_budget_rows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_budget_rows_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('proposal_co_applicants',
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_proposal_co_applicants_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_co_applicants_proposal_id_proposals')),
    sa.PrimaryKeyConstraint('proposal_id', 'organisation_id', name=op.f('pk_proposal_co_applicants'))
    )
    op.create_table('proposal_criteria',
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['criterion_id'], ['criteria.id'], name=op.f('fk_proposal_criteria_criterion_id_criteria')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_criteria_proposal_id_proposals')),
    sa.PrimaryKeyConstraint('proposal_id', 'criterion_id', name=op.f('pk_proposal_criteria'))
    )
    op.create_table('proposal_moves',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('from_meeting_id', sa.Integer(), nullable=True),
    sa.Column('to_meeting_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('moved_at', sa.DateTime(), nullable=False),
    sa.Column('moved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['from_meeting_id'], ['meetings.id'], name=op.f('fk_proposal_moves_from_meeting_id_meetings')),
    sa.ForeignKeyConstraint(['moved_by_id'], ['users.id'], name=op.f('fk_proposal_moves_moved_by_id_users')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_moves_proposal_id_proposals')),
    sa.ForeignKeyConstraint(['to_meeting_id'], ['meetings.id'], name=op.f('fk_proposal_moves_to_meeting_id_meetings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_moves'))
    )
    with op.batch_alter_table('proposal_moves', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_moves_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('proposal_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('snapshot', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_proposal_versions_created_by_id_users')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_versions_proposal_id_proposals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_versions')),
    sa.UniqueConstraint('proposal_id', 'version', name=op.f('uq_proposal_versions_proposal_id_version'))
    )
    with op.batch_alter_table('proposal_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_versions_proposal_id'), ['proposal_id'], unique=False)

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.alter_column('orgnr',
               existing_type=sa.VARCHAR(length=11),
               nullable=True)
        batch_op.create_check_constraint(
            'orgnr_unless_network', "orgnr IS NOT NULL OR kind = 'network_itself'"
        )



def downgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_organisations_orgnr_unless_network'), type_='check')
        batch_op.alter_column('orgnr',
               existing_type=sa.VARCHAR(length=11),
               nullable=False)

    with op.batch_alter_table('proposal_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_versions_proposal_id'))

    op.drop_table('proposal_versions')
    with op.batch_alter_table('proposal_moves', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_moves_proposal_id'))

    op.drop_table('proposal_moves')
    op.drop_table('proposal_criteria')
    op.drop_table('proposal_co_applicants')
    with op.batch_alter_table('proposal_budget_rows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_budget_rows_proposal_id'))

    op.drop_table('proposal_budget_rows')
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grants_period_id'))
        batch_op.drop_index(batch_op.f('ix_grants_network_id'))

    op.drop_table('grants')
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposals_state'))
        batch_op.drop_index(batch_op.f('ix_proposals_period_id'))
        batch_op.drop_index('ix_proposals_network_state_created')
        batch_op.drop_index(batch_op.f('ix_proposals_network_id'))
        batch_op.drop_index(batch_op.f('ix_proposals_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_proposals_applicant_id'))

    op.drop_table('proposals')
    with op.batch_alter_table('budget_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_lines_period_id'))

    op.drop_table('budget_lines')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meetings_starts_at'))
        batch_op.drop_index(batch_op.f('ix_meetings_network_id'))

    op.drop_table('meetings')
    with op.batch_alter_table('funding_periods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_funding_periods_network_id'))

    op.drop_table('funding_periods')
