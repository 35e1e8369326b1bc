"""The coordinator edits the network's settings, criteria and rules document."""

import pytest
import sqlalchemy as sa

from grants.core.audit import AuditEvent
from grants.extensions import db
from grants.networks.models import Criterion, RulesDocument, TieRule
from tests.conftest import text_of
from tests.factories import PASSWORD, CriterionFactory, NetworkFactory, coordinator_of


@pytest.fixture
def network(app):
    return NetworkFactory(slug="uddevalla", name="Integrationsnätverket i Uddevalla")


@pytest.fixture
def signed_in(client, network):
    client.login(coordinator_of(network).email, PASSWORD)
    return client


def settings(**overrides):
    data = {
        "name": "Integrationsnätverket i Uddevalla",
        "municipality": "Uddevalla",
        "project_name": "Tillsammans för inkludering",
        "about": "Vi träffas sex gånger.",
        "contact_email": "integration@uddevalla.example.se",
        "public": "y",
        "quorum_min_orgs": "5",
        "tie_rule": "chair_decides",
        "invite_lead_days": "21",
        "max_grant": "25 000",
        "report_due_days": "60",
    }
    data.update(overrides)
    return data


def post_settings(client, **overrides):
    return client.submit(
        "/n/uddevalla/admin/settings", settings(**overrides), page="/n/uddevalla/admin/settings"
    )


def test_settings_are_saved_and_audited(signed_in, network):
    assert post_settings(signed_in).status_code == 302
    db.session.refresh(network)
    assert network.max_grant_ore == 2_500_000
    assert network.quorum_min_orgs == 5
    assert network.tie_rule == TieRule.CHAIR_DECIDES
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "network.settings_changed")
    )
    assert event.payload["max_grant_ore"] == 2_500_000
    assert event.payload["contact_email"] == "changed"


def test_the_settings_form_shows_the_amount_the_swedish_way(signed_in, network):
    post_settings(signed_in, max_grant="12 500,50")
    html = signed_in.get("/n/uddevalla/admin/settings").get_data(as_text=True)
    assert 'value="12500,50"' in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("max_grant", "12,555", "två decimaler"),
        ("max_grant", "=1+1", "kunde inte läsas"),
        ("invite_lead_days", "-1", "mellan 0 och 120"),
        ("invite_lead_days", "", "Skriv ett heltal"),
        ("quorum_min_orgs", "0", "mellan 1 och 500"),
        ("name", "", "Fyll i fältet"),
        ("contact_email", "inte en adress", "e-postadress"),
    ],
)
def test_bad_settings_are_refused_and_nothing_changes(signed_in, network, field, value, message):
    response = post_settings(signed_in, **{field: value})
    assert response.status_code == 400
    assert message in text_of(response)
    db.session.refresh(network)
    assert network.max_grant_ore is None and network.quorum_min_orgs is None


def test_an_empty_maximum_means_no_ceiling(signed_in, network):
    post_settings(signed_in, max_grant="")
    db.session.refresh(network)
    assert network.max_grant_ore is None


def test_criteria_are_the_networks_own_data(signed_in, network):
    page = "/n/uddevalla/admin/criteria"
    signed_in.submit(page, {"text": "Insatsen når kvinnor som är nya i Sverige."}, page=page)
    criterion = db.session.scalar(sa.select(Criterion))
    assert criterion.text == "Insatsen når kvinnor som är nya i Sverige."
    assert criterion.text in text_of(signed_in.get("/n/uddevalla/"))
    edit = f"/n/uddevalla/admin/criteria/{criterion.id}"
    signed_in.submit(edit, {"text": criterion.text}, page=edit)  # "active" unticked
    db.session.refresh(criterion)
    assert criterion.active is False
    assert criterion.text not in text_of(signed_in.get("/n/uddevalla/"))


def test_criteria_are_reordered(signed_in, network):
    first = CriterionFactory(network=network, text="Första", position=1)
    CriterionFactory(network=network, text="Andra", position=2)
    signed_in.submit(f"/n/uddevalla/admin/criteria/{first.id}/move", {"direction": "down"})
    page = text_of(signed_in.get("/n/uddevalla/"))
    assert page.index("Andra") < page.index("Första")


def test_an_empty_criterion_is_refused(signed_in, network):
    page = "/n/uddevalla/admin/criteria"
    response = signed_in.submit(page, {"text": "   "}, page=page)
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(Criterion.id))) == 0


def draft(client, body, title="Regler"):
    page = "/n/uddevalla/admin/rules"
    return client.submit(page, {"title": title, "body": body, "change_note": ""}, page=page)


def test_rules_are_versioned_and_only_the_published_one_is_public(signed_in, network, client):
    draft(signed_in, "## Version ett\n\nBeslut tas med majoritet.")
    first = db.session.scalar(sa.select(RulesDocument))
    assert "Version ett" not in text_of(signed_in.get("/n/uddevalla/rules"))
    signed_in.submit(f"/n/uddevalla/admin/rules/{first.id}/publish")
    assert "Beslut tas med majoritet." in text_of(signed_in.get("/n/uddevalla/rules"))
    draft(signed_in, "## Version två\n\nNy regel.")
    assert "Version två" not in text_of(signed_in.get("/n/uddevalla/rules"))
    second = db.session.scalar(sa.select(RulesDocument).where(RulesDocument.version == 2))
    signed_in.submit(f"/n/uddevalla/admin/rules/{second.id}/publish")
    assert "Ny regel." in text_of(signed_in.get("/n/uddevalla/rules"))
    older = text_of(signed_in.get("/n/uddevalla/rules?version=1"))
    assert "Beslut tas med majoritet." in older and "äldre version" in older
    assert signed_in.get("/n/uddevalla/rules?version=9").status_code == 404


def test_an_older_draft_cannot_replace_newer_published_rules(signed_in, network):
    draft(signed_in, "Ett")
    draft(signed_in, "Två")
    older, newer = db.session.scalars(sa.select(RulesDocument).order_by(RulesDocument.version))
    signed_in.submit(f"/n/uddevalla/admin/rules/{newer.id}/publish")
    signed_in.submit(f"/n/uddevalla/admin/rules/{older.id}/publish")
    db.session.refresh(older)
    assert older.published_at is None


def test_rules_markdown_is_sanitised(signed_in, network, inputs):
    body = (
        "Text med "
        + inputs["text"]["script"]
        + "\n\n"
        + inputs["text"]["html_markup"]
        + "\n\n[klicka](javascript:alert(1))"
    )
    draft(signed_in, body)
    document = db.session.scalar(sa.select(RulesDocument))
    signed_in.submit(f"/n/uddevalla/admin/rules/{document.id}/publish")
    html = signed_in.get("/n/uddevalla/rules").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert '<a href="javascript:' not in html
    assert "<b>fet</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text


def test_every_admin_action_is_in_the_audit_chain(signed_in, network):
    from grants.core.audit import chain_for, verify_chain

    post_settings(signed_in)
    signed_in.submit("/n/uddevalla/admin/criteria", {"text": "Nytt"})
    draft(signed_in, "Regler")
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"network.settings_changed", "criterion.added", "rules.drafted"} <= actions
    assert verify_chain(chain_for(network)).ok
