"""Every route × every role, with who may use it written down in one table.

The roles: A anonymous, X a representative of organisation X (the grantee, the
applicant), Y a representative of organisation Y in the same network, C the
coordinator, T an attestant, U the auditor, O the coordinator of another network.

For a role NOT listed, the route must refuse: 403, or 404 behind the tenant
wall (O), or the sign-in page (A). For a role listed, it must not refuse. Nobody
ever gets a 5xx. A route of the app that has no row here fails the suite, so a
new route cannot ship without someone deciding who may use it.
"""

from __future__ import annotations

from flask import url_for

from tests.factories import (
    PASSWORD,
)

ANYONE = "AXYCTUO"
MEMBERS = "XYCTU"  # anyone with a role in the network
STAFF = "CU"  # the coordinator and the auditor
MONEY = "CTU"  # who sees the pot: coordinator, attestant, auditor
GRANTEE = "XCTU"  # the grant's own organisation and those who see every grant
REPRESENTATIVES = "XYC"
OWNER = "XC"  # X's own organisation or proposal, and the coordinator
ONLY_C = "C"
NOBODY = ""  # only a role none of these has (the meeting's adjusters)
TOKEN = None  # links with a token in them: the token decides, not the role

# (endpoint, method): who may use it.
MATRIX: dict[tuple[str, str], str | None] = {
    ("site.index", "GET"): ANYONE,
    ("site.healthz", "GET"): ANYONE,
    ("site.readyz", "GET"): ANYONE,
    ("site.privacy", "GET"): ANYONE,
    ("site.accessibility", "GET"): ANYONE,
    ("site.change_language", "POST"): ANYONE,
    ("static", "GET"): ANYONE,
    ("auth.login", "GET"): ANYONE,
    ("auth.login", "POST"): ANYONE,
    ("auth.logout", "POST"): ANYONE,
    ("auth.request_reset", "GET"): ANYONE,
    ("auth.request_reset", "POST"): ANYONE,
    ("auth.reset_password", "GET"): TOKEN,
    ("auth.reset_password", "POST"): TOKEN,
    ("auth.accept_invitation", "GET"): TOKEN,
    ("auth.accept_invitation", "POST"): TOKEN,
    ("auth.account", "GET"): "XYCTUO",
    ("auth.account", "POST"): "XYCTUO",
    ("auth.my_data", "GET"): "XYCTUO",  # what the app holds about the person signed in
    ("auth.my_data_json", "GET"): "XYCTUO",
    # The network's public face (the network is public).
    ("networks.home", "GET"): ANYONE,
    ("networks.rules", "GET"): ANYONE,
    ("networks.calendar", "GET"): ANYONE,
    ("networks.funded", "GET"): ANYONE,
    ("members.join", "GET"): ANYONE,
    ("members.join", "POST"): ANYONE,
    ("meeting_minutes.public", "GET"): ANYONE,
    # Administration: the coordinator only.
    ("network_admin.dashboard", "GET"): ONLY_C,
    ("network_admin.criteria", "GET"): ONLY_C,
    ("network_admin.criteria", "POST"): ONLY_C,
    ("network_admin.edit_criterion", "GET"): ONLY_C,
    ("network_admin.edit_criterion", "POST"): ONLY_C,
    ("network_admin.move_criterion", "POST"): ONLY_C,
    ("network_admin.rules_admin", "GET"): ONLY_C,
    ("network_admin.rules_admin", "POST"): ONLY_C,
    ("network_admin.rules_version", "GET"): ONLY_C,
    ("network_admin.publish_rules", "POST"): ONLY_C,
    ("network_admin.settings", "GET"): ONLY_C,
    ("network_admin.settings", "POST"): ONLY_C,
    ("members_admin.join_requests", "GET"): ONLY_C,
    ("members_admin.join_request", "GET"): ONLY_C,
    ("members_admin.join_request", "POST"): ONLY_C,
    ("members_admin.organisations", "GET"): ONLY_C,
    ("members_admin.organisation", "GET"): ONLY_C,
    ("members_admin.organisation", "POST"): ONLY_C,
    ("members_admin.end_membership", "POST"): ONLY_C,
    ("members_admin.resume_membership", "POST"): ONLY_C,
    ("members_admin.add_member", "GET"): ONLY_C,
    ("members_admin.add_member", "POST"): ONLY_C,
    ("members_admin.people", "GET"): ONLY_C,
    ("members_admin.people", "POST"): ONLY_C,
    ("members_admin.revoke_role", "POST"): ONLY_C,
    ("members_admin.erase_person", "GET"): ONLY_C,
    ("members_admin.erase_person", "POST"): ONLY_C,
    # Organisations.
    ("members.organisation_page", "GET"): MEMBERS,
    ("members.payout_details", "POST"): OWNER,  # the coordinator may help; mailed anyway
    # The organisation's current contact confirms a new one from a mailed link.
    ("meeting_session.move_to_today", "POST"): ONLY_C,
    ("members.confirm_contact", "GET"): TOKEN,
    ("members.confirm_contact", "POST"): TOKEN,
    # Proposals: members read them all (they are decided together); the applicant edits.
    ("proposals.index", "GET"): MEMBERS,
    ("proposals.show", "GET"): MEMBERS,
    ("proposals.version", "GET"): MEMBERS,
    ("proposals.new", "GET"): REPRESENTATIVES,
    ("proposals.new", "POST"): REPRESENTATIVES,
    ("proposals.edit", "GET"): OWNER,
    ("proposals.edit", "POST"): OWNER,
    ("proposals.withdraw", "POST"): OWNER,
    ("proposals.move", "POST"): ONLY_C,
    # Meetings.
    ("meetings.index", "GET"): MEMBERS,
    ("meetings.show", "GET"): MEMBERS,
    ("meetings.new", "GET"): ONLY_C,
    ("meetings.new", "POST"): ONLY_C,
    ("meetings.edit", "GET"): ONLY_C,
    ("meetings.edit", "POST"): ONLY_C,
    ("meetings.invite", "POST"): ONLY_C,
    ("meetings.cancel", "POST"): ONLY_C,
    ("agenda.add", "POST"): ONLY_C,
    ("agenda.move", "POST"): ONLY_C,
    ("agenda.remove", "POST"): ONLY_C,
    ("agenda.late", "POST"): ONLY_C,
    ("meeting_session.screen", "GET"): ONLY_C,
    ("meeting_session.state", "GET"): MEMBERS,  # the phones poll it for open votes
    ("meeting_session.open_session", "POST"): ONLY_C,
    ("meeting_session.attendance", "POST"): ONLY_C,
    ("meeting_session.recusal", "POST"): ONLY_C,
    ("meeting_session.open_vote", "POST"): ONLY_C,
    ("meeting_session.close_vote", "POST"): ONLY_C,
    ("meeting_session.correct_decision", "POST"): ONLY_C,
    ("meeting_session.withdraw_recusal", "POST"): ONLY_C,
    ("meeting_session.enter_votes", "POST"): ONLY_C,
    ("meeting_session.decide", "POST"): ONLY_C,
    ("meeting_session.officers", "POST"): ONLY_C,
    ("meeting_session.next_meeting", "POST"): ONLY_C,
    ("meeting_session.close", "POST"): ONLY_C,
    ("meeting_session.vote", "GET"): MEMBERS,
    ("meeting_session.vote", "POST"): "XY",
    ("meeting_minutes.show", "GET"): MEMBERS,
    ("meeting_minutes.pdf", "GET"): MEMBERS,
    ("meeting_minutes.write", "POST"): ONLY_C,
    ("meeting_minutes.paper", "POST"): ONLY_C,
    ("meeting_minutes.approve", "POST"): NOBODY,
    # Money.
    ("funds.index", "GET"): MONEY,
    ("funds.new_period", "GET"): ONLY_C,
    ("funds.new_period", "POST"): ONLY_C,
    ("funds.edit_period", "GET"): ONLY_C,
    ("funds.edit_period", "POST"): ONLY_C,
    ("grants.show", "GET"): GRANTEE,
    ("grants.register_payout", "POST"): ONLY_C,
    ("grants.attest", "POST"): "T",
    ("grants.mark_paid", "POST"): ONLY_C,
    ("grants.cancel_payout", "POST"): ONLY_C,
    ("grants.register_refund", "POST"): ONLY_C,
    ("grants.withdraw", "POST"): ONLY_C,
    ("grant_reports.submit", "POST"): OWNER,
    ("grant_reports.review", "POST"): ONLY_C,
    ("grant_reports.attachment", "GET"): GRANTEE,
    ("expenses.index", "GET"): MONEY,
    ("expenses.register", "POST"): ONLY_C,
    ("expenses.show", "GET"): MONEY,
    ("expenses.attest", "POST"): "T",
    ("expenses.mark_paid", "POST"): ONLY_C,
    ("expenses.cancel", "POST"): ONLY_C,
    ("expenses.receipt", "GET"): MONEY,
    # Audit: read only, for the coordinator and the auditor.
    ("audit.index", "GET"): STAFF,
    ("audit.verify", "GET"): STAFF,
    ("audit.trace", "GET"): STAFF,
    ("audit_log.index", "GET"): STAFF,
    ("exports.index", "GET"): STAFF,
    ("exports.csv", "GET"): STAFF,
    ("exports.xlsx", "GET"): STAFF,
    ("open_data.funded_csv", "GET"): ANYONE,  # open data: no person in it
    # The progress report to the municipality: the coordinator and the auditor.
    ("progress.index", "GET"): STAFF,
    ("progress.show", "GET"): STAFF,
    ("progress.pdf", "GET"): STAFF,
    ("progress.xlsx", "GET"): STAFF,
}

