"""The grants app: a local network's small grants for integration work."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_talisman import Talisman

from config import load_config
from grants.extensions import babel, csrf, db, limiter, login_manager, mail, migrate

ROOT = Path(__file__).resolve().parent.parent

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def create_app(config: dict | None = None) -> Flask:
    """The application factory. ``config`` overrides what the environment says."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.update(load_config(config))
    from grants.core.numbers import AsciiIntConverter

    app.url_map.converters["int"] = AsciiIntConverter  # before any route is added

    _init_extensions(app)
    _register_blueprints(app)

    from grants.core import errors_views, templating

    errors_views.register(app)
    templating.register(app)

    from grants import cli

    cli.register(app)
    _behind_proxies(app)
    return app


def _behind_proxies(app: Flask) -> None:
    """Only TRUSTED_HOSTS are answered; X-Forwarded-For and -Proto are believed only from
    PROXY_HOPS configured proxies (none by default)."""
    from grants.core.hosts import KnownHostsOnly

    # Checked here, not by Flask's own TRUSTED_HOSTS: that would refuse the load
    # balancer's health checks too, and its 400 page cannot build links.
    hosts, app.config["TRUSTED_HOSTS"] = app.config["TRUSTED_HOSTS"], None
    app.config["ANSWERED_HOSTS"] = hosts
    if hosts:
        app.wsgi_app = KnownHostsOnly(app.wsgi_app, hosts)
    hops = app.config["PROXY_HOPS"]
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def _init_extensions(app: Flask) -> None:
    from grants.core import db as _db_events  # noqa: F401  (SQLite pragmas and BEGIN)
    from grants.core.i18n import select_locale
    from grants.core.throttle import LoginThrottle

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    mail.init_app(app)
    babel.init_app(
        app,
        default_locale=app.config["BABEL_DEFAULT_LOCALE"],
        default_timezone=app.config["BABEL_DEFAULT_TIMEZONE"],
        default_translation_directories=app.config["BABEL_TRANSLATION_DIRECTORIES"],
        locale_selector=select_locale,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    app.extensions["login_throttle"] = LoginThrottle(
        app.config["RATELIMIT_STORAGE_URI"],
        max_failures=app.config["LOGIN_MAX_FAILURES"],
        address_max_failures=app.config["LOGIN_ADDRESS_MAX_FAILURES"],
        window_seconds=app.config["LOGIN_FAILURE_WINDOW_SECONDS"],
    )
    Talisman(
        app,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        content_security_policy=CONTENT_SECURITY_POLICY,
        referrer_policy="strict-origin-when-cross-origin",
        permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()"},
    )

    from flask_babel import lazy_gettext as _l

    login_manager.login_message = _l("Logga in för att se sidan.")


def _register_blueprints(app: Flask) -> None:
    from grants.audit.export_views import bp as exports_bp
    from grants.audit.export_views import open_data_bp
    from grants.audit.log_views import bp as audit_log_bp
    from grants.audit.views import bp as audit_bp
    from grants.auth.views import bp as auth_bp
    from grants.funds.expense_views import bp as expenses_bp
    from grants.funds.grant_views import bp as grants_bp
    from grants.funds.report_views import bp as grant_reports_bp
    from grants.funds.views import bp as funds_bp
    from grants.meetings.agenda_views import bp as agenda_bp
    from grants.meetings.minutes_views import bp as meeting_minutes_bp
    from grants.meetings.session_views import bp as meeting_session_bp
    from grants.meetings.views import bp as meetings_bp
    from grants.members.views import admin_bp as members_admin_bp
    from grants.members.views import bp as members_bp
    from grants.networks.views import admin_bp as networks_admin_bp
    from grants.networks.views import bp as networks_bp
    from grants.progress.views import bp as progress_bp
    from grants.proposals.views import bp as proposals_bp
    from grants.site.views import bp as site_bp

    for blueprint in (
        site_bp,
        auth_bp,
        networks_bp,
        networks_admin_bp,
        members_bp,
        members_admin_bp,
        proposals_bp,
        meetings_bp,
        meeting_session_bp,
        meeting_minutes_bp,
        agenda_bp,
        funds_bp,
        grants_bp,
        grant_reports_bp,
        expenses_bp,
        audit_bp,
        audit_log_bp,
        exports_bp,
        open_data_bp,
        progress_bp,
    ):
        app.register_blueprint(blueprint)
