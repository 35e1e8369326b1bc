"""The meeting itself: agenda, attendance, recusals, votes and decisions.

Operations flush, audit and never commit. Every one of them refuses to touch
an adjusted meeting (invariant 4), and votes and decisions happen only while
the meeting is in session (invariant 3).
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from grants.core import audit
from grants.core.errors import DomainError
from grants.extensions import db
from grants.funds.models import BudgetLine, BudgetLineKind, Grant
from grants.funds.operations import granted_ore
from grants.meetings import rules
from grants.meetings.models import (
    AgendaItem,
    AgendaItemKind,
    Attendance,
    Decision,
    DecisionMethod,
    ItemStatus,
    Meeting,
    MeetingStatus,
    Recusal,
    Vote,
)
from grants.meetings.operations import next_open_meeting
from grants.members.models import Organisation
from grants.proposals.models import Proposal, ProposalState

# The source's draft agenda; proposals are decided after "rules and routines for the money".
STANDARD_ITEMS_BEFORE = (
    "Presentationsrunda av medverkande organisationer",
    "Kommunens integrationsarbete",
    "Hur kan vi tillsammans bidra till integration?",
    "Regler och rutiner kring ekonomiska bidrag",
)
STANDARD_ITEMS_AFTER = ("Aktuella behov, möjligheter och problem", "Nästa möte", "Övriga frågor")


def require_unlocked(meeting: Meeting) -> None:
    """Nothing in an adjusted meeting changes, by any route (invariant 4)."""
    if meeting.status == MeetingStatus.ADJUSTED:
        raise DomainError(
            _(
                "Protokollet för mötet är justerat och kan inte ändras. Rättelser görs som nya "
                "beslut på ett senare möte."
            )
        )


def require_in_session(meeting: Meeting) -> None:
    require_unlocked(meeting)
    if meeting.status != MeetingStatus.IN_SESSION:
        raise DomainError(_("Mötet pågår inte. Beslut och röster tas bara under mötet."))


# ---- agenda -----------------------------------------------------------------------------


def agenda(meeting: Meeting) -> list[AgendaItem]:
    return list(
        db.session.scalars(
            sa.select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting.id)
            .order_by(AgendaItem.position)
        )
    )


def ensure_agenda(meeting: Meeting, *, actor) -> list[AgendaItem]:
    """The standard items once, and an item for every proposal queued for the meeting."""
    require_unlocked(meeting)
    items = agenda(meeting)
    if not items:
        for position, title in enumerate(STANDARD_ITEMS_BEFORE + STANDARD_ITEMS_AFTER, start=1):
            db.session.add(
                AgendaItem(
                    meeting=meeting,
                    position=position * 10,
                    kind=AgendaItemKind.STANDARD,
                    title=title,
                )
            )
        db.session.flush()
        audit.record(meeting.network, "agenda.created", meeting, actor=actor)
    if not meeting.agenda_frozen:
        on_agenda = {item.proposal_id for item in agenda(meeting) if item.proposal_id}
        queued = db.session.scalars(
            sa.select(Proposal)
            .where(
                Proposal.meeting_id == meeting.id,
                Proposal.state.in_((ProposalState.REGISTERED, ProposalState.DEFERRED)),
            )
            .order_by(Proposal.year, Proposal.number)
        ).all()
        for proposal in queued:
            if proposal.id not in on_agenda:
                add_proposal_item(meeting, proposal, actor=actor)
    return agenda(meeting)


def _proposal_position(meeting: Meeting) -> int:
    """After the last proposal item, or after the money item of the standard agenda."""
    items = agenda(meeting)
    anchor = max(
        (
            item.position
            for item in items
            if item.kind == AgendaItemKind.PROPOSAL or item.title == STANDARD_ITEMS_BEFORE[-1]
        ),
        default=max((item.position for item in items), default=0),
    )
    following = [item.position for item in items if item.position > anchor]
    return (anchor + min(following)) // 2 if following else anchor + 10


def add_proposal_item(
    meeting: Meeting, proposal: Proposal, *, actor, late_reason: str = ""
) -> AgendaItem:
    require_unlocked(meeting)
    if meeting.agenda_frozen and not late_reason:
        raise DomainError(
            _("Kallelsen är skickad. Ett förslag läggs till i efterhand bara med en motivering."),
            field="late_reason",
        )
    position = _proposal_position(meeting)
    if any(item.position == position for item in agenda(meeting)):
        _renumber(meeting)
        position = _proposal_position(meeting)
    item = AgendaItem(
        meeting=meeting,
        position=position,
        kind=AgendaItemKind.PROPOSAL,
        title=f"{proposal.reference} {proposal.title}",
        proposal=proposal,
        late_reason=late_reason,
    )
    db.session.add(item)
    proposal.meeting = meeting
    db.session.flush()
    for organisation in [proposal.applicant, *proposal.co_applicants]:
        db.session.add(Recusal(item=item, organisation=organisation, automatic=True))
    audit.record(
        meeting.network,
        "agenda.proposal_added",
        item,
        actor=actor,
        data={"proposal_id": proposal.id, "late": bool(late_reason)},
    )
    return item


def _renumber(meeting: Meeting) -> None:
    for place, item in enumerate(agenda(meeting), start=1):
        item.position = place * 10
    db.session.flush()


# ---- the session ------------------------------------------------------------------------


def start_session(meeting: Meeting, *, actor) -> None:
    require_unlocked(meeting)
    if meeting.status not in (MeetingStatus.PLANNED, MeetingStatus.INVITED):
        raise DomainError(_("Mötet kan inte öppnas igen."))
    ensure_agenda(meeting, actor=actor)
    meeting.status = MeetingStatus.IN_SESSION
    audit.record(meeting.network, "meeting.opened", meeting, actor=actor)


def record_attendance(
    meeting: Meeting, organisation: Organisation, *, present: bool, people: str, actor
) -> Attendance:
    """An organisation arrives, leaves or comes back; what counts is who is there now."""
    require_unlocked(meeting)
    if meeting.status not in (
        MeetingStatus.IN_SESSION,
        MeetingStatus.INVITED,
        MeetingStatus.PLANNED,
    ):
        raise DomainError(_("Närvaron registreras under mötet."))
    attendance = db.session.scalar(
        sa.select(Attendance).where(
            Attendance.meeting_id == meeting.id, Attendance.organisation_id == organisation.id
        )
    )
    if attendance is None:
        attendance = Attendance(meeting=meeting, organisation=organisation)
        db.session.add(attendance)
    from grants.core.time import utcnow

    if present and not attendance.present:
        attendance.arrived_at, attendance.left_at = utcnow(), None
    if not present and attendance.present:
        attendance.left_at = utcnow()
    attendance.present = present
    attendance.people = people
    db.session.flush()
    audit.record(
        meeting.network,
        "attendance.recorded",
        attendance,
        actor=actor,
        data={"organisation_id": organisation.id, "present": present},
    )
    return attendance


def present_organisation_ids(meeting: Meeting) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(Attendance.organisation_id).where(
                Attendance.meeting_id == meeting.id, Attendance.present.is_(True)
            )
        )
    )


def recused_organisation_ids(item: AgendaItem) -> set[int]:
    return set(
        db.session.scalars(sa.select(Recusal.organisation_id).where(Recusal.item_id == item.id))
    )


def declare_recusal(item: AgendaItem, organisation: Organisation, *, reason: str, actor) -> None:
    """More jäv than the automatic applicant and co-applicants, with a reason."""
    require_in_session(item.meeting)
    if item.status == ItemStatus.DECIDED:
        raise DomainError(_("Punkten är redan beslutad."))
    if organisation.id in recused_organisation_ids(item):
        return
    if not reason:
        raise DomainError(_("Skriv varför organisationen är jävig."), field="reason")
    db.session.add(Recusal(item=item, organisation=organisation, automatic=False, reason=reason))
    db.session.query(Vote).filter_by(item_id=item.id, organisation_id=organisation.id).delete()
    audit.record(
        item.meeting.network,
        "recusal.declared",
        item,
        actor=actor,
        data={"organisation_id": organisation.id},
    )


# ---- votes ------------------------------------------------------------------------------


def open_vote(item: AgendaItem, *, actor) -> None:
    require_in_session(item.meeting)
    if item.kind != AgendaItemKind.PROPOSAL or item.status != ItemStatus.PENDING:
        raise DomainError(_("Omröstning kan bara öppnas för ett förslag som inte är beslutat."))
    item.status = ItemStatus.VOTING
    audit.record(item.meeting.network, "vote.opened", item, actor=actor)


def cast_vote(item: AgendaItem, organisation: Organisation, choice: rules.Choice, *, actor) -> Vote:
    """One vote per organisation and item; only present, non-recused organisations vote."""
    require_in_session(item.meeting)
    refusal = rules.vote_refusal(
        organisation.id,
        present=present_organisation_ids(item.meeting),
        recused=recused_organisation_ids(item),
        voting_open=item.status == ItemStatus.VOTING,
    )
    if refusal:
        raise DomainError(refusal)
    vote = Vote(
        item_id=item.id,
        organisation_id=organisation.id,
        choice=choice,
        cast_by_id=getattr(actor, "id", None),
    )
    try:
        with db.session.begin_nested():
            db.session.add(vote)
    except IntegrityError as error:
        raise DomainError(
            _(
                "%(organisation)s har redan röstat på den här punkten.",
                organisation=organisation.name,
            )
        ) from error
    audit.record(
        item.meeting.network,
        "vote.cast",
        vote,
        actor=actor,
        data={"item_id": item.id, "organisation_id": organisation.id, "choice": choice.value},
    )
    return vote


def votes_of(item: AgendaItem) -> dict[int, rules.Choice]:
    return {
        vote.organisation_id: vote.choice
        for vote in db.session.scalars(sa.select(Vote).where(Vote.item_id == item.id))
    }


# ---- decisions --------------------------------------------------------------------------


def decide(
    item: AgendaItem,
    *,
    outcome: rules.Outcome,
    method: DecisionMethod | None,
    actor,
    amount_ore: int | None = None,
    conditions: str = "",
    reason: str = "",
    chair_approves: bool | None = None,
) -> Decision:
    """Record the meeting's decision on a proposal item.

    By acclamation the meeting approves or rejects without counts; by a counted
    vote the outcome comes from the votes and the tie rule. An approval commits
    the money on the period's grants line in this transaction, refused if the
    pot would be overspent. A deferral puts the proposal back in the queue.
    """
    meeting = item.meeting
    require_in_session(meeting)
    if item.kind != AgendaItemKind.PROPOSAL:
        raise DomainError(_("Bara förslag beslutas med belopp och omröstning."))
    if item.status == ItemStatus.DECIDED:
        raise DomainError(_("Punkten är redan beslutad."))
    present = present_organisation_ids(meeting)
    refusal = rules.quorum_refusal(len(present), meeting.network.quorum_min_orgs)
    if refusal:
        raise DomainError(refusal)
    recused = recused_organisation_ids(item)
    decision = Decision(
        item_id=item.id,
        method=method,
        conditions=conditions,
        reason=reason,
        present_organisation_ids=json.dumps(sorted(present)),
        recused_organisation_ids=json.dumps(sorted(recused)),
        decided_by_id=getattr(actor, "id", None),
    )
    if outcome == rules.Outcome.DEFERRED:
        decision.outcome = rules.Outcome.DEFERRED
        if not reason:
            raise DomainError(_("Skriv varför förslaget bordläggs."), field="reason")
    elif method == DecisionMethod.COUNTED:
        count = rules.tally(votes_of(item), rules.eligible_voters(present, recused))
        try:
            result = rules.counted_result(count, meeting.network.tie_rule, chair_approves)
        except ValueError as error:
            raise DomainError(
                _(
                    "Rösterna är lika. Enligt nätverkets regel avgör ordföranden: välj bifall "
                    "eller avslag."
                ),
                field="chair_approves",
            ) from error
        decision.outcome = result.outcome
        decision.yes, decision.no, decision.abstain = count.yes, count.no, count.abstain
        decision.tie = result.tie
        decision.tie_rule_applied = (
            result.tie_rule_applied.value if result.tie_rule_applied else None
        )
    else:
        decision.method = DecisionMethod.ACCLAMATION
        decision.outcome = outcome
    proposal = item.proposal
    if decision.outcome == rules.Outcome.APPROVED:
        amount = proposal.requested_ore if amount_ore is None else amount_ore
        _check_money(proposal, amount)
        decision.amount_ore = amount
        db.session.add(decision)
        db.session.flush()
        db.session.add(
            Grant(
                network_id=proposal.network_id,
                period_id=proposal.period_id,
                proposal=proposal,
                decision_id=decision.id,
                amount_ore=amount,
                conditions=conditions,
            )
        )
        proposal.state = ProposalState.APPROVED
    elif decision.outcome == rules.Outcome.REJECTED:
        db.session.add(decision)
        proposal.state = ProposalState.REJECTED
    else:
        following = next_open_meeting(meeting.network, after=meeting.starts_at)
        decision.deferred_to_meeting = following
        db.session.add(decision)
        proposal.state = ProposalState.DEFERRED
        proposal.meeting = following
    item.status = ItemStatus.DECIDED
    db.session.flush()
    audit.record(
        meeting.network,
        f"decision.{decision.outcome.value}",
        decision,
        actor=actor,
        data={
            "item_id": item.id,
            "proposal_id": proposal.id,
            "method": decision.method.value if decision.method else None,
            "amount_ore": decision.amount_ore,
            "yes": decision.yes,
            "no": decision.no,
            "abstain": decision.abstain,
            "tie_rule": decision.tie_rule_applied,
            "present": sorted(present),
            "recused": sorted(recused),
        },
    )
    return decision


def _check_money(proposal: Proposal, amount: int) -> None:
    """Refuse ``amount`` unless it fits the request and the pot.

    The grants line is locked until the transaction ends, so two approvals at
    once cannot both take the last krona (invariant 2).
    """
    line = db.session.scalar(
        sa.select(BudgetLine)
        .where(BudgetLine.period_id == proposal.period_id, BudgetLine.kind == BudgetLineKind.GRANTS)
        .with_for_update()
    )
    left = (line.budget_ore if line else 0) - granted_ore(proposal.period)
    refusal = rules.amount_refusal(amount, requested_ore=proposal.requested_ore, left_ore=left)
    if refusal:
        raise DomainError(refusal, field="amount")
