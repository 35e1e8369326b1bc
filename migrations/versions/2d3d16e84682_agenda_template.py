"""The network's agenda template, and where the proposals go in an agenda.

Reviewed by hand. The template is copied here (not imported from the app) so
the migration stays what it was when written.

Revision ID: 2d3d16e84682
Revises: 204fd14d3815
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa

DEFAULT_AGENDA_TEMPLATE = "\n".join([
    "Presentationsrunda av medverkande organisationer",
    "Kommunens integrationsarbete",
    "Hur kan vi tillsammans bidra till integration?",
    "Regler och rutiner kring ekonomiska bidrag",
    "[förslag]",
    "Aktuella behov, möjligheter och problem",
    "Nästa möte",
    "Övriga frågor",
])


# revision identifiers, used by Alembic.
revision = '2d3d16e84682'
down_revision = '204fd14d3815'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        # Existing agenda items keep their order; none is marked as after the proposals.
        batch_op.add_column(sa.Column('after_proposals', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))

    with op.batch_alter_table('networks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agenda_template', sa.Text(), nullable=False,
                                      server_default=''))

    # Existing networks get the source's draft agenda (the same as new ones).
    op.execute(sa.text("UPDATE networks SET agenda_template = :template").bindparams(
        template=DEFAULT_AGENDA_TEMPLATE))



def downgrade():
    with op.batch_alter_table('networks', schema=None) as batch_op:
        batch_op.drop_column('agenda_template')

    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_column('after_proposals')

