"""The grantee's report with receipts; review; reminders (idempotent)."""

import io
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from grants.core.outbox import OutboxMail
from grants.core.time import local_today
from grants.extensions import db
from grants.funds import payouts
from grants.funds.models import GrantState, ReminderSent, ReportAttachment, ReportStatus
from grants.funds.reminders import reminder_key, send_reminders
from tests.conftest import text_of
from tests.factories import (
    PASSWORD,
    GrantFactory,
    NetworkFactory,
    ProposalFactory,
    representative_of,
)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def report_data(**overrides):
    data = {
        "done": "Tio språkcaféträffar på biblioteket.",
        "participants": "37",
        "contribution": "Deltagarna övade svenska och fick nya kontakter.",
        "actual-1": "19 500",
        "unused": "500",
    }
    data.update(overrides)
    return data


@pytest.fixture
def grantee_client(app, grant_setup):
    person = representative_of(grant_setup["network"], grant_setup["grantee"])
    client = app.test_client()
    client.login(person.email, PASSWORD)
    return client


@pytest.fixture
def page(grant_setup):
    return f"/n/uddevalla/grants/{grant_setup['grant'].id}"


def submit(client, page, files=(), **overrides):
    data = report_data(**overrides)
    data["attachments"] = [(io.BytesIO(content), name) for content, name in files]
    return client.submit(page + "/report", data, page=page, content_type="multipart/form-data")


def test_the_grantee_reports_with_receipts_and_the_coordinator_accepts(
    app, grant_setup, page, grantee_client
):
    response = submit(grantee_client, page, files=[(PDF, "kvitto fika.pdf"), (PNG, "bild.png")])
    assert response.status_code == 302, text_of(response)
    grant = grant_setup["grant"]
    db.session.refresh(grant)
    assert grant.state == GrantState.REPORTED and grant.report.participants == 37
    shown = text_of(grantee_client.get(page))
    assert "kvitto fika.pdf" in shown and "19 500 kr" in shown
    attachment = db.session.scalar(sa.select(ReportAttachment).order_by(ReportAttachment.id))
    download = grantee_client.get(f"{page}/report/attachments/{attachment.id}")
    assert download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    # A receipt is personal: no cache keeps it, not even the browser's.
    assert download.headers["Cache-Control"] == "private, no-store"
    # The coordinator pays everything but the unused 500 kr, then accepts: closed.
    coordinator, attestant = grant_setup["coordinator"], grant_setup["attestant"]
    payout = payouts.register_payout(
        grant, amount_ore=1_950_000, planned_on=local_today(), note="", actor=coordinator
    )
    payouts.attest_payout(payout, actor=attestant)
    payouts.mark_paid(payout, paid_on=local_today(), accounting_ref="V-7", actor=coordinator)
    db.session.commit()
    staff = app.test_client()
    staff.login(coordinator.email, PASSWORD)
    # The activity is planned 40 to 100 days from now: the report came early, and says so.
    shown = text_of(staff.get(page))
    assert "innan aktiviteten skulle börja" in shown
    refused = staff.submit(
        page + "/report/review", {"decision": "accept", "message": ""}, page=page
    )
    assert refused.status_code == 400
    assert "Redovisningen lämnades in innan aktiviteten var klar enligt planen" in text_of(refused)
    db.session.refresh(grant)
    assert grant.report.status == ReportStatus.SUBMITTED
    staff.submit(
        page + "/report/review",
        {"decision": "accept", "message": "", "early_seen": "y"},
        page=page,
    )
    db.session.refresh(grant)
    assert grant.report.status == ReportStatus.ACCEPTED and grant.state == GrantState.CLOSED
    mail = db.session.scalar(sa.select(OutboxMail).where(OutboxMail.kind == "report_accepted"))
    assert "500 kr" in mail.body_text.replace("\u00a0", " ")  # the refund request


