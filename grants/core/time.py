"""Time is stored in UTC and shown in Europe/Stockholm (invariant 8)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stores naive UTC on every database and hands back aware UTC datetimes.

    SQLite has no time zones and PostgreSQL's ``timestamp with time zone``
    would convert on the way out; storing naive UTC everywhere makes values
    round-trip identically, which the audit hash chain relies on.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def local_today() -> date:
    """Today's date in Stockholm: a payment made at 00:30 on 1 May is made on 1 May."""
    return datetime.now(STOCKHOLM).date()


def to_local(value: datetime) -> datetime:
    """``value`` (aware) in Stockholm time."""
    return value.astimezone(STOCKHOLM)


def format_date(value: date | datetime | None) -> str:
    """``2026-05-02`` in every language (ISO dates read the same everywhere)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value).date()
    return value.isoformat()


def format_datetime(value: datetime | None) -> str:
    """``2026-05-02 16:30`` in Stockholm time."""
    if value is None:
        return ""
    return to_local(value).strftime("%Y-%m-%d %H:%M")


def format_time(value: datetime | None) -> str:
    """``16:30`` in Stockholm time."""
    if value is None:
        return ""
    return to_local(value).strftime("%H:%M")
