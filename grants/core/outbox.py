"""Mail goes out only through the outbox table (invariant 7).

``queue_mail`` writes a row in the same transaction as the change that causes
it, so a rolled-back change sends nothing and a committed one loses nothing.
``deliver_due`` (``flask outbox send``) claims rows with a lease, sends them
over SMTP (or prints them in development), marks them sent, and on failure
records the error and tries again later with exponential back-off.

Several senders may run at once: a row is claimed by a conditional UPDATE, so
only one of them sends it. A sender killed after a mail was marked sent never
sends it again; one killed mid-send leaves a claim whose lease runs out, and
that mail is tried again. The only window in which a mail could go out twice
is between the SMTP server accepting it and the commit that marks it sent;
the stable Message-ID lets mail systems recognise such a duplicate.
"""

from __future__ import annotations

import contextlib
import secrets
import smtplib
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, g, render_template
from flask_babel import force_locale
from flask_mail import Message
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grants.core.time import UTCDateTime, utcnow
from grants.extensions import db, mail

BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 6 * 3600


class OutboxMail(db.Model):
    __tablename__ = "outbox_mails"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int | None] = mapped_column(sa.ForeignKey("networks.id"), index=True)
    to_address: Mapped[str] = mapped_column(sa.String(254))
    to_name: Mapped[str] = mapped_column(sa.String(200), default="")
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    message_id: Mapped[str] = mapped_column(sa.String(200), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(60), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    claim_token: Mapped[str | None] = mapped_column(sa.String(40))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    gave_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    attachments: Mapped[list[OutboxAttachment]] = relationship(
        cascade="all, delete-orphan", order_by="OutboxAttachment.id"
    )

    @property
    def pending(self) -> bool:
        return self.sent_at is None and self.gave_up_at is None


class OutboxAttachment(db.Model):
    """A file sent with a mail (calendar invitations, minutes as PDF)."""

    __tablename__ = "outbox_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    mail_id: Mapped[int] = mapped_column(sa.ForeignKey("outbox_mails.id"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)


def queue_mail(
    template: str,
    *,
    to: str,
    to_name: str = "",
    locale: str = "sv",
    network=None,
    attachments: list[tuple[str, str, bytes]] = (),
    **context,
) -> OutboxMail:
    """Render ``templates/email/<template>.{txt,html}`` in ``locale`` and queue it.

    The subject is the template's first line of the text version, so both parts
    and the subject come from one place and one language.
    """
    with force_locale(locale if locale in current_app.config["LANGUAGES"] else "sv"):
        context.setdefault("network", network)
        text = render_template(f"email/{template}.txt", **context)
        html = render_template(f"email/{template}.html", **context)
    subject, _, body_text = text.partition("\n")
    domain = current_app.config["BASE_URL"].split("//", 1)[-1].split("/", 1)[0].split(":")[0]
    mail_row = OutboxMail(
        network_id=getattr(network, "id", None),
        to_address=to,
        to_name=to_name,
        subject=" ".join(subject.split())[:300],
        body_text=body_text.lstrip("\n"),
        body_html=html,
        kind=template,
        message_id=f"<{secrets.token_hex(16)}@{domain or 'grants.invalid'}>",
        next_attempt_at=utcnow(),
    )
    for filename, content_type, data in attachments:
        mail_row.attachments.append(
            OutboxAttachment(filename=filename, content_type=content_type, data=data)
        )
    db.session.add(mail_row)
    return mail_row


def mail_person(template: str, user, *, network=None, **context) -> OutboxMail:
    """Queue ``template`` to a person with an account, in their language."""
    return queue_mail(
        template,
        to=user.email,
        to_name=user.name,
        locale=user.locale,
        network=network,
        user=user,
        **context,
    )


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min … capped at 6 hours."""
    return timedelta(
        seconds=min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS)
    )


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    gave_up: int = 0
    errors: list[str] = field(default_factory=list)


def _due_ids(now: datetime, limit: int) -> list[int]:
    query = (
        sa.select(OutboxMail.id)
        .where(
            OutboxMail.sent_at.is_(None),
            OutboxMail.gave_up_at.is_(None),
            OutboxMail.next_attempt_at <= now,
            sa.or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now),
        )
        .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def _claim(mail_id: int, token: str, now: datetime) -> bool:
    lease = timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    result = db.session.execute(
        sa.update(OutboxMail)
        .where(
            OutboxMail.id == mail_id,
            OutboxMail.sent_at.is_(None),
            OutboxMail.gave_up_at.is_(None),
            sa.or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now),
        )
        .values(claim_token=token, claimed_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def _message(row: OutboxMail) -> Message:
    recipient = (row.to_name, row.to_address) if row.to_name else row.to_address
    message = Message(
        subject=row.subject,
        recipients=[recipient],
        body=row.body_text,
        html=row.body_html,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
        extra_headers={"Auto-Submitted": "auto-generated"},
    )
    # The row's own Message-ID, in place of the random one Flask-Mail makes: one header,
    # the same on every attempt, so a mail sent again after a crash is known as the same.
    message.msgId = row.message_id
    for attachment in row.attachments:
        message.attach(attachment.filename, attachment.content_type, attachment.data)
    return message


def _print_to_console(row: OutboxMail) -> None:
    print(
        f"\n----- mail {row.id} (development: not sent) -----\n"
        f"To: {row.to_address}\nSubject: {row.subject}\n\n{row.body_text}\n"
        f"----- end of mail {row.id} -----",
        file=sys.stdout,
        flush=True,
    )


def deliver_due(*, now: datetime | None = None, limit: int = 100) -> DeliveryReport:
    """Send what is due. Commits after every mail, so a crash loses no progress."""
    g.sqlite_write_transactions = True  # a sender writes: take SQLite's write lock up front
    now = now or utcnow()
    report = DeliveryReport()
    token = secrets.token_hex(8)
    use_smtp = bool(current_app.config.get("MAIL_SERVER"))
    connection = None
    try:
        for mail_id in _due_ids(now, limit):
            if not _claim(mail_id, token, now):
                continue
            row = db.session.get(OutboxMail, mail_id, populate_existing=True)
            try:
                if use_smtp:
                    if connection is None:
                        connection = mail.connect()
                        connection.__enter__()
                    connection.send(_message(row))
                else:
                    _print_to_console(row)
            except (smtplib.SMTPException, OSError) as error:
                connection = _close_quietly(connection)
                _record_failure(row, error, now, report)
                continue
            row.sent_at = utcnow()
            row.attempts += 1
            row.claim_token = None
            row.claimed_until = None
            row.last_error = ""
            db.session.commit()
            report.sent += 1
    finally:
        _close_quietly(connection)
    return report


def _close_quietly(connection):
    if connection is not None:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.__exit__(None, None, None)
    return None


def _record_failure(row: OutboxMail, error: Exception, now: datetime, report: DeliveryReport):
    row.attempts += 1
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    row.claim_token = None
    row.claimed_until = None
    permanent = isinstance(error, smtplib.SMTPRecipientsRefused)
    if permanent or row.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
        row.gave_up_at = now
        report.gave_up += 1
    else:
        row.next_attempt_at = now + backoff(row.attempts)
        report.failed += 1
    report.errors.append(row.last_error)
    db.session.commit()


def drop_old_bodies(cutoff: datetime) -> tuple[int, int]:
    """Empty the bodies and drop the attachments of mails sent (or given up on) before
    ``cutoff``; (mails emptied, attachments dropped). Who got what subject when stays:
    that is the record; the body held names, addresses and links, and is not needed."""
    finished = sa.or_(OutboxMail.sent_at < cutoff, OutboxMail.gave_up_at < cutoff)
    old_mails = sa.select(OutboxMail.id).where(finished).scalar_subquery()
    attachments = db.session.execute(
        sa.delete(OutboxAttachment).where(OutboxAttachment.mail_id.in_(old_mails))
    ).rowcount
    emptied = db.session.execute(
        sa.update(OutboxMail)
        .where(finished, sa.or_(OutboxMail.body_text != "", OutboxMail.body_html != ""))
        .values(body_text="", body_html="")
    ).rowcount
    return emptied, attachments
