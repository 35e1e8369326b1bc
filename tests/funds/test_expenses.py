"""The network's own expenses on the meetings and training lines, under attestation."""

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from grants.core.errors import DomainError
from grants.core.time import local_today
from grants.extensions import db
from grants.funds import expenses
from grants.funds.ledger import period_ledger
from grants.funds.models import BudgetLineKind, Expense, PayoutStatus
from grants.members.models import RoleKind
from tests.conftest import text_of
from tests.factories import (
    PASSWORD,
    FundingPeriodFactory,
    MembershipFactory,
    NetworkFactory,
    RoleFactory,
    attestant_of,
    coordinator_of,
    representative_of,
)
from tests.funds.conftest import race

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
TODAY = local_today()
PAGE = "/n/uddevalla/funds/expenses/"


class Upload:
    """What Flask hands the view: a stream and the name the person gave."""

    def __init__(self, content: bytes, filename: str):
        self.stream, self.filename = io.BytesIO(content), filename


def register(network, actor, amount=150_000, kind=BudgetLineKind.MEETINGS, **overrides):
    values = {
        "line_kind": kind,
        "spent_on": TODAY,
        "amount_ore": amount,
        "payee": "Kafé Gästis",
        "payee_organisation": None,
        "note": "Fika till möte 4",
        "receipt": Upload(PDF, "kvitto.pdf"),
    }
    values.update(overrides)
    return expenses.register_expense(network, **values, actor=actor)


@pytest.fixture
def setup(app):
    network = NetworkFactory(slug="uddevalla")
    period = FundingPeriodFactory(network=network)  # meetings 20 000 kr, training 10 000 kr
    return {
        "network": network,
        "period": period,
        "coordinator": coordinator_of(network, name="Sara Samordnare"),
        "attestant": attestant_of(network, name="Bo Budgetansvarig"),
    }


def expense_form(**overrides):
    data = {
        "line": "meetings",
        "spent_on": TODAY.isoformat(),
        "amount": "1 250,50",
        "payee": "Folkets hus i Uddevalla",
        "payee_organisation": "",
        "note": "Lokalhyra, möte 4",
        "receipt": (PDF, "faktura lokal.pdf"),
    }
    data.update(overrides)
    content, name = data["receipt"]
    data["receipt"] = (io.BytesIO(content), name)  # a fresh stream for every request
    return data


def test_register_attest_and_pay_an_expense_in_the_browser_forms(app, setup):
    coordinator, attestant = setup["coordinator"], setup["attestant"]
    staff = app.test_client()
    staff.login(coordinator.email, PASSWORD)
    response = staff.submit(PAGE, expense_form(), page=PAGE, content_type="multipart/form-data")
    assert response.status_code == 302, text_of(response)
    expense = db.session.scalar(sa.select(Expense))
    assert expense.amount_ore == 125_050 and expense.status == PayoutStatus.REGISTERED
    page = response.headers["Location"]
    shown = text_of(staff.get(page))
    assert "Folkets hus i Uddevalla, 1 250,50 kr" in shown
    assert "registrerade utbetalningen och kan inte attestera" not in shown  # not an attestant
    receipt = staff.get(page + "/receipt")
    assert receipt.data == PDF and receipt.headers["Content-Disposition"].startswith("attachment;")

    checker = app.test_client()
    checker.login(attestant.email, PASSWORD)
    assert checker.submit(page + "/attest", {}, page=page).status_code == 302
    paid = staff.submit(
        page + "/paid", {"paid_on": TODAY.isoformat(), "accounting_ref": "V-2044"}, page=page
    )
    assert paid.status_code == 302, text_of(paid)
    db.session.refresh(expense)
    assert expense.status == PayoutStatus.PAID and expense.attested_by_id == attestant.id
    meetings = period_ledger(setup["period"]).lines[BudgetLineKind.MEETINGS]
    assert (meetings.committed, meetings.paid, meetings.left_to_apply_for) == (
        125_050,
        125_050,
        2_000_000 - 125_050,
    )
    ledger_page = text_of(staff.get("/n/uddevalla/funds/"))
    assert "18 749,50 kr" in ledger_page  # left on the meetings line


def test_nobody_attests_their_own_expense(setup):
    network, both = setup["network"], setup["coordinator"]
    RoleFactory(network=network, role=RoleKind.ATTESTANT, user=both)
    expense = register(network, both)
    with pytest.raises(DomainError, match="kan inte attestera den själv"):
        expenses.attest_expense(expense, actor=both)


def test_a_representative_of_the_paid_member_does_not_attest(setup):
    network = setup["network"]
    host = MembershipFactory(network=network).organisation
    insider = representative_of(network, host)
    RoleFactory(network=network, role=RoleKind.ATTESTANT, user=insider)
    expense = register(network, setup["coordinator"], payee=host.name, payee_organisation=host)
    with pytest.raises(DomainError, match="representerar organisationen som får pengarna"):
        expenses.attest_expense(expense, actor=insider)
    expenses.attest_expense(expense, actor=setup["attestant"])
    assert expense.status == PayoutStatus.ATTESTED


