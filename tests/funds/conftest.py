import pytest

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
