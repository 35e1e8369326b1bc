"""Proposals, meetings and pots of another network answer 404; outsiders see nothing."""

import pytest

from tests.factories import (
    PASSWORD,
    FundingPeriodFactory,
    MeetingFactory,
    NetworkFactory,
    ProposalFactory,
    coordinator_of,
)


@pytest.fixture
def foreign(app):
    other = NetworkFactory(slug="trollhattan")
    proposal = ProposalFactory(network=other)
    return {
        "proposal": proposal,
        "meeting": MeetingFactory(network=other),
        "period": FundingPeriodFactory(network=other),
    }


def test_ids_from_another_network_answer_404(as_coordinator, network, foreign):
    proposal, meeting, period = foreign["proposal"], foreign["meeting"], foreign["period"]
    for path in (
        f"/proposals/{proposal.id}",
        f"/proposals/{proposal.id}/edit",
        f"/proposals/{proposal.id}/versions/1",
        f"/meetings/{meeting.id}",
        f"/meetings/{meeting.id}/edit",
        f"/funds/periods/{period.id}",
    ):
        assert as_coordinator.get("/n/uddevalla" + path).status_code == 404, path
    for path in (f"/proposals/{proposal.id}/withdraw", f"/proposals/{proposal.id}/move"):
        assert as_coordinator.submit("/n/uddevalla" + path).status_code == 404, path


def test_a_coordinator_elsewhere_cannot_see_this_networks_proposals(client, network, foreign):
    client.login(coordinator_of(NetworkFactory(slug="annat")).email, PASSWORD)
    assert client.get("/n/uddevalla/proposals/").status_code == 404
    assert client.get("/n/uddevalla/meetings/").status_code == 404


def test_the_network_itself_has_a_read_only_admin_page(as_coordinator, network):
    import sqlalchemy as sa

    from grants.extensions import db
    from grants.members.models import Membership
    from grants.members.operations import network_itself

    itself = network_itself(network)
    db.session.commit()
    membership = db.session.scalar(
        sa.select(Membership).where(Membership.organisation_id == itself.id)
    )
    page = as_coordinator.get(f"/n/uddevalla/admin/organisations/{membership.id}")
    assert page.status_code == 200
    assert "inget organisationsnummer" in page.get_data(as_text=True)
