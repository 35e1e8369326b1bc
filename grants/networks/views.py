"""The network's public pages and the coordinator's settings, criteria and rules."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from grants.core.actions import form_status, run_and_flash, save
from grants.core.auth import (
    coordinator_required,
    get_in_network_or_404,
    network_blueprint,
    require_network_visible,
)
from grants.core.db import begin_writing
from grants.core.numbers import ascii_int
from grants.extensions import db
from grants.members.models import Membership, Organisation, OrganisationKind
from grants.networks import operations, public
from grants.networks.forms import CriterionForm, RulesForm, SettingsForm
from grants.networks.models import DEFAULT_AGENDA_TEMPLATE, Criterion, RulesDocument

bp = network_blueprint("networks", __name__)
admin_bp = network_blueprint("network_admin", __name__, "/admin")


def active_members(network):
    return db.session.scalars(
        sa.select(Organisation)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(
            Membership.network_id == network.id,
            Membership.active.is_(True),
            Organisation.kind != OrganisationKind.NETWORK_ITSELF,
        )
        .order_by(Organisation.name)
    ).all()


@bp.get("/")
def home():
    require_network_visible()
    network = g.network
    from grants.meetings.models import Meeting, MeetingStatus

    adjusted = db.session.scalars(
        sa.select(Meeting)
        .where(Meeting.network_id == network.id, Meeting.status == MeetingStatus.ADJUSTED)
        .order_by(Meeting.starts_at.desc())
    ).all()
    return render_template(
        "networks/home.html",
        adjusted_meetings=adjusted,
        members=active_members(network),
        rules=operations.current_rules(network),
        upcoming=public.upcoming_meetings(network),
        granted=public.granted_per_period(network),
        my_organisations=(
            current_user.represented_organisations(network) if current_user.is_authenticated else []
        ),
    )


@bp.get("/funded")
def funded():
    """What the network granted, to which organisation, at which meeting, per period."""
    require_network_visible()
    page = public.funded(g.network, ascii_int(request.args.get("period")))
    if page is None:
        abort(404)
    return render_template(
        "networks/funded.html",
        periods=page.periods,
        entry=page.shown,
        csv_url=url_for("open_data.funded_csv", slug=g.network.slug),
    )


@bp.get("/rules")
def rules():
    require_network_visible()
    versions = [v for v in operations.rules_versions(g.network) if v.published_at]
    requested = ascii_int(request.args.get("version"))
    shown = next((v for v in versions if v.version == requested), None) if requested else None
    if requested and shown is None:
        return render_template(
            "errors/error.html",
            code=404,
            title=_("Sidan finns inte"),
            explanation=_("Den versionen av reglerna finns inte."),
        ), 404
    shown = shown or (versions[0] if versions else None)
    return render_template("networks/rules.html", document=shown, versions=versions)


@bp.get("/calendar.ics")
def calendar():
    """The network's meetings as a calendar feed anyone can subscribe to."""
    from flask_babel import gettext

    from grants.meetings.calendar import feed_ics
    from grants.meetings.models import Meeting

    require_network_visible()
    meetings = db.session.scalars(
        sa.select(Meeting).where(Meeting.network_id == g.network.id).order_by(Meeting.starts_at)
    ).all()

    def summary(meeting):
        if meeting is None:
            return g.network.name
        return gettext(
            "Nätverksträff %(number)d, %(network)s", number=meeting.number, network=g.network.name
        )

    body = feed_ics(list(meetings), summary_for=summary)
    return (
        body,
        200,
        {
            "Content-Type": "text/calendar; charset=utf-8",
            "Content-Disposition": 'inline; filename="motesplan.ics"',
        },
    )


# ---- admin: settings -------------------------------------------------------------------


@admin_bp.get("/")
@coordinator_required
def dashboard():
    from grants.members.admin_queries import admin_overview

    return render_template("admin/dashboard.html", **admin_overview(g.network))


