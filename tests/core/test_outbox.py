"""Invariant 7: no mail is lost. Delivered over real SMTP (aiosmtpd), retried, never twice."""

import os
import signal
import subprocess
import sys
from datetime import timedelta

import sqlalchemy as sa

from grants.core.outbox import OutboxMail, backoff, deliver_due, queue_mail
from grants.core.time import utcnow
from grants.extensions import db
from tests.factories import NetworkFactory, UserFactory


def queue(count=1, locale="sv", **kwargs):
    user = UserFactory(locale=locale, name="Åsa Öberg")
    rows = []
    for number in range(count):
        rows.append(
            queue_mail(
                "password_reset",
                to=user.email,
                to_name=user.name,
                locale=locale,
                user=user,
                link=f"http://testserver.local/auth/reset/token{number}",
                **kwargs,
            )
        )
    db.session.commit()
    return rows


def pending():
    return db.session.scalar(
        sa.select(sa.func.count(OutboxMail.id)).where(OutboxMail.sent_at.is_(None))
    )


def test_a_mail_is_delivered_with_plain_text_and_html_parts(mail_app, smtp_server):
    queue()
    report = deliver_due()
    assert report.sent == 1
    message = smtp_server.handler.messages[0]
    assert message["Subject"] == "Välj ett nytt lösenord"
    assert "Åsa Öberg" in str(message["To"])
    assert message["Message-ID"].startswith("<")
    kinds = {part.get_content_type() for part in message.walk()}
    assert {"text/plain", "text/html"} <= kinds
    assert "/auth/reset/token0" in message.get_body(("plain",)).get_content()
    assert pending() == 0


def test_a_mail_sent_again_carries_one_and_the_same_message_id(mail_app, smtp_server):
    (row,) = queue()
    deliver_due()
    # As if the sender died after the server took the mail but before it noted so.
    db.session.execute(sa.update(OutboxMail).values(sent_at=None, attempts=0))
    db.session.commit()
    deliver_due()
    first, again = smtp_server.handler.messages
    assert first.get_all("Message-ID") == again.get_all("Message-ID") == [row.message_id]


def test_mail_is_written_in_the_recipients_language(mail_app, smtp_server):
    queue(locale="en")
    deliver_due()
    message = smtp_server.handler.messages[0]
    assert message["Subject"] == "Choose a new password"
    assert "Hello Åsa Öberg" in message.get_body(("plain",)).get_content()


def test_a_rolled_back_change_sends_nothing(mail_app, smtp_server):
    user = UserFactory()
    queue_mail("password_reset", to=user.email, user=user, link="x")
    db.session.rollback()
    assert deliver_due().sent == 0
    assert smtp_server.handler.messages == []


def test_an_smtp_outage_loses_nothing_and_each_mail_arrives_once(mail_app, smtp_server):
    queue(3)
    smtp_server.stop()
    report = deliver_due()
    assert report.sent == 0 and report.failed == 3
    rows = db.session.scalars(sa.select(OutboxMail)).all()
    assert all(row.attempts == 1 and row.last_error for row in rows)
    assert all(row.next_attempt_at > utcnow() for row in rows)
    # Not due yet: nothing happens, nothing is lost.
    assert deliver_due().sent == 0
    smtp_server.start()
    later = utcnow() + timedelta(minutes=5)
    assert deliver_due(now=later).sent == 3
    assert deliver_due(now=later + timedelta(hours=1)).sent == 0
    assert len(smtp_server.handler.messages) == 3
    assert pending() == 0


def test_a_server_that_answers_try_again_later_is_retried(mail_app, smtp_server):
    queue()
    smtp_server.handler.refuse = True
    assert deliver_due().failed == 1
    smtp_server.handler.refuse = False
    assert deliver_due(now=utcnow() + timedelta(minutes=1)).sent == 1


def test_back_off_grows_and_is_capped():
    waits = [backoff(attempt).total_seconds() for attempt in range(1, 15)]
    assert waits[:3] == [30, 60, 120]
    assert waits == sorted(waits) and max(waits) == 6 * 3600


