"""Two app nodes behind one address, as a region runs them: two gunicorn instances (two
workers each, one SECRET_KEY, production settings) on one PostgreSQL and one Redis.

Nothing either node keeps for itself may matter: a person signs in on one and goes on
on the other, the throttle counts on both, a receipt uploaded on one downloads from the
other, two mail senders deliver each mail once, parallel approvals on both never
overspend, a backup taken while they work restores whole, and the auditor's checks
while they work never cry wolf. With Redis gone, sign-in is a clear 503 page.
"""

from __future__ import annotations

import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa

from grants.core.audit import chain_for
from grants.core.outbox import OutboxMail, queue_mail
from grants.core.uploads import FileBlob
from grants.extensions import db
from grants.funds.models import Expense, Grant
from grants.members.models import User
from tests.conftest import DEAD_REDIS_URL, empty_postgres_database
from tests.drills.conftest import CSRF_INPUT, Browser, Gunicorn
from tests.drills.test_mail_sender_survives import _Person
from tests.factories import (
    PASSWORD,
    auditor_of,
)
from tests.meetings.conftest import twenty_items_in_session

ROOT = Path(__file__).resolve().parents[2]
FLASK = str(Path(sys.executable).parent / "flask")
EXPENSES = "/n/uddevalla/funds/expenses/"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
RECEIPT = b"%PDF-1.4\n" + os.urandom(2 * 1024 * 1024 - 9)  # a 2 MB scanned receipt


def _drill_redis(redis_url: str) -> str:
    """A Redis database of the drill's own, emptied: counts of earlier runs do not carry."""
    url = redis_url.rsplit("/", 1)[0] + "/12"
    redis.Redis.from_url(url).flushdb()
    return url


def _node_env(redis_url: str) -> dict:
    return {
        "GRANTS_ENV": "production",
        "RATELIMIT_STORAGE_URI": redis_url,
        "BASE_URL": "http://127.0.0.1",
        "TRUSTED_HOSTS": "127.0.0.1",
        "FORCE_HTTPS": "false",  # the drill speaks plain HTTP on loopback
        "SESSION_COOKIE_SECURE": "false",
    }


@pytest.fixture
def nodes(backend, database_url, redis_url, tmp_path):
    if backend != "postgresql":
        pytest.skip("several nodes share PostgreSQL; SQLite serves one machine")
    env = _node_env(_drill_redis(redis_url))
    started = [
        Gunicorn(database_url, tmp_path / f"disk-{name}", workers=2, env=env) for name in "ab"
    ]
    yield started
    for node in started:
        node.stop()


def _on(browser: Browser, node: Gunicorn) -> Browser:
    """The same browser (its cookies) pointed at the other node, as a load balancer may."""
    browser.base = node.base
    return browser


def _register_expense(browser: Browser, receipt: bytes, note: str) -> tuple[int, str]:
    token = browser.token(EXPENSES)
    status, _body, headers = browser.post_files(
        EXPENSES,
        {
            "csrf_token": token,
            "line": "meetings",
            "spent_on": time.strftime("%Y-%m-%d"),
            "amount": "10",
            "payee": "Folkets hus",
            "payee_organisation": "",
            "note": note,
        },
        {"receipt": ("kvitto.pdf", "application/pdf", receipt)},
    )
    return status, headers.get("Location", "")


def _p95(seconds: list[float]) -> float:
    return statistics.quantiles(seconds, n=20)[-1] if len(seconds) > 1 else seconds[0]


def test_sign_in_on_one_node_go_on_on_the_other_and_the_throttle_counts_both(
    nodes, coordinator, network
):
    a, b = nodes
    browser = Browser(a.base)
    browser.login(coordinator.email, PASSWORD)
    status, page = _on(browser, b).get("/auth/account")
    assert status == 200 and coordinator.name in page

    guessed = f"gissning-{secrets.token_hex(4)}@example.se"
    for attempt in range(5):
        guesser = Browser((a if attempt % 2 else b).base)
        token = guesser.token("/auth/login")
        status, _ = guesser.post(
            "/auth/login", {"csrf_token": token, "email": guessed, "password": "fel fel fel"}
        )
        assert status == 400
    for node in nodes:
        guesser = Browser(node.base)
        token = guesser.token("/auth/login")
        status, page = guesser.post(
            "/auth/login", {"csrf_token": token, "email": guessed, "password": "fel fel fel"}
        )
        assert status == 429 and "För många misslyckade inloggningsförsök" in page


