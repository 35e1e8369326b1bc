"""The audit log page: the chain newest first, each event with its place in the chain,
filters by period, person, action and organisation, and a fixed number of queries."""

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from grants.audit.log import PER_PAGE
from grants.core.audit import (
    GENESIS_HASH,
    AuditChainHead,
    AuditEvent,
    canonical_json,
    chain_for,
    event_digest,
)
from grants.core.time import local_today, utcnow
from grants.extensions import db
from tests.conftest import QueryCounter, text_of
from tests.factories import (
    PASSWORD,
    FundingPeriodFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    representative_of,
)

LOG = "/n/uddevalla/audit/log"
ROW = re.compile(r'<tr id="event-(\d+)">(.*?)</tr>', re.S)


def signed_in(app, user):
    client = app.test_client()
    client.login(user.email, PASSWORD)
    return client


def shown_events(response) -> list[int]:
    """The sequence numbers of the events on the page, top to bottom."""
    return [int(seq) for seq, _ in ROW.findall(response.get_data(as_text=True))]


def actions_shown(response) -> set[str]:
    html = response.get_data(as_text=True)
    return {
        re.search(r"<td><code>([a-z_.]+)</code></td>", row).group(1) for _, row in ROW.findall(html)
    }


def events_of(network) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.chain == chain_for(network))
            .order_by(AuditEvent.seq)
        )
    )


def append_events(network, count: int, *, actor=None, action="test.filler") -> None:
    """``count`` more events at the end of the network's chain, written in bulk."""
    chain = chain_for(network)
    head = db.session.get(AuditChainHead, chain)
    if head is None:
        head = AuditChainHead(chain=chain, seq=0, hash=GENESIS_HASH)
        db.session.add(head)
    seq, prev = head.seq, head.hash
    rows = []
    for _ in range(count):
        seq += 1
        event = AuditEvent(
            chain=chain,
            seq=seq,
            network_id=network.id,
            at=utcnow(),
            actor_id=getattr(actor, "id", None),
            action=action,
            subject_type="grants",
            subject_id=None,
            data=canonical_json({"n": seq}),
            prev_hash=prev,
        )
        event.hash = prev = event_digest(event)
        rows.append(
            {
                column: getattr(event, column)
                for column in (
                    "chain",
                    "seq",
                    "network_id",
                    "at",
                    "actor_id",
                    "action",
                    "subject_type",
                    "subject_id",
                    "data",
                    "prev_hash",
                    "hash",
                )
            }
        )
    db.session.execute(sa.insert(AuditEvent), rows)
    head.seq, head.hash = seq, prev
    db.session.commit()


# ---- what an event shows -------------------------------------------------------------------


def test_every_event_shows_its_place_in_the_chain_and_who_did_it(app, traced, auditor, coordinator):
    response = signed_in(app, auditor).get(LOG)
    assert response.status_code == 200
    events = events_of(traced.network)
    newest = events[-1]
    assert shown_events(response) == [event.seq for event in reversed(events)][:PER_PAGE]
    html = response.get_data(as_text=True)
    row = dict(ROW.findall(html))[str(newest.seq)]
    assert f"<code>{newest.prev_hash[:12]}</code>" in row
    assert f"<code>{newest.hash[:12]}</code>" in row
    assert newest.hash[12:] not in html  # the first 12 characters only
    assert newest.action == "refund.registered" and "refund.registered" in row
    assert f"refunds {newest.subject_id}" in row
    assert coordinator.name in row and coordinator.email not in html
    assert "BG-4471" in row  # the data
    from grants.core.time import format_datetime

    assert format_datetime(newest.at) in row  # Stockholm time
    text = text_of(response)
    assert f"{len(events)} händelser" in text


def test_events_about_a_grants_money_link_to_its_trace(app, traced, auditor):
    html = signed_in(app, auditor).get(LOG + "?action=payout.paid").get_data(as_text=True)
    rows = ROW.findall(html)
    assert len(rows) == 2
    for _, row in rows:
        assert f'href="/n/uddevalla/audit/trace/{traced.id}"' in row


