"""Every figure of a funding period's progress report (lägesrapport), gathered once.

The web page, the PDF and the spreadsheet all render ``progress_figures(period)``,
so the three can never disagree. Money that was granted, paid or refunded comes
from the ledger (``grants.funds.ledger``); only what was *requested* is summed
here, from the proposals. The function runs a fixed number of queries whatever
the size of the period (``QUERIES``).

Rules the report states on its page:
- A proposal is counted by its state now: one deferred and later approved counts
  as approved. The number of deferral decisions is given beside the counts.
- A proposal with several criteria counts in full under each of them, so the rows
  of money per criterion add up to more than the total when proposals share
  criteria. Proposals without a criterion get a row of their own.
- Attendance is a matrix of organisations × meetings held (a planned meeting has
  none yet). An organisation that attended part of a meeting (arrived and later
  left) counts as present. One that was not a member when the meeting was held (joined
  later, or had left) is shown as not a member rather than absent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

import sqlalchemy as sa

from grants.core.time import STOCKHOLM
from grants.extensions import db
from grants.funds.ledger import (
    LineFigures,
    OrganisationFigures,
    PeriodLedger,
    grant_figures,
    organisation_figures,
    period_ledger,
)
from grants.funds.models import BudgetLineKind, FundingPeriod, Grant
from grants.funds.operations import meetings_in, today
from grants.meetings.models import AgendaItem, Attendance, Decision, Meeting, MeetingStatus
from grants.meetings.rules import Outcome
from grants.members.models import Membership, Organisation, OrganisationKind
from grants.networks.models import Criterion
from grants.proposals.models import Proposal, ProposalState, proposal_criteria

# What progress_figures sends to the database, for any period: the ledger (5 + 1),
# meetings (1), memberships (1), attendance (1), proposals by state (1), deferrals (1),
# criteria (1), proposals per criterion (1), grants with their criteria (1) and the
# grants' figures (1).
QUERIES = 15


class Cell(StrEnum):
    """One organisation at one meeting."""

    PRESENT = "present"
    ABSENT = "absent"
    NOT_MEMBER = "not_member"  # not a member when the meeting was held


@dataclass(frozen=True)
class MeetingRow:
    id: int
    number: int
    starts_at: datetime
    status: MeetingStatus
    held: bool
    present: int  # organisations that attended (0 for a meeting not held yet)
    members: int  # organisations that were members then (present or absent)


@dataclass(frozen=True)
class AttendanceRow:
    organisation_id: int
    name: str
    cells: tuple[Cell, ...]  # one per held meeting, in the order of ``ProgressFigures.held``

    @property
    def attended(self) -> int:
        return sum(1 for cell in self.cells if cell == Cell.PRESENT)


@dataclass(frozen=True)
class StateCount:
    state: ProposalState
    count: int
    requested: int


@dataclass(frozen=True)
class ProposalFigures:
    by_state: dict[ProposalState, StateCount]
    deferrals: int  # deferral decisions, including on proposals decided later

    @property
    def received(self) -> int:
        return sum(row.count for row in self.by_state.values())

    @property
    def requested(self) -> int:
        return sum(row.requested for row in self.by_state.values())

    @property
    def waiting(self) -> int:
        """Registered or on an agenda, not yet decided."""
        return self.count(ProposalState.REGISTERED) + self.count(ProposalState.ON_AGENDA)

    def count(self, state: ProposalState) -> int:
        return self.by_state[state].count


@dataclass(frozen=True)
class CriterionRow:
    criterion_id: int | None  # None: proposals without any criterion
    text: str
    active: bool
    proposals: int
    requested: int
    granted: int  # net, as the ledger counts it (see ``GrantFigures.committed``)


@dataclass(frozen=True)
class ProgressFigures:
    period: FundingPeriod
    today: date
    meetings: list[MeetingRow]
    attendance: list[AttendanceRow]
    proposals: ProposalFigures
    ledger: PeriodLedger
    organisations: list[OrganisationFigures]
    criteria: list[CriterionRow]

    @property
    def held(self) -> list[MeetingRow]:
        return [meeting for meeting in self.meetings if meeting.held]

    @property
    def planned(self) -> list[MeetingRow]:
        return [meeting for meeting in self.meetings if not meeting.held]

    @property
    def granted(self) -> int:
        return self.ledger.grants.committed

    @property
    def paid(self) -> int:
        return self.ledger.grants.paid

    @property
    def refunded(self) -> int:
        return self.ledger.grants.refunded

    @property
    def requested(self) -> int:
        return self.proposals.requested

    @property
    def reports_outstanding(self) -> int:
        return sum(row.reports_outstanding for row in self.organisations)

    @property
    def reports_overdue(self) -> int:
        return sum(row.reports_overdue for row in self.organisations)

    @property
    def spend_lines(self) -> list[LineFigures]:
        """The meetings and training lines (budget, committed, paid)."""
        return [
            self.ledger.lines.get(kind, LineFigures(kind, 0))
            for kind in (BudgetLineKind.MEETINGS, BudgetLineKind.TRAINING)
        ]


def progress_figures(period: FundingPeriod, on: date | None = None) -> ProgressFigures:
    """All figures of ``period``'s progress report, as of ``on`` (today in Stockholm)."""
    on = on or today()
    in_period = meetings_in(period)
    rows, meeting_rows = _attendance(period, in_period["held"], in_period["planned"])
    return ProgressFigures(
        period=period,
        today=on,
        meetings=meeting_rows,
        attendance=rows,
        proposals=_proposals(period),
        ledger=period_ledger(period),
        organisations=organisation_figures(period, on),
        criteria=_criteria(period),
    )


