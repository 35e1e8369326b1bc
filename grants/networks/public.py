"""What anyone may see of a public network: its coming meetings and what it funded.

Nothing here names a private person (invariant 9): organisations, activities,
amounts and meetings only. Money per funding period comes from the ledger
(``funds/ledger.py``); the grants themselves are read in two queries whatever
their number, with the organisation, the activity and the meeting that decided
them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from grants.core.time import utcnow
from grants.extensions import db
from grants.funds.ledger import LineFigures, committed_by_period, period_ledgers
from grants.funds.models import FundingPeriod, Grant, GrantState
from grants.funds.operations import chosen_period
from grants.meetings.models import AgendaItem, Decision, Meeting, MeetingStatus
from grants.members.models import Organisation
from grants.networks.models import Network
from grants.proposals.models import Proposal, proposal_co_applicants, reference_of

# A meeting still to come (or going on now); held, adjusted and cancelled ones are not.
COMING_STATUSES = (MeetingStatus.PLANNED, MeetingStatus.INVITED, MeetingStatus.IN_SESSION)


def upcoming_meetings(network: Network, limit: int = 6) -> list[Meeting]:
    """The next meetings that have not ended, soonest first, with their hosts."""
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .options(joinedload(Meeting.host_organisation))
            .where(
                Meeting.network_id == network.id,
                Meeting.status.in_(COMING_STATUSES),
                Meeting.ends_at > utcnow(),
            )
            .order_by(Meeting.starts_at)
            .limit(limit)
        )
    )


def periods_of(network: Network) -> list[FundingPeriod]:
    return list(
        db.session.scalars(
            sa.select(FundingPeriod)
            .where(FundingPeriod.network_id == network.id)
            .order_by(FundingPeriod.starts_on.desc(), FundingPeriod.id.desc())
        )
    )


def granted_per_period(network: Network) -> list[tuple[FundingPeriod, int]]:
    """Each funding period with what is granted on it, net (the ledger's committed)."""
    periods = periods_of(network)
    committed = committed_by_period([period.id for period in periods])
    return [(period, committed[period.id]) for period in periods]


@dataclass(frozen=True)
class FundedGrant:
    """One grant as the public sees it: who, what, how much, decided where."""

    grant_id: int
    reference: str
    organisation: str
    co_applicants: tuple[str, ...]
    activity: str
    amount_ore: int
    state: GrantState
    meeting_id: int | None
    meeting_number: int | None
    meeting_starts_at: datetime | None
    minutes_public: bool  # the meeting's minutes are adjusted, so their public version exists

    @property
    def withdrawn(self) -> bool:
        return self.state == GrantState.WITHDRAWN


@dataclass(frozen=True)
class AwaitingMinutes:
    """Grants decided at meetings whose minutes are not adjusted yet: counted in the
    period's figures, listed only once the minutes make the decisions official."""

    count: int = 0
    amount_ore: int = 0


@dataclass
class FundedPeriod:
    period: FundingPeriod
    figures: LineFigures  # the grants line of the period's ledger
    grants: list[FundedGrant] = field(default_factory=list)
    awaiting: AwaitingMinutes = field(default_factory=AwaitingMinutes)


@dataclass
class FundedPage:
    """Every period with its figures, and the grants of the one shown."""

    periods: list[FundedPeriod]
    shown: FundedPeriod | None


def funded(network: Network, period_id: int | None = None) -> FundedPage | None:
    """The ledger's figures for each funding period's grants line (newest first), and
    the grants of one period: ``period_id``, or the running one. None when
    ``period_id`` is not one of the network's periods.

    One period at a time: a network grants about a hundred activities a period, and
    the public asks about the current one; the totals of the others stay in view.
    Withdrawn grants are listed, marked as such: the public minutes show the
    approval, so a grant that vanished from this list would look hidden. The
    ledger counts only what was paid of them before the withdrawal.
    """
    periods = periods_of(network)
    known, shown = chosen_period(periods, period_id)
    if not known:
        return None
    grants, awaiting = _funded_grants(network, shown) if shown is not None else ([], None)
    ledgers = period_ledgers(periods)
    entries = [
        FundedPeriod(period, ledgers[period.id].grants, grants, awaiting)
        if period is shown
        else FundedPeriod(period, ledgers[period.id].grants)
        for period in periods
    ]
    return FundedPage(entries, next((e for e in entries if e.period is shown), None))


def _funded_grants(
    network: Network, period: FundingPeriod
) -> tuple[list[FundedGrant], AwaitingMinutes]:
    """The period's grants the public may see, and what still waits for its minutes.

    A decision is official once the meeting's minutes are adjusted (the rules: the
    decisions are in the adjusted minutes), so a grant decided at a meeting whose
    minutes are not adjusted is not listed yet; only its count and sum are said, so that
    the period's figures still add up.
    """
    rows = db.session.execute(
        sa.select(
            Grant.id,
            Grant.period_id,
            Grant.amount_ore,
            Grant.state,
            Proposal.id,
            Proposal.year,
            Proposal.number,
            Proposal.title,
            Organisation.name,
            Meeting.id,
            Meeting.number,
            Meeting.starts_at,
            Meeting.status,
        )
        .join(Proposal, Proposal.id == Grant.proposal_id)
        .join(Organisation, Organisation.id == Proposal.applicant_id)
        .outerjoin(Decision, Decision.id == Grant.decision_id)
        .outerjoin(AgendaItem, AgendaItem.id == Decision.item_id)
        .outerjoin(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(Grant.network_id == network.id, Grant.period_id == period.id)
        .order_by(Grant.created_at, Grant.id)
    ).all()
    co_applicants = _co_applicants(network, period) if rows else {}
    grants = []
    awaiting_count = awaiting_ore = 0
    for row in rows:
        (grant_id, _period_id, amount, state, proposal_id, year, number, title, organisation) = row[
            :9
        ]
        meeting_id, meeting_number, starts_at, meeting_status = row[9:]
        if meeting_id is not None and meeting_status != MeetingStatus.ADJUSTED:
            awaiting_count += 1
            awaiting_ore += 0 if state == GrantState.WITHDRAWN else int(amount)
            continue
        grants.append(
            FundedGrant(
                grant_id=grant_id,
                reference=reference_of(year, number),
                organisation=organisation,
                co_applicants=tuple(co_applicants.get(proposal_id, ())),
                activity=title,
                amount_ore=int(amount),
                state=state,
                meeting_id=meeting_id,
                meeting_number=meeting_number,
                meeting_starts_at=starts_at,
                minutes_public=meeting_status == MeetingStatus.ADJUSTED,
            )
        )
    return grants, AwaitingMinutes(awaiting_count, awaiting_ore)


def _co_applicants(network: Network, period: FundingPeriod) -> dict[int, list[str]]:
    """The co-applicants' names of the period's granted proposals, in one query."""
    granted = sa.select(Grant.proposal_id).where(
        Grant.network_id == network.id, Grant.period_id == period.id
    )
    names: dict[int, list[str]] = {}
    for proposal_id, name in db.session.execute(
        sa.select(proposal_co_applicants.c.proposal_id, Organisation.name)
        .join(Organisation, Organisation.id == proposal_co_applicants.c.organisation_id)
        .where(proposal_co_applicants.c.proposal_id.in_(granted))
        .order_by(Organisation.name)
    ):
        names.setdefault(proposal_id, []).append(name)
    return names