# Denied roles first and the coordinator last: the coordinator's one-button actions
# change the meeting, and every other answer should be about the same state.
ROLE_ORDER = "AOYXUTC"


def _refused(role: str, response) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    return role == "A" and response.status_code == 302 and "/auth/login" in response.location


def test_every_route_has_a_row_in_the_matrix(app):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert sorted(routes - MATRIX.keys()) == [], "decide who may use these routes"
    assert sorted(MATRIX.keys() - routes) == [], "rows for routes that no longer exist"


def test_every_route_answers_every_role_as_the_matrix_says(app, world):
    people, ids, overrides = world
    clients = {}
    for role in ROLE_ORDER:
        client = app.test_client()
        if role != "A":
            client.login(people[role].email, PASSWORD)
        clients[role] = (client, client.csrf_token("/n/uddevalla/rules"))
    rules = sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule)
    wrong = []
    for role in ROLE_ORDER:
        client, token = clients[role]
        for rule in rules:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                allowed = MATRIX[(rule.endpoint, method)]
                if rule.endpoint == "auth.logout":
                    continue  # would end this role's session for the rest of the walk
                with app.test_request_context():
                    values = {**ids, **overrides.get(rule.endpoint, {})}
                    url = url_for(rule.endpoint, **{k: values[k] for k in rule.arguments})
                if method == "GET":
                    response = client.get(url)
                else:
                    response = client.post(url, data={"csrf_token": token})
                if response.status_code >= 500:
                    wrong.append((role, method, url, response.status_code, "server error"))
                elif allowed is None:
                    continue
                elif _refused(role, response) == (role in allowed):
                    expected = "allowed" if role in allowed else "refused"
                    wrong.append((role, method, url, response.status_code, f"should be {expected}"))
    assert wrong == [], "\n".join(map(str, wrong))


