"""Rule violations that the user is told about in their own language."""

from __future__ import annotations


class DomainError(Exception):
    """A domain rule said no. ``message`` is translated and safe to show.

    ``field`` names the form field the message belongs to, when there is one,
    so the view can tie the message to that field.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)
