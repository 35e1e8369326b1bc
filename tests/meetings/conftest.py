import pytest

from grants.extensions import db
from grants.meetings import session
from grants.meetings.models import MeetingStatus
from tests.factories import (
    CriterionFactory,
    FundingPeriodFactory,
    MeetingFactory,
    MembershipFactory,
    NetworkFactory,
    ProposalFactory,
    coordinator_of,
    on_its_day,
)


@pytest.fixture
def network(app):
    network = NetworkFactory(slug="uddevalla")
    CriterionFactory(network=network)
    return network


@pytest.fixture
def period(network):
    return FundingPeriodFactory(network=network)  # a pot of 100 000 kr


@pytest.fixture
def coordinator(network):
    return coordinator_of(network)


@pytest.fixture
def members(network):
    return [MembershipFactory(network=network).organisation for _ in range(6)]


@pytest.fixture
def meeting(network):
    return MeetingFactory(network=network, number=1)


@pytest.fixture
def proposal(network, period, meeting, members):
    return ProposalFactory(
        network=network,
        period=period,
        meeting=meeting,
        applicant=members[0],
        co_applicants=[members[1]],
        requested_ore=2_000_000,
    )


@pytest.fixture
def in_session(meeting, proposal, members, coordinator):
    """The meeting opened with every member present and the proposal on the agenda."""
    session.start_session(on_its_day(meeting), actor=coordinator)
    for organisation in members:
        session.record_attendance(
            meeting, organisation, present=True, people="Namn", actor=coordinator
        )
    db.session.commit()
    assert meeting.status == MeetingStatus.IN_SESSION
    return meeting


def item_for(meeting, proposal):
    return next(item for item in session.agenda(meeting) if item.proposal_id == proposal.id)


def twenty_items_in_session(network, period, meeting, members, coordinator) -> list[int]:
    """20 proposals of 7 000 kr on an open meeting's agenda, against a pot of 100 000 kr:
    14 can be approved, the 15th would overspend. The agenda items' ids."""
    proposals = [
        ProposalFactory(
            network=network,
            period=period,
            meeting=meeting,
            applicant=members[0],
            requested_ore=700_000,
        )
        for _ in range(20)
    ]
    session.start_session(on_its_day(meeting), actor=coordinator)
    for organisation in members:
        session.record_attendance(meeting, organisation, present=True, people="", actor=coordinator)
    db.session.commit()
    return [item_for(meeting, proposal).id for proposal in proposals]
