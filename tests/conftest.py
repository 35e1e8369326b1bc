"""Fixtures: the app on SQLite always and on PostgreSQL when TEST_DATABASE_URL is set.

Every test that uses ``app`` runs once per database. The schema comes from the
Alembic migrations (not ``create_all``), so the suite also proves the
migrations build what the models describe.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import has_app_context
from flask.testing import FlaskClient

from grants import create_app
from grants.extensions import db

DATA_DIR = Path(__file__).parent / "data"
PG_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])

BASE_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-not-for-production",
    "BASE_URL": "http://testserver.local",
    "MAIL_SERVER": None,
    "RATELIMIT_ENABLED": False,
    "SERVER_NAME": None,
    # The test client is one process: its in-memory throttle counts everything.
    "SINGLE_PROCESS": True,
}


# Redis for the tests: this project's own database number on the local server.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "").strip() or "redis://127.0.0.1:6379/11"


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The local Redis; skipped where none runs, unless GRANTS_REQUIRE_REDIS=1 (CI)."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError as error:
        if os.environ.get("GRANTS_REQUIRE_REDIS", "").strip() == "1":
            raise RuntimeError(f"Redis is required and does not answer at {REDIS_URL}") from error
        pytest.skip(f"no Redis at {REDIS_URL}")
    return REDIS_URL


# A port where nothing listens: Redis "down".
DEAD_REDIS_URL = "redis://127.0.0.1:1/0"


@pytest.fixture(scope="session")
def inputs() -> dict:
    """Inputs that real users type (shared/testdata/inputs.json, copied into the project)."""
    return json.loads((DATA_DIR / "inputs.json").read_text(encoding="utf-8"))


def _pg_url() -> str:
    url = PG_URL
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("db") / "template.sqlite"
    _migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[str]:
    """A database of this test session's own, next to the one TEST_DATABASE_URL names.

    Two test runs at once (a developer and CI, or pytest-xdist workers) would
    otherwise empty each other's tables.
    """
    base = sa.engine.make_url(_pg_url())
    name = f"{base.database}_{os.getpid()}_{secrets.token_hex(3)}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    _migrate(url)
    yield url
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@contextlib.contextmanager
def empty_postgres_database(purpose: str) -> Iterator[str]:
    """A new PostgreSQL database with nothing in it (no tables), dropped afterwards."""
    base = sa.engine.make_url(_pg_url())
    name = f"{base.database}_{purpose}_{secrets.token_hex(4)}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _truncate_postgres(url: str) -> None:
    tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def database_url(backend, request, tmp_path) -> str:
    if backend == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "test.sqlite"
        shutil.copy(template, path)
        return f"sqlite:///{path}"
    return request.getfixturevalue("postgres_schema")


@pytest.fixture
def make_app(database_url, tmp_path):
    """Build an app on this test's database, with config overrides."""
    apps = []

    def factory(**overrides):
        config = {
            **BASE_CONFIG,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "UPLOAD_DIR": str(tmp_path / "uploads"),
            **overrides,
        }
        app = create_app(config)
        app.test_client_class = CsrfClient
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    if database_url.startswith("postgresql"):
        _truncate_postgres(database_url)


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def client(app) -> CsrfClient:
    return app.test_client()


CSRF_INPUT = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


class CsrfClient(FlaskClient):
    """A browser stand-in: its own app context per request, CSRF tokens from the page.

    Each request runs in an empty ``contextvars`` context, so it gets its own app
    context, ``g`` and database session, exactly as in production, instead of
    sharing the test's. The test's own session is committed before the request
    and expired after it: the test is simply another user of the database.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            db.session.commit()
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            db.session.expire_all()
            db.session.rollback()
        return response

    def csrf_token(self, page: str = "/") -> str:
        html = self.get(page).get_data(as_text=True)
        match = CSRF_INPUT.search(html)
        assert match, f"no CSRF token on {page}"
        return match.group(1)

    def submit(self, url: str, data: dict | None = None, *, page: str | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token(page or "/"))
        return self.post(url, data=data, **kwargs)

    def login(self, email: str, password: str):
        return self.submit(
            "/auth/login", {"email": email, "password": password}, page="/auth/login"
        )


def production_app(make_app, **overrides):
    """An app configured as production is (secure cookies, HTTPS, known hosts)."""
    return make_app(
        ENV="production",
        TESTING=False,
        SECRET_KEY="a-long-production-secret-key-for-the-test",
        BASE_URL="https://grants.example.se",
        **overrides,
    )


def text_of(response) -> str:
    """The page's text without tags and with collapsed whitespace, as a reader sees it."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    import html as html_module

    return " ".join(html_module.unescape(text).split())


# ---- a real SMTP server (aiosmtpd) -----------------------------------------------------


class RecordingHandler:
    """Keeps every message the SMTP server accepted; can refuse or hold messages."""

    def __init__(self) -> None:
        import threading

        self.messages: list = []
        self.refuse = False
        self.hold_subjects: set[str] = set()
        self.release = threading.Event()
        self.holding = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        import asyncio
        import email
        from email import policy

        message = email.message_from_bytes(envelope.content, policy=policy.default)
        if self.refuse:
            return "451 4.3.0 Try again later"
        if str(message["Subject"]) in self.hold_subjects:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 The sender went away"
        self.messages.append(message)
        return "250 OK"

    def bodies(self, to: str | None = None) -> list[str]:
        found = []
        for message in self.messages:
            if to and to not in str(message["To"]):
                continue
            part = message.get_body(preferencelist=("plain",))
            found.append(part.get_content() if part else "")
        return found


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.handler = RecordingHandler()
        self.controller = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.handler.release.set()
            self.controller.stop()
            self.controller = None

    @property
    def config(self) -> dict:
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port, "MAIL_TIMEOUT": 5}


@pytest.fixture
def smtp_server():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_app(make_app, smtp_server):
    """The app with mail going to the test's SMTP server."""
    app = make_app(**smtp_server.config)
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """The English catalogue compiled, as `make` does, so a bare `pytest` works too."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parent.parent / "grants" / "translations"
    for po_path in root.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog)


class QueryCounter:
    """Counts the SQL statements sent while it is active (``with QueryCounter(engine)``)."""

    def __init__(self, engine):
        self.engine = engine
        self.count = 0

    def __enter__(self):
        from sqlalchemy import event

        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, *args, **kwargs):
        self.count += 1
