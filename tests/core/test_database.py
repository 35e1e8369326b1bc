"""SQLite gets foreign keys, WAL and a busy timeout; the migrations match the models."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from grants.extensions import db


def test_sqlite_has_foreign_keys_wal_and_a_busy_timeout(app, backend):
    if backend != "sqlite":
        pytest.skip("SQLite pragmas")
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_foreign_keys_are_enforced(app):
    from grants.members.models import Membership

    db.session.add(Membership(network_id=999, organisation_id=999))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_migrations_build_exactly_what_the_models_describe(app):
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []


def test_check_constraints_guard_the_stored_values(app):
    from tests.factories import NetworkFactory

    network = NetworkFactory()
    with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE networks SET invite_lead_days = -3 WHERE id = :id"),
            {"id": network.id},
        )


def test_a_refused_form_never_waits_for_sqlite_s_write_lock(app, backend, database_url):
    """Validation comes before the write lock: while another writer holds it (a long
    request, the mail sender), a form with a mistake is answered at once, not after the
    busy timeout with "database is locked"."""
    if backend != "sqlite":
        pytest.skip("SQLite's write lock")
    import sqlite3

    from tests.conftest import text_of
    from tests.factories import PASSWORD, GrantFactory, NetworkFactory, coordinator_of

    network = NetworkFactory(slug="uddevalla")
    grant = GrantFactory(proposal__network=network)
    person = coordinator_of(network)
    db.session.commit()
    client = app.test_client()
    client.login(person.email, PASSWORD)
    page = f"/n/uddevalla/grants/{grant.id}"
    token = client.csrf_token(page)
    db.session.remove()
    blocker = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        responses = [
            client.post(
                page + "/payouts",
                data={"csrf_token": token, "amount": amount, "planned_on": "2026-12-24"},
            )
            for amount in ("12,555", "1" + " " * 100_000 + "x", "tusen")
        ]
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert [response.status_code for response in responses] == [400, 400, 400]
    assert "två decimaler" in text_of(responses[0])
    assert "för långt" in text_of(responses[1])
