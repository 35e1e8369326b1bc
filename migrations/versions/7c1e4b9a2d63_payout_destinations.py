"""Payout details per network, and the destination each payout was registered with.

Reviewed by hand. Security issue 14: an organisation that is a member of two
networks is one row, so one network's coordinator could change where the other
network pays it. Payout details now live on the membership (one per network),
copied from the organisation for every membership it has, and every payout
records the destination it was registered and attested with.

Safe while the previous release still runs: only columns are added; the old
organisations.payout_* columns stay (the previous release still reads them) and
are dropped by a later release. Payouts registered and not yet attested get the
destination they would be paid to today, which their attestant will now see.
Attested, paid and cancelled ones keep none: nobody attested an account, and
where paid money went was not recorded and must not be guessed. An attested
payout without a destination cannot be marked paid; it is cancelled and
registered anew (the grant page says so).

Revision ID: 7c1e4b9a2d63
Revises: 3b9d2c7e5a14
Create Date: 2026-12-07
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "7c1e4b9a2d63"
down_revision = "3b9d2c7e5a14"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.add_column(sa.Column("payout_method", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("payout_number", sa.String(length=40), nullable=True))
        batch_op.add_column(
            sa.Column("payout_bank", sa.String(length=60), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("payout_changed_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("payouts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("payee_name", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("destination_method", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("destination_number", sa.String(length=40), nullable=True))
        batch_op.add_column(
            sa.Column("destination_bank", sa.String(length=60), nullable=False, server_default="")
        )
    for column, empty in (
        ("payout_method", "NULL"),
        ("payout_number", "NULL"),
        ("payout_bank", "''"),
        ("payout_changed_at", "NULL"),
    ):
        op.execute(
            f"UPDATE memberships SET {column} = COALESCE((SELECT o.{column} FROM organisations o "
            f"WHERE o.id = memberships.organisation_id), {empty})"
        )
    applicant_membership = (
        "FROM memberships m JOIN proposals p ON p.applicant_id = m.organisation_id "
        "JOIN grants g ON g.proposal_id = p.id "
        "WHERE g.id = payouts.grant_id AND m.network_id = payouts.network_id"
    )
    for source, target, empty in (
        ("payout_method", "destination_method", "NULL"),
        ("payout_number", "destination_number", "NULL"),
        ("payout_bank", "destination_bank", "''"),
    ):
        op.execute(
            f"UPDATE payouts SET {target} = COALESCE((SELECT m.{source} "
            f"{applicant_membership}), {empty}) WHERE status = 'registered'"
        )
    op.execute(
        "UPDATE payouts SET payee_name = COALESCE((SELECT o.name FROM organisations o "
        "JOIN proposals p ON p.applicant_id = o.id JOIN grants g ON g.proposal_id = p.id "
        "WHERE g.id = payouts.grant_id), '') WHERE status = 'registered'"
    )


def downgrade():
    with op.batch_alter_table("payouts", schema=None) as batch_op:
        batch_op.drop_column("destination_bank")
        batch_op.drop_column("destination_number")
        batch_op.drop_column("destination_method")
        batch_op.drop_column("payee_name")
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_column("payout_changed_at")
        batch_op.drop_column("payout_bank")
        batch_op.drop_column("payout_number")
        batch_op.drop_column("payout_method")
