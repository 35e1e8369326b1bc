"""Configuration read from the environment.

Three shapes: development (the default: SQLite in instance/, mail printed to
the console, a secret key generated once into instance/), testing (set by the
test suite through ``create_app(config)``), and production (``FLASK_ENV`` or
``GRANTS_ENV`` set to ``production``), which refuses to start without a
``SECRET_KEY`` of its own.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("GRANTS_INSTANCE_DIR", BASE_DIR / "instance"))


class ConfigurationError(RuntimeError):
    """The app cannot start with the configuration it was given."""


def environment() -> str:
    return (os.environ.get("GRANTS_ENV") or os.environ.get("FLASK_ENV") or "development").lower()


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int | None) -> int | None:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _development_secret_key() -> str:
    """A key generated once per checkout, so sessions survive a restart."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key_file = INSTANCE_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _multi_host_as_query(url: str) -> str:
    """libpq's ``user@host1:5432,host2:5432/db`` (a primary and its standby) in the
    form SQLAlchemy parses, ``user@/db?host=host1:5432&host=host2:5432``."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    userinfo, _, hosts = parts.netloc.rpartition("@")
    if "," not in hosts:
        return url
    query = "&".join([*(f"host={host}" for host in hosts.split(",") if host), parts.query])
    netloc = f"{userinfo}@" if userinfo else ""
    return urlunsplit((parts.scheme, netloc, parts.path, query.strip("&"), parts.fragment))


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        # Heroku-style URLs name the driver "postgres"; SQLAlchemy wants psycopg 3.
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://") :]
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        if url.startswith("postgresql+psycopg://"):
            url = _multi_host_as_query(url)
        return url
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{INSTANCE_DIR / 'grants.sqlite'}"


def _trusted_hosts(base_url: str, production: bool) -> list[str] | None:
    listed = [h.strip() for h in (os.environ.get("TRUSTED_HOSTS") or "").split(",") if h.strip()]
    if listed:
        return listed
    if not production:
        return None
    from urllib.parse import urlsplit

    host = urlsplit(base_url).hostname  # no port, no brackets, lower case
    return [host] if host else None


def _shared_throttle_in_production(config: dict, production: bool) -> None:
    """Per-process counts on four processes let four times the failures through, silently."""
    if not production or config["SINGLE_PROCESS"]:
        return
    if config["RATELIMIT_STORAGE_URI"].strip().lower().startswith("memory://"):
        raise ConfigurationError(
            "RATELIMIT_STORAGE_URI is memory://, which counts sign-in failures in each process "
            "on its own: with several gunicorn workers or app nodes, each lets through its own "
            "share. Set RATELIMIT_STORAGE_URI to the Redis all processes share "
            "(e.g. redis://127.0.0.1:6379/0), or, if exactly one process serves, set "
            "SINGLE_PROCESS=true."
        )


def load_config(overrides: dict | None = None) -> dict:
    """Build the Flask configuration from the environment plus ``overrides``."""
    overrides = dict(overrides or {})
    env = overrides.pop("ENV", None) or environment()
    production = env == "production"
    testing = bool(overrides.get("TESTING"))

    secret_key = overrides.get("SECRET_KEY") or os.environ.get("SECRET_KEY")
    if not secret_key:
        if production:
            raise ConfigurationError(
                "SECRET_KEY is not set. In production the app refuses to start without one: "
                "set SECRET_KEY to a long random string (e.g. `python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))'`)."
            )
        secret_key = secrets.token_urlsafe(32) if testing else _development_secret_key()

    mail_server = os.environ.get("MAIL_SERVER") or None
    base_url = (os.environ.get("BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    config = {
        "GRANTS_ENV": env,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": _database_url(),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "BASE_URL": base_url,
        # Host names this app answers; any other Host header gets 400, so no link or
        # redirect is ever built from a forged one. In production: BASE_URL's host unless
        # TRUSTED_HOSTS (comma-separated) names more. In development: any.
        "TRUSTED_HOSTS": None,  # set below, from BASE_URL as finally configured
        # Reverse proxies in front of the app whose X-Forwarded-For/-Proto to believe.
        # None by default: without a proxy the header is the visitor's to forge.
        "PROXY_HOPS": _env_int("PROXY_HOPS", 0),
        # Mail: without MAIL_SERVER, the outbox sender prints mail to the console.
        "MAIL_SERVER": mail_server,
        "MAIL_PORT": _env_int("MAIL_PORT", 25),
        "MAIL_USE_TLS": _env_bool("MAIL_USE_TLS", False),
        "MAIL_USE_SSL": _env_bool("MAIL_USE_SSL", False),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER")
        or "Tillsammans för inkludering <noreply@grants.invalid>",
        "MAIL_TIMEOUT": _env_int("MAIL_TIMEOUT", 20),
        # Flask-Mail would silently drop mail in testing; the tests talk to a real server.
        "MAIL_SUPPRESS_SEND": False,
        # Where the throttle counts failures: memory:// is per process, so production
        # with more than one process (workers, nodes) needs Redis, e.g.
        # redis://redis.internal:6379/0; it refuses to start otherwise (below).
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI") or "memory://",
        # Set by whoever runs exactly one process (one gunicorn worker, one machine):
        # then memory:// counts everything and production may start with it.
        "SINGLE_PROCESS": _env_bool("SINGLE_PROCESS", False),
        "RATELIMIT_HEADERS_ENABLED": False,
        # Failures before a wait: per account, and per address (everyone behind a town
        # hall's or a library's address shares it, so it is much higher).
        "LOGIN_MAX_FAILURES": _env_int("LOGIN_MAX_FAILURES", 5),
        "LOGIN_ADDRESS_MAX_FAILURES": _env_int("LOGIN_ADDRESS_MAX_FAILURES", 50),
        "LOGIN_FAILURE_WINDOW_SECONDS": 15 * 60,
        # Reports carry up to three attachments of 10 MB each.
        "MAX_CONTENT_LENGTH": _env_int("MAX_CONTENT_LENGTH", 32 * 1024 * 1024),
        "MAX_ATTACHMENT_BYTES": 10 * 1024 * 1024,
        # Files are kept in the database; this folder is read only by `flask files import`
        # and the migration that moved the files of earlier releases in.
        "UPLOAD_DIR": os.environ.get("UPLOAD_DIR") or str(INSTANCE_DIR / "uploads"),
        # `flask backup create FOLDER` keeps this many archives there.
        "BACKUP_KEEP": _env_int("BACKUP_KEEP", 14),
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "WTF_CSRF_SSL_STRICT": production,
        "SESSION_COOKIE_NAME": "grants_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _env_bool("SESSION_COOKIE_SECURE", production),
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "FORCE_HTTPS": _env_bool("FORCE_HTTPS", production),
        "BABEL_DEFAULT_LOCALE": "sv",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Stockholm",
        "BABEL_TRANSLATION_DIRECTORIES": str(BASE_DIR / "grants" / "translations"),
        "LANGUAGES": ("sv", "en"),
        "INVITATION_MAX_AGE_SECONDS": 7 * 24 * 3600,
        "RESET_MAX_AGE_SECONDS": 3600,
        "OUTBOX_MAX_ATTEMPTS": 12,
        # `flask retention run`: sent mails keep their bodies and attachments this long;
        # chain checks beyond it are compacted (core.retention).
        "MAIL_BODY_RETENTION_DAYS": _env_int("MAIL_BODY_RETENTION_DAYS", 90),
        "CHAIN_CHECK_RETENTION_DAYS": _env_int("CHAIN_CHECK_RETENTION_DAYS", 90),
        "OUTBOX_LEASE_SECONDS": 120,
        "TESTING": False,
    }
    config.update(overrides)
    if "TRUSTED_HOSTS" not in overrides:
        config["TRUSTED_HOSTS"] = _trusted_hosts(config["BASE_URL"], production)
    _shared_throttle_in_production(config, production)
    if config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql://"):
        config["SQLALCHEMY_DATABASE_URI"] = (
            "postgresql+psycopg://" + config["SQLALCHEMY_DATABASE_URI"][len("postgresql://") :]
        )
    return config
