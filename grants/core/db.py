"""Column helpers shared by the models."""

from __future__ import annotations

import os
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session


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


# How long a SQLite writer waits for the write lock (GRANTS_SQLITE_BUSY_TIMEOUT_MS; the
# fault drills shorten it).
SQLITE_BUSY_TIMEOUT_MS = int(os.environ.get("GRANTS_SQLITE_BUSY_TIMEOUT_MS") or 10_000)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """Foreign keys on, WAL and a busy timeout for SQLite; other databases untouched."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
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
    reads_only = connection.get_execution_options().get("snapshot_read", False)
    connection.exec_driver_sql(
        "BEGIN IMMEDIATE" if _writes_expected() and not reads_only else "BEGIN"
    )


def _writes_expected() -> bool:
    from flask import g, has_app_context

    return has_app_context() and bool(g.get("sqlite_write_transactions"))


def begin_writing() -> None:
    """The request has read and validated what it was sent; from here it changes data.

    On SQLite the reading transaction ends here and the next one waits for the write
    lock (BEGIN IMMEDIATE) and sees the newest data, so the lock is never held while a
    form is parsed or validated or a password checked: a slow or hostile request cannot
    keep every other writer (the mail sender too) waiting. Objects read so far are
    read again, under the lock. PostgreSQL needs nothing: it has no such lock.
    (``core.actions.save`` and ``run_and_flash`` call this; a view that writes without
    them calls it itself, and the test suite fails a write that did not.)
    """
    from flask import g

    from grants.extensions import db

    if g.get("sqlite_write_transactions"):
        return
    g.sqlite_write_transactions = True
    session = db.session()
    if db.engine.dialect.name == "sqlite" and session.in_transaction():
        if session.new or session.dirty or session.deleted:
            # Changes made before would be written here, outside the write lock.
            from flask import current_app

            message = "begin_writing() after changes were made"
            if current_app.config.get("TESTING"):
                raise RuntimeError(message)
            current_app.logger.warning(message)
        session.commit()


@event.listens_for(Session, "before_flush")
def _writes_only_after_begin_writing(session, flush_context, instances):
    """A request that writes on SQLite without ``begin_writing`` would write in a reading
    transaction, which SQLite refuses at once when another writer committed meanwhile.
    Tests fail on it; in production it is logged and tried."""
    from flask import current_app, g, has_request_context

    if not has_request_context() or g.get("sqlite_write_transactions"):
        return
    if not (session.new or session.dirty or session.deleted):
        return
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return
    message = "a request wrote to SQLite without begin_writing()"
    if current_app.config.get("TESTING"):
        raise RuntimeError(message)
    current_app.logger.warning(message)
