"""Minutes (protokoll): officers, closing the meeting, adjustment, and what follows it.

Swedish form: a chair (ordförande), a secretary (sekreterare) and one or two
adjusters (justerare) chosen among those present. When every adjuster has
approved, signed in or on paper, the minutes are adjusted and the meeting is
locked for good (invariant 4); then the minutes go to every member as a PDF,
each applicant gets its decision, and the public version appears.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from grants.core import audit
from grants.core.errors import DomainError
from grants.core.outbox import queue_mail
from grants.core.time import local_today, to_local, utcnow
from grants.core.urls import external_url
from grants.extensions import db
from grants.meetings.models import (
    Adjuster,
    AgendaItemKind,
    ItemStatus,
    Meeting,
    MeetingStatus,
    Minutes,
)
from grants.meetings.session import agenda, present_organisation_ids, require_unlocked
from grants.members.models import Role, RoleKind, User

MAX_ADJUSTERS = 2


def minutes_of(meeting: Meeting) -> Minutes:
    minutes = db.session.scalar(sa.select(Minutes).where(Minutes.meeting_id == meeting.id))
    if minutes is None:
        minutes = Minutes(meeting=meeting)
        db.session.add(minutes)
        db.session.flush()
    return minutes


def is_adjuster(meeting: Meeting, user: User) -> bool:
    return bool(
        db.session.scalar(
            sa.select(Adjuster.id)
            .join(Minutes, Minutes.id == Adjuster.minutes_id)
            .where(Minutes.meeting_id == meeting.id, Adjuster.user_id == user.id)
        )
    )


def present_people(meeting: Meeting) -> list[tuple[User, int | None]]:
    """People with an account who can be adjusters: representatives of present
    organisations, and the network's coordinators (who run the meeting)."""
    present = present_organisation_ids(meeting)
    roles = db.session.scalars(
        sa.select(Role)
        .where(
            Role.network_id == meeting.network_id,
            sa.or_(
                sa.and_(Role.role == RoleKind.REPRESENTATIVE, Role.organisation_id.in_(present)),
                Role.role == RoleKind.COORDINATOR,
            ),
        )
        .options(joinedload(Role.user))
    ).all()
    seen: dict[int, tuple[User, int | None]] = {}
    for role in roles:
        seen.setdefault(role.user_id, (role.user, role.organisation_id))
    return sorted(seen.values(), key=lambda pair: pair[0].name)


def set_officers(
    meeting: Meeting, *, chair: str, secretary: str, adjuster_ids: list[int], actor
) -> Minutes:
    require_unlocked(meeting)
    if meeting.status not in (MeetingStatus.IN_SESSION, MeetingStatus.HELD):
        raise DomainError(_("Ordförande, sekreterare och justerare väljs på mötet."))
    if not chair or not secretary:
        raise DomainError(
            _("Skriv vem som är ordförande och vem som är sekreterare."), field="chair"
        )
    if not 1 <= len(set(adjuster_ids)) <= MAX_ADJUSTERS:
        raise DomainError(_("Välj en eller två justerare."), field="adjusters")
    eligible = {
        user.id: (user, organisation_id) for user, organisation_id in present_people(meeting)
    }
    if any(user_id not in eligible for user_id in adjuster_ids):
        raise DomainError(_("Justerarna väljs bland dem som är närvarande."), field="adjusters")
    minutes = minutes_of(meeting)
    if any(adjuster.approved_at for adjuster in minutes.adjusters):
        raise DomainError(_("Justeringen har börjat; justerarna kan inte bytas."))
    minutes.chair_name, minutes.secretary_name = chair, secretary
    minutes.adjusters = [
        Adjuster(
            user=eligible[user_id][0],
            organisation_id=eligible[user_id][1],
            name=eligible[user_id][0].name,
        )
        for user_id in dict.fromkeys(adjuster_ids)
    ]
    db.session.flush()
    audit.record(
        meeting.network,
        "minutes.officers_set",
        minutes,
        actor=actor,
        data={"adjuster_user_ids": list(dict.fromkeys(adjuster_ids))},
    )
    return minutes


def close_meeting(meeting: Meeting, *, actor) -> None:
    """The meeting is over: every proposal on the agenda must have its decision."""
    require_unlocked(meeting)
    if meeting.status != MeetingStatus.IN_SESSION:
        raise DomainError(_("Mötet pågår inte."))
    open_items = [
        item.title
        for item in agenda(meeting)
        if item.kind == AgendaItemKind.PROPOSAL and item.status != ItemStatus.DECIDED
    ]
    if open_items:
        raise DomainError(
            _(
                "Besluta först om: %(items)s. Ett förslag som inte hinns med bordläggs.",
                items="; ".join(open_items),
            )
        )
    minutes = minutes_of(meeting)
    if not minutes.adjusters:
        raise DomainError(_("Välj ordförande, sekreterare och justerare innan mötet avslutas."))
    meeting.status = MeetingStatus.HELD
    audit.record(meeting.network, "meeting.closed", meeting, actor=actor)


