"""The mail sender outlives its database: locked (SQLite) or its connections killed.

Before, `flask outbox send --loop` died with "database is locked" while a slow
request held SQLite's write lock, and mail stopped until someone restarted it.
These drills run the real command as its own process.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from grants.core.outbox import OutboxMail, queue_mail
from grants.extensions import db
from tests.drills.test_database_faults import _kill_connections

ROOT = Path(__file__).resolve().parents[2]


def _sender(database_url: str, tmp_path: Path) -> tuple[subprocess.Popen, Path]:
    log = tmp_path / "sender.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "drill-" + "x" * 40,
        "GRANTS_ENV": "development",
        "GRANTS_SQLITE_BUSY_TIMEOUT_MS": "300",
    }
    env.pop("MAIL_SERVER", None)  # mail is printed: what is sent shows on stdout
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "flask"),
            "--app",
            "grants",
            "outbox",
            "send",
            "--loop",
            "--interval",
            "0.2",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=log.open("w"),
        text=True,
    )
    return process, log


def _queue(subject_word: str) -> int:
    row = queue_mail("password_changed", to="anna@example.se", user=_Person(), word=subject_word)
    db.session.commit()
    return row.id


class _Person:
    """Who a queued mail is for: all the mail templates read of a person."""

    name = "Anna"
    locale = "sv"

    def __init__(self, email: str = "anna@example.se"):
        self.email = email


def _wait_for(condition, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def _sent(mail_id: int) -> bool:
    db.session.rollback()  # a new snapshot: the sender's commits are visible
    sent = db.session.get(OutboxMail, mail_id).sent_at is not None
    db.session.rollback()
    return sent


def _stop(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()


def test_a_locked_database_is_waited_out(app, backend, database_url, tmp_path):
    if backend != "sqlite":
        pytest.skip("SQLite's write lock")
    path = database_url.removeprefix("sqlite:///")
    process, log = _sender(database_url, tmp_path)
    try:
        blocker = sqlite3.connect(path, isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")  # a slow request holding the write lock
        assert _wait_for(lambda: log.read_text().count("database is locked") >= 2), log.read_text()
        assert process.poll() is None, "the sender died of a locked database"
        blocker.execute("ROLLBACK")
        blocker.close()
        mail_id = _queue("locked")
        assert _wait_for(lambda: _sent(mail_id)), log.read_text()
        assert "trying again in" in log.read_text()
    finally:
        code = _stop(process)
    assert code == 0


def test_killed_connections_are_reconnected(app, backend, database_url, tmp_path):
    if backend != "postgresql":
        pytest.skip("connections killed by the server: a PostgreSQL drill")
    process, log = _sender(database_url, tmp_path)
    try:
        first = _queue("first")
        assert _wait_for(lambda: _sent(first)), log.read_text()
        db.session.remove()
        for _ in range(3):  # a restart of the server, three times over
            assert _kill_connections(database_url) >= 1
            time.sleep(0.5)
        assert process.poll() is None, log.read_text()
        second = _queue("second")
        assert _wait_for(lambda: _sent(second)), log.read_text()
    finally:
        code = _stop(process)
    assert code == 0
    assert db.session.scalar(sa.select(sa.func.count(OutboxMail.id))) == 2
