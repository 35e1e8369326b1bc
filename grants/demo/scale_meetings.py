"""The meetings a regional-demo network held, as the app would record them.

Each held meeting has its agenda (the proposals between the template's items),
attendance, automatic recusals of applicants and co-applicants, votes (one per
present, non-recused organisation, counted by ``meetings.rules``), decisions
checked against the pot as an approval is, grants, and minutes adjusted by two
representatives who were there.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from grants.demo.scale import Clock
from grants.demo.scale_names import (
    DEFERRAL_REASONS,
    DISCUSSION,
    POT_EMPTY_REASON,
    REJECTION_REASONS,
)
from grants.demo.scale_network import REPORT_DUE_DAYS, MeetingPlan, NetworkPlan, Org
from grants.demo.scale_proposals import APPROVED, DEFERRED, REJECTED, ProposalPlan, between
from grants.funds.models import BudgetLineKind
from grants.meetings import rules
from grants.networks.models import DEFAULT_AGENDA_TEMPLATE, PROPOSALS_MARKER


@dataclass
class GrantPlan:
    id: int
    proposal: ProposalPlan
    amount: int
    decided_at: datetime
    row: dict


# ---- the meetings that were held ------------------------------------------------------


def hold_meetings(loader, plan: NetworkPlan, proposals, clock: Clock, rng) -> list[GrantPlan]:
    grants: list[GrantPlan] = []
    by_meeting: dict[int, list[ProposalPlan]] = {}
    for proposal in proposals:
        if proposal.intended != "withdrawn":
            by_meeting.setdefault(proposal.meeting.id, []).append(proposal)
    carried: list[ProposalPlan] = []
    for meeting in plan.meetings:
        items = carried + sorted(by_meeting.get(meeting.id, []), key=lambda p: p.registered_at)
        if not meeting.past:
            for proposal in carried:  # deferred at the last meeting: queued for this one
                proposal.row.update(state="deferred", meeting_id=meeting.id)
            break
        carried = _hold(loader, plan, meeting, items, grants, clock, rng)
    return grants


def _hold(loader, plan, meeting: MeetingPlan, items, grants, clock, rng) -> list[ProposalPlan]:
    coordinator = plan.coordinator.id
    items.sort(key=lambda proposal: (proposal.row["year"], proposal.row["number"]))
    agenda = _agenda(loader, plan, meeting, items)
    recipients = {rep.email for org in plan.orgs if org.wants_invitations for rep in org.reps}
    loader.event(
        plan.id,
        meeting.invited_at,
        "meeting.invitations_sent",
        "meetings",
        meeting.id,
        actor=coordinator,
        data={"recipients": len(recipients), "proposals": len(items)},
    )
    loader.event(
        plan.id, meeting.starts_at, "meeting.opened", "meetings", meeting.id, actor=coordinator
    )
    present = _attendance(loader, plan, meeting, rng)
    minutes_id, adjusters = _officers(loader, plan, meeting, present, rng)
    carried = []
    for place, (proposal, item) in enumerate(zip(items, agenda, strict=True)):
        decided_at = meeting.starts_at + timedelta(minutes=25 + 3 * place)
        outcome = _decide(loader, plan, meeting, proposal, item, present, decided_at, grants, rng)
        if outcome == DEFERRED:
            proposal.intended = proposal.then
            carried.append(proposal)
    _adjust(loader, plan, meeting, minutes_id, adjusters, clock, rng)
    for proposal in carried:
        # Queued for the next meeting (the decision names it), decided there.
        proposal.row.update(state="deferred")
    return carried


def _agenda(loader, plan, meeting: MeetingPlan, items: list[ProposalPlan]) -> list[dict]:
    """The template's items around the proposals (positions 10, 20, … as renumbered),
    each applicant and co-applicant recused from its own proposal."""
    coordinator = plan.coordinator.id
    lines = [line.strip() for line in DEFAULT_AGENDA_TEMPLATE.splitlines() if line.strip()]
    marker = lines.index(PROPOSALS_MARKER)
    position = 0

    def item(title: str, **values) -> dict:
        nonlocal position
        position += 10
        values = {"kind": "standard", "proposal_id": None, "after_proposals": False} | values
        loader.add(
            "agenda_items",
            meeting_id=meeting.id,
            position=position,
            title=title,
            late_reason="",
            minutes_text="",
            status="pending",
            **values,
        )
        return loader.rows["agenda_items"][-1]

    for title in lines[:marker]:
        item(title)
    loader.event(
        plan.id, meeting.invited_at, "agenda.created", "meetings", meeting.id, actor=coordinator
    )
    rows = []
    for proposal in items:
        row = item(
            f"{proposal.reference} {proposal.title}", kind="proposal", proposal_id=proposal.id
        )
        row["status"] = "decided"
        rows.append(row)
        proposal.row.update(meeting_id=meeting.id, state="on_agenda")
        for organisation in [proposal.applicant, *proposal.co_applicants]:
            loader.add(
                "recusals",
                item_id=row["id"],
                organisation_id=organisation.id,
                automatic=True,
                reason="",
            )
        loader.event(
            plan.id,
            meeting.invited_at,
            "agenda.proposal_added",
            "agenda_items",
            row["id"],
            actor=coordinator,
            data={"proposal_id": proposal.id, "late": False},
        )
    for title in lines[marker + 1 :]:
        item(title, after_proposals=True)
    return rows


def _attendance(loader, plan, meeting: MeetingPlan, rng) -> list[Org]:
    count = len(plan.orgs)
    low = min(count, max(plan.quorum, math.ceil(count * 0.4)))
    high = min(count, max(low, math.ceil(count * 0.7)))
    present = sorted(rng.sample(plan.orgs, rng.randint(low, high)), key=lambda org: org.id)
    for org in present:
        arrived = meeting.starts_at + timedelta(minutes=rng.randint(-10, 15))
        people = [rep.name for rep in org.reps[: rng.randint(1, 2)]]
        attendance_id = loader.add(
            "attendances",
            meeting_id=meeting.id,
            organisation_id=org.id,
            people="\n".join(people),
            present=True,
            arrived_at=arrived,
            left_at=None,
        )
        loader.event(
            plan.id,
            max(arrived, meeting.starts_at),
            "attendance.recorded",
            "attendances",
            attendance_id,
            actor=plan.coordinator.id,
            data={"organisation_id": org.id, "present": True},
        )
    return present


def _officers(loader, plan, meeting: MeetingPlan, present: list[Org], rng):
    """Chair and secretary by name; two adjusters among the representatives present."""
    people = [(rep, org) for org in present for rep in org.reps]
    chosen = rng.sample(people, min(2, len(people))) or [(plan.coordinator, None)]
    minutes_id = loader.add(
        "minutes",
        meeting_id=meeting.id,
        chair_name=rng.choice(people)[0].name if people else plan.coordinator.name,
        secretary_name=plan.coordinator.name,
        closing_text="Ordföranden tackade alla för ett givande möte.",
        adjusted_at=None,
        paper_adjustment_note="",
    )
    adjusters = []
    for person, org in chosen:
        row_id = loader.add(
            "adjusters",
            minutes_id=minutes_id,
            user_id=person.id,
            organisation_id=org.id if org else None,
            name=person.name,
            approved_at=None,
            on_paper=False,
        )
        adjusters.append((row_id, person, loader.rows["adjusters"][-1]))
    loader.event(
        plan.id,
        meeting.starts_at + timedelta(minutes=10),
        "minutes.officers_set",
        "minutes",
        minutes_id,
        actor=plan.coordinator.id,
        data={"adjuster_user_ids": [person.id for _, person, _ in adjusters]},
    )
    return minutes_id, adjusters


def _adjust(loader, plan, meeting: MeetingPlan, minutes_id, adjusters, clock, rng) -> None:
    coordinator = plan.coordinator.id
    closed = meeting.ends_at - timedelta(minutes=5)
    loader.event(plan.id, closed, "meeting.closed", "meetings", meeting.id, actor=coordinator)
    written = meeting.ends_at + timedelta(days=1)
    loader.event(plan.id, written, "minutes.written", "minutes", minutes_id, actor=coordinator)
    approved = written
    for row_id, person, row in adjusters:
        approved = min(
            approved + timedelta(hours=rng.randint(4, 96)), clock.now - timedelta(hours=1)
        )
        row["approved_at"] = approved
        data = {"adjuster_id": row_id}
        loader.event(
            plan.id, approved, "minutes.approved", "minutes", minutes_id, actor=person.id, data=data
        )
    loader.rows["minutes"][-1]["adjusted_at"] = approved
    last = adjusters[-1][1].id
    data = {"on_paper": False}
    loader.event(
        plan.id, approved, "minutes.adjusted", "minutes", minutes_id, actor=last, data=data
    )


def _votes(loader, plan, approve: bool, item_id, eligible, opened, decided_at, rng) -> dict:
    """Each eligible organisation's vote, leaning the way the meeting goes."""
    weights = (0.75, 0.15, 0.10) if approve else (0.2, 0.7, 0.1)
    winning, losing = ("yes", "no") if approve else ("no", "yes")
    choices = {org.id: rng.choices(("yes", "no", "abstain"), weights)[0] for org in eligible}
    for org_id in sorted(choices):
        tally = list(choices.values())
        if tally.count(winning) > tally.count(losing):
            break
        choices[org_id] = winning
    for org in eligible:
        cast_at = between(rng, opened, decided_at - timedelta(seconds=5))
        voter = rng.choice(org.reps) if rng.random() < 0.7 else plan.coordinator
        vote_id = loader.add(
            "votes",
            item_id=item_id,
            organisation_id=org.id,
            choice=choices[org.id],
            cast_by_id=voter.id,
            cast_at=cast_at,
        )
        loader.event(
            plan.id,
            cast_at,
            "vote.cast",
            "votes",
            vote_id,
            actor=voter.id,
            data={"item_id": item_id, "organisation_id": org.id, "choice": choices[org.id]},
        )
    return choices


