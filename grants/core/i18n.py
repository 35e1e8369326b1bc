"""Language: Swedish first, English on request (``?lang=``, cookie, profile)."""

from __future__ import annotations

from flask import current_app, g, request
from flask_babel import get_locale
from flask_login import current_user

LANG_COOKIE = "lang"


def valid_language(value: str | None) -> str | None:
    return value if value in current_app.config["LANGUAGES"] else None


def select_locale() -> str:
    requested = valid_language(request.args.get("lang")) if request else None
    if requested:
        g.set_language_cookie = requested
        return requested
    cookie = valid_language(request.cookies.get(LANG_COOKIE)) if request else None
    if cookie:
        return cookie
    if current_user and current_user.is_authenticated:
        stored = valid_language(current_user.locale)
        if stored:
            return stored
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    # The app's languages have no territory, so the language is the whole identifier
    # (and reading it is cheaper than str(Locale), which a long table does per cell).
    locale = get_locale()
    return locale.language if locale is not None else "sv"


def remember_language(response):
    """Keep a language chosen with ``?lang=`` in a cookie (after the request)."""
    chosen = g.get("set_language_cookie")
    if chosen:
        response.set_cookie(
            LANG_COOKIE,
            chosen,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            httponly=True,
        )
    return response
