"""Between the proposal forms and the operations: choices, and ids turned into rows.

Ids come from the browser, so every one is looked up inside this network: an
organisation that is not in it answers 404, like any other foreign id.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _

from grants.core.db import begin_writing
from grants.core.forms import choices
from grants.core.time import STOCKHOLM, format_datetime
from grants.extensions import db
from grants.meetings.models import Meeting
from grants.meetings.operations import meetings_that_took_place
from grants.members.models import Membership, Organisation, OrganisationKind
from grants.members.operations import find_network_itself, network_itself
from grants.networks.models import Criterion, Network
from grants.proposals.forms import NETWORK_ITSELF, ArrivalForm, ProposalForm
from grants.proposals.models import Proposal, ProposalSource
from grants.proposals.operations import Arrival, ProposalInput
from grants.proposals.queries import active_member_organisations


def build_form(network: Network, user, *, coordinator: bool, editing: Proposal | None = None):
    form = ArrivalForm() if coordinator and editing is None else ProposalForm()
    members = active_member_organisations(network)
    if coordinator:
        applicants = [org for org in members if org.kind != OrganisationKind.NETWORK_ITSELF]
        applicant_choices = [("", _("– välj –"))] + [(o.id, o.name) for o in applicants]
        # The network itself is created the first time it applies.
        itself = find_network_itself(network)
        applicant_choices.append((itself.id if itself else NETWORK_ITSELF, _("Nätverket självt")))
    else:
        mine = {org.id for org in user.represented_organisations(network)}
        applicant_choices = [(o.id, o.name) for o in members if o.id in mine]
    form.applicant.choices = choices(applicant_choices)
    form.criteria.choices = choices((c.id, c.text) for c in network.active_criteria)
    # A representative of one organisation applies for it: it is not its own partner.
    fixed_applicant = {applicant_choices[0][0]} if len(applicant_choices) == 1 else set()
    form.co_applicants.choices = choices(
        (o.id, o.name)
        for o in members
        if o.kind != OrganisationKind.NETWORK_ITSELF and o.id not in fixed_applicant
    )
    if isinstance(form, ArrivalForm):
        form.raised_at_meeting.choices = choices(
            [("", _("– välj –"))]
            + [
                (m.id, f"{_('Möte %(number)d', number=m.number)}, {format_datetime(m.starts_at)}")
                for m in meetings_that_took_place(network)
            ]
        )
    # A representative is usually the contact; a coordinator registers for someone else.
    if editing is None and not coordinator and not form.is_submitted():
        form.contact_name.data = user.name
        form.contact_email.data = user.email
    return form


def _organisation_in_network(network: Network, organisation_id) -> Organisation:
    if organisation_id == NETWORK_ITSELF:
        # The network's own applicant row is made the first time it applies: a write.
        if find_network_itself(network) is None:
            begin_writing()
        return network_itself(network)
    organisation = db.session.scalar(
        sa.select(Organisation)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.network_id == network.id, Organisation.id == organisation_id)
    )
    if organisation is None:
        abort(404)
    return organisation


def form_to_input(network: Network, form: ProposalForm) -> ProposalInput:
    applicant = _organisation_in_network(network, form.applicant.data)
    co_ids = [i for i in form.co_applicants.data or [] if isinstance(i, int)]
    co_applicants = (
        list(db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(co_ids))))
        if co_ids
        else []
    )
    if len(co_applicants) != len(set(co_ids)):
        abort(404)
    criteria = (
        list(
            db.session.scalars(
                sa.select(Criterion).where(Criterion.id.in_(form.criteria.data or []))
            )
        )
        if form.criteria.data
        else []
    )
    return ProposalInput(
        applicant=applicant,
        title=form.title.data,
        summary=form.summary.data,
        criteria=criteria,
        planned_start=form.planned_start.data,
        planned_end=form.planned_end.data,
        requested_ore=form.requested.data,
        budget_rows=form.budget_rows(),
        co_applicants=co_applicants,
        contact_name=form.contact_name.data,
        contact_email=form.contact_email.data,
        contact_phone=form.contact_phone.data,
    )


def resolve_arrival(network: Network, form: ArrivalForm) -> Arrival:
    source = ProposalSource(form.source.data)
    if source == ProposalSource.EMAIL:
        received_at = None
        if form.received_date.data is not None:
            clock = form.received_time.data or datetime.min.time()
            received_at = datetime.combine(form.received_date.data, clock, tzinfo=STOCKHOLM)
        return Arrival(source=source, received_at=received_at, email_text=form.email_text.data)
    meeting = db.session.get(Meeting, form.raised_at_meeting.data or 0)
    if meeting is not None and meeting.network_id != network.id:
        abort(404)
    return Arrival(source=source, meeting=meeting)


def load_proposal_into(form: ProposalForm, proposal: Proposal) -> None:
    form.applicant.data = proposal.applicant_id
    form.title.data = proposal.title
    form.summary.data = proposal.summary
    form.criteria.data = [criterion.id for criterion in proposal.criteria]
    form.planned_start.data = proposal.planned_start
    form.planned_end.data = proposal.planned_end
    form.requested.process_data(proposal.requested_ore)
    for row_form, row in zip(form.budget, proposal.budget_rows, strict=False):
        row_form.item.data = row.item
        row_form.amount.process_data(row.amount_ore)
    form.co_applicants.data = [organisation.id for organisation in proposal.co_applicants]
    form.contact_name.data = proposal.contact_name
    form.contact_email.data = proposal.contact_email
    form.contact_phone.data = proposal.contact_phone
