"""Invitations (kallelse) with the agenda and a calendar file; updates and cancellations.

Sending the invitations freezes the proposal part of the agenda: a proposal
that arrives later goes to the following meeting, unless the coordinator adds
it as a late item with a reason.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from grants.core import audit
from grants.core.errors import DomainError
from grants.core.outbox import queue_mail
from grants.core.time import utcnow
from grants.core.urls import external_url
from grants.extensions import db
from grants.meetings.calendar import invitation_ics
from grants.meetings.models import Meeting, MeetingStatus
from grants.meetings.session import agenda, ensure_agenda, require_unlocked
from grants.members.models import Membership, Organisation, OrganisationKind, Role, RoleKind
from grants.proposals.models import Proposal, ProposalState


def recipients(network) -> list[tuple[str, str, str]]:
    """(e-mail, name, locale) of everyone invited: representatives and contact persons
    of the member organisations that want invitations, each address once."""
    rows = db.session.execute(
        sa.select(Organisation, Membership)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(
            Membership.network_id == network.id,
            Membership.active.is_(True),
            Membership.wants_invitations.is_(True),
            Organisation.kind != OrganisationKind.NETWORK_ITSELF,
        )
    ).all()
    organisation_ids = [organisation.id for organisation, _ in rows]
    found: dict[str, tuple[str, str, str]] = {}
    representatives = db.session.scalars(
        sa.select(Role).where(
            Role.network_id == network.id,
            Role.role == RoleKind.REPRESENTATIVE,
            Role.organisation_id.in_(organisation_ids),
        )
    ).all()
    for role in representatives:
        found.setdefault(role.user.email, (role.user.email, role.user.name, role.user.locale))
    for organisation, _membership in rows:
        if organisation.contact_email:
            email = organisation.contact_email.lower()
            found.setdefault(email, (email, organisation.contact_name, "sv"))
    return sorted(found.values())


def _summary(meeting: Meeting) -> str:
    return _(
        "Nätverksträff %(number)d, %(network)s", number=meeting.number, network=meeting.network.name
    )


def _mail_everyone(meeting: Meeting, template: str, **context) -> int:
    """Queue ``template`` with the meeting's calendar file to every recipient."""
    link = external_url("meetings.show", slug=meeting.network.slug, meeting_id=meeting.id)
    items = agenda(meeting)
    count = 0
    for email, name, locale in recipients(meeting.network):
        with force_locale(locale):
            ics = invitation_ics(meeting, summary=_summary(meeting), description=link)
        queue_mail(
            template,
            to=email,
            to_name=name,
            locale=locale,
            network=meeting.network,
            meeting=meeting,
            items=items,
            link=link,
            attachments=[
                (
                    "motet.ics",
                    "text/calendar; charset=UTF-8; method="
                    + ("CANCEL" if meeting.status == MeetingStatus.CANCELLED else "REQUEST"),
                    ics,
                )
            ],
            **context,
        )
        count += 1
    return count


def days_until(meeting: Meeting) -> int:
    return (meeting.starts_at - utcnow()).days


def send_invitations(meeting: Meeting, *, actor, confirm_short_notice: bool = False) -> int:
    """Freeze the agenda's proposals and invite every member that wants invitations."""
    require_unlocked(meeting)
    if meeting.status != MeetingStatus.PLANNED:
        raise DomainError(_("Kallelsen till mötet är redan skickad."))
    if meeting.starts_at <= utcnow():
        raise DomainError(_("Mötet har redan börjat eller varit. Kallelser skickas före mötet."))
    lead = meeting.network.invite_lead_days
    if days_until(meeting) < lead and not confirm_short_notice:
        raise DomainError(
            _(
                "Mötet är om %(days)d dagar, men nätverket skickar kallelser %(lead)d dagar "
                "före. Kryssa i att kallelsen ändå ska skickas.",
                days=days_until(meeting),
                lead=lead,
            ),
            field="confirm_short_notice",
        )
    ensure_agenda(meeting, actor=actor)
    meeting.status = MeetingStatus.INVITED
    meeting.invited_at = utcnow()
    on_agenda = [item.proposal_id for item in agenda(meeting) if item.proposal_id]
    if on_agenda:
        db.session.execute(
            sa.update(Proposal)
            .where(
                Proposal.id.in_(on_agenda),
                Proposal.state.in_((ProposalState.REGISTERED, ProposalState.DEFERRED)),
            )
            .values(state=ProposalState.ON_AGENDA)
            .execution_options(synchronize_session="fetch")
        )
    db.session.flush()
    sent = _mail_everyone(meeting, "meeting_invitation")
    audit.record(
        meeting.network,
        "meeting.invitations_sent",
        meeting,
        actor=actor,
        data={"recipients": sent, "proposals": len(on_agenda)},
    )
    return sent


def send_update(meeting: Meeting, *, actor) -> int:
    """A changed time or place of an invited meeting: everyone's calendar follows."""
    meeting.ics_sequence += 1
    db.session.flush()
    sent = _mail_everyone(meeting, "meeting_changed")
    audit.record(
        meeting.network,
        "meeting.update_sent",
        meeting,
        actor=actor,
        data={"recipients": sent, "sequence": meeting.ics_sequence},
    )
    return sent


def cancel_meeting(meeting: Meeting, *, reason: str, actor) -> None:
    """Cancel a meeting; its proposals go back in the queue for the next one."""
    from grants.proposals.operations import queue_waiting_proposals

    require_unlocked(meeting)
    if meeting.status not in (MeetingStatus.PLANNED, MeetingStatus.INVITED):
        raise DomainError(_("Bara ett möte som inte har börjat kan ställas in."))
    if not reason:
        raise DomainError(_("Skriv varför mötet ställs in."), field="reason")
    was_invited = meeting.status == MeetingStatus.INVITED
    meeting.status = MeetingStatus.CANCELLED
    meeting.ics_sequence += 1
    queued = db.session.scalars(sa.select(Proposal).where(Proposal.meeting_id == meeting.id)).all()
    for proposal in queued:
        proposal.meeting = None
        if proposal.state == ProposalState.ON_AGENDA:
            proposal.state = ProposalState.REGISTERED
    db.session.flush()
    if was_invited:
        _mail_everyone(meeting, "meeting_cancelled", reason=reason)
    audit.record(
        meeting.network,
        "meeting.cancelled",
        meeting,
        actor=actor,
        data={"proposals_requeued": len(queued)},
    )
    queue_waiting_proposals(meeting.network, actor=actor)