def test_receipts_uploaded_on_one_node_download_from_the_other(
    nodes, coordinator, period, tmp_path
):
    a, b = nodes
    browser = Browser(a.base)
    browser.login(coordinator.email, PASSWORD)
    uploads, downloads = [], []
    for number in range(10):
        here, there = (a, b) if number % 2 == 0 else (b, a)
        started = time.perf_counter()
        status, location = _register_expense(_on(browser, here), RECEIPT, f"Lokal {number}")
        uploads.append(time.perf_counter() - started)
        assert status == 302, location
        path = location.split("127.0.0.1", 1)[-1].split(":", 1)[-1]
        path = path[path.index("/") :]
        started = time.perf_counter()
        status, content, headers = _on(browser, there).download(path + "/receipt")
        downloads.append(time.perf_counter() - started)
        assert status == 200 and content == RECEIPT
        assert headers["Content-Disposition"].startswith("attachment;")
        assert headers["X-Content-Type-Options"] == "nosniff"
    assert not (tmp_path / "disk-a").exists() and not (tmp_path / "disk-b").exists()
    print(
        f"\n2 MB receipt through two nodes: upload p95 {_p95(uploads) * 1000:.0f} ms, "
        f"download p95 {_p95(downloads) * 1000:.0f} ms"
    )


