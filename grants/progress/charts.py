"""Small bar charts drawn on the server as inline SVG (no script, nothing fetched).

The chart is an image with a title and a description (``role="img"``,
``aria-labelledby``); the page puts the same numbers in a captioned table next
to it, which is what a screen reader reads. The bars are dark blue on white
(contrast 8.3:1) and the text near black, well above the 3:1 WCAG 1.4.11 asks
of graphics; the numbers are written at the end of each bar, so no colour has
to be told apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
LABEL_WIDTH = 260
VALUE_WIDTH = 110
ROW_HEIGHT = 26
BAR_HEIGHT = 16
PADDING = 8
BAR_COLOUR = "#1a4f8b"
TRACK_COLOUR = "#6c757d"
TEXT_COLOUR = "#212529"
LABEL_CHARACTERS = 32


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    value_text: str  # the value as shown (``12 500 kr``, ``5 av 6``)


def _shorten(text: str, limit: int = LABEL_CHARACTERS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_chart(chart_id: str, title: str, description: str, bars: list[Bar], maximum: int = 0):
    """Horizontal bars, one row per ``Bar``, scaled to ``maximum`` (or the largest value).

    ``chart_id`` must be unique on the page: the title and description get ids from it.
    Labels longer than fit are shortened with an ellipsis (the table has them whole).
    """
    scale = max([maximum, *(bar.value for bar in bars), 1])
    track = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = PADDING * 2 + ROW_HEIGHT * max(len(bars), 1)
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    parts = [
        # Its natural size, shrunk to the column on a narrow screen (Bootstrap's mw-100 h-auto).
        f'<svg xmlns="http://www.w3.org/2000/svg" class="progress-chart mw-100 h-auto" '
        f'id="{escape(chart_id)}" role="img" '
        f'aria-labelledby="{escape(title_id)} {escape(desc_id)}" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'font-family="DejaVu Sans, Arial, sans-serif" font-size="13">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(description)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        # The axis the bars grow from.
        f'<line x1="{LABEL_WIDTH}" y1="{PADDING}" x2="{LABEL_WIDTH}" y2="{height - PADDING}" '
        f'stroke="{TRACK_COLOUR}" stroke-width="1"/>',
    ]
    for index, bar in enumerate(bars):
        top = PADDING + index * ROW_HEIGHT
        middle = top + ROW_HEIGHT / 2
        length = round(track * max(bar.value, 0) / scale, 1)
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{middle}" text-anchor="end" '
            f'dominant-baseline="central" fill="{TEXT_COLOUR}">{escape(_shorten(bar.label))}</text>'
        )
        if length > 0:
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{middle - BAR_HEIGHT / 2}" width="{length}" '
                f'height="{BAR_HEIGHT}" fill="{BAR_COLOUR}"/>'
            )
        parts.append(
            f'<text x="{LABEL_WIDTH + length + 6}" y="{middle}" dominant-baseline="central" '
            f'fill="{TEXT_COLOUR}">{escape(bar.value_text)}</text>'
        )
    parts.append("</svg>")
    # Every piece of text above went through escape(); the rest is fixed markup.
    return Markup("".join(parts))  # noqa: S704
