"""Minutes pages: the internal minutes, writing them, adjusting them, the PDF, the public one."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from grants.core.actions import form_status, run_and_flash, save
from grants.core.auth import (
    Permission,
    coordinator_required,
    get_in_network_or_404,
    member_required,
    network_blueprint,
    require,
    require_network_visible,
)
from grants.core.forms import BaseForm, MultilineField, required
from grants.core.text import clean_multiline
from grants.meetings import minutes as operations
from grants.meetings.minutes_pdf import minutes_pdf
from grants.meetings.minutes_view import minutes_context
from grants.meetings.models import Meeting, MeetingStatus
from grants.meetings.session import agenda
from grants.proposals.permissions import is_coordinator

bp = network_blueprint("meeting_minutes", __name__, "/meetings/<int:meeting_id>")


class PaperForm(BaseForm):
    note = MultilineField(
        _l("Datum och namn på justerarna"),
        [required(_l("Skriv när och av vem pappersprotokollet justerades."))],
        max_chars=1000,
    )


def _meeting(meeting_id: int) -> Meeting:
    return get_in_network_or_404(Meeting, meeting_id)


def _page(meeting: Meeting, paper_form=None):
    context = minutes_context(meeting, public=False)
    minutes = context["minutes"]
    coordinator = is_coordinator(current_user, g.network)
    writable = coordinator and meeting.status in (MeetingStatus.IN_SESSION, MeetingStatus.HELD)
    can_approve = (
        meeting.status == MeetingStatus.HELD
        and minutes is not None
        and any(a.user_id == current_user.id and a.approved_at is None for a in minutes.adjusters)
    )
    return render_template(
        "meetings/minutes.html",
        **context,
        can_approve=can_approve,
        text_form=FlaskForm() if writable else None,
        paper_form=(paper_form or PaperForm())
        if coordinator and meeting.status == MeetingStatus.HELD
        else None,
    ), form_status(paper_form) if paper_form is not None else 200


@bp.get("/minutes")
@member_required
def show(meeting_id: int):
    return _page(_meeting(meeting_id))


@bp.post("/minutes/write")
@coordinator_required
def write(meeting_id: int):
    meeting = _meeting(meeting_id)
    texts = {
        item.id: clean_multiline(request.form.get(f"text-{item.id}", ""))[:10000]
        for item in agenda(meeting)
    }
    closing = clean_multiline(request.form.get("closing_text", ""))[:10000]

    def write_them(meeting, *, actor):
        operations.write_minutes(meeting, texts=texts, closing_text=closing, actor=actor)

    run_and_flash(write_them, meeting, success=_("Protokolltexten är sparad."))
    return redirect(url_for(".show", meeting_id=meeting.id))


@bp.post("/minutes/approve")
@member_required
def approve(meeting_id: int):
    meeting = _meeting(meeting_id)
    require(
        Permission(
            operations.is_adjuster(meeting, current_user),
            _("Bara mötets justerare godkänner protokollet."),
        )
    )
    run_and_flash(
        operations.approve_minutes, meeting, success=_("Tack! Ditt godkännande är registrerat.")
    )
    if meeting.status == MeetingStatus.ADJUSTED:
        flash(
            _(
                "Alla justerare har godkänt: protokollet är justerat och skickat till alla "
                "medlemmar."
            ),
            "success",
        )
    return redirect(url_for(".show", meeting_id=meeting.id))


@bp.post("/minutes/paper")
@coordinator_required
def paper(meeting_id: int):
    meeting = _meeting(meeting_id)
    form = PaperForm()
    if form.validate_on_submit():
        outcome = save(
            form,
            operations.record_paper_adjustment,
            meeting,
            note=form.note.data,
            actor=current_user,
            success=_("Protokollet är justerat och skickat till alla medlemmar."),
        )
        if outcome.ok:
            return redirect(url_for(".show", meeting_id=meeting.id))
    return _page(meeting, paper_form=form)


@bp.get("/minutes.pdf")
@member_required
def pdf(meeting_id: int):
    meeting = _meeting(meeting_id)
    return (
        minutes_pdf(meeting),
        200,
        {
            "Content-Type": "application/pdf",
            "Content-Disposition": f'inline; filename="protokoll-motet-{meeting.number}.pdf"',
        },
    )


@bp.get("/minutes/public")
def public(meeting_id: int):
    """The public version: organisations, decisions and amounts, no private persons."""
    require_network_visible()
    meeting = _meeting(meeting_id)
    if meeting.status != MeetingStatus.ADJUSTED:
        abort(404)
    return render_template("meetings/minutes_public.html", **minutes_context(meeting, public=True))
