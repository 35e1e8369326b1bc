"""Links that leave the site (in mail, in the CLI) start from ``BASE_URL``."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    """An absolute link on ``BASE_URL``, whether or not a request is running.

    Mail is written in requests and in CLI commands alike, and the address the
    visitor used is not necessarily the public one, so links never come from the
    request's host.
    """
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)
