"""The public join form and the coordinator's pages for members and people."""

from __future__ import annotations

from flask import abort, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from grants.core.actions import form_status, run_and_flash, save
from grants.core.auth import (
    coordinator_required,
    get_in_network_or_404,
    member_required,
    network_blueprint,
    require_network_visible,
)
from grants.core.errors import DomainError
from grants.core.forms import choices
from grants.core.i18n import current_language
from grants.extensions import db, limiter
from grants.members import admin_queries, erasure, operations
from grants.members.forms import (
    AddMemberForm,
    ConfirmForm,
    EraseForm,
    JoinForm,
    OrganisationForm,
    PayoutDetailsForm,
    RejectForm,
    RoleForm,
)
from grants.members.models import (
    JoinRequest,
    JoinRequestStatus,
    Membership,
    OrganisationKind,
    Role,
    RoleKind,
    User,
)

bp = network_blueprint("members", __name__)
admin_bp = network_blueprint("members_admin", __name__, "/admin")


def _details(form) -> operations.OrganisationDetails:
    return operations.OrganisationDetails(
        name=form.organisation_name.data,
        orgnr=form.orgnr.data,
        kind=OrganisationKind(form.kind.data),
        contact_name=form.contact_name.data,
        contact_email=form.contact_email.data,
    )


