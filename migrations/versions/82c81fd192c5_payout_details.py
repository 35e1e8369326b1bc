"""An organisation's payout details (bankgiro, plusgiro or bank account).

Reviewed by hand: all optional; existing organisations have none yet.

Revision ID: 82c81fd192c5
Revises: 514ba0e5d6c2
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '82c81fd192c5'
down_revision = '514ba0e5d6c2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('payout_method', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('payout_number', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('payout_bank', sa.String(length=60), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('payout_changed_at', sa.DateTime(), nullable=True))



def downgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('payout_changed_at')
        batch_op.drop_column('payout_bank')
        batch_op.drop_column('payout_number')
        batch_op.drop_column('payout_method')

