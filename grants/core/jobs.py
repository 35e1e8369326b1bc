"""Jobs that run once at a time, whichever node starts them.

Every app node has the same timers (reminders, the audit check, backups, clean-up),
so two of them start the same job at the same minute. On PostgreSQL each job takes
a session advisory lock named after it: the first start holds it for as long as it
runs, a second start finds it taken and stops at once, saying so (`JobAlreadyRunning`).
`flask db upgrade` waits for its lock instead: the second node to upgrade finds the
schema at head and does nothing. The lock lives as long as the connection that took
it, so a job killed with SIGKILL frees it when the database sees the connection go.
SQLite serves one machine and has no such lock: there the guard does nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from grants.extensions import db


class JobAlreadyRunning(Exception):
    """Another run of the job holds its lock (on this node or another)."""

    def __init__(self, job: str) -> None:
        super().__init__(job)
        self.job = job


def lock_key(job: str) -> int:
    """A stable signed 64-bit key for ``job`` (advisory locks are named by numbers)."""
    digest = hashlib.sha256(f"grants job: {job}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def one_run(job: str) -> Iterator[None]:
    """Run the body only if no other run of ``job`` holds its lock; else JobAlreadyRunning."""
    if db.engine.dialect.name != "postgresql":
        yield
        return
    key = lock_key(job)
    with db.engine.connect() as connection:
        taken = connection.scalar(sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": key})
        connection.commit()
        if not taken:
            raise JobAlreadyRunning(job)
        try:
            yield
        finally:
            connection.scalar(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            connection.commit()


def wait_for_migration_lock(connection: sa.Connection) -> None:
    """Alembic's connection waits here until no other node is upgrading (PostgreSQL)."""
    if connection.dialect.name != "postgresql":
        return
    connection.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": lock_key("db upgrade")})
    connection.commit()
