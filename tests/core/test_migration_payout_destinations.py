"""Migration 7c1e4b9a2d63 on data: payout details move to each membership, and only
payouts not yet attested get a destination (nobody attested an account before)."""

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from grants.core.time import local_today
from grants.extensions import db
from grants.funds.models import Payout
from tests.factories import GrantFactory, MembershipFactory, NetworkFactory

BEFORE = "3b9d2c7e5a14"


def test_details_are_copied_to_every_membership_and_unattested_payouts(app):
    first, second = NetworkFactory(), NetworkFactory()
    membership = MembershipFactory(network=first, payout_method=None, payout_number=None)
    organisation = membership.organisation
    MembershipFactory(network=second, organisation=organisation, payout_method=None)
    grant = GrantFactory(proposal__network=first, proposal__applicant=organisation)
    statuses = ["registered", "attested", "paid", "cancelled"]
    payouts = [
        Payout(
            network_id=first.id,
            grant_id=grant.id,
            amount_ore=100,
            planned_on=local_today(),
            status=status,
        )
        for status in statuses
    ]
    db.session.add_all(payouts)
    db.session.commit()
    ids = [payout.id for payout in payouts]
    organisation_id = organisation.id
    db.session.remove()
    downgrade(revision=BEFORE)
    with db.engine.begin() as connection:
        connection.execute(
            sa.text(
                "UPDATE organisations SET payout_method = 'bankgiro', "
                "payout_number = '5050-1055', payout_bank = '' WHERE id = :id"
            ),
            {"id": organisation_id},
        )
    upgrade()
    with db.engine.connect() as connection:
        memberships = connection.execute(
            sa.text(
                "SELECT payout_method, payout_number FROM memberships WHERE organisation_id = :id"
            ),
            {"id": organisation_id},
        ).all()
        payouts = dict(
            connection.execute(
                sa.text(
                    "SELECT status, destination_number FROM payouts WHERE id IN :ids"
                ).bindparams(sa.bindparam("ids", expanding=True)),
                {"ids": ids},
            ).all()
        )
    assert memberships == [("bankgiro", "5050-1055"), ("bankgiro", "5050-1055")]
    assert payouts == {
        "registered": "5050-1055",
        "attested": None,
        "paid": None,
        "cancelled": None,
    }