def write_minutes(meeting: Meeting, *, texts: dict[int, str], closing_text: str, actor) -> None:
    """The secretary's words per item; only until the minutes are adjusted."""
    require_unlocked(meeting)
    if meeting.status not in (MeetingStatus.IN_SESSION, MeetingStatus.HELD):
        raise DomainError(_("Protokollet skrivs under och efter mötet."))
    minutes = minutes_of(meeting)
    if any(adjuster.approved_at for adjuster in minutes.adjusters):
        raise DomainError(_("En justerare har redan godkänt protokollet; texten kan inte ändras."))
    for item in agenda(meeting):
        if item.id in texts:
            item.minutes_text = texts[item.id]
    minutes.closing_text = closing_text
    audit.record(meeting.network, "minutes.written", minutes, actor=actor)


def approve_minutes(meeting: Meeting, *, actor: User) -> bool:
    """An adjuster approves, signed in. Returns True when this adjusted the minutes."""
    user = actor
    require_unlocked(meeting)
    if meeting.status != MeetingStatus.HELD:
        raise DomainError(_("Protokollet justeras när mötet är avslutat."))
    minutes = minutes_of(meeting)
    mine = [adjuster for adjuster in minutes.adjusters if adjuster.user_id == user.id]
    if not mine:
        raise DomainError(_("Du är inte justerare för det här mötet."))
    if mine[0].approved_at is None:
        mine[0].approved_at = utcnow()
        audit.record(
            meeting.network,
            "minutes.approved",
            minutes,
            actor=user,
            data={"adjuster_id": mine[0].id},
        )
    if all(adjuster.approved_at for adjuster in minutes.adjusters):
        _adjust(meeting, minutes, actor=user)
        return True
    return False


def record_paper_adjustment(meeting: Meeting, *, note: str, actor) -> None:
    """The coordinator records that the adjusters signed a paper copy (date and names)."""
    require_unlocked(meeting)
    if meeting.status != MeetingStatus.HELD:
        raise DomainError(_("Protokollet justeras när mötet är avslutat."))
    if not note:
        raise DomainError(_("Skriv när och av vem pappersprotokollet justerades."), field="note")
    minutes = minutes_of(meeting)
    for adjuster in minutes.adjusters:
        if adjuster.approved_at is None:
            adjuster.approved_at = utcnow()
            adjuster.on_paper = True
    minutes.paper_adjustment_note = note
    _adjust(meeting, minutes, actor=actor)


def _adjust(meeting: Meeting, minutes: Minutes, *, actor) -> None:
    from grants.meetings.minutes_pdf import minutes_pdf

    day = to_local(meeting.starts_at).date()
    if local_today() < day:
        raise DomainError(
            _("Protokollet kan inte justeras före mötets dag (%(date)s).", date=day.isoformat())
        )

    minutes.adjusted_at = utcnow()
    meeting.status = MeetingStatus.ADJUSTED
    db.session.flush()
    audit.record(
        meeting.network,
        "minutes.adjusted",
        minutes,
        actor=actor,
        data={"on_paper": any(a.on_paper for a in minutes.adjusters)},
    )
    pdf = minutes_pdf(meeting)
    filename = f"protokoll-motet-{meeting.number}.pdf"
    link = external_url("meeting_minutes.show", slug=meeting.network.slug, meeting_id=meeting.id)
    from grants.meetings.invitations import recipients

    for email, name, locale in recipients(meeting.network):
        queue_mail(
            "minutes_adjusted",
            to=email,
            to_name=name,
            locale=locale,
            network=meeting.network,
            meeting=meeting,
            link=link,
            attachments=[(filename, "application/pdf", pdf)],
        )
    for item in agenda(meeting):
        if item.decision is not None and item.proposal.contact_email:
            proposal = item.proposal
            queue_mail(
                "decision",
                to=proposal.contact_email,
                to_name=proposal.contact_name,
                locale="sv",
                network=meeting.network,
                meeting=meeting,
                proposal=proposal,
                decision=item.decision,
                link=external_url(
                    "proposals.show", slug=meeting.network.slug, proposal_id=proposal.id
                ),
            )
