"""An approved proposal's page links to its grant, for those who may open it."""

from tests.factories import (
    PASSWORD,
    GrantFactory,
    MembershipFactory,
    ProposalFactory,
    auditor_of,
    representative_of,
)


def test_the_grant_is_linked_from_its_proposal_for_those_who_may_open_it(
    app, network, association, representative, coordinator
):
    proposal = ProposalFactory(network=network, applicant=association, title="Språkcafé")
    grant = GrantFactory(proposal=proposal, amount_ore=750_000)
    other = representative_of(network, MembershipFactory(network=network).organisation)
    auditor = auditor_of(network)
    page = f"/n/uddevalla/proposals/{proposal.id}"
    grant_link = f'href="/n/uddevalla/grants/{grant.id}"'
    trace_link = f'href="/n/uddevalla/audit/trace/{grant.id}"'
    seen = {}
    for who, person in (
        ("coordinator", coordinator),
        ("auditor", auditor),
        ("grantee", representative),
        ("other", other),
    ):
        client = app.test_client()
        client.login(person.email, PASSWORD)
        html = client.get(page).get_data(as_text=True)
        seen[who] = (grant_link in html, trace_link in html)
        if grant_link in html:  # every link shown opens
            assert client.get(f"/n/uddevalla/grants/{grant.id}").status_code == 200
    assert seen == {
        "coordinator": (True, True),
        "auditor": (True, True),
        "grantee": (True, False),
        "other": (False, False),  # its grant page would answer 403
    }
