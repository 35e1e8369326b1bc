"""Error pages in the visitor's language, never with a stack trace."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from grants.core.errors import DomainError
from grants.core.throttle import RedisError, ThrottleUnavailable
from grants.extensions import db

TITLES = {
    400: _l("Felaktig begäran"),
    403: _l("Du har inte behörighet"),
    404: _l("Sidan finns inte"),
    405: _l("Det går inte att göra så här"),
    413: _l("För mycket data"),
    429: _l("För många försök"),
    500: _l("Något gick fel hos oss"),
    503: _l("Tjänsten är inte tillgänglig just nu"),
}

EXPLANATIONS = {
    400: _l("Begäran kunde inte tolkas. Gå tillbaka och försök igen."),
    403: _l("Du har inte behörighet att se den här sidan eller göra det här."),
    404: _l("Vi hittar inte sidan. Kontrollera adressen eller gå till startsidan."),
    405: _l("Sidan går inte att använda på det sättet. Gå tillbaka och använd knapparna på sidan."),
    413: _l("Det du skickade är för stort. Korta texten eller välj en mindre fil."),
    429: _l("Du har gjort för många försök på kort tid. Vänta en stund och försök igen."),
    500: _l("Ett oväntat fel inträffade. Ingenting sparades. Försök igen om en stund."),
    503: _l("Databasen svarar inte just nu. Ingenting sparades. Försök igen om en stund."),
}


def render_error(code: int, message: str | None = None):
    db.session.rollback()
    if (
        request.path in ("/healthz", "/readyz")
        or request.accept_mimetypes.best == "application/json"
    ):
        return jsonify({"status": "error", "code": code}), code
    return (
        render_template(
            "errors/error.html",
            code=code,
            title=TITLES.get(code, TITLES[500]),
            explanation=message or EXPLANATIONS.get(code, EXPLANATIONS[500]),
        ),
        code,
    )


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400,
            str(
                _l(
                    "Formuläret har gått ut eller saknar sin säkerhetskod. Ladda om sidan och "
                    "försök igen."
                )
            ),
        )

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        return render_error(400, str(error.message))

    def throttle_unavailable(error):
        # Redis (the throttle's shared counts) does not answer: sign-in, joining and
        # password resets stop before anything is checked or saved.
        app.logger.error("throttle store unavailable: %s", error)
        return render_error(
            503,
            str(
                _l(
                    "Inloggning och formulär som skyddas mot för många försök går inte att "
                    "använda just nu: en tjänst vi behöver svarar inte. Ingenting sparades. "
                    "Försök igen om en stund."
                )
            ),
        )

    app.register_error_handler(ThrottleUnavailable, throttle_unavailable)
    # Flask-Limiter's own limits (reset, join) raise the store's error as it is.
    app.register_error_handler(RedisError, throttle_unavailable)

    @app.errorhandler(OperationalError)
    def database_unavailable(error):
        app.logger.exception("database error")
        return render_error(503)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        # Reasons from permission checks are written for the user; Werkzeug's are not.
        custom = (
            error.description
            if code == 403 and error.description != type(error).description
            else None
        )
        return render_error(code, custom)

    @app.errorhandler(Exception)
    def unexpected(error):
        if isinstance(error, HTTPException):
            return http_error(error)
        app.logger.exception("unhandled error")
        return render_error(InternalServerError.code)
