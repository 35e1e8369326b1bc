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
