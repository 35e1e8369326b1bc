"""The shape of a one-button action in a view (end a membership, publish rules…)."""

from __future__ import annotations

from flask import flash
from flask_login import current_user

from grants.core.errors import DomainError
from grants.extensions import db


def run_and_flash(operation, *args, success: str) -> bool:
    """Run ``operation(*args, actor=current_user)``; commit and say so, or say why not."""
    try:
        operation(*args, actor=current_user._get_current_object())
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "danger")
        return False
    db.session.commit()
    flash(success, "success")
    return True
