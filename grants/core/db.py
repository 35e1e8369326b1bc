"""Column helpers shared by the models."""

from __future__ import annotations

from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine


def str_enum(enum_cls: type[StrEnum], name: str) -> sa.Enum:
    """A StrEnum stored as its string value, checked by a named CHECK constraint."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=max(len(member.value) for member in enum_cls) + 8,
        values_callable=lambda members: [member.value for member in members],
    )


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """Foreign keys on, WAL and a busy timeout for SQLite; other databases untouched."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# SQLite: a transaction that reads first and writes later fails at once with
# "database is locked" when another writer committed in between (WAL snapshot).
# Requests that change data therefore begin with BEGIN IMMEDIATE, which waits
# for the write lock (busy_timeout) and then sees the newest data. pysqlite's
# own transaction handling is switched off so that this BEGIN is ours.
@event.listens_for(Engine, "connect")
def _sqlite_manual_transactions(dbapi_connection, connection_record):
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.isolation_level = None


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection):
    if connection.dialect.name != "sqlite":
        return
    connection.exec_driver_sql("BEGIN IMMEDIATE" if _writes_expected() else "BEGIN")


def _writes_expected() -> bool:
    from flask import g, has_app_context, has_request_context, request

    if has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS"):
        return True
    return has_app_context() and bool(g.get("sqlite_write_transactions"))
