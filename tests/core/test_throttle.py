"""The sign-in throttle on Redis: counts shared by every process, a clear 503 page when
Redis is down, and production refusing counts kept in each process."""

import secrets

import pytest
import sqlalchemy as sa

from config import ConfigurationError
from grants.extensions import db
from grants.members.models import User
from tests.conftest import DEAD_REDIS_URL, production_app, text_of
from tests.factories import PASSWORD, NetworkFactory, coordinator_of


@pytest.fixture
def person(app):
    network = NetworkFactory(slug="uddevalla")
    # Unique per test: the Redis database is shared by the tests running in parallel.
    email = f"anna-{secrets.token_hex(4)}@example.se"
    return coordinator_of(network, email=email, name="Anna Andersson")


def _client(app):
    client = app.test_client()
    # An address of this test's own, for the same reason.
    client.environ_base["REMOTE_ADDR"] = f"198.51.100.{secrets.randbelow(250) + 1}"
    return client


def test_failures_on_two_processes_are_counted_together(make_app, redis_url, person):
    """Two app instances on one Redis stand for two gunicorn workers or two nodes."""
    first, second = (
        make_app(RATELIMIT_STORAGE_URI=redis_url),
        make_app(RATELIMIT_STORAGE_URI=redis_url),
    )
    clients = [_client(first), _client(second)]
    for number in range(5):
        response = clients[number % 2].login(person.email, "fel fel fel fel")
        assert response.status_code == 400
    for client in clients:
        blocked = client.login(person.email, PASSWORD)
        assert blocked.status_code == 429
        assert "För många misslyckade inloggningsförsök" in text_of(blocked)


def test_with_redis_down_sign_in_is_a_clear_503_and_nothing_is_saved(make_app, person):
    app = make_app(RATELIMIT_STORAGE_URI=DEAD_REDIS_URL, RATELIMIT_ENABLED=True)
    client = _client(app)
    before = db.session.scalar(sa.select(User.last_login_at).where(User.id == person.id))

    response = client.login(person.email, PASSWORD)
    assert response.status_code == 503
    shown = text_of(response)
    assert "Inloggning och formulär som skyddas mot för många försök går inte att använda" in shown
    assert "Ingenting sparades" in shown
    assert "Traceback" not in response.get_data(as_text=True)
    db.session.rollback()
    after = db.session.scalar(sa.select(User.last_login_at).where(User.id == person.id))
    assert after == before
    assert client.get("/auth/account").status_code == 302  # not signed in

    client.set_cookie("lang", "en")  # the language switch's choice
    english = client.login(person.email, PASSWORD)
    assert english.status_code == 503
    assert "Nothing was saved" in text_of(english)
    client.set_cookie("lang", "sv")

    # The password reset is limited by Flask-Limiter, on the same store.
    reset = client.submit("/auth/reset", {"email": person.email}, page="/auth/reset")
    assert reset.status_code == 503
    assert "Ingenting sparades" in text_of(reset)


def test_readiness_says_redis_is_down_while_liveness_stays_up(make_app, redis_url):
    down = make_app(RATELIMIT_STORAGE_URI=DEAD_REDIS_URL).test_client()
    ready = down.get("/readyz")
    assert ready.status_code == 503
    assert any(reason.startswith("redis") for reason in ready.get_json()["reasons"])
    assert down.get("/healthz").status_code == 200

    up = make_app(RATELIMIT_STORAGE_URI=redis_url).test_client()
    assert up.get("/readyz").get_json() == {"status": "ok", "reasons": []}


def test_production_refuses_per_process_counts_and_says_how_to_fix_it(make_app, redis_url):
    with pytest.raises(ConfigurationError) as refused:
        production_app(make_app, SINGLE_PROCESS=False)
    assert "RATELIMIT_STORAGE_URI" in str(refused.value)
    assert "redis://" in str(refused.value) and "SINGLE_PROCESS=true" in str(refused.value)
    # Either fix starts it.
    assert production_app(make_app, SINGLE_PROCESS=False, RATELIMIT_STORAGE_URI=redis_url)
    assert production_app(make_app, SINGLE_PROCESS=True)
