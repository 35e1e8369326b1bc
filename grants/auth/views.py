"""Sign-in pages: /auth/login, /auth/logout, /auth/reset, /auth/invite/<token>, /auth/account,
and what the app holds about the person signed in (/auth/account/data and data.json)."""

from __future__ import annotations

from functools import partial

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from grants.auth import operations
from grants.auth.forms import ChangePasswordForm, LoginForm, NewPasswordForm, ResetRequestForm
from grants.auth.tokens import TokenPurpose, read_token
from grants.core.actions import form_status, save
from grants.core.db import begin_writing
from grants.core.errors import DomainError
from grants.core.redirects import safe_next
from grants.extensions import db, limiter

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _throttle():
    return current_app.extensions["login_throttle"]


def _home_for(user) -> str:
    networks = user.networks()
    if len(networks) == 1:
        return url_for("networks.home", slug=networks[0].slug)
    return url_for("site.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_home_for(current_user))
    form = LoginForm()
    status = 200
    if request.method == "POST":
        email = (request.form.get("email") or "").strip()
        address = request.remote_addr or ""
        state = _throttle().check(email, address)
        if state.blocked:
            form.form_errors.append(
                _(
                    "För många misslyckade inloggningsförsök. Vänta %(minutes)d minuter och "
                    "försök igen, eller återställ lösenordet.",
                    minutes=state.wait_minutes,
                )
            )
            status = 429
        elif form.validate():
            # The password is checked (argon2, the slow part) before the write lock.
            user = operations.authenticate(form.email.data, form.password.data)
            if user is None:
                _throttle().failed(email, address)
                form.form_errors.append(_("Fel e-postadress eller lösenord."))
                status = 400
            else:
                _throttle().succeeded(email)
                begin_writing()
                operations.record_login(user, form.password.data)
                db.session.commit()
                login_user(user)
                flash(_("Du är inloggad."), "success")
                return redirect(safe_next(request.args.get("next"), _home_for(user)))
        else:
            status = 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    begin_writing()
    operations.end_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    flash(_("Du är utloggad."), "success")
    return redirect(url_for("site.index"))


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def request_reset():
    """The same answer, in the same time and with the same work, whether or not the address
    belongs to someone: the look-up and the mail happen after the response has gone."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        response = make_response(render_template("auth/reset_sent.html", email=form.email.data))
        response.call_on_close(
            partial(
                operations.reset_after_response, current_app._get_current_object(), form.email.data
            )
        )
        return response
    return render_template("auth/reset_request.html", form=form), form_status(form)


def _password_page(token: str, purpose: TokenPurpose, template: str, done_message: str):
    try:
        user = read_token(token, purpose)
    except DomainError as error:
        return render_template("auth/link_problem.html", message=error.message), 400
    form = NewPasswordForm()
    if form.validate_on_submit():
        outcome = save(
            form,
            operations.set_password,
            user,
            form.password.data,
            confirmation=form.confirm.data,
            actor=user,
            success=done_message,
        )
        if outcome.ok:
            login_user(user)
            return redirect(_home_for(user))
    return render_template(template, form=form, user=user), form_status(form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    return _password_page(
        token,
        TokenPurpose.RESET,
        "auth/reset_password.html",
        _("Ditt nya lösenord är sparat och du är inloggad."),
    )


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    return _password_page(
        token,
        TokenPurpose.INVITATION,
        "auth/accept_invitation.html",
        _("Välkommen! Ditt lösenord är sparat och du är inloggad."),
    )


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = ChangePasswordForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        outcome = save(
            form,
            operations.change_password,
            user,
            current=form.current_password.data,
            password=form.password.data,
            confirmation=form.confirm.data,
            success=_("Lösenordet är bytt. Du är utloggad på alla andra enheter."),
        )
        if outcome.ok:
            # The password change ended every session, this one too: start a new one.
            login_user(user)
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form, user=user), form_status(form)


# What the app holds about the person (GDPR article 15): the newest events on the page,
# every one of them in the download.
EVENTS_ON_PAGE = 200


@bp.get("/account/data")
@login_required
def my_data():
    from grants.members.extract import personal_data

    data = personal_data(current_user._get_current_object(), event_limit=EVENTS_ON_PAGE)
    return render_template("auth/my_data.html", data=data, events_on_page=EVENTS_ON_PAGE)


@bp.get("/account/data.json")
@login_required
def my_data_json():
    from grants.members.extract import as_json, personal_data

    data = personal_data(current_user._get_current_object())
    filename = f"mina-uppgifter-{data['generated_at']:%Y-%m-%d}.json"
    return Response(
        as_json(data),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
