"""Votes and decisions on the session's proposal items, and the representatives' phone.

Routes of the session's blueprint (``session_views.bp``): the coordinator opens a
vote, enters hands counted in the room, closes the vote and registers the decision;
representatives vote from their phones while a vote is open.
"""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from grants.core.actions import form_status, run_and_flash, save
from grants.core.auth import coordinator_required, member_required
from grants.core.db import begin_writing
from grants.core.errors import DomainError
from grants.core.numbers import ascii_int
from grants.extensions import db
from grants.meetings import decisions, session
from grants.meetings.rules import Choice, Outcome
from grants.meetings.session_forms import VoteForm
from grants.meetings.session_views import _back, _decision_form, _item, _meeting, bp
from grants.members.models import Organisation


@bp.post("/session/items/<int:item_id>/vote/open")
@coordinator_required
def open_vote(meeting_id: int, item_id: int):
    meeting = _meeting(meeting_id)
    item = _item(meeting, item_id)
    run_and_flash(
        decisions.open_vote,
        item,
        success=_("Omröstningen är öppen. Representanterna kan rösta från telefonen."),
    )
    return _back(meeting, item)


@bp.post("/session/items/<int:item_id>/votes")
@coordinator_required
def enter_votes(meeting_id: int, item_id: int):
    """Votes given by show of hands, entered by the coordinator (each counted once)."""
    meeting = _meeting(meeting_id)
    item = _item(meeting, item_id)
    begin_writing()
    already = decisions.votes_of(item)
    try:
        for key, value in request.form.items():
            if not key.startswith("vote-") or value not in {c.value for c in Choice}:
                continue
            organisation_id = ascii_int(key.removeprefix("vote-"))
            if organisation_id is None:
                continue
            organisation = db.session.get(Organisation, organisation_id)
            if organisation is None:
                abort(404)
            if organisation.id in already:
                continue
            decisions.cast_vote(item, organisation, Choice(value), actor=current_user)
    except (DomainError, ValueError) as error:
        db.session.rollback()
        flash(str(getattr(error, "message", error)), "danger")
    else:
        db.session.commit()
        flash(_("Rösterna är registrerade."), "success")
    return _back(meeting, item)


@bp.post("/session/items/<int:item_id>/vote/close")
@coordinator_required
def close_vote(meeting_id: int, item_id: int):
    """No more votes: the count stands, and the coordinator hears who did not vote."""
    meeting = _meeting(meeting_id)
    item = _item(meeting, item_id)
    begin_writing()
    try:
        missing = decisions.close_vote(item, actor=current_user._get_current_object())
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "danger")
        return _back(meeting, item)
    db.session.commit()
    if missing:
        flash(
            _(
                "Omröstningen är stängd. Har inte röstat: %(names)s.",
                names=", ".join(organisation.name for organisation in missing),
            ),
            "success",
        )
    else:
        flash(_("Omröstningen är stängd. Alla som fick rösta har röstat."), "success")
    return _back(meeting, item)


@bp.post("/session/items/<int:item_id>/decide")
@coordinator_required
def decide(meeting_id: int, item_id: int):
    """Acclamation (the form says the outcome), or a closed vote (the count says it)."""
    meeting = _meeting(meeting_id)
    item = _item(meeting, item_id)
    form = _decision_form(item.id)
    if form.validate_on_submit():
        outcome = Outcome(form.outcome.data) if form.outcome.data else None
        chair = {"yes": True, "no": False}.get(form.chair_approves.data)
        result = save(
            form,
            decisions.decide,
            item,
            outcome=outcome,
            actor=current_user,
            amount_ore=form.amount.data,
            conditions=form.conditions.data,
            reason=form.reason.data,
            chair_approves=chair,
        )
        if result.ok:
            flash(
                _(
                    "Beslutet är registrerat: %(outcome)s.",
                    outcome=_outcome_word(result.value.outcome),
                ),
                "success",
            )
            return _back(meeting, item)
    for _field, message in form.all_errors:
        flash(message, "danger")
    return _back(meeting, item)


@bp.post("/session/items/<int:item_id>/decision/correct")
@coordinator_required
def correct_decision(meeting_id: int, item_id: int):
    """A decision registered by mistake: the item is open again (the chain keeps both)."""
    meeting = _meeting(meeting_id)
    item = _item(meeting, item_id)
    run_and_flash(
        decisions.correct_decision,
        item,
        success=_(
            "Beslutet är återtaget och punkten öppen igen. Både beslutet och rättelsen står "
            "i granskningsloggen."
        ),
    )
    return _back(meeting, item)


def _outcome_word(outcome: Outcome) -> str:
    return {
        Outcome.APPROVED: _("bifall"),
        Outcome.REJECTED: _("avslag"),
        Outcome.DEFERRED: _("bordlagt"),
    }[outcome]


# ---- the representative's phone -----------------------------------------------------------


@bp.route("/vote", methods=["GET", "POST"])
@member_required
def vote(meeting_id: int):
    """Vote for the organisations you represent on the item the coordinator opened."""
    meeting = _meeting(meeting_id)
    mine = {org.id: org for org in current_user.represented_organisations(g.network)}
    form = VoteForm()
    if request.method == "POST":
        if not mine:
            abort(403)  # represents no organisation here: nobody to vote for
        chosen = ascii_int(request.form.get("organisation"))
        organisation = mine.get(chosen)
        if organisation is None:
            abort(403 if chosen else 400)  # another organisation's vote is not theirs
        item = _item(meeting, ascii_int(request.form.get("item")) or 0)
        if form.validate_on_submit():
            outcome = save(
                form,
                decisions.cast_vote,
                item,
                organisation,
                Choice(form.choice.data),
                actor=current_user,
                success=_(
                    "Rösten för %(organisation)s är registrerad.", organisation=organisation.name
                ),
            )
            if outcome.ok:
                return redirect(url_for(".vote", meeting_id=meeting.id))
    # The agenda is read only for the page: a vote that counts redirects before it (in a
    # storm of sixty votes every saved statement shortens the queue).
    open_items = [item for item in session.agenda(meeting) if decisions.vote_is_open(item)]
    present = session.present_organisation_ids(meeting)
    ballots = []
    for item in open_items:
        recused = session.recused_organisation_ids(item)
        votes = decisions.votes_of(item)
        for organisation in mine.values():
            ballots.append(
                {
                    "item": item,
                    "organisation": organisation,
                    "present": organisation.id in present,
                    "recused": organisation.id in recused,
                    "voted": votes.get(organisation.id),
                }
            )
    return render_template(
        "meetings/vote.html", meeting=meeting, ballots=ballots, form=form
    ), form_status(form)