# ---- meetings and attendance -------------------------------------------------------------


def _attendance(
    period: FundingPeriod, held: list[Meeting], planned: list[Meeting]
) -> tuple[list[AttendanceRow], list[MeetingRow]]:
    """The matrix of organisations × held meetings, and a row per meeting held or planned."""
    start = datetime.combine(period.starts_on, time.min, tzinfo=STOCKHOLM)
    end = datetime.combine(period.ends_on, time.max, tzinfo=STOCKHOLM)
    # Members at some time during the period (the network itself does not attend).
    memberships = {
        row.organisation_id: row
        for row in db.session.execute(
            sa.select(
                Membership.organisation_id,
                Membership.joined_at,
                Membership.ended_at,
                Organisation.name,
            )
            .join(Organisation, Organisation.id == Membership.organisation_id)
            .where(
                Membership.network_id == period.network_id,
                Organisation.kind != OrganisationKind.NETWORK_ITSELF,
                Membership.joined_at <= end,
                sa.or_(Membership.ended_at.is_(None), Membership.ended_at >= start),
            )
        )
    }
    names = {organisation_id: row.name for organisation_id, row in memberships.items()}
    attended: set[tuple[int, int]] = set()
    if held:
        for meeting_id, organisation_id, name in db.session.execute(
            sa.select(Attendance.meeting_id, Attendance.organisation_id, Organisation.name)
            .join(Organisation, Organisation.id == Attendance.organisation_id)
            .where(
                Attendance.meeting_id.in_([meeting.id for meeting in held]),
                # There now, or there and left: either way it took part.
                sa.or_(Attendance.present.is_(True), Attendance.left_at.is_not(None)),
            )
        ):
            attended.add((meeting_id, organisation_id))
            names.setdefault(organisation_id, name)

    def cell(organisation_id: int, meeting: Meeting) -> Cell:
        if (meeting.id, organisation_id) in attended:
            return Cell.PRESENT
        membership = memberships.get(organisation_id)
        if (
            membership is None
            or membership.joined_at > meeting.ends_at
            or (membership.ended_at is not None and membership.ended_at < meeting.starts_at)
        ):
            return Cell.NOT_MEMBER
        return Cell.ABSENT

    rows = [
        AttendanceRow(
            organisation_id,
            name,
            tuple(cell(organisation_id, meeting) for meeting in held),
        )
        for organisation_id, name in sorted(names.items(), key=lambda item: item[1].casefold())
    ]
    meeting_rows = []
    for index, meeting in enumerate(held):
        cells = [row.cells[index] for row in rows]
        present = cells.count(Cell.PRESENT)
        meeting_rows.append(
            MeetingRow(
                meeting.id,
                meeting.number,
                meeting.starts_at,
                meeting.status,
                held=True,
                present=present,
                members=present + cells.count(Cell.ABSENT),
            )
        )
    for meeting in planned:
        meeting_rows.append(
            MeetingRow(meeting.id, meeting.number, meeting.starts_at, meeting.status, False, 0, 0)
        )
    return rows, meeting_rows


