from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from grants.auth.operations import set_locale
from grants.core.db import begin_writing
from grants.core.i18n import valid_language
from grants.core.redirects import safe_next
from grants.extensions import db
from grants.networks.models import Network

bp = Blueprint("site", __name__)


@bp.get("/")
def index():
    public_networks = db.session.scalars(
        sa.select(Network).where(Network.public.is_(True)).order_by(Network.name)
    ).all()
    return render_template("site/index.html", public_networks=public_networks)


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return jsonify({"status": "unavailable"}), 503
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz():
    """Whether this node can serve: 503 and the reasons (JSON) when it cannot."""
    reasons = []
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        reasons.append("database: does not answer")
    if not current_app.extensions["login_throttle"].available():
        reasons.append("redis: the throttle's store (RATELIMIT_STORAGE_URI) does not answer")
    if reasons:
        return jsonify({"status": "unavailable", "reasons": reasons}), 503
    return jsonify({"status": "ok", "reasons": []})


# Load balancers probe over plain HTTP inside the network: no redirect to https here.
healthz.talisman_view_options = {"force_https": False}
readyz.talisman_view_options = {"force_https": False}


@bp.get("/tillganglighet")
def accessibility():
    return render_template("site/accessibility.html")


@bp.get("/personuppgifter")
def privacy():
    return render_template("site/privacy.html")


@bp.post("/language")
def change_language():
    """The header's language switch; also remembered on the signed-in person."""
    lang = valid_language(request.form.get("lang"))
    target = safe_next(request.form.get("next"), url_for("site.index"))
    if lang:
        g.set_language_cookie = lang
        if current_user.is_authenticated:
            begin_writing()
            set_locale(current_user._get_current_object(), lang)
            db.session.commit()
    return redirect(target)
