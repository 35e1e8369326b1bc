"""Fault drills for the database: it goes away, connections die mid-request.

Requests then fail with the clean 503 page (never a trace), nothing is saved
half-way, and the app recovers by itself (pool pre-ping), with no restart.
"""

import pytest
import sqlalchemy as sa

from grants.core.audit import AuditEvent, all_chains, verify_chain
from grants.core.time import local_today
from grants.extensions import db
from grants.funds.models import Payout
from tests.conftest import free_port, text_of
from tests.factories import PASSWORD, GrantFactory, NetworkFactory, coordinator_of


def _kill_connections(url: str) -> int:
    """What a server restart does to the app: every open connection to its database dies."""
    admin = sa.create_engine(sa.engine.make_url(url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        killed = connection.execute(
            sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar()
    admin.dispose()
    return killed


def _postgres_only(backend):
    if backend != "postgresql":
        pytest.skip("connections killed by the server: a PostgreSQL drill")


def test_the_app_recovers_by_itself_after_its_connections_are_killed(app, backend, database_url):
    _postgres_only(backend)
    network = NetworkFactory(slug="uddevalla", public=True)
    db.session.commit()
    client = app.test_client()
    assert client.get("/n/uddevalla/").status_code == 200
    assert _kill_connections(database_url) >= 1
    # The pool notices the dead connections on checkout and opens new ones.
    for _ in range(3):
        assert client.get("/n/uddevalla/").status_code == 200
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert network.id


def test_a_database_that_is_down_gives_the_clean_503_page(make_app, backend):
    _postgres_only(backend)
    nowhere = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/grants"
    app = make_app(
        SQLALCHEMY_DATABASE_URI=nowhere,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True, "connect_args": {"connect_timeout": 2}},
    )
    client = app.test_client()
    page = client.get("/n/uddevalla/")
    assert page.status_code == 503
    shown = text_of(page)
    assert "Tjänsten är inte tillgänglig just nu" in shown
    assert "Traceback" not in page.text and "psycopg" not in page.text
    assert client.get("/healthz").status_code == 503


def test_a_connection_lost_mid_write_saves_nothing_and_the_retry_works(app, backend, database_url):
    """The connection dies after the payout row is written but before the commit."""
    _postgres_only(backend)
    network = NetworkFactory(slug="uddevalla")
    coordinator = coordinator_of(network)
    grant = GrantFactory(proposal__network=network, amount_ore=2_000_000)
    db.session.commit()
    events_before = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
    client = app.test_client()
    client.login(coordinator.email, PASSWORD)
    page = f"/n/uddevalla/grants/{grant.id}"
    form = {"amount": "5 000", "planned_on": local_today().isoformat(), "note": ""}

    def die_after_the_insert(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO AUDIT_EVENTS"):
            sa.event.remove(db.engine, "before_cursor_execute", die_after_the_insert)
            _kill_connections(database_url)

    sa.event.listen(db.engine, "before_cursor_execute", die_after_the_insert)
    try:
        failed = client.submit(page + "/payouts", form, page=page)
    finally:
        if sa.event.contains(db.engine, "before_cursor_execute", die_after_the_insert):
            sa.event.remove(db.engine, "before_cursor_execute", die_after_the_insert)
    assert failed.status_code == 503
    assert "Traceback" not in failed.text
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Payout.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == events_before
    assert all(verify_chain(chain).ok for chain in all_chains())

    retried = client.submit(page + "/payouts", form, page=page)
    assert retried.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Payout.id))) == 1
    assert all(verify_chain(chain).ok for chain in all_chains())