def test_fifty_events_a_page_with_the_filters_kept_in_the_page_links(
    app, traced, auditor, coordinator
):
    before = len(events_of(traced.network))
    append_events(traced.network, 120, actor=coordinator)
    client = signed_in(app, auditor)
    total = before + 120
    first = client.get(LOG)
    assert shown_events(first) == list(range(total, total - PER_PAGE, -1))
    last_page = -(-total // PER_PAGE)
    last = client.get(f"{LOG}?page={last_page}")
    assert shown_events(last)[-1] == 1
    filtered = client.get(f"{LOG}?action=test.filler&page=2")
    assert shown_events(filtered) == list(range(total - PER_PAGE, total - 2 * PER_PAGE, -1))
    html = filtered.get_data(as_text=True)
    assert "action=test.filler&amp;page=3" in html or "page=3&amp;action=test.filler" in html
    assert "120 händelser" in text_of(filtered)


# ---- filters --------------------------------------------------------------------------------


def test_filter_by_action_and_by_person(app, traced, auditor, attestant):
    client = signed_in(app, auditor)
    paid = client.get(LOG + "?action=payout.paid")
    assert actions_shown(paid) == {"payout.paid"} and len(shown_events(paid)) == 2
    by_attestant = client.get(f"{LOG}?actor={attestant.id}")
    assert actions_shown(by_attestant) == {"payout.attested"}
    assert len(shown_events(by_attestant)) == 2
    html = client.get(LOG).get_data(as_text=True)
    assert f'<option value="{attestant.id}">Bo Budgetansvarig</option>' in html
    assert attestant.email not in html


def test_filter_by_dates_and_by_funding_period(app, traced, auditor, network):
    client = signed_in(app, auditor)
    everything = len(events_of(network))
    today, yesterday = local_today(), local_today() - timedelta(days=1)
    assert shown_events(client.get(f"{LOG}?to={yesterday}")) == []
    assert len(
        shown_events(client.get(f"{LOG}?from={today}&to={today + timedelta(days=1)}"))
    ) == min(everything, PER_PAGE)
    old = FundingPeriodFactory(
        network=network, starts_on=date(2020, 1, 1), ends_on=date(2020, 12, 31)
    )
    assert shown_events(client.get(f"{LOG}?period={old.id}")) == []
    current = client.get(f"{LOG}?period={traced.period_id}")
    assert f"{everything} händelser" in text_of(current)


def test_filter_by_organisation_follows_its_proposal_grant_and_money(app, traced, auditor, members):
    client = signed_in(app, auditor)
    applicant = client.get(f"{LOG}?organisation={members[0].id}")
    shown = actions_shown(applicant)
    assert {
        "proposal.registered",
        "proposal.edited",
        "agenda.proposal_added",
        "vote.opened",
        "decision.approved",
        "payout.registered",
        "payout.attested",
        "payout.paid",
        "report.submitted",
        "report.accepted",
        "refund.registered",
        "attendance.recorded",
    } <= shown
    assert "minutes.officers_set" not in shown and "meeting.opened" not in shown
    # The co-applicant's proposal is its own too.
    assert "payout.paid" in actions_shown(client.get(f"{LOG}?organisation={members[1].id}"))
    # A member that only voted: its attendance and its own vote, not the money.
    voter = client.get(f"{LOG}?organisation={members[5].id}")
    assert actions_shown(voter) == {"attendance.recorded", "vote.cast"}
    votes = [row for _, row in ROW.findall(voter.get_data(as_text=True)) if "vote.cast" in row]
    assert len(votes) == 1 and "choice:</span> no<" in votes[0]


def test_a_filter_that_does_not_fit_says_so_and_is_not_applied(app, traced, auditor):
    stranger = OrganisationFactory(name="Föreningen i ett annat nätverk")
    MembershipFactory(network=NetworkFactory(slug="trollhattan"), organisation=stranger)
    client = signed_in(app, auditor)
    everything = len(events_of(traced.network))
    for query, field in (
        ("from=2026-02-30", "from"),
        ("to=02/05/2026", "to"),
        (f"organisation={stranger.id}", "organisation"),
        ("actor=999999", "actor"),
        ("action=no.such", "action"),
        ("period=abc", "period"),
    ):
        response = client.get(f"{LOG}?{query}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert f'id="f-{field}-error"' in html, query
        assert 'aria-invalid="true"' in html
        assert f"{everything} händelser" in text_of(response), query
    assert "Skriv datumet som ÅÅÅÅ-MM-DD" in text_of(client.get(f"{LOG}?from=2026-13-01"))
    wrong_order = text_of(client.get(f"{LOG}?from=2026-05-02&to=2026-05-01"))
    assert "Slutdatumet kan inte vara före startdatumet." in wrong_order


def test_the_filter_form_has_a_label_for_every_field(app, traced, auditor):
    html = signed_in(app, auditor).get(LOG).get_data(as_text=True)
    form = html[
        html.index('<form method="get"') : html.index("</form>", html.index('<form method="get"'))
    ]
    for name in ("from", "to", "period", "actor", "action", "organisation"):
        assert f'<label class="form-label" for="f-{name}">' in form
        assert f'id="f-{name}" name="{name}"' in form


# ---- who sees it ----------------------------------------------------------------------------


def test_only_the_auditor_and_the_coordinator_see_the_log(
    app, traced, auditor, coordinator, members
):
    assert signed_in(app, coordinator).get(LOG).status_code == 200
    representative = representative_of(traced.network, members[0])
    assert signed_in(app, representative).get(LOG).status_code == 403
    anonymous = app.test_client().get(LOG)
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.location
    NetworkFactory(slug="trollhattan")
    assert signed_in(app, auditor).get("/n/trollhattan/audit/log").status_code == 404


def test_another_networks_events_never_show(app, traced, auditor):
    other = NetworkFactory(slug="trollhattan")
    from grants.core import audit

    audit.record(other, "test.other_network", other, data={"secret": "trollhattan"})
    db.session.commit()
    client = signed_in(app, auditor)
    assert "test.other_network" not in client.get(LOG).get_data(as_text=True)
    response = client.get(LOG + "?action=test.other_network")
    assert 'id="f-action-error"' in response.get_data(as_text=True)


# ---- cost -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?page=3",
        "?organisation={org}&from=2020-01-01&to=2099-12-31&action=test.filler",
        "?period={period}&actor={actor}",
    ],
)
def test_the_log_runs_the_same_number_of_queries_at_10_and_1000_events(
    app, network, members, period, coordinator, auditor, query
):
    client = signed_in(app, auditor)
    url = LOG + query.format(org=members[0].id, period=period.id, actor=coordinator.id)
    append_events(network, 10, actor=coordinator)
    with QueryCounter(db.engine) as small:
        assert client.get(url).status_code == 200
    append_events(network, 990, actor=coordinator)
    with QueryCounter(db.engine) as large:
        response = client.get(url)
        assert response.status_code == 200
    print("queries at 10 and 1000 events:", small.count, large.count)
    assert small.count == large.count
    assert len(shown_events(response)) in (0, PER_PAGE)
