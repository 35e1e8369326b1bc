"""The grant page: who sees it, and every money form with its refusals."""

import pytest
import sqlalchemy as sa

from grants.core.time import local_today
from grants.extensions import db
from grants.funds.models import Payout, PayoutStatus, Refund
from tests.conftest import QueryCounter, text_of
from tests.factories import (
    PASSWORD,
    GrantFactory,
    MembershipFactory,
    NetworkFactory,
    ProposalFactory,
    RoleFactory,
    representative_of,
)

TODAY = local_today().isoformat()


@pytest.fixture
def page(grant_setup):
    return f"/n/uddevalla/grants/{grant_setup['grant'].id}"


def signed_in(app, user):
    client = app.test_client()
    client.login(user.email, PASSWORD)
    return client


def test_the_whole_payout_path_through_the_pages(app, grant_setup, page):
    coordinator = signed_in(app, grant_setup["coordinator"])
    attestant = signed_in(app, grant_setup["attestant"])
    response = coordinator.submit(
        page + "/payouts",
        {"amount": "10 000", "planned_on": TODAY, "note": "Första delen, 50 %"},
        page=page,
    )
    assert response.status_code == 302
    payout = db.session.scalar(sa.select(Payout))
    assert "Registrerad, väntar på attest" in text_of(coordinator.get(page))
    # The one who registered it sees no attest button; the attestant does.
    assert "Attestera" not in text_of(coordinator.get(page))
    assert "Utbetalningar som väntar på attest" in text_of(attestant.get("/n/uddevalla/funds/"))
    attestant.submit(f"{page}/payouts/{payout.id}/attest", page=page)
    db.session.refresh(payout)
    assert payout.status == PayoutStatus.ATTESTED
    prefix = f"paid{payout.id}-"
    coordinator.submit(
        f"{page}/payouts/{payout.id}/paid",
        {prefix + "paid_on": TODAY, prefix + "accounting_ref": "V-2026-0042"},
        page=page,
    )
    db.session.refresh(payout)
    assert payout.status == PayoutStatus.PAID and payout.accounting_ref == "V-2026-0042"
    shown = text_of(coordinator.get(page))
    assert "Delvis utbetalt" in shown and "V-2026-0042" in shown
    coordinator.submit(
        page + "/refunds",
        {"amount": "2 500", "received_on": TODAY, "reference": "V-2026-0077", "note": "Oanvänt"},
        page=page,
    )
    assert db.session.scalar(sa.select(Refund.amount_ore)) == 250_000
    ledger = text_of(coordinator.get("/n/uddevalla/funds/"))
    assert "Kvar att söka: 82 500 kr" in ledger  # 100 000 − (20 000 − 2 500)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount": "20 000,01"}, "bara att betala ut 20 000 kr till"),
        ({"amount": "0"}, "större än noll"),
        ({"amount": "-5"}, "kunde inte läsas"),
        ({"amount": "100,555"}, "två decimaler"),
        ({"amount": "１２３"}, "kunde inte läsas"),
        ({"planned_on": "2026-02-30"}, "ÅÅÅÅ-MM-DD"),
    ],
)
def test_bad_payouts_are_refused_and_nothing_is_saved(app, grant_setup, page, data, message):
    coordinator = signed_in(app, grant_setup["coordinator"])
    form = {"amount": "1 000", "planned_on": TODAY, "note": ""} | data
    response = coordinator.submit(page + "/payouts", form, page=page)
    assert response.status_code == 400
    assert message in text_of(response)
    assert db.session.scalar(sa.select(sa.func.count(Payout.id))) == 0


def test_a_refund_above_what_was_paid_is_refused(app, grant_setup, page):
    coordinator = signed_in(app, grant_setup["coordinator"])
    response = coordinator.submit(
        page + "/refunds", {"amount": "1", "received_on": TODAY, "reference": "V-1"}, page=page
    )
    assert response.status_code == 400
    assert "inte vara större än det som betalats ut" in text_of(response)
    assert db.session.scalar(sa.select(sa.func.count(Refund.id))) == 0


