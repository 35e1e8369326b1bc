"""Roles checked in one place; tenant walls: another network's ids answer 404."""

import pytest

from tests.factories import (
    PASSWORD,
    CriterionFactory,
    JoinRequestFactory,
    MembershipFactory,
    NetworkFactory,
    coordinator_of,
    representative_of,
)

ADMIN_PAGES = [
    "/admin/",
    "/admin/join-requests/",
    "/admin/organisations/",
    "/admin/organisations/new",
    "/admin/people/",
    "/admin/criteria",
    "/admin/rules",
    "/admin/settings",
]


@pytest.fixture
def two_networks(app):
    home = NetworkFactory(slug="uddevalla")
    other = NetworkFactory(slug="trollhattan")
    return home, other


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_anonymous_visitors_are_sent_to_the_login(client, two_networks, path):
    response = client.get("/n/uddevalla" + path)
    assert response.status_code == 302
    assert "/auth/login?next=" in response.headers["Location"]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_a_representative_cannot_reach_admin_pages(client, two_networks, path):
    home, _ = two_networks
    person = representative_of(home)
    client.login(person.email, PASSWORD)
    assert client.get("/n/uddevalla" + path).status_code == 403


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_a_coordinator_of_another_network_gets_404(client, two_networks, path):
    _, other = two_networks
    person = coordinator_of(other)
    client.login(person.email, PASSWORD)
    assert client.get("/n/trollhattan" + path).status_code == 200
    assert client.get("/n/uddevalla" + path).status_code == 404


def test_ids_from_another_network_answer_404_on_every_kind_of_page(client, two_networks):
    home, other = two_networks
    person = coordinator_of(home)
    foreign_request = JoinRequestFactory(network=other)
    foreign_membership = MembershipFactory(network=other)
    foreign_criterion = CriterionFactory(network=other)
    foreign_role = coordinator_of(other).roles[0]
    client.login(person.email, PASSWORD)
    for path in (
        f"/admin/join-requests/{foreign_request.id}",
        f"/admin/organisations/{foreign_membership.id}",
        f"/admin/criteria/{foreign_criterion.id}",
    ):
        assert client.get("/n/uddevalla" + path).status_code == 404, path
    for path in (
        f"/admin/organisations/{foreign_membership.id}/end",
        f"/admin/roles/{foreign_role.id}/revoke",
        f"/admin/criteria/{foreign_criterion.id}/move",
        f"/admin/join-requests/{foreign_request.id}",
    ):
        response = client.submit("/n/uddevalla" + path, {"decision": "approve"})
        assert response.status_code == 404, path


def test_a_private_network_is_invisible_to_outsiders(client, app):
    hidden = NetworkFactory(slug="hemligt", public=False)
    assert client.get("/n/hemligt/").status_code == 404
    assert client.get("/n/hemligt/rules").status_code == 404
    member = representative_of(hidden)
    client.login(member.email, PASSWORD)
    assert client.get("/n/hemligt/").status_code == 200


def test_an_unknown_network_is_404(client, app):
    assert client.get("/n/finns-inte/").status_code == 404
