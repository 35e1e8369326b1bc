import threading

import pytest

from grants.core.errors import DomainError
from grants.extensions import db
from tests.factories import (
    FundingPeriodFactory,
    GrantFactory,
    MembershipFactory,
    NetworkFactory,
    ProposalFactory,
    attestant_of,
    coordinator_of,
)


@pytest.fixture
def grant_setup(app):
    network = NetworkFactory(slug="uddevalla")
    period = FundingPeriodFactory(network=network)  # a pot of 100 000 kr
    grantee = MembershipFactory(network=network).organisation
    proposal = ProposalFactory(
        network=network, period=period, applicant=grantee, requested_ore=2_000_000
    )
    grant = GrantFactory(proposal=proposal, amount_ore=2_000_000)
    return {
        "network": network,
        "period": period,
        "grant": grant,
        "grantee": grantee,
        "coordinator": coordinator_of(network, name="Sara Samordnare"),
        "attestant": attestant_of(network, name="Bo Budgetansvarig"),
    }


def race(app, work, count: int) -> list[str]:
    """Run ``work`` in ``count`` threads released at once; "ok" or the refusal, each."""
    barrier = threading.Barrier(count)
    outcomes = []

    def run():
        with app.app_context():
            try:
                barrier.wait()
                work()
                db.session.commit()
                outcomes.append("ok")
            except DomainError as error:
                db.session.rollback()
                outcomes.append(str(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
