"""Invariant 5: every change leaves a trace, and the trace cannot be edited unnoticed."""

import itertools
import json
import threading

import pytest
import sqlalchemy as sa

from grants.core import audit
from grants.core.audit import AuditEvent, chain_for, verify_chain
from grants.extensions import db
from tests.factories import NetworkFactory


def _events(network, count=5):
    for number in range(count):
        audit.record(network, "test.happened", network, actor=None, data={"n": number})
    db.session.commit()


def test_events_form_a_chain_numbered_from_one(app):
    network = NetworkFactory()
    _events(network, 4)
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.chain == chain_for(network)).order_by(AuditEvent.seq)
    ).all()
    assert [event.seq for event in events] == [1, 2, 3, 4]
    assert events[0].prev_hash == audit.GENESIS_HASH
    for earlier, later in itertools.pairwise(events):
        assert later.prev_hash == earlier.hash
    assert verify_chain(chain_for(network)).ok


def test_each_network_has_its_own_chain(app):
    first, second = NetworkFactory(), NetworkFactory()
    _events(first, 2)
    _events(second, 3)
    assert verify_chain(chain_for(first)).events == 2
    assert verify_chain(chain_for(second)).events == 3


def _raw(sql, **params):
    """Tamper with the table behind the app's back, as someone with database access could."""
    with db.engine.begin() as connection:
        connection.execute(sa.text(sql), params)
    db.session.rollback()  # end the test's read snapshot so it sees the tampering


def test_an_edited_event_is_found_and_named(app):
    network = NetworkFactory()
    _events(network, 5)
    _raw(
        "UPDATE audit_events SET data = :data WHERE chain = :chain AND seq = 3",
        data=json.dumps({"n": 99}),
        chain=chain_for(network),
    )
    report = verify_chain(chain_for(network))
    assert not report.ok
    assert report.broken_seq == 3
    assert "changed" in report.reason


def test_an_event_deleted_from_the_middle_is_found(app):
    network = NetworkFactory()
    _events(network, 5)
    _raw("DELETE FROM audit_events WHERE chain = :chain AND seq = 2", chain=chain_for(network))
    report = verify_chain(chain_for(network))
    assert not report.ok and report.broken_seq == 2


def test_the_last_event_deleted_is_found(app):
    network = NetworkFactory()
    _events(network, 5)
    _raw("DELETE FROM audit_events WHERE chain = :chain AND seq = 5", chain=chain_for(network))
    report = verify_chain(chain_for(network))
    assert not report.ok and report.broken_seq == 5


def test_two_events_swapped_are_found(app):
    network = NetworkFactory()
    _events(network, 5)
    chain = chain_for(network)
    _raw("UPDATE audit_events SET seq = 100 WHERE chain = :chain AND seq = 2", chain=chain)
    _raw("UPDATE audit_events SET seq = 2 WHERE chain = :chain AND seq = 3", chain=chain)
    _raw("UPDATE audit_events SET seq = 3 WHERE chain = :chain AND seq = 100", chain=chain)
    report = verify_chain(chain)
    assert not report.ok and report.broken_seq == 2


def test_an_event_rewritten_with_a_recomputed_hash_breaks_the_next_link(app):
    network = NetworkFactory()
    _events(network, 4)
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.chain == chain_for(network), AuditEvent.seq == 2)
    )
    event.data = json.dumps({"n": 1000})
    event.hash = audit.event_digest(event)
    db.session.commit()
    report = verify_chain(chain_for(network))
    assert not report.ok and report.broken_seq == 3


def test_audit_verify_command_exits_1_and_names_the_broken_event(app):
    network = NetworkFactory(slug="uddevalla")
    _events(network, 3)
    chain = chain_for(network)
    runner = app.test_cli_runner()
    good = runner.invoke(args=["audit", "verify", "--network", "uddevalla"])
    assert good.exit_code == 0, good.output
    assert "3 events, chain intact" in good.output
    _raw("UPDATE audit_events SET action = 'x' WHERE seq = 2 AND chain = :c", c=chain)
    bad = runner.invoke(args=["audit", "verify", "--full"])
    assert bad.exit_code == 1
    assert "BROKEN at event 2" in bad.output


def test_a_rolled_back_change_leaves_no_event(app):
    network = NetworkFactory()
    audit.record(network, "test.happened", network, actor=None)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 0


def test_writers_in_parallel_never_share_a_place_in_the_chain(app, backend):
    if backend != "postgresql":
        pytest.skip("SQLite serialises writers itself; the row lock matters on PostgreSQL")
    network = NetworkFactory()
    network_id = network.id
    errors = []

    def writer():
        try:
            with app.app_context():
                local = db.session.get(type(network), network_id)
                for number in range(10):
                    audit.record(local, "test.parallel", local, actor=None, data={"n": number})
                    db.session.commit()
                db.session.remove()
        except Exception as error:  # the assertion below shows it
            errors.append(error)

    threads = [threading.Thread(target=writer) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = verify_chain(chain_for(network))
    assert report.ok and report.events == 60