def test_after_many_failures_a_mail_is_kept_but_given_up(mail_app, smtp_server):
    mail_app.config["OUTBOX_MAX_ATTEMPTS"] = 2
    queue()
    smtp_server.stop()
    deliver_due()
    deliver_due(now=utcnow() + timedelta(hours=1))
    row = db.session.scalar(sa.select(OutboxMail))
    assert row.gave_up_at is not None and row.sent_at is None and row.attempts == 2


def test_two_senders_at_once_send_each_mail_once(mail_app, smtp_server):
    import threading

    queue(10)
    app = mail_app

    def sender():
        with app.app_context():
            deliver_due()
            db.session.remove()

    threads = [threading.Thread(target=sender) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(smtp_server.handler.messages) == 10
    assert len({m["Message-ID"] for m in smtp_server.handler.messages}) == 10


def _sender_process(database_url: str, smtp_port: int, tmp_path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_port),
        "SECRET_KEY": "test-secret",
        "GRANTS_INSTANCE_DIR": str(tmp_path / "instance"),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "grants", "outbox", "send"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_a_sender_killed_mid_batch_and_restarted_sends_nothing_twice(
    mail_app, smtp_server, database_url, tmp_path
):
    rows = queue(5)
    subjects = [row.subject for row in rows]
    # Hold the third mail inside the SMTP conversation, then kill the sender there.
    db.session.execute(
        sa.update(OutboxMail).where(OutboxMail.id == rows[2].id).values(subject="hold me")
    )
    db.session.commit()
    smtp_server.handler.hold_subjects = {"hold me"}
    process = _sender_process(database_url, smtp_server.port, tmp_path)
    assert smtp_server.handler.holding.wait(timeout=30), process.stderr.read()
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    smtp_server.handler.release.set()  # the server never accepted the held mail
    assert len(smtp_server.handler.messages) == 2

    smtp_server.handler.hold_subjects = set()
    held = db.session.scalar(sa.select(OutboxMail).where(OutboxMail.subject == "hold me"))
    assert held.claim_token is not None and held.sent_at is None
    # Two minutes later the killed sender's lease has run out (moved, not waited for).
    held.claimed_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    restarted = _sender_process(database_url, smtp_server.port, tmp_path)
    assert restarted.wait(timeout=60) == 0, restarted.stderr.read()
    delivered = [str(message["Subject"]) for message in smtp_server.handler.messages]
    assert sorted(delivered) == sorted([*subjects[:2], "hold me", *subjects[3:]])
    assert len(delivered) == len(set(m["Message-ID"] for m in smtp_server.handler.messages)) == 5
    assert pending() == 0


def test_the_outbox_command_reports_what_it_did(mail_app, smtp_server):
    queue(2)
    result = mail_app.test_cli_runner().invoke(args=["outbox", "send"])
    assert result.exit_code == 0
    assert "2 sent" in result.output


def test_development_prints_mail_instead_of_sending(make_app, capsys):
    app = make_app(MAIL_SERVER=None)
    with app.app_context():
        NetworkFactory()
        queue()
        assert deliver_due().sent == 1
    assert "Välj ett nytt lösenord" in capsys.readouterr().out


def test_retention_empties_old_mails_and_keeps_who_got_what_when(mail_app, smtp_server):
    from datetime import timedelta

    from grants.core.outbox import OutboxAttachment
    from grants.core.time import utcnow

    old, recent, unsent = queue(3, attachments=[("kallelse.ics", "text/calendar", b"BEGIN")])
    deliver_due(limit=2)
    now = utcnow()
    old.sent_at = now - timedelta(days=91)
    unsent.created_at = now - timedelta(days=400)  # still waiting: its body is still needed
    db.session.commit()

    result = mail_app.test_cli_runner().invoke(args=["retention", "run"])
    assert "retention: 1 mails emptied, 1 attachments dropped" in result.output
    db.session.expire_all()
    assert (old.body_text, old.body_html) == ("", "")
    assert old.to_address and old.subject == "Välj ett nytt lösenord" and old.sent_at
    assert recent.body_text and unsent.body_text
    remaining = db.session.scalars(sa.select(OutboxAttachment.mail_id)).all()
    assert sorted(remaining) == sorted([recent.id, unsent.id])
    again = mail_app.test_cli_runner().invoke(args=["retention", "run"])
    assert "retention: 0 mails emptied, 0 attachments dropped" in again.output
