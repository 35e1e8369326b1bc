"""The live meeting: the coordinator's session screen and the representatives' vote page.

Every change is a POST that redirects back (a reload repeats nothing), and the
state lives in the database (a second browser sees the same meeting).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from grants.core.actions import form_status, run_and_flash, save
from grants.core.auth import (
    coordinator_required,
    get_in_network_or_404,
    member_required,
    network_blueprint,
)
from grants.core.db import begin_writing
from grants.core.errors import DomainError
from grants.core.forms import choices
from grants.core.numbers import ascii_int
from grants.core.text import clean_line
from grants.extensions import db
from grants.meetings import decisions, operations, session
from grants.meetings import minutes as minutes_ops
from grants.meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    Minutes,
)
from grants.meetings.rules import counted_result, eligible_voters, majority_rule, tally
from grants.meetings.session_forms import DecisionForm, OfficersForm
from grants.members.models import Organisation, OrganisationKind
from grants.proposals.queries import active_member_organisations

bp = network_blueprint("meeting_session", __name__, "/meetings/<int:meeting_id>")


def _meeting(meeting_id: int) -> Meeting:
    return get_in_network_or_404(Meeting, meeting_id)


def _item(meeting: Meeting, item_id: int) -> AgendaItem:
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting.id:
        abort(404)
    return item


def _back(meeting: Meeting, item: AgendaItem | None = None):
    anchor = f"#item-{item.id}" if item is not None else ""
    return redirect(url_for(".screen", meeting_id=meeting.id) + anchor)


def item_states(meeting: Meeting, agenda: list[AgendaItem] | None = None) -> dict[int, dict]:
    """Per proposal item: who may vote, who has voted, and the running count."""
    present = session.present_organisation_ids(meeting)
    if agenda is None:
        agenda = session.agenda(meeting)
    items = [item for item in agenda if item.proposal_id is not None]
    recusals = session.recusals_by_item(items)
    declared = session.declared_recusals_by_item(items)
    votes_by_item = decisions.votes_by_item(items)
    states = {}
    for item in items:
        recused, votes = recusals[item.id], votes_by_item[item.id]
        eligible = eligible_voters(present, recused)
        count = tally(votes, eligible)
        states[item.id] = {
            "status": item.status.value,
            "closed": item.vote_closed_at is not None,
            "not_voted": sorted(eligible - set(votes)),
            "result": _expected_result(count, meeting.network.tie_rule),
            "eligible": sorted(eligible),
            "recused": sorted(recused),
            "declared": sorted(declared[item.id]),
            "votes": {str(org): choice.value for org, choice in votes.items()},
            "yes": count.yes,
            "no": count.no,
            "abstain": count.abstain,
            "missing": len(eligible - set(votes)),
        }
    return states


def _expected_result(count, tie_rule) -> str:
    """What the count decides under the network's rules: approved, rejected, or "chair"
    (a tie the chair decides)."""
    try:
        return counted_result(count, tie_rule).outcome.value
    except ValueError:
        return "chair"


@bp.get("/session")
@coordinator_required
def screen(meeting_id: int):
    return _screen(_meeting(meeting_id))


def _screen(meeting: Meeting, officers_form=None, next_form=None):
    items = session.agenda(meeting)
    organisations = [
        organisation
        for organisation in active_member_organisations(g.network)
        if organisation.kind != OrganisationKind.NETWORK_ITSELF
    ]
    attendance = {
        row.organisation_id: row
        for row in db.session.scalars(
            sa.select(Attendance).where(Attendance.meeting_id == meeting.id)
        )
    }
    return render_template(
        "meetings/session.html",
        meeting=meeting,
        held_today=session.held_today(meeting),
        items=items,
        organisations=organisations,
        names={organisation.id: organisation.name for organisation in organisations},
        attendance=attendance,
        states=item_states(meeting, items),
        majority_rule=majority_rule(meeting.network.tie_rule),
        decision_forms={item.id: _decision_form(item.id) for item in items if item.proposal_id},
        officers_form=officers_form or _officers_form(meeting),
        next_form=next_form or _next_meeting_form(),
    ), form_status(*(f for f in (officers_form, next_form) if f is not None))


def _officers_form(meeting: Meeting) -> OfficersForm:
    form = OfficersForm()
    form.adjusters.choices = choices(
        (user.id, user.name) for user, _organisation in minutes_ops.present_people(meeting)
    )
    found = db.session.scalar(sa.select(Minutes).where(Minutes.meeting_id == meeting.id))
    if found is not None and not form.is_submitted():
        form.chair.data, form.secretary.data = found.chair_name, found.secretary_name
        form.adjusters.data = [adjuster.user_id for adjuster in found.adjusters]
    return form


def _next_meeting_form():
    from grants.meetings.views import _form

    return _form()


def _decision_form(item_id: int) -> DecisionForm:
    """One form per item on the screen, with ids of its own."""
    return DecisionForm(prefix=f"item{item_id}")


@bp.get("/session/state.json")
@member_required
def state(meeting_id: int):
    """The running counts, for the screen's live update and a second browser."""
    meeting = _meeting(meeting_id)
    return jsonify({"status": meeting.status.value, "items": item_states(meeting)})


