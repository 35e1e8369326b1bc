"""Planning: the host rotates; the funding period shows its meetings."""

from datetime import timedelta

from grants.core.time import utcnow
from grants.meetings.operations import suggest_host
from tests.conftest import text_of
from tests.factories import PASSWORD, MeetingFactory


def test_the_host_suggestion_rotates(network, members):
    never = sorted(members, key=lambda organisation: organisation.name)
    assert suggest_host(network).id == never[0].id
    for number, organisation in enumerate(never[:-1], start=1):
        MeetingFactory(
            network=network,
            number=number,
            host_organisation=organisation,
            starts_at=utcnow() - timedelta(days=100 - number),
        )
    assert suggest_host(network).id == never[-1].id  # the only one that never hosted
    MeetingFactory(
        network=network,
        number=99,
        host_organisation=never[-1],
        starts_at=utcnow() - timedelta(days=1),
    )
    assert suggest_host(network).id == never[0].id  # hosted longest ago


def test_the_planning_form_proposes_the_host(client, network, members, coordinator):
    client.login(coordinator.email, PASSWORD)
    page = text_of(client.get("/n/uddevalla/meetings/new"))
    first = sorted(members, key=lambda organisation: organisation.name)[0]
    assert f"Förslag enligt rotationen: {first.name}" in page


def test_the_pot_page_lists_the_periods_meetings(client, network, period, coordinator):
    MeetingFactory(network=network, number=1, starts_at=utcnow() - timedelta(days=10))
    MeetingFactory(network=network, number=2, starts_at=utcnow() + timedelta(days=20))
    client.login(coordinator.email, PASSWORD)
    page = text_of(client.get("/n/uddevalla/funds/"))
    assert "Möten i perioden: 1 hållna, 1 planerade" in page