@bp.route("/join", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def join():
    require_network_visible()
    form = JoinForm()
    if form.validate_on_submit():
        outcome = save(
            form,
            operations.submit_join_request,
            g.network,
            _details(form),
            wants_invitations=form.wants_invitations.data,
            message=form.message.data,
            locale=current_language(),
        )
        if outcome.ok:
            return render_template("members/join_sent.html", join_request=outcome.value)
    return render_template("members/join.html", form=form), form_status(form)


def _member_organisation(organisation_id: int) -> Membership:
    membership = db.session.scalar(
        db.select(Membership).where(
            Membership.network_id == g.network.id,
            Membership.organisation_id == organisation_id,
        )
    )
    if membership is None:
        abort(404)
    return membership


def _organisation_page(membership: Membership, payout_form=None):
    from grants.proposals.queries import proposals_of

    organisation = membership.organisation
    proposals, grants = proposals_of(g.network, organisation)
    may_edit = current_user.has_role(g.network, RoleKind.COORDINATOR) or any(
        org.id == organisation.id for org in current_user.represented_organisations(g.network)
    )
    form = payout_form or PayoutDetailsForm()
    details = membership.payout_details
    if details is not None and payout_form is None:
        form.method.data = details.method.value
    return render_template(
        "members/organisation.html",
        membership=membership,
        organisation=organisation,
        proposals=proposals,
        grants=grants,
        details=details,
        sees_full_details=current_user.has_role(g.network, RoleKind.COORDINATOR, RoleKind.AUDITOR),
        payout_form=form if may_edit else None,
    ), form_status(form) if payout_form is not None else 200


@bp.get("/organisations/<int:organisation_id>")
@member_required
def organisation_page(organisation_id: int):
    """An organisation as the network's members see it: its proposals and grants."""
    return _organisation_page(_member_organisation(organisation_id))


@bp.post("/organisations/<int:organisation_id>/payout")
@member_required
def payout_details(organisation_id: int):
    """The organisation's representatives (or the coordinator) set where grants are paid."""
    membership = _member_organisation(organisation_id)
    organisation = membership.organisation
    if not (
        current_user.has_role(g.network, RoleKind.COORDINATOR)
        or any(
            org.id == organisation.id for org in current_user.represented_organisations(g.network)
        )
    ):
        abort(403)
    # Where this network pays lives in funds (destinations); views are the top layer.
    from grants.funds.destinations import set_payout_details

    form = PayoutDetailsForm()
    if form.validate_on_submit():
        outcome = save(
            form,
            set_payout_details,
            membership,
            method=form.method.data,
            number=form.number.data,
            actor=current_user._get_current_object(),
        )
        if outcome.ok:
            flash(
                _(
                    "Utbetalningsuppgifterna är sparade. Kontaktpersonen och samordnarna får "
                    "e-post om ändringen."
                ),
                "success",
            )
            if outcome.value:
                flash(
                    _(
                        "%(count)s utbetalningar som inte är betalda än går fortfarande till "
                        "det tidigare kontot. Makulera dem och registrera nya för att betala "
                        "till det nya kontot.",
                        count=len(outcome.value),
                    ),
                    "warning",
                )
            return redirect(url_for(".organisation_page", organisation_id=organisation.id))
    return _organisation_page(membership, payout_form=form)


@bp.route("/contact-change/<token>", methods=["GET", "POST"])
def confirm_contact(token: str):
    """The organisation's current contact confirms a new contact asked for by a coordinator
    (no sign-in: the contact person may have no account)."""
    from grants.members import contact

    form = ConfirmForm()
    try:
        organisation, payload = contact.read_contact_change(token, g.network)
    except DomainError as error:
        page, status = render_template("members/confirm_contact.html", problem=error.message), 400
    else:
        page, status = None, 200
        if form.validate_on_submit():
            outcome = save(form, contact.confirm_contact_change, token, g.network)
            if outcome.ok:
                page = render_template("members/confirm_contact.html", done=outcome.value)
        if page is None:
            page = render_template(
                "members/confirm_contact.html",
                organisation=organisation,
                new_name=payload["name"],
                new_email=payload["email"],
                form=form,
            )
            status = form_status(form)
    response = make_response(page, status)
    # The page names a person and carries the link's token: no cache keeps it.
    response.headers["Cache-Control"] = "private, no-store"
    return response


# ---- join requests ----------------------------------------------------------------------


@admin_bp.get("/join-requests/")
@coordinator_required
def join_requests():
    return render_template(
        "admin/join_requests.html",
        pending=admin_queries.join_requests(g.network, JoinRequestStatus.PENDING),
        decided=[
            r
            for r in admin_queries.join_requests(g.network)
            if r.status != JoinRequestStatus.PENDING
        ],
    )


@admin_bp.route("/join-requests/<int:request_id>", methods=["GET", "POST"])
@coordinator_required
def join_request(request_id: int):
    join_request = get_in_network_or_404(JoinRequest, request_id)
    reject_form = RejectForm()
    if request.method == "POST":
        if request.form.get("decision") == "approve":
            outcome = save(
                reject_form, operations.approve_join_request, join_request, actor=current_user
            )
            if outcome.ok:
                flash(
                    _(
                        "%(name)s är nu medlem. Kontaktpersonen får en inbjudan med e-post.",
                        name=outcome.value.organisation.name,
                    ),
                    "success",
                )
                return redirect(url_for(".join_requests"))
        elif reject_form.validate():
            outcome = save(
                reject_form,
                operations.reject_join_request,
                join_request,
                reason=reject_form.reason.data,
                actor=current_user,
                success=_("Ansökan är avslagen och organisationen har fått besked."),
            )
            if outcome.ok:
                return redirect(url_for(".join_requests"))
    existing = operations.find_organisation_by_orgnr(join_request.orgnr)
    return (
        render_template(
            "admin/join_request.html",
            join_request=join_request,
            reject_form=reject_form,
            existing=existing,
        ),
        form_status(reject_form),
    )


# ---- organisations and memberships -------------------------------------------------------


@admin_bp.get("/organisations/")
@coordinator_required
def organisations():
    return render_template(
        "admin/organisations.html", memberships=admin_queries.memberships(g.network)
    )


@admin_bp.route("/organisations/new", methods=["GET", "POST"])
@coordinator_required
def add_member():
    form = AddMemberForm()
    if form.validate_on_submit():
        outcome = save(
            form,
            operations.add_member_directly,
            g.network,
            _details(form),
            wants_invitations=form.wants_invitations.data,
            actor=current_user,
        )
        if outcome.ok:
            flash(
                _(
                    "%(name)s är nu medlem. Kontaktpersonen får en inbjudan med e-post.",
                    name=outcome.value.organisation.name,
                ),
                "success",
            )
            return redirect(url_for(".organisations"))
    return render_template("admin/add_member.html", form=form), form_status(form)


def _membership_or_404(membership_id: int) -> Membership:
    return get_in_network_or_404(Membership, membership_id)


@admin_bp.route("/organisations/<int:membership_id>", methods=["GET", "POST"])
@coordinator_required
def organisation(membership_id: int):
    membership = _membership_or_404(membership_id)
    org = membership.organisation
    if org.kind == OrganisationKind.NETWORK_ITSELF:
        # The network as an applicant: no number, no contact, nothing to edit here.
        return render_template(
            "admin/organisation.html",
            form=None,
            membership=membership,
            organisation=org,
            representatives=[],
        )
    form = OrganisationForm(obj=org, data={"wants_invitations": membership.wants_invitations})
    if request.method == "GET":
        form.kind.data = org.kind.value
    if form.validate_on_submit():
        outcome = save(
            form,
            operations.update_member,
            membership,
            actor=current_user,
            name=form.name.data,
            orgnr=form.orgnr.data,
            kind=OrganisationKind(form.kind.data),
            contact_name=form.contact_name.data,
            contact_email=form.contact_email.data,
            wants_invitations=form.wants_invitations.data,
            success=_("Uppgifterna är sparade."),
        )
        if outcome.ok:
            if outcome.value:
                flash(
                    _(
                        "Organisationen är medlem i fler nätverk. Den nya kontaktpersonen gäller "
                        "när någon på den nuvarande adressen har bekräftat ändringen med länken "
                        "vi skickat dit."
                    ),
                    "warning",
                )
            return redirect(url_for(".organisation", membership_id=membership.id))
    representatives = [
        role
        for role in db.session.scalars(
            db.select(Role).where(Role.network_id == g.network.id, Role.organisation_id == org.id)
        )
    ]
    return (
        render_template(
            "admin/organisation.html",
            form=form,
            membership=membership,
            organisation=org,
            representatives=representatives,
        ),
        form_status(form),
    )


@admin_bp.post("/organisations/<int:membership_id>/end")
@coordinator_required
def end_membership(membership_id: int):
    membership = _membership_or_404(membership_id)
    run_and_flash(
        operations.end_membership,
        membership,
        success=_(
            "Medlemskapet är avslutat. Organisationens representanter har inte "
            "längre någon roll i nätverket."
        ),
    )
    return redirect(url_for(".organisation", membership_id=membership.id))


@admin_bp.post("/organisations/<int:membership_id>/resume")
@coordinator_required
def resume_membership(membership_id: int):
    membership = _membership_or_404(membership_id)
    run_and_flash(
        operations.resume_membership, membership, success=_("Organisationen är medlem igen.")
    )
    return redirect(url_for(".organisation", membership_id=membership.id))


# ---- people and roles -------------------------------------------------------------------


def _organisation_choices():
    pairs = [("", _("– ingen (för samordnare och granskare) –"))]
    for membership in admin_queries.memberships(g.network):
        if membership.active:
            pairs.append((membership.organisation_id, membership.organisation.name))
    return choices(pairs)


@admin_bp.route("/people/", methods=["GET", "POST"])
@coordinator_required
def people():
    form = RoleForm()
    form.organisation.choices = _organisation_choices()
    if form.validate_on_submit():
        organisation = None
        if form.organisation.data:
            membership = db.session.scalar(
                db.select(Membership).where(
                    Membership.network_id == g.network.id,
                    Membership.organisation_id == form.organisation.data,
                )
            )
            if membership is None:
                abort(404)
            organisation = membership.organisation
        outcome = save(
            form,
            operations.grant_role,
            g.network,
            email=form.email.data,
            name=form.name.data,
            role=RoleKind(form.role.data),
            organisation=organisation,
            actor=current_user,
            success=_("Rollen är given. Personen får e-post om den."),
        )
        if outcome.ok:
            return redirect(url_for(".people"))
    return (
        render_template(
            "admin/people.html",
            form=form,
            people=admin_queries.people(g.network),
            former=erasure.former_people(g.network),
        ),
        form_status(form),
    )


@admin_bp.post("/roles/<int:role_id>/revoke")
@coordinator_required
def revoke_role(role_id: int):
    role = get_in_network_or_404(Role, role_id)
    run_and_flash(operations.revoke_role, role, success=_("Rollen är borttagen."))
    return redirect(url_for(".people"))


@admin_bp.route("/people/<int:user_id>/erase", methods=["GET", "POST"])
@coordinator_required
def erase_person(user_id: int):
    """Remove a person who has left: name and e-mail replaced, access ended, history kept."""
    person = db.session.get(User, user_id)
    if person is None or not erasure.belongs_to(person, g.network):
        abort(404)
    actor = current_user._get_current_object()
    form = EraseForm()
    if form.validate_on_submit():
        outcome = save(form, erasure.erase_person, person, actor=actor, network=g.network)
        if outcome.ok:
            flash(
                _(
                    "Personen är borttagen: namn och e-postadress är ersatta och personen kan "
                    "inte logga in. Beslut, röster och utbetalningar finns kvar."
                ),
                "success",
            )
            return redirect(url_for(".people"))
    return (
        render_template(
            "admin/erase_person.html",
            form=form,
            person=person,
            erased=erasure.is_erased(person),
            refusal=erasure.erasure_refusal(person, actor=actor),
        ),
        form_status(form),
    )