# Ids in a network's own address that belong to another network. O (trollhattan's
# coordinator) asks for them under /n/trollhattan/: each must be a 404 there, except
# what both networks share, the organisation X, which is also a member of trollhattan.
SHARED_ARGUMENTS = {"organisation_id"}
NOT_IDS = {"slug", "token", "filename", "version", "name"}


def test_another_networks_ids_under_ones_own_address_are_404(app, world):
    """The cross-network cases: the tenant wall holds inside one's own network too, and
    what O may do to the shared organisation changes only trollhattan's records."""
    import sqlalchemy as sa

    from grants.core.audit import AuditEvent
    from grants.extensions import db
    from grants.members.models import Membership
    from grants.networks.models import Network

    people, ids, overrides = world
    uddevalla = db.session.scalar(sa.select(Network).where(Network.slug == "uddevalla"))
    trollhattan = db.session.scalar(sa.select(Network).where(Network.slug == "trollhattan"))
    db.session.add(Membership(network=trollhattan, organisation_id=ids["organisation_id"]))
    db.session.commit()
    chain_before = db.session.scalar(
        sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.network_id == uddevalla.id)
    )
    ours = db.session.scalar(
        sa.select(Membership).where(
            Membership.network_id == uddevalla.id,
            Membership.organisation_id == ids["organisation_id"],
        )
    )
    account_before = ours.payout_details
    client = app.test_client()
    client.login(people["O"].email, PASSWORD)
    token = client.csrf_token("/n/trollhattan/rules")
    wrong = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        arguments = set(rule.arguments) - NOT_IDS
        if "slug" not in rule.arguments or not arguments or rule.endpoint == "auth.logout":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            with app.test_request_context():
                values = {**ids, **overrides.get(rule.endpoint, {}), "slug": "trollhattan"}
                url = url_for(rule.endpoint, **{k: values[k] for k in rule.arguments})
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data={"csrf_token": token})
            shared_only = arguments <= SHARED_ARGUMENTS
            if response.status_code >= 500 or (not shared_only and response.status_code != 404):
                wrong.append((method, url, response.status_code))
    assert wrong == [], "\n".join(map(str, wrong))
    db.session.expire_all()
    assert db.session.get(Membership, ours.id).payout_details == account_before
    assert (
        db.session.scalar(
            sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.network_id == uddevalla.id)
        )
        == chain_before
    )