def test_two_mail_senders_deliver_three_hundred_mails_once_each(
    app, database_url, nodes, smtp_server, tmp_path
):
    for number in range(300):
        queue_mail(
            "password_changed",
            to=f"person{number}@example.se",
            user=_Person(f"person{number}@example.se"),
        )
    db.session.commit()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "drill-" + "x" * 40,
        "GRANTS_ENV": "development",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_server.port),
    }
    senders = [
        subprocess.Popen(
            [FLASK, "--app", "grants", "outbox", "send", "--loop", "--interval", "0.2"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(tmp_path / f"sender{n}.log").open("w"),
        )
        for n in range(2)
    ]
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            db.session.rollback()
            waiting = db.session.scalar(
                sa.select(sa.func.count(OutboxMail.id)).where(OutboxMail.sent_at.is_(None))
            )
            if not waiting:
                break
            time.sleep(0.3)
    finally:
        for sender in senders:
            sender.terminate()
            sender.wait(timeout=20)
    assert waiting == 0
    received = [message["Message-ID"] for message in smtp_server.handler.messages]
    assert len(received) == 300
    assert len(set(received)) == 300  # none twice


def test_twenty_parallel_approvals_across_both_nodes_never_overspend(
    nodes, network, period, meeting, members, coordinator
):
    items = twenty_items_in_session(network, period, meeting, members, coordinator)
    page = f"/n/uddevalla/meetings/{meeting.id}/session"
    browsers = []
    for number in range(20):
        browser = Browser(nodes[number % 2].base)
        browser.login(coordinator.email, PASSWORD)
        browsers.append(browser)
    tokens = [browser.token(page) for browser in browsers]
    barrier = threading.Barrier(20)
    answers = []

    def approve(browser, token, item_id):
        prefix = f"item{item_id}-"
        form = {
            prefix + "csrf_token": token,
            prefix + "outcome": "approved",
            prefix + "method": "acclamation",
            prefix + "amount": "",
        }
        barrier.wait()
        answers.append(browser.post(f"{page}/items/{item_id}/decide", form)[0])

    threads = [
        threading.Thread(target=approve, args=args)
        for args in zip(browsers, tokens, items, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 20 and set(answers) <= {302, 400}
    db.session.rollback()
    granted = db.session.scalar(sa.select(sa.func.sum(Grant.amount_ore)))
    assert int(granted) == 14 * 700_000  # 14 × 7 000 = 98 000 ≤ 100 000 < 15 × 7 000


@pytest.fixture
def empty_database():
    with empty_postgres_database("restore") as url:
        yield url


def _wait_until(condition, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the writers did not get going"
        time.sleep(0.01)


def _writers(nodes, email: str, stop: threading.Event, written: list, errors: list):
    """People at work on both nodes: expenses with receipts, one after another."""

    def work(node):
        try:
            browser = Browser(node.base)
            browser.login(email, PASSWORD)
            while not stop.is_set():
                status, _ = _register_expense(browser, PDF, f"Fika {len(written)}")
                if status != 302:
                    errors.append(status)
                written.append(1)
                time.sleep(0.02)
        except Exception as error:  # shown by the test's assertion
            errors.append(error)

    threads = [threading.Thread(target=work, args=(node,)) for node in nodes]
    for thread in threads:
        thread.start()
    return threads


def test_a_backup_taken_while_both_nodes_work_restores_whole(
    nodes, database_url, coordinator, period, empty_database, tmp_path
):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "drill-" + "x" * 40,
        "GRANTS_ENV": "development",
    }
    stop, written, errors = threading.Event(), [], []
    threads = _writers(nodes, coordinator.email, stop, written, errors)
    try:
        _wait_until(lambda: len(written) >= 10 or errors)
        assert errors == []
        backup = subprocess.run(
            [FLASK, "--app", "grants", "backup", "create", str(tmp_path / "backups")],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        during = len(written)
        time.sleep(0.2)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert errors == []
    assert backup.returncode == 0, backup.stderr
    assert len(written) > during, "the writers must still have been writing"
    [archive] = (tmp_path / "backups").glob("grants-backup-*.tar.gz")

    started = time.perf_counter()
    restore = subprocess.run(
        [FLASK, "--app", "grants", "backup", "restore", str(archive)],
        cwd=ROOT,
        env={**env, "DATABASE_URL": empty_database},
        capture_output=True,
        text=True,
        timeout=120,
    )
    took = time.perf_counter() - started
    assert restore.returncode == 0, restore.stdout + restore.stderr
    assert "audit chains verified" in restore.stdout
    engine = sa.create_engine(empty_database)
    with engine.connect() as connection:
        receipts = connection.scalar(sa.select(sa.func.count()).select_from(Expense.__table__))
        missing = connection.scalar(
            sa.select(sa.func.count())
            .select_from(Expense.__table__)
            .where(~Expense.receipt_key.in_(sa.select(FileBlob.__table__.c.key)))
        )
    engine.dispose()
    assert receipts >= 10 and missing == 0
    print(f"\nrestore of a backup taken under load ({receipts} expenses): {took:.2f} s")


def test_twenty_checks_while_both_nodes_work_never_cry_wolf(nodes, coordinator, network, period):
    auditor = auditor_of(network)
    db.session.commit()
    checker = Browser(nodes[0].base)
    checker.login(auditor.email, PASSWORD)
    stop, written, errors = threading.Event(), [], []
    threads = _writers(nodes, coordinator.email, stop, written, errors)
    pages = []
    try:
        for number in range(20):
            before = len(written)
            _wait_until(lambda before=before: len(written) > before or errors)  # overlaps a write
            assert errors == []
            pages.append(_on(checker, nodes[number % 2]).get("/n/uddevalla/audit/verify"))
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert errors == []
    assert all(status == 200 and "Kedjan är hel" in page for status, page in pages)

    db.session.execute(
        sa.text("UPDATE audit_events SET data = '{}' WHERE chain = :c AND seq = 2"),
        {"c": chain_for(network)},
    )
    db.session.commit()
    _status, page = checker.get("/n/uddevalla/audit/verify")
    assert "Kedjan är bruten vid händelse 2." in page


def test_with_redis_gone_sign_in_is_a_clear_503_and_nothing_is_saved(
    database_url, coordinator, backend, tmp_path
):
    if backend != "postgresql":
        pytest.skip("a production node on PostgreSQL")
    node = Gunicorn(database_url, tmp_path / "disk", env=_node_env(DEAD_REDIS_URL))
    try:
        browser = Browser(node.base)
        page = browser.get("/auth/login")[1]
        token = CSRF_INPUT.search(page).group(1)
        status, page = browser.post(
            "/auth/login", {"csrf_token": token, "email": coordinator.email, "password": PASSWORD}
        )
        assert status == 503
        assert "går inte att använda just nu" in page and "Ingenting sparades" in page
        assert "Traceback" not in page
        ready, reasons = browser.get("/readyz")
        assert ready == 503 and "redis" in reasons
        assert browser.get("/healthz")[0] == 200
    finally:
        node.stop()
    db.session.rollback()
    assert db.session.get(User, coordinator.id).last_login_at is None
