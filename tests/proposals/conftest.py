from datetime import timedelta

import pytest

from grants.core.time import local_today
from grants.members.models import OrganisationKind
from tests.factories import (
    PASSWORD,
    CriterionFactory,
    FundingPeriodFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    coordinator_of,
    representative_of,
)


@pytest.fixture
def network(app):
    network = NetworkFactory(slug="uddevalla", name="Integrationsnätverket i Uddevalla")
    FundingPeriodFactory(network=network)  # a pot of 100 000 kr running now
    CriterionFactory(network=network, text="Nyanlända lär sig svenska.", position=1)
    CriterionFactory(network=network, text="Motverkar rasism.", position=2)
    return network


@pytest.fixture
def association(network):
    organisation = OrganisationFactory(name="Språkvänner i Uddevalla")
    MembershipFactory(network=network, organisation=organisation)
    return organisation


@pytest.fixture
def municipal_unit(network):
    organisation = OrganisationFactory(
        name="Integrationsenheten", kind=OrganisationKind.MUNICIPAL_UNIT
    )
    MembershipFactory(network=network, organisation=organisation)
    return organisation


@pytest.fixture
def representative(network, association):
    return representative_of(network, association, email="rep@example.se", name="Rami Rep")


@pytest.fixture
def coordinator(network):
    return coordinator_of(network, email="samordnare@example.se", name="Sara Samordnare")


@pytest.fixture
def as_representative(client, representative):
    client.login(representative.email, PASSWORD)
    return client


@pytest.fixture
def as_coordinator(client, coordinator):
    client.login(coordinator.email, PASSWORD)
    return client


def proposal_data(network, applicant, **overrides):
    criteria = network.active_criteria
    start = local_today() + timedelta(days=30)
    data = {
        "applicant": str(applicant.id),
        "title": "Språkcafé på torsdagar",
        "summary": "Vi träffas varje torsdag i Ålsäter och pratar svenska över fika.",
        "criteria": [str(criteria[0].id)],
        "planned_start": start.isoformat(),
        "planned_end": (start + timedelta(days=90)).isoformat(),
        "requested": "12 500,50",
        "budget-0-item": "Fika",
        "budget-0-amount": "2 500,50",
        "budget-1-item": "Lokalhyra",
        "budget-1-amount": "10 000",
        "contact_name": "Rami Rep",
        "contact_email": "rep@example.se",
        "contact_phone": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


NEW = "/n/uddevalla/proposals/new"