# ---- proposals ---------------------------------------------------------------------------


def _proposals(period: FundingPeriod) -> ProposalFigures:
    counted = {
        state: (int(count), int(requested))
        for state, count, requested in db.session.execute(
            sa.select(
                Proposal.state,
                sa.func.count(Proposal.id),
                sa.func.coalesce(sa.func.sum(Proposal.requested_ore), 0),
            )
            .where(Proposal.period_id == period.id)
            .group_by(Proposal.state)
        )
    }
    deferrals = db.session.scalar(
        sa.select(sa.func.count(Decision.id))
        .join(AgendaItem, AgendaItem.id == Decision.item_id)
        .join(Proposal, Proposal.id == AgendaItem.proposal_id)
        .where(Proposal.period_id == period.id, Decision.outcome == Outcome.DEFERRED)
    )
    return ProposalFigures(
        by_state={state: StateCount(state, *counted.get(state, (0, 0))) for state in ProposalState},
        deferrals=int(deferrals or 0),
    )


# ---- money per criterion -----------------------------------------------------------------


def _criteria(period: FundingPeriod) -> list[CriterionRow]:
    criteria = db.session.execute(
        sa.select(Criterion.id, Criterion.text, Criterion.active)
        .where(Criterion.network_id == period.network_id)
        .order_by(Criterion.position, Criterion.id)
    ).all()
    link = proposal_criteria.c.criterion_id
    asked = {
        criterion_id: (int(count), int(requested))
        for criterion_id, count, requested in db.session.execute(
            sa.select(
                link,
                sa.func.count(Proposal.id),
                sa.func.coalesce(sa.func.sum(Proposal.requested_ore), 0),
            )
            .select_from(Proposal)
            .outerjoin(proposal_criteria, proposal_criteria.c.proposal_id == Proposal.id)
            .where(Proposal.period_id == period.id)
            .group_by(link)
        )
    }
    criteria_of_grant: dict[int, list[int | None]] = defaultdict(list)
    for grant_id, criterion_id in db.session.execute(
        sa.select(Grant.id, link)
        .outerjoin(proposal_criteria, proposal_criteria.c.proposal_id == Grant.proposal_id)
        .where(Grant.period_id == period.id)
    ):
        criteria_of_grant[grant_id].append(criterion_id)
    figures = grant_figures(list(criteria_of_grant))
    granted: dict[int | None, int] = defaultdict(int)
    for grant_id, criterion_ids in criteria_of_grant.items():
        for criterion_id in criterion_ids:
            granted[criterion_id] += figures[grant_id].committed

    rows = []
    for criterion_id, text, active in criteria:
        count, requested = asked.get(criterion_id, (0, 0))
        # A retired criterion is listed only if proposals of this period named it.
        if active or count:
            rows.append(
                CriterionRow(criterion_id, text, active, count, requested, granted[criterion_id])
            )
    if None in asked:
        count, requested = asked[None]
        rows.append(CriterionRow(None, "", True, count, requested, granted[None]))
    return rows
