"""Markup typed into any admin field is stored as text and shown escaped."""

import pytest
import sqlalchemy as sa

from grants.extensions import db
from grants.networks.models import Network
from tests.factories import PASSWORD, MembershipFactory, NetworkFactory, coordinator_of

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '" onmouseover="alert(1)'


@pytest.fixture
def signed_in(client, app):
    network = NetworkFactory(slug="uddevalla")
    client.login(coordinator_of(network).email, PASSWORD)
    return client


def assert_escaped(html):
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'onmouseover="alert(1)' not in html


def test_organisation_fields(signed_in, app):
    network = db.session.scalar(sa.select(Network).where(Network.slug == "uddevalla"))
    membership = MembershipFactory(network=network)
    page = f"/n/uddevalla/admin/organisations/{membership.id}"
    signed_in.submit(
        page,
        {
            "name": SCRIPT + ATTRIBUTE,
            "orgnr": membership.organisation.orgnr,
            "kind": "association",
            "contact_name": SCRIPT,
            "contact_email": "k@example.se",
        },
        page=page,
    )
    for shown in (page, "/n/uddevalla/admin/organisations/", "/n/uddevalla/"):
        assert_escaped(signed_in.get(shown).get_data(as_text=True))


def test_criterion_and_settings_fields(signed_in):
    signed_in.submit("/n/uddevalla/admin/criteria", {"text": SCRIPT + ATTRIBUTE})
    assert_escaped(signed_in.get("/n/uddevalla/admin/criteria").get_data(as_text=True))
    assert_escaped(signed_in.get("/n/uddevalla/").get_data(as_text=True))
    signed_in.submit(
        "/n/uddevalla/admin/settings",
        {
            "name": "Nätverket " + SCRIPT,
            "municipality": SCRIPT,
            "project_name": ATTRIBUTE,
            "about": SCRIPT,
            "contact_email": "",
            "invite_lead_days": "21",
            "tie_rule": "rejected",
            "report_due_days": "60",
            "max_grant": "",
            "quorum_min_orgs": "",
        },
        page="/n/uddevalla/admin/settings",
    )
    for shown in ("/n/uddevalla/", "/", "/n/uddevalla/admin/settings"):
        assert_escaped(signed_in.get(shown).get_data(as_text=True))
