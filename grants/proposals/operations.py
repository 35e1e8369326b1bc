"""Pre-registration: register, edit, withdraw and move proposals. Flush and audit; never commit."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from grants.core import audit
from grants.core.errors import DomainError
from grants.core.i18n import current_language
from grants.core.money import format_amount
from grants.core.outbox import queue_mail
from grants.core.time import to_local, utcnow
from grants.core.urls import external_url
from grants.extensions import db
from grants.funds.operations import pot
from grants.meetings.models import Meeting
from grants.meetings.operations import next_open_meeting
from grants.members.models import Membership, Organisation, User
from grants.networks.models import Criterion, Network
from grants.proposals import rules
from grants.proposals.models import (
    UNDECIDED_STATES,
    BudgetRow,
    Proposal,
    ProposalMove,
    ProposalSource,
    ProposalState,
    ProposalVersion,
)

WITHDRAWABLE = UNDECIDED_STATES


@dataclass
class ProposalInput:
    applicant: Organisation
    title: str
    summary: str
    criteria: list[Criterion]
    planned_start: date
    planned_end: date
    requested_ore: int
    budget_rows: list[tuple[str, int]]
    co_applicants: list[Organisation] = field(default_factory=list)
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""


@dataclass
class Arrival:
    """How a proposal reached the network (rules: at a meeting, or by e-mail between)."""

    source: ProposalSource = ProposalSource.WEB
    received_at: datetime | None = None
    email_text: str = ""
    meeting: Meeting | None = None


def _active_member_ids(network: Network, organisations: list[Organisation]) -> set[int]:
    ids = [organisation.id for organisation in organisations]
    return set(
        db.session.scalars(
            sa.select(Membership.organisation_id).where(
                Membership.network_id == network.id,
                Membership.active.is_(True),
                Membership.organisation_id.in_(ids),
            )
        )
    )


def _party(organisation: Organisation, members: set[int]) -> rules.Party:
    return rules.Party(
        organisation.id, organisation.kind, organisation.id in members, bool(organisation.orgnr)
    )


def check_proposal(
    network: Network, data: ProposalInput, *, by_coordinator: bool, ignore_ore: int = 0
) -> None:
    """Every rule a proposal must meet; the first broken one raises ``DomainError``.

    ``ignore_ore`` is the proposal's own amount when it is edited (it is not granted,
    so it does not count against the pot; kept for the grants that will).
    """
    members = _active_member_ids(network, [data.applicant, *data.co_applicants])
    refusals = rules.eligibility_refusals(
        _party(data.applicant, members),
        [_party(organisation, members) for organisation in data.co_applicants],
        registered_by_coordinator=by_coordinator,
    )
    if not data.criteria:
        refusals.append(
            rules.Refusal(
                "criteria", str(_l("Välj minst ett kriterium som aktiviteten uppfyller."))
            )
        )
    if any(c.network_id != network.id or not c.active for c in data.criteria):
        refusals.append(rules.Refusal("criteria", str(_l("Välj bland nätverkets kriterier."))))
    if data.planned_end < data.planned_start:
        refusals.append(
            rules.Refusal("planned_end", str(_l("Aktiviteten kan inte sluta innan den börjar.")))
        )
    current = pot(network)
    if current.period is None:
        raise DomainError(
            _l("Det finns ingen pott att söka ur just nu. Samordnaren lägger upp nästa period.")
        )
    refusals += rules.amount_refusals(
        data.requested_ore,
        budget_rows_ore=[amount for _, amount in data.budget_rows],
        max_grant_ore=network.max_grant_ore,
        left_ore=current.left_ore + ignore_ore,
        locale=current_language(),
    )
    if refusals:
        raise DomainError(refusals[0].message, field=refusals[0].field)


def _check_arrival(network: Network, arrival: Arrival) -> None:
    if arrival.source == ProposalSource.EMAIL:
        if arrival.received_at is None:
            raise DomainError(_l("Ange när e-postmeddelandet kom."), field="received_date")
        if arrival.received_at > utcnow():
            raise DomainError(
                _l("Datumet då e-posten kom kan inte ligga i framtiden."), field="received_date"
            )
        if not arrival.email_text:
            raise DomainError(_l("Klistra in texten från e-postmeddelandet."), field="email_text")
    elif arrival.source == ProposalSource.MEETING:
        meeting = arrival.meeting
        if meeting is None or meeting.network_id != network.id or not meeting.has_taken_place:
            raise DomainError(
                _l("Välj den nätverksträff där förslaget togs upp."), field="raised_at_meeting"
            )


def _next_number(network: Network, year: int) -> int:
    # Lock the network row so two registrations never take the same number.
    db.session.execute(sa.select(Network.id).where(Network.id == network.id).with_for_update())
    latest = db.session.scalar(
        sa.select(sa.func.max(Proposal.number)).where(
            Proposal.network_id == network.id, Proposal.year == year
        )
    )
    return (latest or 0) + 1


def register_proposal(
    network: Network,
    data: ProposalInput,
    *,
    actor: User,
    by_coordinator: bool,
    arrival: Arrival | None = None,
) -> Proposal:
    """Pre-register a proposal; it is queued for the next meeting that takes proposals."""
    arrival = arrival or Arrival()
    if arrival.source != ProposalSource.WEB and not by_coordinator:
        raise DomainError(_l("Bara samordnaren registrerar förslag som kommit på annat sätt."))
    _check_arrival(network, arrival)
    check_proposal(network, data, by_coordinator=by_coordinator)
    now = utcnow()
    received_at = arrival.received_at or now
    year = to_local(received_at).year
    after = arrival.meeting.starts_at if arrival.source == ProposalSource.MEETING else now
    proposal = Proposal(
        network=network,
        year=year,
        number=_next_number(network, year),
        period=pot(network).period,
        meeting=next_open_meeting(network, after=max(after, now)),
        source=arrival.source,
        received_at=received_at,
        email_text=arrival.email_text,
        raised_at_meeting=arrival.meeting if arrival.source == ProposalSource.MEETING else None,
        registered_by=actor,
        state=ProposalState.REGISTERED,
        version=1,
    )
    _apply(proposal, data)
    db.session.add(proposal)
    db.session.flush()
    _snapshot(proposal, actor)
    audit.record(
        network,
        "proposal.registered",
        proposal,
        actor=actor,
        data={
            "reference": proposal.reference,
            "applicant_id": data.applicant.id,
            "requested_ore": data.requested_ore,
            "source": arrival.source.value,
            "meeting_id": proposal.meeting_id,
        },
    )
    _receipt(proposal, "registered", actor)
    return proposal


def _apply(proposal: Proposal, data: ProposalInput) -> None:
    proposal.applicant = data.applicant
    proposal.title = data.title
    proposal.summary = data.summary
    proposal.criteria = list(data.criteria)
    proposal.planned_start = data.planned_start
    proposal.planned_end = data.planned_end
    proposal.requested_ore = data.requested_ore
    proposal.co_applicants = list(data.co_applicants)
    proposal.contact_name = data.contact_name
    proposal.contact_email = data.contact_email
    proposal.contact_phone = data.contact_phone
    proposal.budget_rows = [
        BudgetRow(position=place, item=item, amount_ore=amount)
        for place, (item, amount) in enumerate(data.budget_rows, start=1)
    ]


SNAPSHOT_FIELDS = (
    "applicant",
    "co_applicants",
    "title",
    "summary",
    "criteria",
    "planned_start",
    "planned_end",
    "requested_ore",
    "budget",
    "contact",
)


def snapshot_of(proposal: Proposal) -> dict:
    """The fields a reader compares between versions, as plain values."""
    return {
        "title": proposal.title,
        "applicant": proposal.applicant.name,
        "co_applicants": [organisation.name for organisation in proposal.co_applicants],
        "summary": proposal.summary,
        "criteria": [criterion.text for criterion in proposal.criteria],
        "planned_start": proposal.planned_start.isoformat(),
        "planned_end": proposal.planned_end.isoformat(),
        "requested_ore": proposal.requested_ore,
        "budget": [[row.item, row.amount_ore] for row in proposal.budget_rows],
        "contact": [proposal.contact_name, proposal.contact_email, proposal.contact_phone],
    }


def _snapshot(proposal: Proposal, actor: User | None) -> ProposalVersion:
    version = ProposalVersion(
        proposal=proposal,
        version=proposal.version,
        created_by=actor,
        snapshot=json.dumps(snapshot_of(proposal), ensure_ascii=False, sort_keys=True),
    )
    db.session.add(version)
    return version


def editable(proposal: Proposal) -> bool:
    """Until the agenda it is headed for is frozen (invitations sent). A deferred proposal
    is back in the queue, and the applicant may complete it before the next meeting."""
    return proposal.state in (ProposalState.REGISTERED, ProposalState.DEFERRED) and not (
        proposal.meeting is not None and proposal.meeting.agenda_frozen
    )


def edit_proposal(
    proposal: Proposal, data: ProposalInput, *, actor: User, by_coordinator: bool
) -> list[str]:
    """Change a proposal as a new version; return the names of the fields that changed."""
    if not editable(proposal):
        raise DomainError(
            _l(
                "Förslaget kan inte ändras längre: kallelsen till mötet är skickad eller förslaget "
                "är redan behandlat. Det går fortfarande att dra tillbaka det."
            )
        )
    check_proposal(proposal.network, data, by_coordinator=by_coordinator, ignore_ore=0)
    before = snapshot_of(proposal)
    _apply(proposal, data)
    db.session.flush()
    after = snapshot_of(proposal)
    changed = [key for key in after if after[key] != before[key]]
    if not changed:
        return []
    proposal.version += 1
    proposal.updated_at = utcnow()
    _snapshot(proposal, actor)
    audit.record(
        proposal.network,
        "proposal.edited",
        proposal,
        actor=actor,
        data={
            "reference": proposal.reference,
            "version": proposal.version,
            "fields": [key if key != "contact" else "contact (personal data)" for key in changed],
            "requested_ore": proposal.requested_ore,
        },
    )
    return changed


def withdraw_proposal(proposal: Proposal, *, actor: User) -> None:
    if proposal.state not in WITHDRAWABLE:
        raise DomainError(_l("Ett beslutat förslag kan inte dras tillbaka."))
    proposal.state = ProposalState.WITHDRAWN
    proposal.withdrawn_at = utcnow()
    audit.record(
        proposal.network,
        "proposal.withdrawn",
        proposal,
        actor=actor,
        data={"reference": proposal.reference},
    )
    _receipt(proposal, "withdrawn", actor)


def move_proposal(proposal: Proposal, meeting: Meeting, *, reason: str, actor: User) -> None:
    """The coordinator moves a proposal to a later meeting, saying why."""
    if proposal.state not in (ProposalState.REGISTERED, ProposalState.DEFERRED):
        raise DomainError(_l("Bara förslag som väntar på ett möte kan flyttas."))
    if not reason:
        raise DomainError(_l("Skriv varför förslaget flyttas."), field="reason")
    if meeting.network_id != proposal.network_id or meeting.agenda_frozen:
        raise DomainError(_l("Välj ett kommande möte som ännu inte är kallat."), field="meeting")
    if proposal.meeting is not None and meeting.starts_at <= proposal.meeting.starts_at:
        raise DomainError(
            _l("Välj ett senare möte än det förslaget redan ska till."), field="meeting"
        )
    db.session.add(
        ProposalMove(
            proposal=proposal,
            from_meeting=proposal.meeting,
            to_meeting=meeting,
            reason=reason,
            moved_by=actor,
        )
    )
    audit.record(
        proposal.network,
        "proposal.moved",
        proposal,
        actor=actor,
        data={
            "reference": proposal.reference,
            "from_meeting_id": proposal.meeting_id,
            "to_meeting_id": meeting.id,
        },
    )
    proposal.meeting = meeting
    _receipt(proposal, "moved", actor, reason=reason)


def queue_waiting_proposals(network: Network, *, actor) -> int:
    """Give proposals that wait for "the next meeting" the meeting that is now next."""
    waiting = db.session.scalars(
        sa.select(Proposal).where(
            Proposal.network_id == network.id,
            # Deferred ones too: a deferral waits for the next meeting like a new proposal.
            Proposal.state.in_((ProposalState.REGISTERED, ProposalState.DEFERRED)),
            Proposal.meeting_id.is_(None),
        )
    ).all()
    meeting = next_open_meeting(network)
    if meeting is None:
        return 0
    for proposal in waiting:
        proposal.meeting = meeting
        audit.record(
            network,
            "proposal.queued",
            proposal,
            actor=actor,
            data={"reference": proposal.reference, "meeting_id": meeting.id},
        )
    return len(waiting)


def _receipt(proposal: Proposal, event: str, actor: User | None, **context) -> None:
    if not proposal.contact_email:
        return
    locale = actor.locale if actor is not None else "sv"
    link = external_url("proposals.show", slug=proposal.network.slug, proposal_id=proposal.id)
    queue_mail(
        f"proposal_{event}",
        to=proposal.contact_email,
        to_name=proposal.contact_name,
        locale=locale,
        network=proposal.network,
        proposal=proposal,
        link=link,
        **context,
    )


def version_diff(older: ProposalVersion, newer: ProposalVersion) -> list[tuple[str, list[str]]]:
    """Per changed field, the lines of a diff (``- ``, ``+ `` or ``  `` first)."""
    before, after = json.loads(older.snapshot), json.loads(newer.snapshot)
    changes = []
    # In the order of the form, not the stored (sorted) order.
    for key in SNAPSHOT_FIELDS:
        if key not in after or before.get(key) == after[key]:
            continue
        old_lines = _as_lines(key, before.get(key))
        new_lines = _as_lines(key, after[key])
        lines = [line for line in difflib.ndiff(old_lines, new_lines) if line[:1] in "-+ "]
        changes.append((key, lines))
    return changes


def _as_lines(key: str, value) -> list[str]:
    locale = current_language()
    if value is None:
        return []
    if key == "requested_ore":
        return [format_amount(value, locale)]
    if key == "budget":
        return [f"{item}: {format_amount(amount, locale)}" for item, amount in value]
    if isinstance(value, list):
        return [
            " · ".join(map(str, item)) if isinstance(item, list) else str(item) for item in value
        ]
    return str(value).splitlines() or [""]
