"""Meetings: the list members see, and the coordinator's planning."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from grants.core.actions import form_status, save
from grants.core.auth import (
    coordinator_required,
    get_in_network_or_404,
    member_required,
    network_blueprint,
)
from grants.core.forms import choices
from grants.core.time import STOCKHOLM, to_local
from grants.extensions import db
from grants.meetings import invitations, operations, session
from grants.meetings.agenda_views import waiting_proposals
from grants.meetings.forms import CancelForm, InviteForm, MeetingForm
from grants.meetings.models import Meeting, MeetingStatus
from grants.proposals.models import (
    DECIDED_STATES,
    UNDECIDED_STATES,
    Proposal,
    ProposalState,
)
from grants.proposals.queries import active_member_organisations

bp = network_blueprint("meetings", __name__, "/meetings")


@bp.get("/")
@member_required
def index():
    meetings = db.session.scalars(
        sa.select(Meeting)
        .where(Meeting.network_id == g.network.id)
        .options(joinedload(Meeting.host_organisation))
        .order_by(Meeting.starts_at.desc())
    ).all()
    return render_template("meetings/index.html", meetings=meetings)


@bp.get("/<int:meeting_id>")
@member_required
def show(meeting_id: int):
    return _meeting_page(get_in_network_or_404(Meeting, meeting_id))


def _meeting_page(meeting: Meeting, invite_form=None, cancel_form=None):
    queued = db.session.scalars(
        sa.select(Proposal)
        .where(Proposal.meeting_id == meeting.id)
        .options(joinedload(Proposal.applicant))
        .order_by(Proposal.year, Proposal.number)
    ).all()
    return render_template(
        "meetings/show.html",
        meeting=meeting,
        items=session.agenda(meeting),
        short_notice=invitations.days_until(meeting) < g.network.invite_lead_days,
        waiting=waiting_proposals(meeting)
        if meeting.status
        in (MeetingStatus.PLANNED, MeetingStatus.INVITED, MeetingStatus.IN_SESSION)
        else [],
        invite_form=invite_form or InviteForm(),
        cancel_form=cancel_form or CancelForm(),
        queued=[p for p in queued if p.state in UNDECIDED_STATES],
        withdrawn=[p for p in queued if p.state == ProposalState.WITHDRAWN],
        decided=[p for p in queued if p.state in DECIDED_STATES],
    ), form_status(*(form for form in (invite_form, cancel_form) if form is not None))


def _form(meeting: Meeting | None = None) -> MeetingForm:
    form = MeetingForm()
    form.host.choices = choices(
        [("", _("– ingen vald –"))]
        + [(o.id, o.name) for o in active_member_organisations(g.network)]
    )
    if meeting is not None and not form.is_submitted():
        local_start, local_end = to_local(meeting.starts_at), to_local(meeting.ends_at)
        form.date.data = local_start.date()
        form.start_time.data = local_start.time()
        form.end_time.data = local_end.time()
        form.place.data = meeting.place
        form.host.data = meeting.host_organisation_id
        form.theme.data = meeting.theme
    if meeting is None:
        suggested = operations.suggest_host(g.network)
        if suggested is not None:
            form.host.description = _(
                "Förslag enligt rotationen: %(name)s (den som varit värd längst sedan, eller "
                "aldrig).",
                name=suggested.name,
            )
            if not form.is_submitted():
                form.host.data = suggested.id
    return form


def _values(form: MeetingForm) -> dict:
    host = None
    if form.host.data:
        members = {o.id: o for o in active_member_organisations(g.network)}
        host = members.get(form.host.data)
        if host is None:
            abort(404)
    return {
        "starts_at": datetime.combine(form.date.data, form.start_time.data, tzinfo=STOCKHOLM),
        "ends_at": datetime.combine(form.date.data, form.end_time.data, tzinfo=STOCKHOLM),
        "place": form.place.data,
        "host": host,
        "theme": form.theme.data,
    }


@bp.route("/new", methods=["GET", "POST"])
@coordinator_required
def new():
    form = _form()
    if form.validate_on_submit():
        outcome = save(
            form, operations.plan_meeting, g.network, actor=current_user, **_values(form)
        )
        if outcome.ok:
            meeting = outcome.value
            flash(_("Möte %(number)d är planerat.", number=meeting.number), "success")
            return redirect(url_for(".show", meeting_id=meeting.id))
    return render_template("meetings/form.html", form=form, meeting=None), form_status(form)


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@coordinator_required
def edit(meeting_id: int):
    meeting = get_in_network_or_404(Meeting, meeting_id)
    form = _form(meeting)
    if form.validate_on_submit():
        outcome = save(
            form,
            operations.update_meeting,
            meeting,
            actor=current_user,
            **_values(form),
            success=_("Mötet är ändrat."),
        )
        if outcome.ok:
            return redirect(url_for(".show", meeting_id=meeting.id))
    return render_template("meetings/form.html", form=form, meeting=meeting), form_status(form)


@bp.post("/<int:meeting_id>/invite")
@coordinator_required
def invite(meeting_id: int):
    meeting = get_in_network_or_404(Meeting, meeting_id)
    form = InviteForm()
    if form.validate_on_submit():
        outcome = save(
            form,
            invitations.send_invitations,
            meeting,
            actor=current_user,
            confirm_short_notice=form.confirm_short_notice.data,
        )
        if outcome.ok:
            flash(
                _(
                    "Kallelsen är skickad till %(count)d mottagare. Förslagen på dagordningen "
                    "är nu låsta.",
                    count=outcome.value,
                ),
                "success",
            )
            return redirect(url_for(".show", meeting_id=meeting.id))
    return _meeting_page(meeting, invite_form=form)


@bp.post("/<int:meeting_id>/cancel")
@coordinator_required
def cancel(meeting_id: int):
    meeting = get_in_network_or_404(Meeting, meeting_id)
    form = CancelForm()
    if form.validate_on_submit():
        outcome = save(
            form,
            invitations.cancel_meeting,
            meeting,
            reason=form.reason.data,
            actor=current_user,
            success=_("Mötet är inställt."),
        )
        if outcome.ok:
            return redirect(url_for(".show", meeting_id=meeting.id))
    return _meeting_page(meeting, cancel_form=form)
