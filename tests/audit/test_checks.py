"""The chain check while people work: one snapshot, so no false alarm; the nightly check
reads only what is new since the last intact check, and still catches what it can see."""

import threading
import time

import sqlalchemy as sa

from grants.audit import checks
from grants.core import audit
from grants.core.audit import chain_for
from grants.core.db import begin_writing
from grants.extensions import db
from tests.conftest import text_of
from tests.factories import PASSWORD, NetworkFactory, auditor_of


def _append(network, count):
    for number in range(count):
        audit.record(network, "test.happened", network, data={"n": number})
    db.session.commit()


def _raw(sql: str, **params) -> None:
    with db.engine.begin() as connection:
        connection.execute(sa.text(sql), params)
    db.session.rollback()


def _verify(runner, *extra):
    return runner.invoke(args=["audit", "verify", "--network", "uddevalla", *extra])


def _wait_until_appended_since(written, count, seconds=10.0):
    deadline = time.monotonic() + seconds
    while len(written) <= count and time.monotonic() < deadline:
        time.sleep(0.001)


def test_checks_while_writers_append_to_the_same_chain_never_cry_wolf(app):
    network = NetworkFactory(slug="uddevalla")
    _append(network, 50)
    network_id, chain = network.id, chain_for(network)
    stop = threading.Event()
    written, errors = [], []

    def writer():
        try:
            with app.app_context():
                begin_writing()  # each transaction waits for the write lock, as a request's does
                local = db.session.get(type(network), network_id)
                while not stop.is_set():
                    audit.record(local, "test.busy", local, data={"n": len(written)})
                    db.session.commit()
                    written.append(1)
                    time.sleep(0.002)  # a busy network, not a flood that starves every reader
                db.session.remove()
        except Exception as error:  # shown by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for thread in threads:
        thread.start()
    try:
        reports = []
        for number in range(20):
            _wait_until_appended_since(written, len(written))  # each check overlaps writes
            reports.append(checks.verify(chain, full=number % 2 == 0))
            begin_writing()  # as the command and the page do: read, then take the write lock
            checks.remember(chain, reports[-1])
            db.session.commit()
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert errors == []
    assert len(written) >= 20, "the writers must really have appended during the checks"
    assert [report.problem for report in reports if not report.ok] == []
    assert {report.full for report in reports} == {True, False}
    # An incremental check starts where the check before it ended.
    assert reports[1].from_seq == reports[0].last_seq

    # The same chain, tampered with, is still caught by a full check afterwards.
    _raw("UPDATE audit_events SET data = '{\"n\":-1}' WHERE chain = :c AND seq = 7", c=chain)
    report = checks.verify(chain, full=True)
    assert not report.ok and report.broken_seq == 7 and report.problem == "changed"


def test_the_nightly_check_reads_only_new_events_and_the_page_says_so(app):
    network = NetworkFactory(slug="uddevalla")
    _append(network, 5)
    runner = app.test_cli_runner()
    first = _verify(runner)
    assert "5 events, chain intact" in first.output  # never checked: read in full

    _append(network, 3)
    second = _verify(runner)
    assert second.exit_code == 0
    assert "3 new events after event 5, chain intact up to event 8 (incremental)" in second.output

    client = app.test_client()
    client.login(auditor_of(network).email, PASSWORD)
    shown = text_of(client.get("/n/uddevalla/audit/"))
    assert "Kedjan är hel till och med händelse 8" in shown
    assert "de 3 händelserna efter händelse 5" in shown
    assert "Senaste kontroll av hela kedjan:" in shown

    checked = text_of(client.get("/n/uddevalla/audit/verify"))  # the page's check reads it all
    assert "Kedjan är hel: 8 händelser kontrollerade" in checked
    assert "Hela kedjan lästes, från första händelsen." in checked
    assert "(incremental)" not in _verify(runner, "--full").output


def test_the_nightly_check_catches_what_changed_since_and_the_event_it_starts_from(app):
    network = NetworkFactory(slug="uddevalla")
    _append(network, 5)
    runner = app.test_cli_runner()
    chain = chain_for(network)
    assert _verify(runner).exit_code == 0

    # The event the next check starts from is rewritten, hash and all.
    _raw("UPDATE audit_events SET hash = :h WHERE chain = :c AND seq = 5", h="f" * 64, c=chain)
    result = _verify(runner)
    assert result.exit_code == 1
    assert "BROKEN at event 5" in result.output


def test_the_nightly_check_catches_a_deleted_end_and_an_edited_new_event(app):
    network = NetworkFactory(slug="uddevalla")
    _append(network, 5)
    runner = app.test_cli_runner()
    chain = chain_for(network)
    assert _verify(runner).exit_code == 0
    _append(network, 3)

    _raw("UPDATE audit_events SET action = 'x' WHERE chain = :c AND seq = 7", c=chain)
    assert "BROKEN at event 7" in _verify(runner).output
    _raw("UPDATE audit_events SET action = 'test.happened' WHERE chain = :c AND seq = 7", c=chain)
    # Back as it was; the check before this one was broken, so this one reads it all.
    repaired = _verify(runner)
    assert "8 events, chain intact" in repaired.output

    _raw("DELETE FROM audit_events WHERE chain = :c AND seq = 8", c=chain)
    assert "BROKEN at event 8" in _verify(runner).output


def test_after_a_broken_check_the_next_one_is_never_only_of_new_events(app):
    """An edit behind the last intact check is found only by a full check; once found, the
    nightly check must not report the chain whole by reading only what is new."""
    network = NetworkFactory(slug="uddevalla")
    _append(network, 5)
    runner = app.test_cli_runner()
    chain = chain_for(network)
    assert _verify(runner).exit_code == 0
    _raw("UPDATE audit_events SET action = 'x' WHERE chain = :c AND seq = 2", c=chain)
    assert _verify(runner).exit_code == 0  # incremental: nothing new, event 5 unchanged
    assert "BROKEN at event 2" in _verify(runner, "--full").output
    _append(network, 1)
    again = _verify(runner)
    assert again.exit_code == 1
    assert "BROKEN at event 2" in again.output


def test_retention_compacts_old_checks_and_keeps_evidence_and_where_to_resume(app):
    from datetime import timedelta

    from grants.audit.models import ChainCheck
    from grants.core.time import utcnow

    network = NetworkFactory(slug="uddevalla")
    _append(network, 3)
    chain = chain_for(network)
    runner = app.test_cli_runner()
    # A check that once found the chain broken (since repaired from a backup, say).
    broken = ChainCheck(chain=chain, ok=False, events=3, broken_seq=2, problem="changed")
    db.session.add(broken)
    db.session.commit()
    for extra in ([], ["--full"], [], ["--full"], []):
        _append(network, 1)
        runner.invoke(args=["audit", "verify", *extra])
    old = utcnow() - timedelta(days=200)
    db.session.execute(sa.update(ChainCheck).values(ran_at=old))
    db.session.commit()
    latest = {
        kind: db.session.scalar(
            sa.select(sa.func.max(ChainCheck.id)).where(ChainCheck.ok, ChainCheck.kind == kind)
        )
        for kind in ("full", "incremental")
    }

    result = runner.invoke(args=["retention", "run"])
    assert "3 chain checks removed" in result.output
    kept = set(db.session.scalars(sa.select(ChainCheck.id)))
    assert kept == {broken.id, *latest.values()}
    # The nightly check still resumes where the last intact one ended.
    _append(network, 1)
    assert "(incremental)" in runner.invoke(args=["audit", "verify"]).output
