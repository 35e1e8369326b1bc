"""Votes and decisions on proposal items (invariants 2 and 3).

Votes are cast only while a vote is open and the meeting in session, once per
organisation; a decision takes the money from the pot with the budget line
locked, so the pot is never overspent.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from grants.core import audit
from grants.core.errors import DomainError
from grants.core.time import utcnow
from grants.extensions import db
from grants.funds.commitments import check_commitment, commit_grant
from grants.meetings import rules
from grants.meetings.models import (
    AgendaItem,
    AgendaItemKind,
    Decision,
    DecisionMethod,
    ItemStatus,
    Vote,
)
from grants.meetings.operations import next_open_meeting
from grants.meetings.session import (
    present_organisation_ids,
    recused_organisation_ids,
    require_in_session,
)
from grants.members.models import Organisation
from grants.proposals.models import ProposalState

# ---- votes ------------------------------------------------------------------------------


def open_vote(item: AgendaItem, *, actor) -> None:
    require_in_session(item.meeting)
    if item.kind != AgendaItemKind.PROPOSAL or item.status != ItemStatus.PENDING:
        raise DomainError(_("Omröstning kan bara öppnas för ett förslag som inte är beslutat."))
    item.status = ItemStatus.VOTING
    audit.record(item.meeting.network, "vote.opened", item, actor=actor)


def close_vote(item: AgendaItem, *, actor) -> list[Organisation]:
    """No more votes on ``item``: the meeting decides on the count as it stands.

    Returns the organisations that could have voted and did not (the coordinator
    is told who, and so is the audit chain).
    """
    require_in_session(item.meeting)
    if item.status != ItemStatus.VOTING or item.vote_closed_at is not None:
        raise DomainError(_("Det finns ingen öppen omröstning att stänga på den här punkten."))
    eligible = rules.eligible_voters(
        present_organisation_ids(item.meeting), recused_organisation_ids(item)
    )
    votes = votes_of(item)
    count = rules.tally(votes, eligible)
    missing_ids = sorted(eligible - set(votes))
    item.vote_closed_at = utcnow()
    audit.record(
        item.meeting.network,
        "vote.closed",
        item,
        actor=actor,
        data={
            "yes": count.yes,
            "no": count.no,
            "abstain": count.abstain,
            "not_voted": missing_ids,
        },
    )
    if not missing_ids:
        return []
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(Organisation.id.in_(missing_ids))
            .order_by(Organisation.name)
        )
    )


def vote_is_open(item: AgendaItem) -> bool:
    return item.status == ItemStatus.VOTING and item.vote_closed_at is None


def cast_vote(item: AgendaItem, organisation: Organisation, choice: rules.Choice, *, actor) -> Vote:
    """One vote per organisation and item; only present, non-recused organisations vote."""
    require_in_session(item.meeting)
    if item.status == ItemStatus.VOTING and item.vote_closed_at is not None:
        raise DomainError(_("Omröstningen är stängd. Rösterna räknas som de stod då."))
    refusal = rules.vote_refusal(
        organisation.id,
        present=present_organisation_ids(item.meeting),
        recused=recused_organisation_ids(item),
        voting_open=vote_is_open(item),
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


def votes_by_item(items: list[AgendaItem]) -> dict[int, dict[int, rules.Choice]]:
    """``votes_of`` of many items in one query."""
    found: dict[int, dict[int, rules.Choice]] = {item.id: {} for item in items}
    rows = db.session.execute(
        sa.select(Vote.item_id, Vote.organisation_id, Vote.choice).where(
            Vote.item_id.in_(list(found))
        )
    )
    for item_id, organisation_id, choice in rows:
        found[item_id][organisation_id] = choice
    return found


def votes_of(item: AgendaItem) -> dict[int, rules.Choice]:
    return {
        vote.organisation_id: vote.choice
        for vote in db.session.scalars(sa.select(Vote).where(Vote.item_id == item.id))
    }


# ---- decisions --------------------------------------------------------------------------


def decide(
    item: AgendaItem,
    *,
    outcome: rules.Outcome | None,
    method: DecisionMethod | None = None,
    actor,
    amount_ore: int | None = None,
    conditions: str = "",
    reason: str = "",
    chair_approves: bool | None = None,
) -> Decision:
    """Record the meeting's decision on a proposal item.

    Without a vote the meeting decides by acclamation, and ``outcome`` says what it
    decided. Once a counted vote was opened, the votes decide: the vote must be closed
    first, ``outcome`` is not asked (the majority rule and the tie rule give it), and
    only a tie under the chair-decides rule needs ``chair_approves``. A deferral can be
    decided on a proposal that was not put to a vote. ``method``, when given, must be
    the one the item's state implies. An approval commits the money on the period's
    grants line in this transaction, refused if the pot would be overspent.
    """
    meeting = item.meeting
    require_in_session(meeting)
    if item.kind != AgendaItemKind.PROPOSAL:
        raise DomainError(_("Bara förslag beslutas med belopp och omröstning."))
    if item.status == ItemStatus.DECIDED:
        raise DomainError(_("Punkten är redan beslutad."))
    voted = item.status == ItemStatus.VOTING
    if method == DecisionMethod.COUNTED and not voted:
        raise DomainError(
            _("Öppna en omröstning först: ett beslut med rösträkning fattas på rösterna.")
        )
    if voted and (outcome == rules.Outcome.DEFERRED or method == DecisionMethod.ACCLAMATION):
        raise DomainError(
            _("Punkten har gått till omröstning: beslutet fattas på rösterna."), field="outcome"
        )
    if voted and outcome is not None:
        raise DomainError(
            _("Rösterna avgör beslutet: när omröstningen är stängd väljs inget beslut."),
            field="outcome",
        )
    if voted and item.vote_closed_at is None:
        raise DomainError(_("Stäng omröstningen innan beslutet registreras."))
    if not voted and outcome is None:
        raise DomainError(_("Välj beslut."), field="outcome")
    present = present_organisation_ids(meeting)
    refusal = rules.quorum_refusal(len(present), meeting.network.quorum_min_orgs)
    if refusal:
        raise DomainError(refusal)
    recused = recused_organisation_ids(item)
    decision = Decision(
        item_id=item.id,
        method=None,
        conditions=conditions,
        reason=reason,
        present_organisation_ids=json.dumps(sorted(present)),
        recused_organisation_ids=json.dumps(sorted(recused)),
        decided_by_id=getattr(actor, "id", None),
    )
    if voted:
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
        decision.method = DecisionMethod.COUNTED
        decision.outcome = result.outcome
        decision.yes, decision.no, decision.abstain = count.yes, count.no, count.abstain
        decision.tie = result.tie
        decision.tie_rule_applied = (
            result.tie_rule_applied.value if result.tie_rule_applied else None
        )
    elif outcome == rules.Outcome.DEFERRED:
        decision.outcome = rules.Outcome.DEFERRED
        if not reason:
            raise DomainError(_("Skriv varför förslaget bordläggs."), field="reason")
    else:
        decision.method = DecisionMethod.ACCLAMATION
        decision.outcome = outcome
    proposal = item.proposal
    if decision.outcome == rules.Outcome.APPROVED:
        amount = proposal.requested_ore if amount_ore is None else amount_ore
        check_commitment(proposal, amount)
        decision.amount_ore = amount
        db.session.add(decision)
        db.session.flush()
        commit_grant(proposal, amount, decision_id=decision.id, conditions=conditions)
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


def correct_decision(item: AgendaItem, *, actor) -> Decision:
    """Take back a decision registered by mistake, while the meeting is still in session.

    The item is open again as if it had not been decided: its votes go (a wrong count is
    a common mistake), an approval's grant goes and its money is back in the pot, a
    deferred proposal is back on this agenda. The audit chain keeps the decision as it
    was registered and records the correction. Once the grant has money or a report
    against it, it is withdrawn by a new decision instead.
    """
    from grants.funds.models import Grant, GrantReport, Payout, Refund

    meeting = item.meeting
    require_in_session(meeting)
    decision = db.session.scalar(sa.select(Decision).where(Decision.item_id == item.id))
    if item.status != ItemStatus.DECIDED or decision is None:
        raise DomainError(_("Punkten är inte beslutad: det finns inget beslut att rätta."))
    grant = db.session.scalar(sa.select(Grant).where(Grant.decision_id == decision.id))
    if grant is not None:
        for model in (Payout, Refund, GrantReport):
            if db.session.scalar(sa.select(model.id).where(model.grant_id == grant.id).limit(1)):
                raise DomainError(
                    _(
                        "Bidraget har redan utbetalningar, återbetalningar eller en redovisning. "
                        "Beslutet rättas inte här: återkalla bidraget med ett nytt beslut."
                    )
                )
    taken_back = {
        "decision_id": decision.id,
        "outcome": decision.outcome.value,
        "method": decision.method.value if decision.method else None,
        "amount_ore": decision.amount_ore,
        "yes": decision.yes,
        "no": decision.no,
        "abstain": decision.abstain,
        "grant_id": grant.id if grant is not None else None,
        "proposal_id": item.proposal_id,
    }
    if grant is not None:
        db.session.delete(grant)
        db.session.flush()
    db.session.execute(sa.delete(Vote).where(Vote.item_id == item.id))
    db.session.delete(decision)
    item.status = ItemStatus.PENDING
    item.vote_closed_at = None
    proposal = item.proposal
    proposal.state = ProposalState.ON_AGENDA
    proposal.meeting = meeting
    db.session.flush()
    db.session.expire(item)
    audit.record(meeting.network, "decision.corrected", item, actor=actor, data=taken_back)
    return decision
