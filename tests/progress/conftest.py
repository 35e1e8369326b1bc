import pytest

from tests.factories import NetworkFactory, attestant_of, auditor_of, coordinator_of
from tests.progress import story


@pytest.fixture
def network(app):
    return NetworkFactory(slug="uddevalla")


@pytest.fixture
def coordinator(network):
    return coordinator_of(network, name="Sara Samordnare")


@pytest.fixture
def auditor(network):
    return auditor_of(network, name="Greta Granskare")


@pytest.fixture
def told(network, coordinator):
    """The story of ``tests.progress.story``, done through the real operations."""
    return story.build(network, coordinator, attestant_of(network, name="Bo Budgetansvarig"))
