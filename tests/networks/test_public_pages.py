"""The network's public face: its page and what it funded, for anyone, when it is public."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from grants.core.money import format_amount
from grants.core.time import local_today, to_local, utcnow
from grants.extensions import db
from grants.funds.ledger import period_ledger
from grants.funds.models import Grant, GrantState, Payout, PayoutStatus, Refund
from grants.meetings.models import (
    AgendaItem,
    AgendaItemKind,
    Decision,
    ItemStatus,
    MeetingStatus,
)
from grants.meetings.rules import Outcome
from grants.proposals.models import Proposal, ProposalSource, ProposalState
from tests.conftest import QueryCounter, text_of
from tests.factories import (
    PASSWORD,
    FundingPeriodFactory,
    MeetingFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    representative_of,
)


def amount(ore: int, language: str = "sv") -> str:
    """The amount as a reader sees it in ``text_of`` (no-break spaces read as spaces)."""
    return " ".join(format_amount(ore, language).split())


_numbers = iter(range(1, 100_000))


def decided_grant(
    network, period, meeting, organisation, ore, *, title=None, co_applicants=(), state=None
) -> Grant:
    """A grant as an approval at ``meeting`` leaves it (proposal, item, decision, grant),
    written directly so that hundreds can be made quickly; ``meeting=None`` makes a grant
    recorded before decisions existed."""
    number = next(_numbers)
    proposal = Proposal(
        network=network,
        year=2026,
        number=number,
        applicant=organisation,
        period=period,
        title=title or f"Aktivitet {number}",
        summary="Något för integrationen.",
        planned_start=local_today(),
        planned_end=local_today() + timedelta(days=30),
        requested_ore=ore,
        contact_name="Kim Kontakt",
        contact_email="kim@example.se",
        source=ProposalSource.WEB,
        received_at=utcnow(),
        state=ProposalState.APPROVED,
        co_applicants=list(co_applicants),
    )
    grant = Grant(
        network=network, period=period, proposal=proposal, amount_ore=ore, report_due_on=None
    )
    if state is not None:
        grant.state = state
    db.session.add(grant)
    if meeting is not None:
        item = AgendaItem(
            meeting=meeting,
            position=number,
            kind=AgendaItemKind.PROPOSAL,
            title=proposal.title,
            proposal=proposal,
            status=ItemStatus.DECIDED,
        )
        decision = Decision(item=item, outcome=Outcome.APPROVED, amount_ore=ore)
        db.session.add(decision)
        db.session.flush()
        grant.decision_id = decision.id
    return grant


@pytest.fixture
def network(app):
    return NetworkFactory(slug="uddevalla", name="Integrationsnätverket i Uddevalla")


@pytest.fixture
def story(network):
    """Two periods; meeting 1 adjusted, meeting 2 held; four grants, one withdrawn after a
    first payout, one partly refunded, one from before decisions were recorded."""
    today = local_today()
    earlier = FundingPeriodFactory(
        network=network,
        funder="Länsstyrelsen",
        starts_on=today - timedelta(days=800),
        ends_on=today - timedelta(days=401),
    )
    current = FundingPeriodFactory(network=network, funder="Hälsopolitiska rådet")
    cafe, football, church, unit = (
        MembershipFactory(network=network, organisation=OrganisationFactory(name=name)).organisation
        for name in (
            "Språkvänner i Uddevalla",
            "IK Uddevalla Fotboll",
            "Svenska kyrkan i Uddevalla",
            "Integrationsenheten",
        )
    )
    adjusted = MeetingFactory(
        network=network,
        number=1,
        status=MeetingStatus.ADJUSTED,
        starts_at=utcnow() - timedelta(days=60),
        ends_at=utcnow() - timedelta(days=60) + timedelta(hours=2),
    )
    held = MeetingFactory(
        network=network,
        number=2,
        status=MeetingStatus.HELD,
        starts_at=utcnow() - timedelta(days=3),
        ends_at=utcnow() - timedelta(days=3) + timedelta(hours=2),
    )
    coffee = decided_grant(
        network, current, adjusted, cafe, 1_000_000, title="Språkcafé på biblioteket"
    )
    decided_grant(
        network,
        current,
        held,
        unit,
        500_000,
        title="Föräldraträffar om skolan",
        co_applicants=[church],
    )
    withdrawn = decided_grant(
        network,
        current,
        adjusted,
        football,
        400_000,
        title="Fotboll för alla",
        state=GrantState.WITHDRAWN,
    )
    decided_grant(network, earlier, None, church, 300_000, title="Läxhjälp i kyrkan")
    db.session.flush()
    db.session.add(
        Payout(
            network_id=network.id,
            grant_id=withdrawn.id,
            amount_ore=100_000,
            planned_on=today,
            status=PayoutStatus.PAID,
            paid_on=today,
            accounting_ref="V-1",
        )
    )
    db.session.add(
        Refund(
            network_id=network.id,
            grant_id=coffee.id,
            amount_ore=200_000,
            received_on=today,
            reference="BG-1",
        )
    )
    db.session.commit()
    return {"current": current, "earlier": earlier, "adjusted": adjusted, "held": held}


def test_the_funded_page_shows_who_got_what_for_which_activity_at_which_meeting(
    client, network, story
):
    response = client.get("/n/uddevalla/funded")
    assert response.status_code == 200
    text = text_of(response)
    for organisation, activity, ore in (
        ("Språkvänner i Uddevalla", "Språkcafé på biblioteket", 1_000_000),
        ("IK Uddevalla Fotboll", "Fotboll för alla", 400_000),
    ):
        assert organisation in text and activity in text and amount(ore) in text
    html = response.get_data(as_text=True)
    adjusted, held = story["adjusted"], story["held"]
    # The adjusted meeting's public minutes are linked.
    assert f'href="/n/uddevalla/meetings/{adjusted.id}/minutes/public"' in html
    # The held meeting's decision is not official until its minutes are adjusted: not
    # listed, only counted, so the period's sum still adds up.
    assert "Föräldraträffar om skolan" not in text and "Integrationsenheten" not in text
    assert f"/meetings/{held.id}/minutes/public" not in html
    assert (
        f"1 bidrag på {amount(500_000)} är beslutat på ett möte vars protokoll inte är "
        "justerat ännu. Det visas här när protokollet är justerat" in text
    )
    assert "Föräldraträffar om skolan" not in client.get("/n/uddevalla/funded.csv").data.decode()

    held.status = MeetingStatus.ADJUSTED  # the adjusters approved the minutes
    db.session.commit()
    text = text_of(client.get("/n/uddevalla/funded"))
    assert "Föräldraträffar om skolan" in text and amount(500_000) in text
    assert "med Svenska kyrkan i Uddevalla" in text  # the co-applicant
    assert f"Nätverksträff 2, {to_local(held.starts_at).date().isoformat()}" in text
    assert "protokoll inte är justerat" not in text
    assert "Föräldraträffar om skolan" in client.get("/n/uddevalla/funded.csv").data.decode()


def test_the_running_period_is_shown_with_every_periods_totals_beside(client, network, story):
    text = text_of(client.get("/n/uddevalla/funded"))
    current, earlier = story["current"], story["earlier"]
    # Both periods' totals, newest first; the running period's grants below.
    assert text.index("Hälsopolitiska rådet") < text.index("Länsstyrelsen")
    assert "Språkcafé på biblioteket" in text
    assert "Läxhjälp i kyrkan" not in text
    # 10 000 + 5 000 granted, 1 000 paid before the withdrawal, 2 000 refunded.
    figures = period_ledger(current).grants
    assert figures.committed == 1_400_000
    assert f"Summa beviljat (netto) {amount(1_400_000)}" in text
    assert f"Utbetalt {amount(figures.paid)}" in text
    assert f"Återbetalt {amount(200_000)}" in text
    earlier_total = amount(period_ledger(earlier).grants.committed)
    span = f"{earlier.starts_on.isoformat()} – {earlier.ends_on.isoformat()}"
    assert f"Länsstyrelsen, {span} {earlier_total}" in text


def test_an_earlier_period_is_one_click_away(client, network, story):
    earlier = story["earlier"]
    html = client.get("/n/uddevalla/funded").get_data(as_text=True)
    link = f"/n/uddevalla/funded?period={earlier.id}"
    assert f'href="{link}"' in html
    text = text_of(client.get(link))
    assert "Svenska kyrkan i Uddevalla" in text and "Läxhjälp i kyrkan" in text
    assert amount(300_000) in text
    assert "Språkcafé på biblioteket" not in text


def test_another_networks_period_is_not_found(client, network, story):
    other = FundingPeriodFactory(network=NetworkFactory(slug="trollhattan", public=True))
    db.session.commit()
    assert client.get(f"/n/uddevalla/funded?period={other.id}").status_code == 404


def test_a_withdrawn_grant_is_shown_as_withdrawn_and_struck_out(client, network, story):
    response = client.get("/n/uddevalla/funded")
    row = next(
        line for line in response.get_data(as_text=True).split("<tr>") if "Fotboll för alla" in line
    )
    assert "Återkallat" in row
    assert f"<del>{format_amount(400_000, 'sv')}</del>" in row


def test_the_funded_page_in_english_formats_money_the_english_way(client, network, story):
    response = client.get("/n/uddevalla/funded?lang=en")
    assert response.status_code == 200
    assert '<html lang="en">' in response.get_data(as_text=True)
    assert amount(1_000_000, "en") in text_of(response)


def test_the_funded_page_links_the_open_data_file(client, network, story):
    html = client.get("/n/uddevalla/funded").get_data(as_text=True)
    assert 'href="/n/uddevalla/funded.csv"' in html
    response = client.get("/n/uddevalla/funded.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.data.startswith("\ufeff".encode())


def test_a_network_without_grants_says_so(client, network):
    assert "Nätverket har inte beviljat några bidrag ännu." in text_of(
        client.get("/n/uddevalla/funded")
    )


@pytest.mark.parametrize("path", ["/n/uddevalla/funded", "/n/uddevalla/"])
def test_the_public_pages_take_the_same_number_of_queries_for_10_and_300_grants(
    app, client, network, path
):
    period = FundingPeriodFactory(network=network)
    organisations = [MembershipFactory(network=network).organisation for _ in range(5)]
    meeting = MeetingFactory(network=network, number=1, status=MeetingStatus.ADJUSTED)
    counts = []
    for total in (10, 300):
        while db.session.scalar(sa.select(sa.func.count(Grant.id))) < total:
            done = db.session.scalar(sa.select(sa.func.count(Grant.id)))
            decided_grant(
                network,
                period,
                meeting,
                organisations[done % 5],
                10_000,
                co_applicants=[organisations[(done + 1) % 5]],
            )
        db.session.commit()
        with QueryCounter(db.engine) as counter:
            response = client.get(path)
        assert response.status_code == 200
        counts.append(counter.count)
    assert "Aktivitet" in text_of(response) or path.endswith("/")
    assert counts[0] == counts[1], counts
    assert counts[0] <= 15, counts


def test_the_networks_page_shows_coming_meetings_funding_and_the_calendar(client, network, story):
    soon = MeetingFactory(
        network=network,
        number=3,
        place="Junogatan 2, våning 6",
        starts_at=utcnow() + timedelta(days=20),
        ends_at=utcnow() + timedelta(days=20, hours=2),
        host_organisation=OrganisationFactory(name="Studieförbundet Bildning"),
    )
    MeetingFactory(
        network=network,
        number=4,
        place="Inställda gatan 1",
        status=MeetingStatus.CANCELLED,
        starts_at=utcnow() + timedelta(days=40),
        ends_at=utcnow() + timedelta(days=40, hours=2),
    )
    response = client.get("/n/uddevalla/")
    text = text_of(response)
    html = response.get_data(as_text=True)
    from grants.core.time import format_date, format_time

    assert (
        f"Nätverksträff 3 {format_date(soon.starts_at)}, kl. {format_time(soon.starts_at)}–"
        f"{format_time(soon.ends_at)} Junogatan 2, våning 6 (värd: Studieförbundet Bildning)"
    ) in text
    assert "Inställda gatan" not in text  # cancelled
    assert "Nätverksträff 2," not in text.split("Protokoll")[0]  # held: no longer coming
    assert 'href="/n/uddevalla/calendar.ics"' in html
    assert 'href="/n/uddevalla/funded"' in html
    current = story["current"]
    assert (
        f"Hälsopolitiska rådet, {current.starts_on.isoformat()} – {current.ends_on.isoformat()}: "
        f"{amount(period_ledger(current).grants.committed)} beviljat"
    ) in text
    # The adjusted meeting's public minutes are listed.
    assert f'href="/n/uddevalla/meetings/{story["adjusted"].id}/minutes/public"' in html


def test_a_network_with_no_meetings_planned_says_so(client, network):
    assert "Inga träffar är planerade just nu." in text_of(client.get("/n/uddevalla/"))


@pytest.mark.parametrize(
    "path",
    ["/", "/rules", "/funded", "/calendar.ics", "/meetings/{meeting}/minutes/public"],
)
def test_a_network_that_is_not_public_answers_404_to_visitors(app, client, path):
    network = NetworkFactory(slug="stangt", public=False)
    meeting = MeetingFactory(network=network, status=MeetingStatus.ADJUSTED)
    url = "/n/stangt" + path.format(meeting=meeting.id)
    assert client.get(url).status_code == 404
    # Its own members still see it.
    client.login(representative_of(network).email, PASSWORD)
    assert client.get(url).status_code == 200
