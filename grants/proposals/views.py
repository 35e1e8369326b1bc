"""Pre-registration pages: the list, a proposal, new, edit, withdraw, move, versions."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import Forbidden

from grants.core.actions import form_status, run_and_flash, save
from grants.core.auth import (
    coordinator_required,
    get_in_network_or_404,
    member_required,
    network_blueprint,
    require,
)
from grants.core.forms import choices
from grants.core.i18n import current_language
from grants.core.numbers import ascii_int
from grants.core.time import format_datetime
from grants.funds.operations import pot
from grants.meetings.models import Meeting
from grants.meetings.operations import upcoming_meetings
from grants.members.models import RoleKind
from grants.proposals import operations, queries
from grants.proposals.form_handling import (
    build_form,
    form_to_input,
    load_proposal_into,
    resolve_arrival,
)
from grants.proposals.forms import MoveForm
from grants.proposals.models import ProposalState
from grants.proposals.permissions import is_coordinator, may_change, may_submit_for

bp = network_blueprint("proposals", __name__, "/proposals")


def _proposal_or_404(proposal_id: int):
    proposal = queries.proposal_for_page(g.network, proposal_id)
    if proposal is None:
        abort(404)
    return proposal


@bp.get("/")
@member_required
def index():
    filters = queries.Filters.from_args(request.args)
    page = queries.proposal_page(
        g.network,
        filters,
        ascii_int(request.args.get("page")) or 1,
        with_missing=is_coordinator(current_user, g.network),
    )
    return render_template(
        "proposals/index.html",
        page=page,
        filters=filters,
        criteria=g.network.criteria,
        organisations=queries.organisations_in(g.network),
        meetings=upcoming_meetings(g.network),
        states=list(ProposalState),
        pot=pot(g.network),
    )


@bp.route("/new", methods=["GET", "POST"])
@member_required
def new():
    coordinator = is_coordinator(current_user, g.network)
    form = build_form(g.network, current_user, coordinator=coordinator)
    if not form.applicant.choices:
        raise Forbidden(
            _(
                "Du representerar ingen organisation som är medlem i nätverket just nu, "
                "så du kan inte lämna förslag."
            )
        )
    if form.validate_on_submit():
        data = form_to_input(g.network, form)
        require(may_submit_for(current_user, g.network, data.applicant))
        outcome = save(
            form,
            operations.register_proposal,
            g.network,
            data,
            actor=current_user._get_current_object(),
            by_coordinator=coordinator,
            arrival=resolve_arrival(g.network, form) if coordinator else None,
        )
        if outcome.ok:
            proposal = outcome.value
            flash(
                _(
                    "Förslaget är registrerat med nummer %(reference)s. En bekräftelse går till "
                    "kontaktpersonen.",
                    reference=proposal.reference,
                ),
                "success",
            )
            return redirect(url_for(".show", proposal_id=proposal.id))
    return _form_page(form, None, coordinator)


def _form_page(form, proposal, coordinator: bool):
    return render_template(
        "proposals/form.html",
        form=form,
        proposal=proposal,
        coordinator=coordinator,
        pot=pot(g.network),
    ), form_status(form)


def _visible_grant(proposal):
    """The proposal's grant, if there is one and this person may open it: a link that
    answers 403 is not shown."""
    import sqlalchemy as sa

    from grants.extensions import db
    from grants.funds.access import may_see
    from grants.funds.models import Grant

    grant = db.session.scalar(
        sa.select(Grant).where(Grant.proposal_id == proposal.id, Grant.network_id == g.network.id)
    )
    return grant if grant is not None and may_see(current_user, grant) else None


def _show_page(proposal, move_form=None):
    coordinator = is_coordinator(current_user, g.network)
    if coordinator and move_form is None:
        move_form = _move_form(proposal)
    return render_template(
        "proposals/show.html",
        proposal=proposal,
        may_change=bool(may_change(current_user, proposal)),
        editable=operations.editable(proposal),
        withdrawable=proposal.state in operations.WITHDRAWABLE,
        coordinator=coordinator,
        move_form=move_form,
        grant=_visible_grant(proposal),
        traces=current_user.has_role(g.network, RoleKind.COORDINATOR, RoleKind.AUDITOR),
    ), form_status(move_form) if move_form is not None else 200


@bp.get("/<int:proposal_id>")
@member_required
def show(proposal_id: int):
    return _show_page(_proposal_or_404(proposal_id))


@bp.route("/<int:proposal_id>/edit", methods=["GET", "POST"])
@member_required
def edit(proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    require(may_change(current_user, proposal))
    coordinator = is_coordinator(current_user, g.network)
    if not operations.editable(proposal):
        flash(
            _(
                "Förslaget kan inte ändras längre: kallelsen till mötet är skickad eller "
                "förslaget är redan behandlat. Det går fortfarande att dra tillbaka det."
            ),
            "danger",
        )
        return redirect(url_for(".show", proposal_id=proposal.id))
    form = build_form(g.network, current_user, coordinator=coordinator, editing=proposal)
    if request.method == "GET":
        load_proposal_into(form, proposal)
    if form.validate_on_submit():
        data = form_to_input(g.network, form)
        require(may_submit_for(current_user, g.network, data.applicant))
        outcome = save(
            form,
            operations.edit_proposal,
            proposal,
            data,
            actor=current_user,
            by_coordinator=coordinator,
        )
        if outcome.ok:
            changed = outcome.value
            flash(
                _("Ändringarna är sparade som version %(version)d.", version=proposal.version)
                if changed
                else _("Inget var ändrat."),
                "success",
            )
            return redirect(url_for(".show", proposal_id=proposal.id))
    return _form_page(form, proposal, coordinator)


@bp.post("/<int:proposal_id>/withdraw")
@member_required
def withdraw(proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    require(may_change(current_user, proposal))
    run_and_flash(operations.withdraw_proposal, proposal, success=_("Förslaget är tillbakadraget."))
    return redirect(url_for(".show", proposal_id=proposal.id))


def _move_form(proposal) -> MoveForm:
    """Only meetings after the one the proposal is headed for can be chosen."""
    form = MoveForm()
    current = proposal.meeting
    later = [
        meeting
        for meeting in upcoming_meetings(g.network)
        if current is None or meeting.starts_at > current.starts_at
    ]
    form.meeting.choices = choices(
        (m.id, f"{_('Möte %(number)d', number=m.number)}, {format_datetime(m.starts_at)}")
        for m in later
    )
    return form


@bp.post("/<int:proposal_id>/move")
@coordinator_required
def move(proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    form = _move_form(proposal)
    if form.validate_on_submit():
        meeting = get_in_network_or_404(Meeting, form.meeting.data)
        outcome = save(
            form,
            operations.move_proposal,
            proposal,
            meeting,
            reason=form.reason.data,
            actor=current_user,
            success=_("Förslaget är flyttat till möte %(number)d.", number=meeting.number),
        )
        if outcome.ok:
            return redirect(url_for(".show", proposal_id=proposal.id))
    return _show_page(proposal, move_form=form)


@bp.get("/<int:proposal_id>/versions/<int:version>")
@member_required
def version(proposal_id: int, version: int):
    proposal = _proposal_or_404(proposal_id)
    versions = {v.version: v for v in proposal.versions}
    if version not in versions or version == 1:
        abort(404)
    changes = operations.version_diff(versions[version - 1], versions[version])
    return render_template(
        "proposals/version.html",
        proposal=proposal,
        version=versions[version],
        changes=changes,
        locale=current_language(),
    )
