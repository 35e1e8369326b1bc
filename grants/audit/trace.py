"""A grant followed from the proposal to the last krona, with the audit events behind
each step, for the page that answers "where did this money go, who decided, who paid,
is it reported?"."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from grants.core.audit import AuditEvent, chain_for
from grants.core.payment import PayoutDetails
from grants.extensions import db
from grants.funds.ledger import GrantFigures, grant_figures
from grants.funds.models import Grant, GrantReport, Payout, PayoutStatus, Refund
from grants.funds.payouts import payee_membership
from grants.meetings.models import (
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    Minutes,
    Recusal,
    Vote,
)
from grants.members.models import Organisation, User
from grants.proposals.models import Proposal, ProposalVersion


@dataclass
class ItemTrace:
    """One agenda item the proposal was on: the meeting, who was there, the vote."""

    item: AgendaItem
    meeting: Meeting
    attendance: list[Attendance]
    recusals: list[Recusal]
    votes: list[Vote]
    decision: Decision | None
    minutes: Minutes | None


@dataclass
class Trace:
    grant: Grant
    proposal: Proposal
    figures: GrantFigures
    versions: list[ProposalVersion]
    items: list[ItemTrace]
    payouts: list[Payout]
    refunds: list[Refund]
    report: GrantReport | None
    events: list[AuditEvent]
    people: dict[int, str]
    organisations: dict[int, str]
    events_by_subject: dict[tuple[str, int], list[AuditEvent]] = field(default_factory=dict)
    # Where the network would pay the grantee today: a payout not yet paid that was
    # registered with another account is shown as such.
    current_destination: PayoutDetails | None = None

    def outdated(self, payout: Payout) -> bool:
        return (
            payout.status in (PayoutStatus.REGISTERED, PayoutStatus.ATTESTED)
            and payout.destination is not None
            and payout.destination != self.current_destination
        )

    def events_of(self, row) -> list[AuditEvent]:
        """The chain's events about ``row``, oldest first."""
        if row is None:
            return []
        return self.events_by_subject.get((row.__tablename__, row.id), [])

    def who(self, user_id: int | None) -> str:
        return self.people.get(user_id, "") if user_id else ""


def trace_grant(grant: Grant) -> Trace:
    proposal = db.session.scalars(
        sa.select(Proposal)
        .where(Proposal.id == grant.proposal_id)
        .options(
            joinedload(Proposal.applicant),
            selectinload(Proposal.versions),
            selectinload(Proposal.co_applicants),
        )
    ).one()
    items = list(
        db.session.scalars(
            sa.select(AgendaItem)
            .where(AgendaItem.proposal_id == proposal.id)
            .options(
                joinedload(AgendaItem.meeting),
                selectinload(AgendaItem.recusals),
                selectinload(AgendaItem.votes),
                joinedload(AgendaItem.decision),
            )
        ).unique()
    )
    meeting_ids = {item.meeting_id for item in items}
    attendance = defaultdict(list)
    for row in db.session.scalars(
        sa.select(Attendance).where(Attendance.meeting_id.in_(meeting_ids))
    ):
        attendance[row.meeting_id].append(row)
    minutes = {
        m.meeting_id: m
        for m in db.session.scalars(sa.select(Minutes).where(Minutes.meeting_id.in_(meeting_ids)))
    }
    item_traces = sorted(
        (
            ItemTrace(
                item=item,
                meeting=item.meeting,
                attendance=attendance[item.meeting_id],
                recusals=list(item.recusals),
                votes=sorted(item.votes, key=lambda v: v.cast_at),
                decision=item.decision,
                minutes=minutes.get(item.meeting_id),
            )
            for item in items
        ),
        key=lambda t: t.meeting.starts_at,
    )
    payouts = list(grant.payouts)
    refunds = list(grant.refunds)
    report = grant.report

    subjects = {
        (Proposal.__tablename__, proposal.id),
        (Grant.__tablename__, grant.id),
        *((Payout.__tablename__, p.id) for p in payouts),
        *((Refund.__tablename__, r.id) for r in refunds),
        *(((GrantReport.__tablename__, report.id),) if report else ()),
        *((AgendaItem.__tablename__, t.item.id) for t in item_traces),
        *((Vote.__tablename__, v.id) for t in item_traces for v in t.votes),
        *((Recusal.__tablename__, r.id) for t in item_traces for r in t.recusals),
        *((Decision.__tablename__, t.decision.id) for t in item_traces if t.decision),
        *((Attendance.__tablename__, a.id) for t in item_traces for a in t.attendance),
        *((Minutes.__tablename__, t.minutes.id) for t in item_traces if t.minutes),
    }
    by_type = defaultdict(set)
    for kind, row_id in subjects:
        by_type[kind].add(row_id)
    events = list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(
                AuditEvent.chain == chain_for(grant.network),
                sa.or_(
                    *(
                        sa.and_(AuditEvent.subject_type == kind, AuditEvent.subject_id.in_(ids))
                        for kind, ids in by_type.items()
                    )
                ),
            )
            .order_by(AuditEvent.seq)
        )
    )
    by_subject = defaultdict(list)
    for event in events:
        by_subject[(event.subject_type, event.subject_id)].append(event)

    user_ids = {e.actor_id for e in events if e.actor_id}
    user_ids |= {v.created_by_id for v in proposal.versions if v.created_by_id}
    for row in (*payouts, *refunds):
        user_ids |= {
            getattr(row, name)
            for name in ("registered_by_id", "attested_by_id", "paid_recorded_by_id")
            if getattr(row, name, None)
        }
    if report:
        user_ids |= {i for i in (report.submitted_by_id, report.decided_by_id) if i}
    for t in item_traces:
        user_ids |= {v.cast_by_id for v in t.votes if v.cast_by_id}
        if t.decision and t.decision.decided_by_id:
            user_ids.add(t.decision.decided_by_id)
    # dict() of a Result would take its keys() for a mapping: build from pairs instead.
    people = {
        user_id: name
        for user_id, name in db.session.execute(
            sa.select(User.id, User.name).where(User.id.in_(user_ids))
        )
    }

    org_ids = {proposal.applicant_id}
    for t in item_traces:
        org_ids |= {a.organisation_id for a in t.attendance}
        org_ids |= {v.organisation_id for v in t.votes}
        org_ids |= {r.organisation_id for r in t.recusals}
    organisations = {
        org_id: name
        for org_id, name in db.session.execute(
            sa.select(Organisation.id, Organisation.name).where(Organisation.id.in_(org_ids))
        )
    }
    return Trace(
        grant=grant,
        proposal=proposal,
        figures=grant_figures([grant.id])[grant.id],
        versions=sorted(proposal.versions, key=lambda v: v.version),
        items=item_traces,
        payouts=payouts,
        refunds=refunds,
        report=report,
        events=events,
        people=people,
        organisations=organisations,
        events_by_subject=dict(by_subject),
        current_destination=getattr(payee_membership(grant), "payout_details", None),
    )


def snapshot(version: ProposalVersion) -> dict:
    return json.loads(version.snapshot)
