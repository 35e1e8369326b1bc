"""What every template can use: formatting filters and the header's context."""

from __future__ import annotations

from flask import Flask, g, has_request_context, request
from flask_login import current_user
from markupsafe import Markup

from grants.core.i18n import current_language, remember_language
from grants.core.labels import label
from grants.core.markdown import render_markdown
from grants.core.money import format_amount
from grants.core.time import format_date, format_datetime, format_time


def register(app: Flask) -> None:
    app.jinja_env.filters["money"] = lambda ore: format_amount(ore, current_language())
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["time"] = format_time
    # render_markdown sanitises with nh3, so its output is safe to mark as such.
    app.jinja_env.filters["markdown"] = lambda text: Markup(render_markdown(text or ""))  # noqa: S704
    app.jinja_env.filters["label"] = label
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.add_extension("jinja2.ext.loopcontrols")
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def header_context():
        network = g.get("network")
        roles = []
        networks = []
        if has_request_context() and current_user.is_authenticated:
            networks = current_user.networks()
            if network is not None:
                roles = current_user.roles_in(network)
        return {"network": network, "my_roles": roles, "my_networks": networks}

    @app.after_request
    def after_request(response):
        response = remember_language(response)
        if request.endpoint != "static" and (
            current_user.is_authenticated or request.path.startswith("/auth/")
        ):
            # Pages and files with personal data (receipts, exports, minutes) are kept by
            # no cache, shared or private; send_file's own "no-cache" is replaced too.
            response.headers["Cache-Control"] = "private, no-store"
        response.headers.setdefault("Content-Language", current_language())
        return response
