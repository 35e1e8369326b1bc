"""Two nodes run `flask db upgrade` on one empty PostgreSQL database at the same moment:
one waits for the other, and neither fails."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import PG_URL, empty_postgres_database

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def empty_database():
    if not PG_URL:
        pytest.skip("needs TEST_DATABASE_URL (PostgreSQL); SQLite serves one machine")
    with empty_postgres_database("upgrade") as url:
        yield sa.engine.make_url(url)


def test_two_upgrades_at_once_both_succeed(empty_database):
    env = {
        **os.environ,
        "DATABASE_URL": empty_database.render_as_string(hide_password=False),
        "SECRET_KEY": "upgrade-drill-" + "x" * 40,
        "GRANTS_ENV": "development",
    }
    flask = str(Path(sys.executable).parent / "flask")
    nodes = [
        subprocess.Popen(
            [flask, "--app", "grants", "db", "upgrade"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [node.communicate(timeout=120)[0] for node in nodes]
    assert [node.returncode for node in nodes] == [0, 0], outputs
    heads = subprocess.run(
        [flask, "--app", "grants", "db", "heads"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[0]
    engine = sa.create_engine(empty_database)
    with engine.connect() as connection:
        versions = connection.scalars(sa.text("SELECT version_num FROM alembic_version")).all()
    engine.dispose()
    assert versions == [heads]