def _decide(loader, plan, meeting, proposal, item: dict, present, decided_at, grants, rng) -> str:
    """The decision on one item, by acclamation or counted vote, the pot checked first."""
    coordinator, item_id = plan.coordinator.id, item["id"]
    recused = {proposal.applicant.id, *(org.id for org in proposal.co_applicants)}
    present_ids = sorted(org.id for org in present)
    if rng.random() < 0.02:
        _declare_recusal(loader, plan, item_id, present, recused, decided_at, rng)
    period = proposal.period
    left = period.budgets[BudgetLineKind.GRANTS] - period.committed
    amount, reason, conditions = proposal.amount, "", proposal.conditions
    outcome = proposal.intended
    if outcome == APPROVED and amount > left:
        if left >= 100_000:  # the meeting grants what is left, in whole hundreds
            amount, conditions = (
                left // 10_000 * 10_000,
                "Beviljas med det som finns kvar i potten.",
            )
        else:
            outcome, reason = REJECTED, POT_EMPTY_REASON
    result, method = None, "acclamation"
    if outcome in (APPROVED, REJECTED) and not reason and rng.random() < 0.16:
        method = "counted"
        eligible = [org for org in present if org.id not in recused]
        opened = decided_at - timedelta(minutes=2)
        loader.event(plan.id, opened, "vote.opened", "agenda_items", item_id, actor=coordinator)
        votes = _votes(
            loader, plan, outcome == APPROVED, item_id, eligible, opened, decided_at, rng
        )
        count = rules.tally(votes, rules.eligible_voters(present_ids, recused))
        result = rules.counted_result(count, plan.tie_rule, chair_approves=outcome == APPROVED)
        outcome = result.outcome.value
    if outcome == REJECTED and not reason and method == "acclamation":
        reason = rng.choice(REJECTION_REASONS)
    if outcome == DEFERRED:
        reason = rng.choice(DEFERRAL_REASONS)
    if outcome == APPROVED:
        refusal = rules.amount_refusal(amount, requested_ore=proposal.requested, left_ore=left)
        assert refusal is None, refusal  # the app's own check before an approval
    else:
        amount, conditions = None, ""
    following = next((m for m in plan.meetings if m.number == meeting.number + 1), None)
    tie_rule = result.tie_rule_applied.value if result and result.tie_rule_applied else None
    figures = {
        "yes": result.tally.yes if result else None,
        "no": result.tally.no if result else None,
        "abstain": result.tally.abstain if result else None,
    }
    decision_id = loader.add(
        "decisions",
        item_id=item_id,
        outcome=outcome,
        method=method,
        amount_ore=amount,
        conditions=conditions,
        reason=reason,
        tie=bool(result and result.tie),
        tie_rule_applied=tie_rule,
        present_organisation_ids=json.dumps(present_ids),
        recused_organisation_ids=json.dumps(sorted(recused)),
        deferred_to_meeting_id=following.id if outcome == DEFERRED and following else None,
        decided_at=decided_at,
        decided_by_id=coordinator,
        **figures,
    )
    loader.event(
        plan.id,
        decided_at,
        f"decision.{outcome}",
        "decisions",
        decision_id,
        actor=coordinator,
        data={
            "item_id": item_id,
            "proposal_id": proposal.id,
            "method": method,
            "amount_ore": amount,
            **figures,
            "tie_rule": tie_rule,
            "present": present_ids,
            "recused": sorted(recused),
        },
    )
    item["minutes_text"] = _minutes_text(outcome, rng)
    if outcome == APPROVED:
        period.committed += amount
        grant_id = loader.add(
            "grants",
            network_id=plan.id,
            period_id=period.id,
            proposal_id=proposal.id,
            decision_id=decision_id,
            conditions=conditions,
            amount_ore=amount,
            state="granted",
            report_due_on=proposal.planned_end + timedelta(days=REPORT_DUE_DAYS),
            withdrawn_at=None,
            withdrawal_reason="",
            created_at=decided_at,
        )
        grants.append(GrantPlan(grant_id, proposal, amount, decided_at, loader.rows["grants"][-1]))
    if outcome != DEFERRED:
        proposal.row["state"] = outcome
    elif following is not None:
        proposal.row["meeting_id"] = following.id
    return outcome


def _declare_recusal(loader, plan, item_id, present, recused: set, decided_at, rng) -> None:
    """Jäv beyond the applicants: a board member of the applicant, with the reason."""
    others = [org for org in present if org.id not in recused]
    if not others:
        return
    declared = rng.choice(others)
    recused.add(declared.id)
    loader.add(
        "recusals",
        item_id=item_id,
        organisation_id=declared.id,
        automatic=False,
        reason="Sitter i styrelsen för den sökande organisationen.",
    )
    loader.event(
        plan.id,
        decided_at - timedelta(minutes=3),
        "recusal.declared",
        "agenda_items",
        item_id,
        actor=plan.coordinator.id,
        data={"organisation_id": declared.id},
    )


def _minutes_text(outcome: str, rng) -> str:
    """The secretary's note under the item (the decision itself is printed from its row)."""
    if rng.random() < 0.4:
        return ""
    return rng.choice(DISCUSSION[outcome])
