"""Proposals of one regional-demo network, registered as the app would register them.

Each is registered between two meetings' invitations, by a representative of the
applicant (or by the coordinator when it came by e-mail or was raised at a
meeting), fitting the pot of the period current then, and queued for the next
meeting that takes proposals; those meant for meetings further ahead are moved
there by the coordinator. Municipal units apply only with a civil-society partner.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from grants.core.money import format_amount
from grants.core.time import to_local
from grants.demo.scale import Clock, Loader, Scale
from grants.demo.scale_names import ACTIVITIES, BUDGET_ITEMS, CONDITIONS, WHEN, WHO, WHY, phone
from grants.demo.scale_network import MeetingPlan, NetworkPlan, Org, Period, Person
from grants.meetings import rules
from grants.members.models import OrganisationKind
from grants.proposals.models import reference_of

APPROVED, REJECTED, DEFERRED = (outcome.value for outcome in rules.Outcome)
MOVE_REASON = "Nästa möte har redan många förslag; förslaget tas upp på ett senare möte."


@dataclass
class ProposalPlan:
    id: int
    meeting: MeetingPlan
    registered_at: datetime
    received_at: datetime
    applicant: Org
    co_applicants: list[Org]
    contact: Person
    registered_by: Person
    source: str
    period: Period
    title: str
    rows: list[tuple[str, int]]
    planned_start: date
    planned_end: date
    intended: str  # approved, rejected, deferred, withdrawn, or registered (ahead)
    then: str = ""  # after a deferral: approved or rejected
    amount: int = 0  # the amount the meeting means to grant
    conditions: str = ""
    row: dict = field(default_factory=dict)

    @property
    def requested(self) -> int:
        return sum(amount for _, amount in self.rows)

    @property
    def will_be_approved(self) -> bool:
        final = self.then if self.intended == DEFERRED else self.intended
        return self.meeting.past and final == APPROVED

    @property
    def reference(self) -> str:
        return reference_of(self.row["year"], self.row["number"])


def between(rng, start: datetime, end: datetime) -> datetime:
    return start + timedelta(seconds=rng.uniform(0, max((end - start).total_seconds(), 1)))


def _applicants(plan: NetworkPlan, rng) -> tuple[Org, list[Org]]:
    """Mostly an association alone; sometimes with a partner; the municipal unit only
    together with a civil-society organisation (the rules' eligibility)."""
    civil = [org for org in plan.orgs if org.kind != OrganisationKind.MUNICIPAL_UNIT]
    unit = next((org for org in plan.orgs if org.kind == OrganisationKind.MUNICIPAL_UNIT), None)
    if unit is not None and rng.random() < 0.08:
        return unit, [rng.choice(civil)]
    applicant = rng.choice(civil)
    if rng.random() < 0.1 and len(civil) > 1:
        return applicant, [rng.choice([org for org in civil if org is not applicant])]
    return applicant, []


def plan_proposals(
    loader: Loader, plan: NetworkPlan, scale: Scale, clock: Clock, rng
) -> list[ProposalPlan]:
    meetings = plan.meetings
    ahead = [meeting for meeting in meetings if not meeting.past]
    first_ahead = ahead[0] if ahead else None
    last_held = max((meeting for meeting in meetings if meeting.past), key=lambda m: m.number)
    proposals: list[ProposalPlan] = []
    for place, meeting in enumerate(meetings):
        if meeting.past:
            previous = meetings[place - 1] if place else None
            low = previous.invited_at if previous else clock.at(plan.periods[0].starts_on, 8, 0)
            high = meeting.invited_at - timedelta(hours=1)
        else:
            previous = last_held
            low, high = last_held.invited_at, clock.now - timedelta(hours=1)
        for _ in range(scale.proposals_per_meeting):
            proposals.append(_plan_one(loader, plan, meeting, previous, low, high, clock, rng))
    proposals.sort(key=lambda proposal: proposal.registered_at)
    numbers: dict[int, int] = {}
    for proposal in proposals:
        year = to_local(proposal.received_at).year
        numbers[year] = numbers.get(year, 0) + 1
        _write(loader, plan, proposal, year, numbers[year], first_ahead, clock, rng)
    return proposals


def _plan_one(loader, plan, meeting, previous, low, high, clock, rng) -> ProposalPlan:
    applicant, co_applicants = _applicants(plan, rng)
    draw = rng.random()
    source = "web" if draw < 0.75 else "email" if draw < 0.95 else "meeting"
    if source == "meeting" and (previous is None or previous.ends_at >= high):
        source = "email"
    if source == "meeting":
        low = max(low, previous.ends_at + timedelta(hours=1))
    registered_at = between(rng, low, high)
    received_at = registered_at
    if source == "email":
        received_at = registered_at - timedelta(hours=rng.randint(2, 72))
    period = next(
        p for p in plan.periods if p.starts_on <= to_local(registered_at).date() <= p.ends_on
    )
    rows = [
        (item, rng.randrange(5, 80) * 10_000)
        for item in rng.sample(BUDGET_ITEMS, rng.randint(1, 4))
    ]
    while sum(amount for _, amount in rows) > 2_500_000:
        rows.pop()
    start = to_local(meeting.starts_at).date() + timedelta(days=rng.randint(7, 40))
    proposal = ProposalPlan(
        id=loader.new_id("proposals"),
        meeting=meeting,
        registered_at=registered_at,
        received_at=received_at,
        applicant=applicant,
        co_applicants=co_applicants,
        contact=rng.choice(applicant.reps),
        registered_by=rng.choice(applicant.reps) if source == "web" else plan.coordinator,
        source=source,
        period=period,
        title=rng.choice(ACTIVITIES),
        rows=rows,
        planned_start=start,
        planned_end=start + timedelta(days=rng.randint(14, 150)),
        intended="registered",
    )
    draw = rng.random()
    if draw < 0.02:
        proposal.intended = "withdrawn"
    elif meeting.past:
        proposal.intended = DEFERRED if draw < 0.08 else REJECTED if draw < 0.16 else APPROVED
        proposal.then = APPROVED if rng.random() < 0.75 else REJECTED
    proposal.amount = proposal.requested
    if rng.random() < 0.15:
        proposal.amount = max(
            10_000, proposal.requested * rng.randint(6, 9) // 10 // 10_000 * 10_000
        )
        proposal.conditions = rng.choice(CONDITIONS)
    return proposal


def _write(loader, plan, proposal: ProposalPlan, year, number, first_ahead, clock, rng) -> None:
    queued_for = proposal.meeting if proposal.meeting.past else first_ahead
    summary = " ".join(
        [
            f"{rng.choice(WHO)}. {rng.choice(WHEN)}.",
            rng.choice(WHY).format(m=plan.municipality),
        ]
    )
    contact_phone = phone(rng) if rng.random() < 0.6 else ""
    email_text = ""
    if proposal.source == "email":
        email_text = (
            f"Hej! Vi vill söka {format_amount(proposal.requested)} till {proposal.title.lower()}. "
            "Budgeten finns nedan. Hälsningar"
        )
    loader.add(
        "proposals",
        id=proposal.id,
        network_id=plan.id,
        year=year,
        number=number,
        applicant_id=proposal.applicant.id,
        period_id=proposal.period.id,
        meeting_id=queued_for.id,
        title=proposal.title,
        summary=summary,
        planned_start=proposal.planned_start,
        planned_end=proposal.planned_end,
        requested_ore=proposal.requested,
        contact_name=proposal.contact.name,
        contact_email=proposal.contact.email,
        contact_phone=contact_phone,
        source=proposal.source,
        received_at=proposal.received_at,
        email_text=email_text,
        raised_at_meeting_id=None,
        registered_by_id=proposal.registered_by.id,
        state="registered",
        version=1,
        created_at=proposal.registered_at,
        updated_at=proposal.registered_at,
        withdrawn_at=None,
    )
    proposal.row = loader.rows["proposals"][-1]
    if proposal.source == "meeting":
        previous = max(
            (m for m in plan.meetings if m.past and m.ends_at < proposal.registered_at),
            key=lambda m: m.number,
        )
        proposal.row["raised_at_meeting_id"] = previous.id
    for organisation in proposal.co_applicants:
        loader.add(
            "proposal_co_applicants", proposal_id=proposal.id, organisation_id=organisation.id
        )
    criteria = rng.sample(plan.criteria, rng.randint(1, min(3, len(plan.criteria))))
    criteria.sort()
    for criterion_id, _ in criteria:
        loader.add("proposal_criteria", proposal_id=proposal.id, criterion_id=criterion_id)
    for position, (item, amount) in enumerate(proposal.rows, start=1):
        loader.add(
            "proposal_budget_rows",
            proposal_id=proposal.id,
            position=position,
            item=item,
            amount_ore=amount,
        )
    snapshot = {
        "title": proposal.title,
        "applicant": proposal.applicant.name,
        "co_applicants": sorted(org.name for org in proposal.co_applicants),
        "summary": summary,
        "criteria": [text for _, text in criteria],
        "planned_start": proposal.planned_start.isoformat(),
        "planned_end": proposal.planned_end.isoformat(),
        "requested_ore": proposal.requested,
        "budget": [[item, amount] for item, amount in proposal.rows],
        "contact": [proposal.contact.name, proposal.contact.email, contact_phone],
    }
    loader.add(
        "proposal_versions",
        proposal_id=proposal.id,
        version=1,
        snapshot=json.dumps(snapshot, ensure_ascii=False, sort_keys=True),
        created_at=proposal.registered_at,
        created_by_id=proposal.registered_by.id,
    )
    reference = reference_of(year, number)
    loader.event(
        plan.id,
        proposal.registered_at,
        "proposal.registered",
        "proposals",
        proposal.id,
        actor=proposal.registered_by.id,
        data={
            "reference": reference,
            "applicant_id": proposal.applicant.id,
            "requested_ore": proposal.requested,
            "source": proposal.source,
            "meeting_id": queued_for.id,
        },
    )
    if proposal.intended == "withdrawn":
        end = proposal.meeting.invited_at if proposal.meeting.past else clock.now
        withdrawn_at = between(rng, proposal.registered_at, end - timedelta(minutes=30))
        proposal.row.update(state="withdrawn", withdrawn_at=withdrawn_at)
        loader.event(
            plan.id,
            withdrawn_at,
            "proposal.withdrawn",
            "proposals",
            proposal.id,
            actor=proposal.registered_by.id,
            data={"reference": reference},
        )
    elif proposal.meeting is not queued_for:
        _move(loader, plan, proposal, queued_for, reference, clock, rng)


def _move(loader, plan, proposal, queued_for, reference, clock, rng) -> None:
    target = proposal.meeting
    moved_at = min(
        max(proposal.registered_at, target.planned_at) + timedelta(hours=rng.randint(1, 48)),
        clock.now - timedelta(minutes=10),
    )
    proposal.row["meeting_id"] = target.id
    loader.add(
        "proposal_moves",
        proposal_id=proposal.id,
        from_meeting_id=queued_for.id,
        to_meeting_id=target.id,
        reason=MOVE_REASON,
        moved_at=moved_at,
        moved_by_id=plan.coordinator.id,
    )
    loader.event(
        plan.id,
        moved_at,
        "proposal.moved",
        "proposals",
        proposal.id,
        actor=plan.coordinator.id,
        data={
            "reference": reference,
            "from_meeting_id": queued_for.id,
            "to_meeting_id": target.id,
        },
    )
