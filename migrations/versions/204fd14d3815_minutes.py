"""Minutes: chair, secretary, closing words, adjustment; the adjusters who approve.

Reviewed by hand: one minutes row per meeting (unique); adjusters are people
present, with their account when they approve signed in.

Revision ID: 204fd14d3815
Revises: 38a2cd812158
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '204fd14d3815'
down_revision = '38a2cd812158'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('minutes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('chair_name', sa.String(length=200), nullable=False),
    sa.Column('secretary_name', sa.String(length=200), nullable=False),
    sa.Column('closing_text', sa.Text(), nullable=False),
    sa.Column('adjusted_at', sa.DateTime(), nullable=True),
    sa.Column('paper_adjustment_note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_minutes_meeting_id_meetings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_minutes')),
    sa.UniqueConstraint('meeting_id', name=op.f('uq_minutes_meeting_id'))
    )
    op.create_table('adjusters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('minutes_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('on_paper', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['minutes_id'], ['minutes.id'], name=op.f('fk_adjusters_minutes_id_minutes')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_adjusters_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_adjusters_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_adjusters'))
    )
    with op.batch_alter_table('adjusters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_adjusters_minutes_id'), ['minutes_id'], unique=False)



def downgrade():
    with op.batch_alter_table('adjusters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_adjusters_minutes_id'))

    op.drop_table('adjusters')
    op.drop_table('minutes')
