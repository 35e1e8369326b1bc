"""The minutes as a PDF (WeasyPrint), with no fetching of anything outside the document."""

from __future__ import annotations

from flask import render_template
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from grants.meetings.minutes_view import minutes_context


def minutes_pdf(meeting) -> bytes:
    html = render_template("meetings/minutes_pdf.html", **minutes_context(meeting, public=False))
    # The document is self-contained: only data: URLs may be read (no http, no file).
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return HTML(string=html, url_fetcher=fetcher).write_pdf()
