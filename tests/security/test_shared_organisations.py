"""An organisation in two networks: neither network can redirect the other's money or mail.

Network A (uddevalla) pays organisation S; S is also a member of network B
(trollhattan). Before, S's payout details and contact were one row that B's
coordinator could change for A too, with the event only in B's chain.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from grants.core.audit import AuditEvent
from grants.core.outbox import OutboxMail
from grants.core.time import local_today
from grants.extensions import db
from grants.funds import payouts
from grants.funds.models import Payout, PayoutStatus
from grants.members.models import Organisation
from grants.members.operations import membership_of
from tests.conftest import text_of
from tests.factories import (
    PASSWORD,
    FundingPeriodFactory,
    GrantFactory,
    MembershipFactory,
    NetworkFactory,
    ProposalFactory,
    RoleFactory,
    attestant_of,
    coordinator_of,
    representative_of,
)

A_BANKGIRO = "5050-1055"
NEW_BANKGIRO = "5402-0094"  # a valid bankgiro of someone else's


@pytest.fixture
def shared(app):
    a = NetworkFactory(slug="uddevalla")
    b = NetworkFactory(slug="trollhattan")
    organisation = MembershipFactory(network=a, payout_number=A_BANKGIRO).organisation
    MembershipFactory(network=b, organisation=organisation, payout_number="5050-1030")
    people = {
        "coordinator_a": coordinator_of(a, name="Anna Samordnare"),
        "attestant_a": attestant_of(a, name="Tove Attest"),
        "coordinator_b": coordinator_of(b, name="Bo Samordnare"),
        "rep_a": representative_of(a, organisation, name="Rami Rep"),
        "rep_b": representative_of(b, organisation, name="Berit Rep"),
    }
    grant = GrantFactory(
        proposal=ProposalFactory(
            network=a, period=FundingPeriodFactory(network=a), applicant=organisation
        )
    )
    payout = payouts.register_payout(
        grant, amount_ore=500_000, planned_on=local_today(), note="", actor=people["coordinator_a"]
    )
    payouts.attest_payout(payout, actor=people["attestant_a"])
    db.session.commit()
    return {"a": a, "b": b, "organisation": organisation, "grant": grant, "payout": payout} | people


def chain_length(network) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.network_id == network.id)
    )


def client_of(app, person):
    client = app.test_client()
    client.login(person.email, PASSWORD)
    return client


def edit_in_b(app, shared, **changes):
    """B's coordinator saves the shared organisation's admin form with ``changes``."""
    organisation = shared["organisation"]
    client = client_of(app, shared["coordinator_b"])
    membership = membership_of(shared["b"], organisation)
    page = f"/n/trollhattan/admin/organisations/{membership.id}"
    form = {
        "name": organisation.name,
        "orgnr": organisation.orgnr,
        "kind": "association",
        "contact_name": organisation.contact_name,
        "contact_email": organisation.contact_email,
        "wants_invitations": "y",
    }
    return client, client.submit(page, form | changes, page=page)


def set_bankgiro(client, slug, organisation, number):
    page = f"/n/{slug}/organisations/{organisation.id}"
    return client.submit(page + "/payout", {"method": "bankgiro", "number": number}, page=page)


@pytest.mark.parametrize("who", ["coordinator_b", "rep_b"])
def test_network_b_changes_only_what_b_pays(app, shared, who):
    a, b, organisation = shared["a"], shared["b"], shared["organisation"]
    a_events = chain_length(a)
    response = set_bankgiro(client_of(app, shared[who]), "trollhattan", organisation, NEW_BANKGIRO)
    assert response.status_code == 302
    db.session.expire_all()
    # B's own record changed, in B's chain ...
    assert membership_of(b, organisation).payout_details.number == NEW_BANKGIRO
    assert db.session.scalar(
        sa.select(AuditEvent.id).where(
            AuditEvent.network_id == b.id,
            AuditEvent.action == "organisation.payout_details_changed",
        )
    )
    # ... and A's account, A's attested payout and A's chain are as they were.
    assert membership_of(a, organisation).payout_details.number == A_BANKGIRO
    payout = db.session.get(Payout, shared["payout"].id)
    assert payout.status == PayoutStatus.ATTESTED
    assert payout.destination.number == A_BANKGIRO
    assert chain_length(a) == a_events
    shown = text_of(
        client_of(app, shared["coordinator_a"]).get(f"/n/uddevalla/grants/{payout.grant_id}")
    )
    assert A_BANKGIRO in shown and NEW_BANKGIRO not in shown


def test_b_cannot_redirect_the_mail_a_sends_without_the_old_address(app, shared):
    """The contact address is shared: B asks, the old address confirms, then it changes."""
    a, organisation = shared["a"], shared["organisation"]
    old_address = organisation.contact_email
    client, response = edit_in_b(
        app, shared, contact_name="Mallory", contact_email="mallory@attacker.example"
    )
    assert response.status_code == 302
    assert "bekräftat ändringen" in text_of(client.get(response.location))
    db.session.expire_all()
    assert db.session.get(Organisation, organisation.id).contact_email == old_address
    confirm = db.session.scalar(
        sa.select(OutboxMail).where(OutboxMail.kind == "contact_change_confirm")
    )
    assert confirm.to_address == old_address
    assert "mallory@attacker.example" in confirm.body_text
    link = next(word for word in confirm.body_text.split() if "/contact-change/" in word)
    path = link.split("://", 1)[1].split("/", 1)[1]

    # A forged or altered link changes nothing.
    assert app.test_client().get("/" + path[:-3] + "xyz").status_code == 400

    # The old contact confirms (no account needed): now the change holds in every network,
    # in each network's chain, and A's coordinators are told.
    a_events = chain_length(a)
    contact_client = app.test_client()
    response = contact_client.submit("/" + path, {}, page="/" + path)
    assert response.status_code == 200
    assert "går nu till den nya kontaktpersonen" in text_of(response)
    db.session.expire_all()
    assert db.session.get(Organisation, organisation.id).contact_email == "mallory@attacker.example"
    assert db.session.scalar(
        sa.select(AuditEvent.data).where(
            AuditEvent.network_id == a.id, AuditEvent.action == "organisation.contact_changed"
        )
    )
    assert chain_length(a) == a_events + 1
    told = db.session.scalars(
        sa.select(OutboxMail.to_address).where(OutboxMail.kind == "contact_changed_staff")
    ).all()
    assert told == [shared["coordinator_a"].email]
    # The link works once.
    assert contact_client.get("/" + path).status_code == 400


def test_a_name_change_from_b_is_in_both_chains(app, shared):
    a, b = shared["a"], shared["b"]
    a_events, b_events = chain_length(a), chain_length(b)
    edit_in_b(app, shared, name="Nytt namn")
    assert (chain_length(a), chain_length(b)) == (a_events + 1, b_events + 1)
    event = db.session.scalar(
        sa.select(AuditEvent).where(
            AuditEvent.network_id == a.id, AuditEvent.action == "organisation.changed"
        )
    )
    assert f'"from_network_id":{b.id}' in event.data


def test_a_contact_only_in_one_network_changes_at_once_and_the_old_address_is_told(app):
    network = NetworkFactory(slug="uddevalla")
    membership = MembershipFactory(network=network)
    old = membership.organisation.contact_email
    client = client_of(app, coordinator_of(network))
    db.session.commit()
    page = f"/n/uddevalla/admin/organisations/{membership.id}"
    response = client.submit(
        page,
        {
            "name": membership.organisation.name,
            "orgnr": membership.organisation.orgnr,
            "kind": "association",
            "contact_name": "Ny Kontakt",
            "contact_email": "ny@example.se",
        },
        page=page,
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Organisation, membership.organisation_id).contact_email == "ny@example.se"
    announced = db.session.scalar(sa.select(OutboxMail).where(OutboxMail.kind == "contact_changed"))
    assert announced.to_address == old and "ny@example.se" in announced.body_text


def test_an_attested_payout_keeps_paying_the_attested_account(app, shared):
    """The payee's own representative changes the account after attestation: the payout
    still goes to the attested account, and the change is plain and mailed."""
    organisation, payout = shared["organisation"], shared["payout"]
    response = set_bankgiro(
        client_of(app, shared["rep_a"]), "uddevalla", organisation, NEW_BANKGIRO
    )
    assert response.status_code == 302
    db.session.expire_all()
    payout = db.session.get(Payout, payout.id)
    assert payout.status == PayoutStatus.ATTESTED
    assert payout.destination.number == A_BANKGIRO

    coordinator = client_of(app, shared["coordinator_a"])
    grant_page = text_of(coordinator.get(f"/n/uddevalla/grants/{payout.grant_id}"))
    assert A_BANKGIRO in grant_page
    assert "nya utbetalningsuppgifter sedan utbetalningen registrerades" in grant_page
    assert "Betalas till: " + organisation.name + " Bankgiro " + NEW_BANKGIRO in grant_page
    trace = text_of(coordinator.get(f"/n/uddevalla/audit/trace/{payout.grant_id}"))
    assert f"Bankgiro {A_BANKGIRO}" in trace
    assert "går till kontot den registrerades med" in trace

    mails = db.session.scalars(
        sa.select(OutboxMail).where(OutboxMail.kind.like("payout_details_changed%"))
    ).all()
    assert {m.to_address for m in mails} == {
        organisation.contact_email,
        shared["coordinator_a"].email,
    }
    for mail in mails:
        assert "Rami Rep" in mail.body_text
        assert "går fortfarande till det tidigare kontot" in mail.body_text
        assert "••••1055" in mail.body_text  # the old account's last digits, masked

    # Paying it pays the attested account; the export says so.
    coordinator.submit(
        f"/n/uddevalla/grants/{payout.grant_id}/payouts/{payout.id}/paid",
        {
            f"paid{payout.id}-paid_on": local_today().isoformat(),
            f"paid{payout.id}-accounting_ref": "V1",
        },
        page=f"/n/uddevalla/grants/{payout.grant_id}",
    )
    db.session.expire_all()
    assert db.session.get(Payout, payout.id).status == PayoutStatus.PAID
    auditor = coordinator.get("/n/uddevalla/audit/export/payouts.csv").get_data(as_text=True)
    assert A_BANKGIRO in auditor and NEW_BANKGIRO not in auditor


def test_a_new_payout_goes_to_the_new_account(app, shared):
    organisation, grant = shared["organisation"], shared["grant"]
    set_bankgiro(client_of(app, shared["rep_a"]), "uddevalla", organisation, NEW_BANKGIRO)
    db.session.expire_all()
    payout = payouts.register_payout(
        grant, amount_ore=1_000, planned_on=local_today(), note="", actor=shared["coordinator_a"]
    )
    assert payout.destination.number == NEW_BANKGIRO
    assert payout.payee_name == organisation.name


def test_no_payout_without_an_account(app, shared):
    a = shared["a"]
    grant = GrantFactory(
        proposal=ProposalFactory(
            network=a,
            period=shared["grant"].period,
            applicant=MembershipFactory(
                network=a, payout_method=None, payout_number=None
            ).organisation,
        )
    )
    db.session.commit()
    page = f"/n/uddevalla/grants/{grant.id}"
    coordinator = client_of(app, shared["coordinator_a"])
    assert "har inga utbetalningsuppgifter i nätverket" in text_of(coordinator.get(page))
    response = coordinator.submit(
        page + "/payouts", {"amount": "1 000", "planned_on": local_today().isoformat()}, page=page
    )
    assert response.status_code == 400
    assert "har inga utbetalningsuppgifter" in text_of(response)
    assert (
        db.session.scalar(sa.select(sa.func.count(Payout.id)).where(Payout.grant_id == grant.id))
        == 0
    )


def test_a_coordinator_who_is_also_attestant_cannot_attest_their_own_payout(app, shared):
    a, grant = shared["a"], shared["grant"]
    both = shared["coordinator_a"]
    RoleFactory(network=a, role="attestant", user=both)
    db.session.commit()
    page = f"/n/uddevalla/grants/{grant.id}"
    client = client_of(app, both)
    client.submit(
        page + "/payouts", {"amount": "1 000", "planned_on": local_today().isoformat()}, page=page
    )
    payout = db.session.scalar(
        sa.select(Payout).where(Payout.grant_id == grant.id, Payout.status == "registered")
    )
    assert payout.registered_by_id == both.id
    response = client.submit(f"{page}/payouts/{payout.id}/attest", page=page)
    assert "kan inte attestera den själv" in text_of(client.get(page))
    db.session.expire_all()
    assert db.session.get(Payout, payout.id).status == PayoutStatus.REGISTERED
    assert response.status_code in (302, 400)


def test_a_shared_organisation_without_an_address_waits_for_another_networks_coordinator(
    app, shared
):
    """Emptying the address first (an erasure, say) is no way round the confirmation."""
    organisation = shared["organisation"]
    organisation.contact_email = ""
    db.session.commit()
    edit_in_b(app, shared, contact_name="Mallory", contact_email="mallory@attacker.example")
    db.session.expire_all()
    assert db.session.get(Organisation, organisation.id).contact_email == ""
    asked = db.session.scalars(
        sa.select(OutboxMail.to_address).where(OutboxMail.kind == "contact_change_confirm")
    ).all()
    assert asked == [shared["coordinator_a"].email]
