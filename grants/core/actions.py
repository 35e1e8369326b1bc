"""The shapes of a view's write: a form that saves, or a one-button action.

Both run one operation, commit when it succeeds, and roll back and show the
rule's message when it raises ``DomainError``, so no view repeats that dance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import flash
from flask_login import current_user

from grants.core.db import begin_writing
from grants.core.errors import DomainError
from grants.extensions import db


@dataclass(frozen=True)
class Outcome:
    ok: bool
    value: Any = None


def save(form, operation, *args, success: str | None = None, **kwargs) -> Outcome:
    """Run ``operation``; commit and flash ``success``, or tie the refusal to ``form``."""
    begin_writing()
    try:
        value = operation(*args, **kwargs)
    except DomainError as error:
        db.session.rollback()
        form.add_domain_error(error)
        return Outcome(False)
    db.session.commit()
    if success:
        flash(success, "success")
    return Outcome(True, value)


def form_status(*forms) -> int:
    """400 when a form on the page shows errors, so a refused POST is not a 200."""
    return 400 if any(form.errors or form.form_errors for form in forms) else 200


def run_and_flash(operation, *args, success: str) -> bool:
    """Run ``operation(*args, actor=current_user)``; commit and say so, or say why not."""
    begin_writing()
    try:
        operation(*args, actor=current_user._get_current_object())
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "danger")
        return False
    db.session.commit()
    flash(success, "success")
    return True
