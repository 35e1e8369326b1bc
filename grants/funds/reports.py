"""The grantee's report (redovisning): submitted with receipts, accepted or sent back.

Accepting closes the grant when it is fully paid; an unused amount leads to a
refund request to the grantee.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask_babel import gettext as _

from grants.core import audit
from grants.core.errors import DomainError
from grants.core.outbox import mail_person, queue_mail
from grants.core.time import format_date, to_local, utcnow
from grants.core.uploads import store_upload
from grants.core.urls import external_url
from grants.extensions import db
from grants.funds.ledger import grant_figures
from grants.funds.models import (
    Grant,
    GrantReport,
    GrantState,
    ReportAttachment,
    ReportStatus,
)

MAX_FILES = 3


def submit_report(
    grant: Grant,
    *,
    done: str,
    participants: int,
    contribution: str,
    costs: list[tuple[str, int, int]],
    unused_ore: int,
    files,
    actor,
) -> GrantReport:
    """The grantee reports (again, when asked for more)."""
    if grant.state in (GrantState.WITHDRAWN, GrantState.CLOSED):
        raise DomainError(_("Bidraget är återkallat eller avslutat."))
    report = grant.report
    if report is not None and report.status == ReportStatus.ACCEPTED:
        raise DomainError(_("Redovisningen är redan godkänd."))
    if unused_ore > grant.amount_ore:
        raise DomainError(
            _("Det oanvända beloppet kan inte vara större än bidraget."), field="unused"
        )
    uploads = [f for f in files if f and f.filename]
    if len(uploads) > MAX_FILES:
        raise DomainError(_("Högst tre filer åt gången."), field="attachments")
    stored = [store_upload(f.stream, f.filename) for f in uploads]
    if report is None:
        report = GrantReport(
            network_id=grant.network_id,
            grant_id=grant.id,
            done_text=done,
            participants=participants,
            contribution_text=contribution,
        )
        db.session.add(report)
    report.done_text, report.participants = done, participants
    report.contribution_text = contribution
    report.costs = json.dumps([list(row) for row in costs], ensure_ascii=False)
    report.unused_ore = unused_ore
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = utcnow()
    report.submitted_by_id = getattr(actor, "id", None)
    db.session.flush()
    for file in stored:
        db.session.add(
            ReportAttachment(
                network_id=grant.network_id,
                report_id=report.id,
                filename=file.filename,
                content_type=file.content_type,
                size=file.size,
                storage_key=file.storage_key,
                uploaded_by_id=getattr(actor, "id", None),
            )
        )
    if grant.state in (GrantState.GRANTED, GrantState.PARTLY_PAID, GrantState.PAID):
        grant.state = GrantState.REPORTED
    audit.record(
        grant.network,
        "report.submitted",
        report,
        actor=actor,
        data={
            "grant_id": grant.id,
            "participants": participants,
            "unused_ore": unused_ore,
            "attachments": len(stored),
        },
    )
    from grants.members.operations import coordinators

    link = external_url("grants.show", slug=grant.network.slug, grant_id=grant.id)
    for coordinator in coordinators(grant.network):
        mail_person("report_submitted", coordinator, network=grant.network, grant=grant, link=link)
    return report


def early_report(report: GrantReport) -> str | None:
    """Whether the report came in before the activity was done: "before_start" (before
    its planned start), "before_end" (before its planned end), or None."""
    proposal = report.grant.proposal
    if report.submitted_at is None:
        return None
    submitted_on = to_local(report.submitted_at).date()
    if proposal.planned_start and submitted_on < proposal.planned_start:
        return "before_start"
    if proposal.planned_end and submitted_on < proposal.planned_end:
        return "before_end"
    return None


def accept_report(report: GrantReport, *, actor, early_seen: bool = False) -> None:
    """Accept a submitted report. One that came in before the activity was planned to end
    is accepted only when the coordinator says they saw that (``early_seen``): an activity
    reported on before it took place is a thing an auditor asks about."""
    grant = report.grant
    if report.status != ReportStatus.SUBMITTED:
        raise DomainError(_("Bara en inlämnad redovisning kan godkännas."))
    early = early_report(report)
    if early and not early_seen:
        raise DomainError(
            _(
                "Redovisningen lämnades in innan aktiviteten var klar enligt planen "
                "(%(start)s – %(end)s). Kryssa i att du har sett det om du ändå godkänner den, "
                "eller be om en komplettering.",
                start=format_date(grant.proposal.planned_start),
                end=format_date(grant.proposal.planned_end),
            ),
            field="early_seen",
        )
    report.status = ReportStatus.ACCEPTED
    report.decided_at, report.decided_by_id = utcnow(), actor.id
    figures = grant_figures([grant.id])[grant.id]
    if figures.paid >= grant.amount_ore - report.unused_ore:
        grant.state = GrantState.CLOSED
    audit.record(
        grant.network,
        "report.accepted",
        report,
        actor=actor,
        data={
            "grant_id": grant.id,
            "closed": grant.state == GrantState.CLOSED,
            "early": early,
        },
    )
    _tell_grantee(grant, "report_accepted", report=report)


def request_more(report: GrantReport, *, message: str, actor) -> None:
    if report.status != ReportStatus.SUBMITTED:
        raise DomainError(_("Bara en inlämnad redovisning kan skickas tillbaka."))
    if not message:
        raise DomainError(_("Skriv vad som behöver kompletteras."), field="message")
    report.status = ReportStatus.NEEDS_MORE
    report.coordinator_message = message
    report.decided_at, report.decided_by_id = utcnow(), actor.id
    audit.record(
        report.grant.network,
        "report.needs_more",
        report,
        actor=actor,
        data={"grant_id": report.grant_id},
    )
    _tell_grantee(report.grant, "report_needs_more", report=report, message=message)


def _tell_grantee(grant: Grant, template: str, **context) -> None:
    proposal = grant.proposal
    if not proposal.contact_email:
        return
    queue_mail(
        template,
        to=proposal.contact_email,
        to_name=proposal.contact_name,
        locale="sv",
        network=grant.network,
        grant=grant,
        proposal=proposal,
        link=external_url("grants.show", slug=grant.network.slug, grant_id=grant.id),
        **context,
    )


def attachment_in_network(network, attachment_id: int) -> ReportAttachment | None:
    return db.session.scalar(
        sa.select(ReportAttachment).where(
            ReportAttachment.id == attachment_id, ReportAttachment.network_id == network.id
        )
    )
