"""Editing the agenda from the meeting page: add, remove and reorder items, late proposals."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from grants.core.actions import run_and_flash
from grants.core.auth import coordinator_required, get_in_network_or_404, network_blueprint
from grants.core.numbers import ascii_int
from grants.core.text import clean_line, clean_multiline
from grants.extensions import db
from grants.meetings import session
from grants.meetings.models import AgendaItem, Meeting
from grants.proposals.models import Proposal, ProposalState

bp = network_blueprint("agenda", __name__, "/meetings/<int:meeting_id>/agenda")


def _meeting_and_item(meeting_id: int, item_id: int) -> tuple[Meeting, AgendaItem]:
    meeting = get_in_network_or_404(Meeting, meeting_id)
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting.id:
        abort(404)
    return meeting, item


def _back(meeting: Meeting):
    return redirect(url_for("meetings.show", meeting_id=meeting.id) + "#agenda")


@bp.post("/items")
@coordinator_required
def add(meeting_id: int):
    meeting = get_in_network_or_404(Meeting, meeting_id)
    title = clean_line(request.form.get("title", ""))[:300]
    run_and_flash(
        lambda m, actor: session.add_item(m, title, actor=actor),
        meeting,
        success=_("Punkten är tillagd."),
    )
    return _back(meeting)


@bp.post("/items/<int:item_id>/remove")
@coordinator_required
def remove(meeting_id: int, item_id: int):
    meeting, item = _meeting_and_item(meeting_id, item_id)
    run_and_flash(session.remove_item, item, success=_("Punkten är borttagen."))
    return _back(meeting)


@bp.post("/items/<int:item_id>/move")
@coordinator_required
def move(meeting_id: int, item_id: int):
    meeting, item = _meeting_and_item(meeting_id, item_id)
    direction = -1 if request.form.get("direction") == "up" else 1
    run_and_flash(
        lambda i, actor: session.move_item(i, direction, actor=actor),
        item,
        success=_("Dagordningen är ändrad."),
    )
    return _back(meeting)


@bp.post("/late")
@coordinator_required
def late(meeting_id: int):
    """A proposal added after the invitations, with the reason the minutes will show."""
    meeting = get_in_network_or_404(Meeting, meeting_id)
    proposal = db.session.scalar(
        sa.select(Proposal).where(
            Proposal.id == ascii_int(request.form.get("proposal")),
            Proposal.network_id == g.network.id,
            Proposal.state.in_((ProposalState.REGISTERED, ProposalState.DEFERRED)),
        )
    )
    if proposal is None:
        flash(_("Välj ett förslag som väntar på ett möte."), "danger")
        return _back(meeting)
    reason = clean_multiline(request.form.get("reason", ""))[:1000]
    run_and_flash(
        lambda m, actor: session.add_proposal_item(m, proposal, late_reason=reason, actor=actor),
        meeting,
        success=_("Förslaget är tillagt på dagordningen."),
    )
    return _back(meeting)


def waiting_proposals(meeting: Meeting) -> list[Proposal]:
    """Proposals that could be added late: waiting, and not on this meeting's agenda."""
    on_agenda = {item.proposal_id for item in session.agenda(meeting) if item.proposal_id}
    return [
        proposal
        for proposal in db.session.scalars(
            sa.select(Proposal)
            .where(
                Proposal.network_id == meeting.network_id,
                Proposal.state.in_((ProposalState.REGISTERED, ProposalState.DEFERRED)),
            )
            .order_by(Proposal.year, Proposal.number)
        )
        if proposal.id not in on_agenda
    ]
