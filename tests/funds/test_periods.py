"""Funding periods and budget lines; a line never drops below what is committed."""

import pytest
import sqlalchemy as sa

from grants.core.audit import AuditEvent
from grants.core.time import local_today
from grants.extensions import db
from grants.funds.models import BudgetLineKind, FundingPeriod
from tests.conftest import text_of
from tests.factories import (
    PASSWORD,
    FundingPeriodFactory,
    GrantFactory,
    NetworkFactory,
    ProposalFactory,
    auditor_of,
    coordinator_of,
    representative_of,
)

NEW = "/n/uddevalla/funds/periods/new"


@pytest.fixture
def network(app):
    return NetworkFactory(slug="uddevalla")


@pytest.fixture
def as_coordinator(client, network):
    client.login(coordinator_of(network).email, PASSWORD)
    return client


def period_data(**overrides):
    data = {
        "funder": "Hälsopolitiska rådet",
        "starts_on": "2026-01-01",
        "ends_on": "2027-06-30",
        "budget_grants": "150 000",
        "budget_meetings": "30 000",
        "budget_training": "20 000,50",
        "note": "Beslut i rådet 2025-12-10.",
    }
    data.update(overrides)
    return data


def test_the_coordinator_creates_a_period_with_budget_lines(as_coordinator, network):
    response = as_coordinator.submit(NEW, period_data(), page=NEW)
    assert response.status_code == 302, text_of(response)
    period = db.session.scalar(sa.select(FundingPeriod))
    budgets = {line.kind: line.budget_ore for line in period.lines}
    assert budgets == {
        BudgetLineKind.GRANTS: 15_000_000,
        BudgetLineKind.MEETINGS: 3_000_000,
        BudgetLineKind.TRAINING: 2_000_050,
    }
    page = text_of(as_coordinator.get("/n/uddevalla/funds/"))
    assert "Hälsopolitiska rådet" in page and "150 000 kr" in page and "20 000,50 kr" in page
    assert (
        db.session.scalar(
            sa.select(AuditEvent.action).where(AuditEvent.action == "funding_period.created")
        )
        is not None
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_on": "2025-01-01"}, "kan inte sluta innan den börjar"),
        ({"starts_on": "2026-13-01"}, "ÅÅÅÅ-MM-DD"),
        ({"budget_grants": "-5"}, "kunde inte läsas"),
        ({"budget_grants": ""}, "Ange ett belopp"),
        ({"funder": ""}, "Skriv vem pengarna kommer från"),
    ],
)
def test_bad_periods_are_refused(as_coordinator, network, overrides, message):
    response = as_coordinator.submit(NEW, period_data(**overrides), page=NEW)
    assert response.status_code == 400
    assert message in text_of(response)
    assert db.session.scalar(sa.select(sa.func.count(FundingPeriod.id))) == 0


def test_periods_may_not_overlap(as_coordinator, network):
    as_coordinator.submit(NEW, period_data(), page=NEW)
    response = as_coordinator.submit(
        NEW, period_data(starts_on="2027-06-01", ends_on="2027-12-31"), page=NEW
    )
    assert response.status_code == 400
    assert "överlappar" in text_of(response)


def test_the_grants_line_cannot_go_below_what_is_granted(as_coordinator, network):
    period = FundingPeriodFactory(network=network)
    GrantFactory(proposal=ProposalFactory(network=network, period=period, requested_ore=4_000_000))
    page = f"/n/uddevalla/funds/periods/{period.id}"
    data = period_data(
        starts_on=period.starts_on.isoformat(),
        ends_on=period.ends_on.isoformat(),
        budget_grants="39 999",
    )
    response = as_coordinator.submit(page, data, page=page)
    assert response.status_code == 400
    assert "redan är beviljat: 40 000 kr" in text_of(response)
    db.session.refresh(period)
    assert period.line(BudgetLineKind.GRANTS).budget_ore == 10_000_000
    data["budget_grants"] = "40 000"
    assert as_coordinator.submit(page, data, page=page).status_code == 302
    assert "Kvar att söka: 0 kr" in text_of(as_coordinator.get("/n/uddevalla/funds/"))


def test_the_auditor_reads_the_pot_but_cannot_change_it(client, network):
    FundingPeriodFactory(network=network)
    client.login(auditor_of(network).email, PASSWORD)
    assert client.get("/n/uddevalla/funds/").status_code == 200
    assert client.get(NEW).status_code == 403


def test_representatives_do_not_see_the_budget_pages(client, network):
    client.login(representative_of(network).email, PASSWORD)
    assert client.get("/n/uddevalla/funds/").status_code == 403


def test_the_ledger_lists_the_running_periods_grants_and_links_the_others(as_coordinator, network):
    from datetime import timedelta

    today = local_today()
    earlier = FundingPeriodFactory(
        network=network,
        funder="Länsstyrelsen",
        starts_on=today - timedelta(days=800),
        ends_on=today - timedelta(days=401),
    )
    running = FundingPeriodFactory(network=network)
    GrantFactory(proposal=ProposalFactory(network=network, period=earlier, title="Läxhjälp"))
    GrantFactory(proposal=ProposalFactory(network=network, period=running, title="Språkcafé"))
    db.session.commit()
    page = as_coordinator.get("/n/uddevalla/funds/")
    text = text_of(page)
    # Both periods' ledgers; the running period's grants.
    assert "Länsstyrelsen" in text and "Hälsopolitiska rådet" in text
    assert "Språkcafé" in text and "Läxhjälp" not in text
    link = f"/n/uddevalla/funds/?period={earlier.id}#period-{earlier.id}"
    assert f'href="{link}"' in page.get_data(as_text=True)
    shown = text_of(as_coordinator.get(f"/n/uddevalla/funds/?period={earlier.id}"))
    assert "Läxhjälp" in shown and "Språkcafé" not in shown


def test_another_networks_period_on_the_ledger_is_not_found(as_coordinator, network):
    other = FundingPeriodFactory(network=NetworkFactory(slug="trollhattan"))
    db.session.commit()
    assert as_coordinator.get(f"/n/uddevalla/funds/?period={other.id}").status_code == 404


def test_only_the_grants_line_says_what_is_left_to_apply_for(as_coordinator, network):
    """Nobody applies for the meetings or training money: the network spends it itself."""
    FundingPeriodFactory(network=network)
    html = as_coordinator.get("/n/uddevalla/funds/").get_data(as_text=True)
    rows = {
        row.split("</th>", 1)[0].rsplit(">", 1)[-1]: row
        for row in html.split('<tr>\n          <th scope="row">')[1:]
    }
    grants_row = next(row for name, row in rows.items() if name == "Sökbar pott")
    others = [row for name, row in rows.items() if name != "Sökbar pott"]
    assert "Ingen söker ur den här raden" not in grants_row
    assert len(others) == 2
    assert all("Ingen söker ur den här raden" in row for row in others)