def test_a_representative_of_the_grantee_cannot_attest_through_the_page(app, grant_setup, page):
    insider = grant_setup["attestant"]
    RoleFactory(
        network=grant_setup["network"],
        role="representative",
        organisation=grant_setup["grantee"],
        user=insider,
    )
    coordinator = signed_in(app, grant_setup["coordinator"])
    coordinator.submit(page + "/payouts", {"amount": "1 000", "planned_on": TODAY}, page=page)
    payout = db.session.scalar(sa.select(Payout))
    attestant = signed_in(app, insider)
    response = attestant.submit(f"{page}/payouts/{payout.id}/attest", page=page)
    assert response.status_code == 400
    assert "representerar organisationen" in text_of(response)
    db.session.refresh(payout)
    assert payout.status == PayoutStatus.REGISTERED


def test_the_grantee_sees_its_grant_but_cannot_pay_itself(app, grant_setup, page):
    grantee = signed_in(app, representative_of(grant_setup["network"], grant_setup["grantee"]))
    assert grantee.get(page).status_code == 200
    response = grantee.submit(page + "/payouts", {"amount": "1", "planned_on": TODAY}, page=page)
    assert response.status_code == 403
    other = signed_in(app, representative_of(grant_setup["network"]))
    assert other.get(page).status_code == 403


def test_another_networks_grant_answers_404(app, grant_setup):
    other = NetworkFactory(slug="trollhattan")
    foreign = GrantFactory(proposal=ProposalFactory(network=other))
    coordinator = signed_in(app, grant_setup["coordinator"])
    assert coordinator.get(f"/n/uddevalla/grants/{foreign.id}").status_code == 404
    page = f"/n/uddevalla/grants/{foreign.id}"
    response = coordinator.submit(
        page + "/payouts", {"amount": "1", "planned_on": TODAY}, page="/n/uddevalla/funds/"
    )
    assert response.status_code == 404


def _bulk(grant_setup, count):
    from grants.core.time import utcnow
    from grants.funds.models import Grant
    from grants.proposals.models import BudgetRow, Proposal, ProposalSource

    network, period = grant_setup["network"], grant_setup["period"]
    organisations = [MembershipFactory(network=network).organisation for _ in range(5)]
    start = db.session.scalar(sa.select(sa.func.count(Proposal.id)))
    for number in range(start + 1, start + count + 1):
        proposal = Proposal(
            network=network,
            year=2024,
            number=number,
            applicant=organisations[number % 5],
            period=period,
            title="T",
            summary="S",
            planned_start=local_today(),
            planned_end=local_today(),
            requested_ore=50_000,
            contact_name="K",
            contact_email="k@example.se",
            source=ProposalSource.WEB,
            received_at=utcnow(),
        )
        proposal.budget_rows = [BudgetRow(position=1, item="X", amount_ore=50_000)]
        grant = Grant(network=network, period=period, proposal=proposal, amount_ore=50_000)
        db.session.add(grant)
        for _ in range(5):
            grant.payouts.append(
                Payout(
                    network_id=network.id,
                    amount_ore=10_000,
                    planned_on=local_today(),
                    status=PayoutStatus.PAID,
                )
            )
    db.session.commit()


def test_the_ledger_runs_the_same_queries_at_10_and_1000_grants(app, grant_setup):
    coordinator = signed_in(app, grant_setup["coordinator"])
    _bulk(grant_setup, 9)
    counts = {}
    for size in (10, 1000):
        if size == 1000:
            _bulk(grant_setup, 990)  # 1 000 grants, 5 000 payouts
        with QueryCounter(db.engine) as queries:
            assert coordinator.get("/n/uddevalla/funds/").status_code == 200
        counts[size] = queries.count
    print("ledger queries at 10 and 1000 grants:", counts)
    assert counts[10] == counts[1000]
