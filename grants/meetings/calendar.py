"""Meetings as iCalendar: the attachment of every invitation, and the public feed.

Each meeting has one UID for its whole life; an update or cancellation raises
SEQUENCE, so calendar programs replace the event instead of adding a second.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app
from icalendar import Calendar, Event

from grants.core.time import STOCKHOLM, utcnow
from grants.meetings.models import Meeting, MeetingStatus


def meeting_uid(meeting: Meeting) -> str:
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "grants.invalid"
    return f"meeting-{meeting.id}@{host}"


def _event(meeting: Meeting, *, summary: str, description: str = "") -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.ics_sequence)
    event.add("dtstamp", utcnow())
    event.add("dtstart", meeting.starts_at.astimezone(STOCKHOLM))
    event.add("dtend", meeting.ends_at.astimezone(STOCKHOLM))
    event.add("summary", summary)
    event.add("location", meeting.place)
    if description:
        event.add("description", description)
    cancelled = meeting.status == MeetingStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def _calendar(method: str | None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Tillsammans för inkludering//grants//SV")
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    return calendar


def invitation_ics(meeting: Meeting, *, summary: str, description: str) -> bytes:
    """One meeting, as REQUEST (invitation or update) or CANCEL."""
    method = "CANCEL" if meeting.status == MeetingStatus.CANCELLED else "REQUEST"
    calendar = _calendar(method)
    calendar.add_component(_event(meeting, summary=summary, description=description))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def feed_ics(meetings: list[Meeting], *, summary_for) -> bytes:
    """A network's meetings as a subscribable feed."""
    calendar = _calendar(None)
    calendar.add("x-wr-calname", summary_for(None))
    for meeting in meetings:
        calendar.add_component(_event(meeting, summary=summary_for(meeting)))
    calendar.add_missing_timezones()
    return calendar.to_ical()