def test_the_attest_page_explains_why_the_registrar_cannot_attest(app, setup):
    network, both = setup["network"], setup["coordinator"]
    RoleFactory(network=network, role=RoleKind.ATTESTANT, user=both)
    expense = register(network, both)
    db.session.commit()
    client = app.test_client()
    client.login(both.email, PASSWORD)
    page = f"{PAGE}{expense.id}"
    assert "kan inte attestera den själv" in text_of(client.get(page))
    refused = client.submit(page + "/attest", {}, page=page)
    assert refused.status_code == 400
    db.session.refresh(expense)
    assert expense.status == PayoutStatus.REGISTERED


def test_expenses_never_pass_the_line_budget(setup):
    network, coordinator = setup["network"], setup["coordinator"]
    register(network, coordinator, amount=900_000, kind=BudgetLineKind.TRAINING)
    with pytest.raises(DomainError, match="ryms inte i budgetraden: 1\u00a0000\u00a0kr kvar"):
        register(network, coordinator, amount=100_001, kind=BudgetLineKind.TRAINING)
    cancelled = register(network, coordinator, amount=100_000, kind=BudgetLineKind.TRAINING)
    expenses.cancel_expense(cancelled, reason="Föreläsaren blev sjuk", actor=coordinator)
    register(network, coordinator, amount=100_000, kind=BudgetLineKind.TRAINING)  # room again
    training = period_ledger(setup["period"]).lines[BudgetLineKind.TRAINING]
    assert training.committed == 1_000_000 and training.left_to_apply_for == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"amount": "12,345"}, "öre"),
        ({"amount": "-100"}, "Beloppet kunde inte läsas"),
        ({"amount": "abc"}, "Beloppet kunde inte läsas"),
        ({"amount": "30 000"}, "ryms inte i budgetraden"),
        ({"payee": " \t "}, "Skriv vem som får pengarna"),
        ({"line": "grants"}, "Inte ett giltigt val"),
        ({"spent_on": "2001-01-01"}, "Ingen period täcker 2001-01-01"),
        ({"receipt": (b"MZ\x90\x00" + b"\x00" * 64, "kvitto.pdf")}, "inte en PDF"),
        ({"receipt": (b"", "")}, "Bifoga kvittot"),
    ],
)
def test_bad_expenses_are_refused_with_a_message_and_nothing_is_saved(
    app, setup, overrides, message
):
    staff = app.test_client()
    staff.login(setup["coordinator"].email, PASSWORD)
    response = staff.submit(
        PAGE, expense_form(**overrides), page=PAGE, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert message in text_of(response)
    assert db.session.scalar(sa.select(sa.func.count(Expense.id))) == 0


def test_only_the_coordinator_registers_and_representatives_see_nothing(app, setup):
    network = setup["network"]
    member = representative_of(network, MembershipFactory(network=network).organisation)
    expense = register(network, setup["coordinator"])
    db.session.commit()
    client = app.test_client()
    client.login(member.email, PASSWORD)
    assert client.get(PAGE).status_code == 403
    assert client.get(f"{PAGE}{expense.id}/receipt").status_code == 403
    checker = app.test_client()
    checker.login(setup["attestant"].email, PASSWORD)
    assert checker.get(PAGE).status_code == 200
    refused = checker.submit(PAGE, expense_form(), page=PAGE, content_type="multipart/form-data")
    assert refused.status_code == 403


def test_another_networks_expense_is_not_found(app, setup):
    other = NetworkFactory(slug="trollhattan")
    FundingPeriodFactory(network=other)
    theirs = register(other, coordinator_of(other))
    db.session.commit()
    staff = app.test_client()
    staff.login(setup["coordinator"].email, PASSWORD)
    assert staff.get(f"{PAGE}{theirs.id}").status_code == 404
    assert staff.get(f"{PAGE}{theirs.id}/receipt").status_code == 404


def test_another_networks_organisation_as_payee_is_not_found(app, setup):
    other = NetworkFactory(slug="trollhattan")
    stranger = MembershipFactory(network=other).organisation
    staff = app.test_client()
    staff.login(setup["coordinator"].email, PASSWORD)
    response = staff.submit(
        PAGE,
        expense_form(payee_organisation=str(stranger.id)),
        page=PAGE,
        content_type="multipart/form-data",
    )
    assert response.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(Expense.id))) == 0


def test_a_future_payment_date_is_refused(setup):
    expense = register(setup["network"], setup["coordinator"])
    expenses.attest_expense(expense, actor=setup["attestant"])
    with pytest.raises(DomainError, match="framtiden"):
        expenses.mark_expense_paid(
            expense,
            paid_on=TODAY + timedelta(days=1),
            accounting_ref="V-1",
            actor=setup["coordinator"],
        )


def test_parallel_expenses_never_pass_the_budget_on_postgresql(app, backend, setup):
    """Ten requests register 3 000 kr each on a 20 000 kr line at once: six fit."""
    if backend != "postgresql":
        pytest.skip("parallel writers race on PostgreSQL")
    network_id, coordinator_id = setup["network"].id, setup["coordinator"].id
    db.session.commit()
    from grants.members.models import User
    from grants.networks.models import Network

    def work():
        network = db.session.get(Network, network_id)
        register(network, db.session.get(User, coordinator_id), amount=300_000)

    outcomes = race(app, work, 10)
    assert outcomes.count("ok") == 6
    assert db.session.scalar(sa.select(sa.func.sum(Expense.amount_ore))) == 1_800_000
