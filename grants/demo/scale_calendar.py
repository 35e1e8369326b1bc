"""Funding periods and the meeting plan of a regional-demo network.

Three periods follow each other without gap or overlap: the past one, the current
one (covering the seed's "now") and the next. Each has its meetings every six weeks,
planned when the period was set up; the current period's last meeting and all of
the next period's lie ahead. Budgets are set once the proposals are known, so that
every proposal fitted the pot when it was registered.
"""

from __future__ import annotations

from datetime import timedelta

from grants.core.time import STOCKHOLM
from grants.demo.scale import Clock, Loader, Scale
from grants.demo.scale_names import MEETING_PLACES
from grants.demo.scale_network import (
    FUNDERS,
    MAX_GRANT_ORE,
    MEETING_INTERVAL,
    MeetingPlan,
    NetworkPlan,
    Period,
)
from grants.funds.models import BudgetLineKind


def plan_periods_and_meetings(
    loader: Loader, plan: NetworkPlan, scale: Scale, clock: Clock
) -> None:
    """Past, current and next period; each with its meetings, planned when it was set up."""
    length = MEETING_INTERVAL * scale.meetings_per_period
    current = plan.current_start
    number = 0
    for place, start in enumerate(
        (current - timedelta(days=length), current, current + timedelta(days=length))
    ):
        if place == 0:
            created = plan.created_at + timedelta(days=5)
        else:
            created = min(
                clock.at(start - timedelta(days=50), 10, 0), clock.now - timedelta(days=1)
            )
        period = Period(
            loader.new_id("funding_periods"),
            start,
            start + timedelta(days=length - 1),
            FUNDERS[place % len(FUNDERS)],
            created,
        )
        plan.periods.append(period)
        for slot in range(scale.meetings_per_period):
            number += 1
            day = start + timedelta(days=35 + MEETING_INTERVAL * slot)
            starts_at = clock.at(day, 17, 30)
            host = plan.orgs[(number * 7) % len(plan.orgs)]
            meeting = MeetingPlan(
                id=loader.new_id("meetings"),
                number=number,
                period=period,
                starts_at=starts_at,
                ends_at=clock.at(day, 20, 0),
                invited_at=clock.at(day - timedelta(days=22), 10, 0),
                planned_at=created + timedelta(hours=1),
                host=host,
                past=starts_at < clock.now,
            )
            plan.meetings.append(meeting)
            loader.add(
                "meetings",
                id=meeting.id,
                network_id=plan.id,
                number=number,
                starts_at=starts_at,
                ends_at=meeting.ends_at,
                place=f"{MEETING_PLACES[number % len(MEETING_PLACES)]}, {plan.municipality}",
                host_organisation_id=host.id,
                theme="",
                status="adjusted" if meeting.past else "planned",
                ics_sequence=0,
                invited_at=meeting.invited_at if meeting.past else None,
                created_at=meeting.planned_at,
            )
            loader.event(
                plan.id,
                meeting.planned_at,
                "meeting.planned",
                "meetings",
                meeting.id,
                actor=plan.coordinator.id,
                data={"number": number, "starts_at": starts_at.astimezone(STOCKHOLM).isoformat()},
            )


def set_budgets(loader: Loader, plan: NetworkPlan, proposals) -> None:
    """Budget lines sized to the decisions planned, with room for one more grant at any
    time (so every proposal fitted the pot when it was registered); the current
    period keeps about a quarter for the meetings ahead."""
    intended: dict[int, int] = {period.id: 0 for period in plan.periods}
    for proposal in proposals:
        if proposal.will_be_approved:
            intended[proposal.period.id] += proposal.amount
    step = 1_000_000  # budgets in whole 10 000 kr
    for place, period in enumerate(plan.periods):
        if place == 0:
            grants = intended[period.id] + MAX_GRANT_ORE
        elif place == 1:
            grants = intended[period.id] * 4 // 3 + MAX_GRANT_ORE
        else:
            grants = plan.periods[1].budgets[BudgetLineKind.GRANTS]
        grants = -(-grants // step) * step
        period.budgets = {
            BudgetLineKind.GRANTS: grants,
            BudgetLineKind.MEETINGS: 5_000_000,
            BudgetLineKind.TRAINING: 4_000_000,
        }
        loader.add(
            "funding_periods",
            id=period.id,
            network_id=plan.id,
            funder=period.funder,
            starts_on=period.starts_on,
            ends_on=period.ends_on,
            note="",
            created_at=period.created_at,
        )
        for kind, budget in period.budgets.items():
            loader.add("budget_lines", period_id=period.id, kind=kind, budget_ore=budget)
        loader.event(
            plan.id,
            period.created_at,
            "funding_period.created",
            "funding_periods",
            period.id,
            actor=plan.coordinator.id,
            data={
                "funder": period.funder,
                "starts_on": period.starts_on.isoformat(),
                "ends_on": period.ends_on.isoformat(),
                "budgets": {kind.value: budget for kind, budget in period.budgets.items()},
            },
        )
