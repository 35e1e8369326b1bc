"""CSRF, size limits, headers and error pages."""

import pytest

from grants.core.outbox import OutboxMail
from grants.extensions import db
from grants.members.models import JoinRequest
from tests.conftest import text_of
from tests.factories import NetworkFactory


@pytest.fixture
def network(app):
    return NetworkFactory(slug="uddevalla")


def test_a_post_without_csrf_token_is_refused_and_saves_nothing(client, network):
    response = client.post(
        "/n/uddevalla/join",
        data={
            "organisation_name": "X",
            "orgnr": "802001-2343",
            "kind": "association",
            "contact_name": "K",
            "contact_email": "k@example.se",
        },
    )
    assert response.status_code == 400
    assert "säkerhetskod" in text_of(response)
    assert db.session.query(JoinRequest).count() == 0


def test_a_post_with_a_forged_csrf_token_is_refused(client, network):
    response = client.post("/n/uddevalla/join", data={"csrf_token": "forged"})
    assert response.status_code == 400


def test_a_body_over_the_size_limit_is_refused_with_413(client, network, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.submit(
        "/n/uddevalla/join", {"message": "x" * (limit + 1)}, page="/n/uddevalla/join"
    )
    assert response.status_code == 413
    assert "för stort" in text_of(response)
    assert db.session.query(JoinRequest).count() == 0


def test_security_headers_are_set(client, network):
    response = client.get("/n/uddevalla/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_session_cookie_is_http_only_and_same_site(client, network):
    client.get("/auth/login")
    cookie = client.get_cookie("grants_session")
    assert cookie is not None
    assert cookie.http_only
    assert cookie.same_site == "Lax"


def test_production_cookies_are_secure_and_https_is_forced(make_app, network):
    # Talisman lets TESTING apps use http, so this app is not in testing mode.
    app = make_app(
        ENV="production", TESTING=False, SECRET_KEY="a-long-production-secret-key-for-the-test"
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    response = app.test_client().get("/n/uddevalla/", base_url="http://grants.example.se")
    assert response.status_code in (301, 302)
    assert response.headers["Location"].startswith("https://")


def test_production_refuses_to_start_without_a_secret_key(make_app, monkeypatch):
    from config import ConfigurationError

    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        make_app(ENV="production", SECRET_KEY=None)


@pytest.mark.parametrize(
    ("method", "path", "code", "sv", "en"),
    [
        ("get", "/finns-inte", 404, "Sidan finns inte", "The page does not exist"),
        ("get", "/auth/logout", 405, "Det går inte att göra så här", "This action is not allowed"),
        ("post", "/healthz", 405, None, None),
    ],
)
def test_error_pages_speak_the_visitors_language(client, network, method, path, code, sv, en):
    response = getattr(client, method)(path)
    assert response.status_code == code
    if sv:
        assert sv in text_of(response)
        client.get("/?lang=en")
        assert en in text_of(getattr(client, method)(path))


def test_an_unexpected_error_shows_a_page_without_a_stack_trace(make_app, network):
    app = make_app()

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    page = text_of(response)
    assert "Något gick fel hos oss" in page
    assert "secret internals" not in page and "Traceback" not in page


def test_a_database_outage_is_a_503_page(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = app.test_client().get("/")
    assert response.status_code == 503
    assert "Databasen svarar inte" in text_of(response)


def test_nothing_is_mailed_when_a_request_fails_half_way(client, network, monkeypatch):
    from grants.members import operations

    def explode(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(operations, "coordinators", explode)
    response = client.submit(
        "/n/uddevalla/join",
        {
            "organisation_name": "X",
            "orgnr": "802001-2343",
            "kind": "association",
            "contact_name": "K",
            "contact_email": "k@example.se",
        },
        page="/n/uddevalla/join",
    )
    assert response.status_code == 500
    assert db.session.query(JoinRequest).count() == 0
    assert db.session.query(OutboxMail).count() == 0