def test_asking_for_more_and_resubmitting(app, grant_setup, page, grantee_client):
    submit(grantee_client, page)
    staff = app.test_client()
    staff.login(grant_setup["coordinator"].email, PASSWORD)
    empty = staff.submit(page + "/report/review", {"decision": "more", "message": ""}, page=page)
    assert empty.status_code == 400 and "Skriv vad som behöver kompletteras" in text_of(empty)
    staff.submit(
        page + "/report/review",
        {"decision": "more", "message": "Bifoga kvittot för lokalen."},
        page=page,
    )
    assert "Bifoga kvittot för lokalen." in text_of(grantee_client.get(page))
    assert submit(grantee_client, page, files=[(PDF, "lokal.pdf")]).status_code == 302
    db.session.refresh(grant_setup["grant"])
    assert grant_setup["grant"].report.status == ReportStatus.SUBMITTED


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([(b"MZ\x90\x00" + b"\x00" * 100, "kvitto.pdf")], "inte en PDF, JPEG eller PNG"),
        ([(b"", "tom.pdf")], "tom"),
        ([(PDF, "a.pdf")] * 4, "Högst tre filer"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_saved(
    grant_setup, page, grantee_client, files, message
):
    response = submit(grantee_client, page, files=files)
    assert response.status_code == 400
    assert message in text_of(response)
    db.session.refresh(grant_setup["grant"])
    assert grant_setup["grant"].report is None
    assert db.session.scalar(sa.select(sa.func.count(ReportAttachment.id))) == 0


def test_a_file_over_10_mb_is_refused(grant_setup, page, grantee_client):
    big = PDF + b"0" * (10 * 1024 * 1024)
    response = submit(grantee_client, page, files=[(big, "stor.pdf")])
    assert response.status_code == 400 and "större än 10 MB" in text_of(response)


def test_a_50_mb_upload_is_stopped_at_the_door(grant_setup, page, grantee_client):
    response = submit(grantee_client, page, files=[(PDF + b"0" * (50 * 1024 * 1024), "a.pdf")])
    assert response.status_code == 413


def test_file_names_lose_paths_and_control_characters(grant_setup, page, grantee_client):
    submit(
        grantee_client, page, files=[(PDF, "../../etc/pass\x07wd.pdf"), (PNG, "bild\u202egnp.exe")]
    )
    names = sorted(db.session.scalars(sa.select(ReportAttachment.filename)))
    # The type comes from the content, never from the name; a right-to-left override is gone.
    assert names == ["bildgnp.png", "passwd.pdf"]


def test_others_cannot_report_or_download(app, grant_setup, page, grantee_client):
    submit(grantee_client, page, files=[(PDF, "kvitto.pdf")])
    attachment = db.session.scalar(sa.select(ReportAttachment))
    stranger = app.test_client()
    stranger.login(representative_of(grant_setup["network"]).email, PASSWORD)
    assert stranger.get(f"{page}/report/attachments/{attachment.id}").status_code == 403
    assert submit(stranger, page).status_code == 403
    other = GrantFactory(proposal=ProposalFactory(network=NetworkFactory()))
    assert (
        grantee_client.get(
            f"/n/uddevalla/grants/{other.id}/report/attachments/{attachment.id}"
        ).status_code
        == 404
    )


@given(st.integers(-30, 60))
def test_the_reminder_due_on_a_day(offset):
    due = date(2026, 6, 30)
    key = reminder_key(due, due + timedelta(days=offset))
    if offset < -14:
        assert key is None
    elif offset < 0:
        assert key == "before-14"
    elif offset < 7:
        assert key == "due"
    else:
        assert key == f"after-{offset // 7}"


def test_reminders_are_sent_once_each(app, grant_setup):
    grant = grant_setup["grant"]
    grant.report_due_on = date(2026, 6, 30)
    db.session.commit()
    for day, expected in [
        (date(2026, 6, 10), 0),
        (date(2026, 6, 16), 1),
        (date(2026, 6, 20), 0),
        (date(2026, 6, 30), 1),
        (date(2026, 6, 30), 0),
        (date(2026, 7, 7), 1),
        (date(2026, 7, 8), 0),
        (date(2026, 7, 14), 1),
    ]:
        assert send_reminders(day) == expected, day
        db.session.commit()
    keys = sorted(db.session.scalars(sa.select(ReminderSent.key)))
    assert keys == ["after-1", "after-2", "before-14", "due"]


def test_no_reminder_once_reported(app, grant_setup, page, grantee_client):
    grant = grant_setup["grant"]
    grant.report_due_on = local_today()
    db.session.commit()
    submit(grantee_client, page)
    assert send_reminders(local_today()) == 0


def test_reminders_command_runs_twice_safely_over_smtp(make_app, smtp_server):
    app = make_app(**smtp_server.config)
    with app.app_context():
        from tests.factories import (
            FundingPeriodFactory,
            MembershipFactory,
        )

        network = NetworkFactory(slug="uddevalla")
        period = FundingPeriodFactory(network=network)
        grantee = MembershipFactory(network=network).organisation
        grant = GrantFactory(
            proposal=ProposalFactory(network=network, period=period, applicant=grantee)
        )
        grant.report_due_on = local_today()
        db.session.commit()
        runner = app.test_cli_runner()
        assert "1 queued" in runner.invoke(args=["reminders", "send"]).output
        assert "0 queued" in runner.invoke(args=["reminders", "send"]).output
        assert runner.invoke(args=["outbox", "send"]).exit_code == 0
        db.session.remove()
    assert len(smtp_server.handler.messages) == 1
    assert "ska lämnas i dag" in str(smtp_server.handler.messages[0]["Subject"])


def test_the_ledger_counts_reports_outstanding_and_overdue_per_organisation(
    app, grant_setup, page, grantee_client
):
    grant = grant_setup["grant"]
    grant.report_due_on = local_today() - timedelta(days=3)
    db.session.commit()
    staff = app.test_client()
    staff.login(grant_setup["coordinator"].email, PASSWORD)
    row = _organisation_row(staff, grant_setup["grantee"].name)
    assert row == " 1 1 försenad", row
    submit(grantee_client, page, files=[(PDF, "kvitto.pdf")])
    assert _organisation_row(staff, grant_setup["grantee"].name) == " 0"
    staff.submit(
        page + "/report/review", {"decision": "more", "message": "Kvittot saknas."}, page=page
    )
    assert _organisation_row(staff, grant_setup["grantee"].name) == " 1 1 försenad"


def _organisation_row(client, name: str) -> str:
    """The reports cell of ``name``'s row in the per-organisation table."""
    shown = text_of(client.get("/n/uddevalla/funds/")).replace("\u00a0", " ")
    money = r"[\d ]+ kr"
    found = re.search(
        rf"{re.escape(name)} {money} {money} {money} (\d+(?: \d+ försenade?)?)", shown
    )
    assert found, shown
    return " " + found.group(1)


def test_a_report_after_the_activity_is_accepted_without_a_warning(
    app, grant_setup, page, grantee_client
):
    proposal = grant_setup["grant"].proposal
    proposal.planned_start = local_today() - timedelta(days=60)
    proposal.planned_end = local_today() - timedelta(days=1)
    db.session.commit()
    submit(grantee_client, page)
    staff = app.test_client()
    staff.login(grant_setup["coordinator"].email, PASSWORD)
    assert "innan aktiviteten" not in text_of(staff.get(page))
    staff.submit(page + "/report/review", {"decision": "accept", "message": ""}, page=page)
    db.session.refresh(grant_setup["grant"])
    assert grant_setup["grant"].report.status == ReportStatus.ACCEPTED
