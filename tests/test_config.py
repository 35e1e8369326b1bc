"""Configuration from the environment: the libpq URL of a primary with its standby."""

import pytest
import sqlalchemy as sa

from grants import create_app
from grants.extensions import db
from tests.conftest import BASE_CONFIG, PG_URL


def test_a_primary_and_standby_url_reaches_the_one_that_takes_writes(
    monkeypatch, postgres_schema, tmp_path
):
    """DATABASE_URL as the docs give it for fail-over: libpq's host list. The first host
    here answers nothing (a primary that is down); the app and pg_dump reach the second."""
    if not PG_URL:
        pytest.skip("needs TEST_DATABASE_URL (PostgreSQL)")
    real = sa.engine.make_url(postgres_schema)
    url = (
        f"postgresql://{real.username}@127.0.0.1:1,{real.host}:{real.port or 5432}"
        f"/{real.database}?target_session_attrs=read-write&connect_timeout=3"
    )
    monkeypatch.setenv("DATABASE_URL", url)
    config = {key: value for key, value in BASE_CONFIG.items()}
    app = create_app(config)
    with app.app_context():
        assert db.engine.url.query["host"] == ("127.0.0.1:1", f"{real.host}:{real.port or 5432}")
        with db.engine.connect() as connection:
            assert connection.scalar(sa.text("SHOW transaction_read_only")) == "off"
        result = app.test_cli_runner().invoke(args=["backup", "create", str(tmp_path)])
        assert result.exit_code == 0, result.output
        db.engine.dispose()


def test_an_ordinary_url_is_left_as_it_is(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://grants:s3cret@db.internal:5432/grants")
    from config import load_config

    assert load_config({"TESTING": True})["SQLALCHEMY_DATABASE_URI"] == (
        "postgresql+psycopg://grants:s3cret@db.internal:5432/grants"
    )
