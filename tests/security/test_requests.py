"""CSRF, size limits, headers and error pages."""

import pytest

from grants.core.outbox import OutboxMail
from grants.extensions import db
from grants.members.models import JoinRequest
from tests.conftest import CsrfClient, production_app, text_of
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
        ENV="production",
        TESTING=False,
        SECRET_KEY="a-long-production-secret-key-for-the-test",
        BASE_URL="https://grants.example.se",
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    response = app.test_client().get("/n/uddevalla/", base_url="http://grants.example.se")
    assert response.status_code in (301, 302)
    assert response.headers["Location"].startswith("https://")


@pytest.mark.parametrize("path", ["/auth/login", "/n/uddevalla/", "/nowhere", "/auth/reset"])
def test_a_forged_host_is_answered_400_and_no_link_is_built_from_it(make_app, network, path):
    app = production_app(make_app)
    for scheme in ("http", "https"):
        response = app.test_client().get(path, base_url=f"{scheme}://evil.example")
        assert response.status_code == 400, (scheme, path)
        assert "evil.example" not in response.headers.get("Location", "")
        assert "evil.example" not in response.get_data(as_text=True)
    response = app.test_client().get("/auth/login", base_url="https://grants.example.se")
    assert response.status_code == 200
    # The load balancer asks each node by its own address.
    assert app.test_client().get("/healthz", base_url="https://10.0.0.5").status_code == 200


def test_more_host_names_can_be_trusted(make_app, network, monkeypatch):
    monkeypatch.setenv("TRUSTED_HOSTS", "grants.example.se, bidrag.uddevalla.example.se")
    app = production_app(make_app)
    response = app.test_client().get("/auth/login", base_url="https://bidrag.uddevalla.example.se")
    assert response.status_code == 200


def six_failures_from_rotating_addresses(client):
    """Six wrong passwords, each claiming another address in X-Forwarded-For; the last answer."""
    for number in range(6):
        response = client.submit(
            "/auth/login",
            {"email": f"gissning{number}@example.se", "password": "fel fel fel fel"},
            page="/auth/login",
            headers={"X-Forwarded-For": f"203.0.113.{number}"},
        )
    return response


def test_x_forwarded_for_is_ignored_without_configured_proxies(make_app, network):
    """Reached directly, a rotating X-Forwarded-For must not escape the address throttle."""
    app = make_app(LOGIN_ADDRESS_MAX_FAILURES=5)
    assert app.config["PROXY_HOPS"] == 0
    client = app.test_client()
    response = six_failures_from_rotating_addresses(client)
    assert response.status_code == 429
    assert "För många misslyckade inloggningsförsök" in text_of(response)


def test_the_gunicorn_entry_point_trusts_no_proxy_unless_told(database_url, monkeypatch, network):
    """``wsgi:app`` is what production serves: it once trusted X-Forwarded-For always."""
    import importlib
    import sys

    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SECRET_KEY", "test-secret-key-not-for-production")
    monkeypatch.delenv("PROXY_HOPS", raising=False)
    monkeypatch.setenv("LOGIN_ADDRESS_MAX_FAILURES", "5")
    sys.modules.pop("wsgi", None)
    served = importlib.import_module("wsgi").app
    served.config.update(TESTING=True)
    served.test_client_class = CsrfClient
    client = served.test_client()
    response = six_failures_from_rotating_addresses(client)
    assert response.status_code == 429
    sys.modules.pop("wsgi", None)


def test_behind_a_configured_proxy_its_forwarded_address_counts(make_app, network):
    app = make_app(PROXY_HOPS=1, LOGIN_ADDRESS_MAX_FAILURES=5)
    client = app.test_client()
    response = six_failures_from_rotating_addresses(client)
    # Six visitors, one failure each: nobody is throttled.
    assert response.status_code != 429
    assert "Fel e-postadress eller lösenord" in text_of(response)


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


@pytest.mark.parametrize(
    "host",
    [
        "grants.example.se:@evil.example",
        "[grants.example.se]x",
        "grants.example.se:x",
        "evil.example",
    ],
)
def test_a_malformed_host_header_is_refused(make_app, network, host):
    app = production_app(make_app)
    response = app.test_client().get("/auth/login", headers={"Host": host})
    assert response.status_code == 400


def test_ports_and_ipv6_hosts_are_matched(make_app, network):
    app = production_app(make_app, TRUSTED_HOSTS=["grants.example.se", "::1"])
    for host in ("grants.example.se:443", "GRANTS.example.se", "[::1]:8000", "[::1]"):
        response = app.test_client().get("/auth/login", headers={"Host": host})
        assert response.status_code in (200, 301, 302), host