@admin_bp.route("/settings", methods=["GET", "POST"])
@coordinator_required
def settings():
    network = g.network
    form = SettingsForm(obj=network, data={"max_grant": network.max_grant_ore})
    if request.method == "GET":
        form.tie_rule.data = network.tie_rule.value
    if form.validate_on_submit():
        begin_writing()
        changed = operations.update_network_settings(
            network,
            actor=current_user,
            name=form.name.data,
            municipality=form.municipality.data,
            project_name=form.project_name.data,
            about=form.about.data,
            contact_email=form.contact_email.data,
            public=form.public.data,
            quorum_min_orgs=form.quorum_min_orgs.data,
            tie_rule=form.tie_rule.data,
            invite_lead_days=form.invite_lead_days.data,
            max_grant_ore=form.max_grant.data,
            report_due_days=form.report_due_days.data,
            agenda_template=form.agenda_template.data or DEFAULT_AGENDA_TEMPLATE,
        )
        db.session.commit()
        flash(_("Inställningarna är sparade.") if changed else _("Inget var ändrat."), "success")
        return redirect(url_for(".settings"))
    return render_template("admin/settings.html", form=form), form_status(form)


# ---- admin: criteria -------------------------------------------------------------------


@admin_bp.route("/criteria", methods=["GET", "POST"])
@coordinator_required
def criteria():
    form = CriterionForm()
    if form.validate_on_submit():
        outcome = save(
            form,
            operations.add_criterion,
            g.network,
            form.text.data,
            actor=current_user,
            success=_("Kriteriet är tillagt."),
        )
        if outcome.ok:
            return redirect(url_for(".criteria"))
    return render_template("admin/criteria.html", form=form), form_status(form)


@admin_bp.route("/criteria/<int:criterion_id>", methods=["GET", "POST"])
@coordinator_required
def edit_criterion(criterion_id: int):
    criterion = get_in_network_or_404(Criterion, criterion_id)
    form = CriterionForm(obj=criterion)
    if form.validate_on_submit():
        outcome = save(
            form,
            operations.update_criterion,
            criterion,
            text=form.text.data,
            active=form.active.data,
            actor=current_user,
            success=_("Kriteriet är sparat."),
        )
        if outcome.ok:
            return redirect(url_for(".criteria"))
    return (
        render_template("admin/criterion_edit.html", form=form, criterion=criterion),
        form_status(form),
    )


@admin_bp.post("/criteria/<int:criterion_id>/move")
@coordinator_required
def move_criterion(criterion_id: int):
    criterion = get_in_network_or_404(Criterion, criterion_id)
    direction = -1 if request.form.get("direction") == "up" else 1
    begin_writing()
    operations.move_criterion(criterion, direction, actor=current_user)
    db.session.commit()
    return redirect(url_for(".criteria"))


# ---- admin: rules ----------------------------------------------------------------------


@admin_bp.route("/rules", methods=["GET", "POST"])
@coordinator_required
def rules_admin():
    versions = operations.rules_versions(g.network)
    latest = versions[0] if versions else None
    form = RulesForm(data={"title": latest.title, "body": latest.body_markdown} if latest else None)
    if form.validate_on_submit():
        begin_writing()
        document = operations.draft_rules(
            g.network,
            title=form.title.data,
            body=form.body.data,
            change_note=form.change_note.data,
            actor=current_user,
        )
        db.session.commit()
        flash(
            _(
                "Version %(version)d är sparad som utkast. Publicera den när den är klar.",
                version=document.version,
            ),
            "success",
        )
        return redirect(url_for(".rules_version", document_id=document.id))
    return (
        render_template(
            "admin/rules.html",
            form=form,
            versions=versions,
            current=operations.current_rules(g.network),
        ),
        form_status(form),
    )


@admin_bp.get("/rules/<int:document_id>")
@coordinator_required
def rules_version(document_id: int):
    document = get_in_network_or_404(RulesDocument, document_id)
    return render_template(
        "admin/rules_version.html", document=document, current=operations.current_rules(g.network)
    )


@admin_bp.post("/rules/<int:document_id>/publish")
@coordinator_required
def publish_rules(document_id: int):
    document = get_in_network_or_404(RulesDocument, document_id)
    run_and_flash(
        operations.publish_rules,
        document,
        success=_(
            "Version %(version)d är publicerad och visas nu på nätverkets sida.",
            version=document.version,
        ),
    )
    return redirect(url_for(".rules_version", document_id=document.id))
