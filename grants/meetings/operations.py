"""Planning network meetings. Agenda, invitations and the session come with the meetings issue."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from grants.core import audit
from grants.core.errors import DomainError
from grants.core.time import STOCKHOLM, local_today, to_local, utcnow
from grants.extensions import db
from grants.meetings.models import OPEN_FOR_PROPOSALS, Meeting, MeetingStatus
from grants.members.models import Organisation
from grants.networks.models import Network


def next_open_meeting(network: Network, after: datetime | None = None) -> Meeting | None:
    """The first meeting after ``after`` (now) whose agenda still takes proposals."""
    return db.session.scalar(
        sa.select(Meeting)
        .where(
            Meeting.network_id == network.id,
            Meeting.status.in_(OPEN_FOR_PROPOSALS),
            Meeting.starts_at > (after or utcnow()),
        )
        .order_by(Meeting.starts_at)
        .limit(1)
    )


def meetings_that_took_place(network: Network) -> list[Meeting]:
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .where(
                Meeting.network_id == network.id,
                Meeting.status != MeetingStatus.CANCELLED,
                Meeting.starts_at <= utcnow(),
            )
            .order_by(Meeting.starts_at.desc())
        )
    )


def upcoming_meetings(network: Network) -> list[Meeting]:
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .where(
                Meeting.network_id == network.id,
                Meeting.status.in_(OPEN_FOR_PROPOSALS),
                Meeting.starts_at > utcnow(),
            )
            .order_by(Meeting.starts_at)
        )
    )


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise DomainError(_l("Mötet måste sluta efter att det börjar."), field="end_time")


def plan_meeting(
    network: Network,
    *,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    host: Organisation | None,
    theme: str,
    actor,
) -> Meeting:
    """A new planned meeting; proposals waiting for a meeting are queued for it."""
    _check_times(starts_at, ends_at)
    if starts_at <= utcnow():
        raise DomainError(_l("Ett nytt möte måste ligga i framtiden."), field="date")
    number = (
        db.session.scalar(
            sa.select(sa.func.max(Meeting.number)).where(Meeting.network_id == network.id)
        )
        or 0
    ) + 1
    meeting = Meeting(
        network=network,
        number=number,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        host_organisation=host,
        theme=theme,
    )
    db.session.add(meeting)
    audit.record(
        network,
        "meeting.planned",
        meeting,
        actor=actor,
        data={"number": number, "starts_at": starts_at.isoformat()},
    )
    from grants.proposals.operations import queue_waiting_proposals

    queue_waiting_proposals(network, actor=actor)
    return meeting


def update_meeting(
    meeting: Meeting,
    *,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    host: Organisation | None,
    theme: str,
    actor,
) -> None:
    """Change a meeting that has not begun; an invited one gets an update sent out."""
    if meeting.status not in (MeetingStatus.PLANNED, MeetingStatus.INVITED):
        raise DomainError(_l("Bara ett möte som inte har börjat kan ändras."))
    _check_times(starts_at, ends_at)
    moved = (meeting.starts_at, meeting.ends_at, meeting.place) != (starts_at, ends_at, place)
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.place, meeting.host_organisation, meeting.theme = place, host, theme
    audit.record(
        meeting.network,
        "meeting.changed",
        meeting,
        actor=actor,
        data={"starts_at": starts_at.isoformat()},
    )
    if moved and meeting.status == MeetingStatus.INVITED:
        from grants.meetings.invitations import send_update

        send_update(meeting, actor=actor)


def move_to_today(meeting: Meeting, *, actor) -> None:
    """The meeting is held today after all: the same clock time and length, today's date;
    the invited are told, as for any change."""
    starts = to_local(meeting.starts_at)
    if starts.date() == local_today():
        raise DomainError(_l("Mötet är redan planerat till i dag."))
    length = meeting.ends_at - meeting.starts_at
    new_start = datetime.combine(local_today(), starts.time(), tzinfo=STOCKHOLM)
    update_meeting(
        meeting,
        starts_at=new_start,
        ends_at=new_start + length,
        place=meeting.place,
        host=meeting.host_organisation,
        theme=meeting.theme,
        actor=actor,
    )


def suggest_host(network: Network) -> Organisation | None:
    """Hosting rotates: the member that hosted least recently, one that never has first."""
    from grants.members.models import Membership, OrganisationKind

    last_hosted = (
        sa.select(
            Meeting.host_organisation_id.label("organisation_id"),
            sa.func.max(Meeting.starts_at).label("last"),
        )
        .where(Meeting.network_id == network.id, Meeting.status != MeetingStatus.CANCELLED)
        .group_by(Meeting.host_organisation_id)
        .subquery()
    )
    return db.session.scalar(
        sa.select(Organisation)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .outerjoin(last_hosted, last_hosted.c.organisation_id == Organisation.id)
        .where(
            Membership.network_id == network.id,
            Membership.active.is_(True),
            Organisation.kind != OrganisationKind.NETWORK_ITSELF,
        )
        .order_by(last_hosted.c.last.is_not(None), last_hosted.c.last, Organisation.name)
        .limit(1)
    )
