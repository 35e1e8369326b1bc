"""Every member sees every proposal; filters, sorting, paging; a fixed number of queries."""

import pytest
import sqlalchemy as sa

from grants.core.time import local_today
from grants.extensions import db
from grants.members.models import Membership
from grants.proposals.models import ProposalState
from tests.conftest import QueryCounter, text_of
from tests.factories import (
    CriterionFactory,
    GrantFactory,
    MeetingFactory,
    MembershipFactory,
    ProposalFactory,
)

LIST = "/n/uddevalla/proposals/"


def test_every_member_sees_every_proposal(as_representative, network):
    ProposalFactory(network=network, title="Läxhjälp i Dalaberg")
    ProposalFactory(network=network, title="Fotboll för alla")
    page = text_of(as_representative.get(LIST))
    assert "Läxhjälp i Dalaberg" in page and "Fotboll för alla" in page
    assert "2 förslag" in page


def test_outsiders_see_no_proposals(client, network):
    response = client.get(LIST)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_filters_by_state_meeting_criterion_and_organisation(
    as_representative, network, association
):
    criterion = network.active_criteria[1]
    meeting = MeetingFactory(network=network)
    wanted = ProposalFactory(
        network=network,
        title="Den rätta",
        applicant=association,
        meeting=meeting,
        criteria=[criterion],
    )
    ProposalFactory(network=network, title="Fel läge", state=ProposalState.WITHDRAWN)
    ProposalFactory(
        network=network, title="Annan organisation", meeting=meeting, criteria=[criterion]
    )
    for query in (
        f"?state=registered&meeting={meeting.id}&criterion={criterion.id}"
        f"&organisation={association.id}",
    ):
        page = text_of(as_representative.get(LIST + query))
        assert wanted.title in page
        assert "Fel läge" not in page and "Annan organisation" not in page
    co_applied = ProposalFactory(
        network=network, title="Som medsökande", co_applicants=[association]
    )
    page = text_of(as_representative.get(LIST + f"?organisation={association.id}"))
    assert co_applied.title in page


def test_bad_filter_values_are_ignored_not_errors(as_representative, network):
    ProposalFactory(network=network, title="Finns")
    for query in (
        "?state=nonsense",
        "?meeting=abc",
        "?criterion=1;DROP",
        "?sort=evil",
        "?page=-4",
        "?page=99999",
    ):
        response = as_representative.get(LIST + query)
        assert response.status_code == 200
        assert "Finns" in text_of(response)


def test_sorting_by_amount(as_representative, network):
    ProposalFactory(network=network, title="Liten", requested_ore=10_000)
    ProposalFactory(network=network, title="Stor", requested_ore=5_000_000)
    page = text_of(as_representative.get(LIST + "?sort=amount_desc"))
    assert page.index("Stor") < page.index("Liten")
    page = text_of(as_representative.get(LIST + "?sort=amount_asc"))
    assert page.index("Liten") < page.index("Stor")


def test_the_list_is_paged(as_representative, network):
    period = ProposalFactory(network=network).period
    for number in range(30):
        ProposalFactory(
            network=network,
            period=period,
            title=f"Förslag nummer {number:02d}",
            requested_ore=100 + number,
        )
    first = text_of(as_representative.get(LIST + "?sort=amount_asc"))
    assert "31 förslag" in first
    assert "Förslag nummer 00" in first and "Förslag nummer 29" not in first
    second = text_of(as_representative.get(LIST + "?sort=amount_asc&page=2"))
    assert "Förslag nummer 29" in second


def test_the_coordinator_sees_what_is_missing(as_coordinator, network, association):
    lapsed = MembershipFactory(network=network)
    proposal = ProposalFactory(
        network=network,
        applicant=lapsed.organisation,
        criteria=[CriterionFactory(network=network, active=False)],
    )
    proposal.requested_ore = 2_000_000  # budget rows still say 10 000 kr
    db.session.execute(sa.update(Membership).where(Membership.id == lapsed.id).values(active=False))
    db.session.commit()
    page = text_of(as_coordinator.get(LIST))
    assert "inget kriterium uppfyllt" in page
    assert "budgeten går inte ihop" in page
    assert "sökandens medlemskap har upphört" in page


def test_an_organisation_page_shows_its_proposals_and_grants(
    as_representative, network, association
):
    proposal = ProposalFactory(
        network=network, applicant=association, title="Vår aktivitet", state=ProposalState.APPROVED
    )
    GrantFactory(proposal=proposal, amount_ore=750_000)
    page = text_of(as_representative.get(f"/n/uddevalla/organisations/{association.id}"))
    assert "Vår aktivitet" in page and "7 500 kr" in page


def _bulk_proposals(network, count, period):
    from datetime import timedelta

    from grants.core.time import utcnow
    from grants.proposals.models import BudgetRow, Proposal, ProposalSource

    organisations = [MembershipFactory(network=network).organisation for _ in range(5)]
    criteria = network.active_criteria
    existing = db.session.scalar(sa.select(sa.func.count(Proposal.id))) or 0
    for number in range(existing + 1, existing + count + 1):
        proposal = Proposal(
            network=network,
            year=2025,
            number=number,
            applicant=organisations[number % 5],
            period=period,
            title=f"Aktivitet {number}",
            summary="Text",
            source=ProposalSource.WEB,
            planned_start=local_today(),
            planned_end=local_today() + timedelta(days=30),
            requested_ore=1000 + number,
            contact_name="K",
            contact_email="k@example.se",
            received_at=utcnow(),
            criteria=[criteria[number % len(criteria)]],
            co_applicants=[organisations[(number + 1) % 5]],
        )
        proposal.budget_rows = [BudgetRow(position=1, item="Allt", amount_ore=1000 + number)]
        db.session.add(proposal)
    db.session.commit()


@pytest.mark.parametrize("who", ["as_representative", "as_coordinator"])
def test_list_and_proposal_page_run_the_same_number_of_queries_at_10_and_1000(
    request, network, who, app
):
    client = request.getfixturevalue(who)
    period = ProposalFactory(network=network).period
    _bulk_proposals(network, 9, period)
    counts = {}
    for size in (10, 1000):
        if size == 1000:
            _bulk_proposals(network, 990, period)
        with QueryCounter(db.engine) as on_list:
            assert client.get(LIST).status_code == 200
        with QueryCounter(db.engine) as on_page:
            assert client.get(LIST + "?sort=amount_desc&page=3&state=registered").status_code == 200
        proposal_id = db.session.scalar(sa.text("SELECT max(id) FROM proposals"))
        with QueryCounter(db.engine) as on_proposal:
            assert client.get(f"{LIST}{proposal_id}").status_code == 200
        counts[size] = (on_list.count, on_page.count, on_proposal.count)
    print("queries (list, filtered page 3, proposal) at 10 and 1000:", counts)
    assert counts[10] == counts[1000]
