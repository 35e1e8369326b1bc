"""The auditor reads everything and changes nothing: every POST route of the network
answers 403 for the auditor, and nothing of another network is reachable (404)."""

import sqlalchemy as sa
from flask import url_for

from grants.core.audit import AuditEvent
from grants.core.time import local_today
from grants.extensions import db
from grants.funds import expenses
from grants.funds.models import BudgetLineKind, Payout
from grants.meetings.models import AgendaItem
from tests.audit.conftest import PDF, Upload
from tests.conftest import text_of
from tests.factories import PASSWORD, NetworkFactory

# Public forms anyone may send, signed in or not: not the auditor's office. (A contact's
# confirmation link: the token decides, and a made-up one is refused with 400.)
OPEN_TO_ANYONE = {"members.join", "members.confirm_contact"}


def _values(traced, coordinator) -> dict[str, int]:
    """A real id of this network for each kind of URL parameter, so that the role check,
    not a missing row, decides the answer."""
    proposal = traced.proposal
    item = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.proposal_id == proposal.id))
    payout = db.session.scalar(sa.select(Payout).where(Payout.grant_id == traced.id))
    report = traced.report
    expense = expenses.register_expense(
        traced.network,
        line_kind=BudgetLineKind.MEETINGS,
        spent_on=local_today(),
        amount_ore=40_000,
        payee="Kafé",
        payee_organisation=None,
        note="",
        receipt=Upload(PDF, "kvitto.pdf"),
        actor=coordinator,
    )
    db.session.commit()
    return {
        "expense_id": expense.id,
        "grant_id": traced.id,
        "payout_id": payout.id,
        "proposal_id": proposal.id,
        "meeting_id": item.meeting_id,
        "item_id": item.id,
        "period_id": traced.period_id,
        "organisation_id": proposal.applicant_id,
        "attachment_id": report.attachments[0].id,
        "version": 1,
    }


def _post_routes(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and rule.rule.startswith("/n/<slug>"):
            yield rule


def test_every_post_route_answers_403_for_the_auditor(app, traced, auditor, coordinator):
    values = _values(traced, coordinator)
    client = app.test_client()
    client.login(auditor.email, PASSWORD)
    token = client.csrf_token("/n/uddevalla/audit/")
    events_before = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
    answers, checked = {}, 0
    for rule in _post_routes(app):
        if rule.endpoint in OPEN_TO_ANYONE:
            continue
        params = {"slug": "uddevalla"}
        for name in rule.arguments - {"slug"}:
            # Any id not listed (a criterion, a join request, a user) takes the grant's:
            # the role check comes before the row is looked up.
            params[name] = values.get(name, traced.id)
        with app.test_request_context():
            url = url_for(rule.endpoint, **params)
        answers[rule.endpoint] = client.post(url, data={"csrf_token": token}).status_code
        checked += 1
    assert checked > 40
    allowed = {endpoint: code for endpoint, code in answers.items() if code != 403}
    assert allowed == {}, allowed
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == events_before


def test_the_auditor_sees_nothing_of_another_network(app, traced, auditor):
    other = NetworkFactory(slug="trollhattan", public=False)
    db.session.commit()
    client = app.test_client()
    client.login(auditor.email, PASSWORD)
    for page in ("/n/trollhattan/audit/", "/n/trollhattan/funds/", "/n/trollhattan/audit/verify"):
        assert client.get(page).status_code == 404, page
    assert other.id  # the network exists; the auditor simply has no role there


def test_the_overview_lists_overdue_reports_and_payments_without_attestation(
    app, network, members, coordinator, auditor, period
):
    from datetime import timedelta

    from grants.funds import payouts
    from tests.factories import GrantFactory, ProposalFactory

    late = GrantFactory(
        proposal=ProposalFactory(
            network=network, period=period, applicant=members[3], title="Läxhjälp"
        ),
        amount_ore=800_000,
    )
    late.report_due_on = local_today() - timedelta(days=12)
    waiting = GrantFactory(
        proposal=ProposalFactory(
            network=network, period=period, applicant=members[4], title="Sommarläger"
        ),
        amount_ore=2_000_000,
    )
    payouts.register_payout(
        waiting, amount_ore=1_000_000, planned_on=local_today(), note="", actor=coordinator
    )
    network.attestation_required = False
    unattested = payouts.register_payout(
        waiting, amount_ore=500_000, planned_on=local_today(), note="", actor=coordinator
    )
    payouts.mark_paid(unattested, paid_on=local_today(), accounting_ref="V-9", actor=coordinator)
    db.session.commit()
    client = app.test_client()
    client.login(auditor.email, PASSWORD)
    shown = text_of(client.get("/n/uddevalla/audit/")).replace("\u00a0", " ")
    assert f"Läxhjälp {members[3].name}" in shown and " 12 " in shown  # twelve days late
    assert f"{members[4].name} : 10 000 kr – väntar på attest sedan" in shown
    assert f"{members[4].name} : 5 000 kr – betald {local_today().isoformat()} utan attest" in shown
    assert "Sommarläger" not in shown.split("Försenade redovisningar")[1].split("Utbetalningar")[0]


def test_the_overview_lists_the_periods_grants_each_leading_to_its_trace(
    app, network, members, auditor, period
):
    from tests.factories import GrantFactory, ProposalFactory

    grant = GrantFactory(
        proposal=ProposalFactory(
            network=network, period=period, applicant=members[2], title="Sommarläger"
        ),
        amount_ore=1_250_000,
    )
    db.session.commit()
    client = app.test_client()
    client.login(auditor.email, PASSWORD)
    response = client.get("/n/uddevalla/audit/")
    shown = text_of(response).replace("\u00a0", " ")
    assert f"{grant.proposal.reference} Sommarläger {members[2].name} 12 500 kr" in shown
    trace = f'href="/n/uddevalla/audit/trace/{grant.id}"'
    assert trace in response.get_data(as_text=True)
    assert client.get(f"/n/uddevalla/audit/trace/{grant.id}").status_code == 200