@bp.post("/session/open")
@coordinator_required
def open_session(meeting_id: int):
    meeting = _meeting(meeting_id)
    run_and_flash(session.start_session, meeting, success=_("Mötet är öppnat."))
    return _back(meeting)


@bp.post("/session/move-to-today")
@coordinator_required
def move_to_today(meeting_id: int):
    """A meeting opened on another day than planned: its date becomes today first."""
    meeting = _meeting(meeting_id)
    run_and_flash(
        operations.move_to_today,
        meeting,
        success=_("Mötet är flyttat till i dag. De inbjudna får besked om den nya dagen."),
    )
    return _back(meeting)


@bp.post("/session/attendance")
@coordinator_required
def attendance(meeting_id: int):
    """The attendance table: a tick and the names of the people present, per organisation."""
    meeting = _meeting(meeting_id)
    begin_writing()
    try:
        for organisation in active_member_organisations(g.network):
            key = str(organisation.id)
            present = request.form.get(f"present-{key}") == "y"
            people = clean_line(request.form.get(f"people-{key}", ""))[:500]
            known = db.session.scalar(
                sa.select(Attendance).where(
                    Attendance.meeting_id == meeting.id,
                    Attendance.organisation_id == organisation.id,
                )
            )
            if known is None and not present and not people:
                continue
            if known is not None and known.present == present and known.people == people:
                continue
            session.record_attendance(
                meeting, organisation, present=present, people=people, actor=current_user
            )
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "danger")
    else:
        db.session.commit()
        flash(_("Närvaron är sparad."), "success")
    return redirect(url_for(".screen", meeting_id=meeting.id) + "#attendance")


# ---- officers, the next meeting, closing ----------------------------------------------------


@bp.post("/session/officers")
@coordinator_required
def officers(meeting_id: int):
    meeting = _meeting(meeting_id)
    form = _officers_form(meeting)
    if form.validate_on_submit():
        outcome = save(
            form,
            minutes_ops.set_officers,
            meeting,
            chair=form.chair.data,
            secretary=form.secretary.data,
            adjuster_ids=form.adjusters.data or [],
            actor=current_user,
            success=_("Ordförande, sekreterare och justerare är valda."),
        )
        if outcome.ok:
            return redirect(url_for(".screen", meeting_id=meeting.id) + "#officers")
    return _screen(meeting, officers_form=form)


@bp.post("/session/next-meeting")
@coordinator_required
def next_meeting(meeting_id: int):
    """The date set at the meeting becomes the next planned meeting."""
    from grants.meetings.operations import plan_meeting
    from grants.meetings.views import _values

    meeting = _meeting(meeting_id)
    form = _next_meeting_form()
    if form.validate_on_submit():
        outcome = save(form, plan_meeting, g.network, actor=current_user, **_values(form))
        if outcome.ok:
            flash(
                _("Nästa möte är planerat: möte %(number)d.", number=outcome.value.number),
                "success",
            )
            return redirect(url_for(".screen", meeting_id=meeting.id) + "#next-meeting")
    return _screen(meeting, next_form=form)


@bp.post("/session/close")
@coordinator_required
def close(meeting_id: int):
    meeting = _meeting(meeting_id)
    if run_and_flash(
        minutes_ops.close_meeting,
        meeting,
        success=_("Mötet är avslutat. Skriv protokollet och låt justerarna godkänna det."),
    ):
        return redirect(url_for("meeting_minutes.show", meeting_id=meeting.id))
    return redirect(url_for(".screen", meeting_id=meeting.id))


def _member_organisation(value: str | None) -> Organisation:
    """The organisation a form names, if it is a member of this network (tenant wall)."""
    chosen = ascii_int(value)
    if not chosen:
        abort(400)
    organisation = next((o for o in active_member_organisations(g.network) if o.id == chosen), None)
    if organisation is None:
        abort(404)
    return organisation


@bp.post("/session/items/<int:item_id>/recusal")
@coordinator_required
def recusal(meeting_id: int, item_id: int):
    """More jäv than the applicant and co-applicants: an organisation steps aside."""
    meeting = _meeting(meeting_id)
    item = _item(meeting, item_id)
    organisation = _member_organisation(request.form.get("organisation"))
    reason = clean_line(request.form.get("reason", ""))[:500]
    run_and_flash(
        lambda it, actor: session.declare_recusal(it, organisation, reason=reason, actor=actor),
        item,
        success=_(
            "%(organisation)s är jävig och röstar inte på punkten.", organisation=organisation.name
        ),
    )
    return _back(meeting, item)


@bp.post("/session/items/<int:item_id>/recusal/withdraw")
@coordinator_required
def withdraw_recusal(meeting_id: int, item_id: int):
    """A jäv declared by mistake is taken back (both stay in the audit chain)."""
    meeting = _meeting(meeting_id)
    item = _item(meeting, item_id)
    organisation = _member_organisation(request.form.get("organisation"))
    run_and_flash(
        lambda it, actor: session.withdraw_recusal(it, organisation, actor=actor),
        item,
        success=_(
            "Jävet för %(organisation)s är borttaget: organisationen röstar på punkten.",
            organisation=organisation.name,
        ),
    )
    return _back(meeting, item)


# The votes and decisions live in vote_views, on this blueprint: imported last, when
# everything it takes from here exists.
from grants.meetings import vote_views  # noqa: E402, F401
