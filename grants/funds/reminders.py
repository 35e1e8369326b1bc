"""Report reminders: 14 days before the due date, on it, and once a week after it.

Each reminder sent is recorded (grant, key); the key is unique per grant, so
running the reminders twice, or on two machines at once, sends nothing twice.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from grants.core.outbox import queue_mail
from grants.core.urls import external_url
from grants.extensions import db
from grants.funds.models import Grant, GrantReport, GrantState, ReminderSent, ReportStatus

WAITING_STATES = (GrantState.GRANTED, GrantState.PARTLY_PAID, GrantState.PAID)


def reminder_key(due: date, today: date) -> str | None:
    """Which reminder is due today, if any (the latest one that applies)."""
    if today < due - timedelta(days=14):
        return None
    if today < due:
        return "before-14"
    weeks = (today - due).days // 7
    return "due" if weeks == 0 else f"after-{weeks}"


def send_reminders(today: date) -> int:
    """Queue the reminders due on ``today``; return how many were queued."""
    grants = db.session.scalars(
        sa.select(Grant)
        .outerjoin(GrantReport, GrantReport.grant_id == Grant.id)
        .where(
            Grant.state.in_(WAITING_STATES),
            Grant.report_due_on.is_not(None),
            Grant.report_due_on <= today + timedelta(days=14),
            sa.or_(GrantReport.id.is_(None), GrantReport.status == ReportStatus.NEEDS_MORE),
        )
    ).all()
    sent = 0
    for grant in grants:
        key = reminder_key(grant.report_due_on, today)
        if key is None:
            continue
        try:
            with db.session.begin_nested():
                db.session.add(ReminderSent(grant_id=grant.id, key=key))
                db.session.flush()
        except IntegrityError:
            continue  # already sent
        proposal = grant.proposal
        if proposal.contact_email:
            queue_mail(
                "report_reminder",
                to=proposal.contact_email,
                to_name=proposal.contact_name,
                locale="sv",
                network=grant.network,
                grant=grant,
                proposal=proposal,
                key=key,
                overdue_days=(today - grant.report_due_on).days,
                link=external_url("grants.show", slug=grant.network.slug, grant_id=grant.id),
            )
            sent += 1
    return sent
