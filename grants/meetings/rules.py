"""How a network meeting decides: pure rules, no database (tested with hypothesis).

The rules text: "Beslut tas på sittande nätverksmöte genom majoritetsbeslut".
From the national agreement's practice and Swedish association custom: the
organisations present decide; an organisation does not vote on its own
proposal (jäv); abstentions do not count; a tie follows the network's rule
(the chair decides, or the proposal is rejected); below the network's quorum
no decision is taken.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from flask_babel import gettext as _

from grants.networks.models import TieRule


class Choice(StrEnum):
    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"


class Outcome(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"
    DEFERRED = "deferred"


@dataclass(frozen=True)
class Tally:
    yes: int
    no: int
    abstain: int

    @property
    def cast(self) -> int:
        return self.yes + self.no + self.abstain


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    tally: Tally
    tie: bool
    tie_rule_applied: TieRule | None = None


def eligible_voters(present: Iterable[int], recused: Iterable[int]) -> set[int]:
    """Organisations that may vote on an item: present and not recused."""
    return set(present) - set(recused)


def vote_refusal(
    organisation: int, *, present: Iterable[int], recused: Iterable[int], voting_open: bool
) -> str | None:
    """Why ``organisation`` may not vote now; ``None`` when it may."""
    if not voting_open:
        return _("Omröstningen är inte öppen.")
    if organisation in set(recused):
        return _("Organisationen är jävig och röstar inte om det här förslaget.")
    if organisation not in set(present):
        return _("Bara organisationer som är närvarande kan rösta.")
    return None


def tally(votes: Mapping[int, Choice], eligible: Iterable[int]) -> Tally:
    """Count the votes of eligible organisations; any other vote is ignored."""
    allowed = set(eligible)
    counts = Counter(Choice(choice) for org, choice in votes.items() if org in allowed)
    return Tally(counts[Choice.YES], counts[Choice.NO], counts[Choice.ABSTAIN])


def counted_result(count: Tally, tie_rule: TieRule, chair_approves: bool | None = None) -> Result:
    """Majority of yes over no; abstentions do not count; a tie follows ``tie_rule``.

    ``chair_approves`` is the chair's decision on a tie when the rule says the
    chair decides; it must then be given.
    """
    if count.yes > count.no:
        return Result(Outcome.APPROVED, count, tie=False)
    if count.no > count.yes:
        return Result(Outcome.REJECTED, count, tie=False)
    if tie_rule == TieRule.CHAIR_DECIDES:
        if chair_approves is None:
            raise ValueError("a tie under the chair-decides rule needs the chair's decision")
        outcome = Outcome.APPROVED if chair_approves else Outcome.REJECTED
        return Result(outcome, count, tie=True, tie_rule_applied=tie_rule)
    return Result(Outcome.REJECTED, count, tie=True, tie_rule_applied=tie_rule)


def majority_rule(tie_rule: TieRule) -> str:
    """The network's rule for a counted vote, in words: the screen and the settings say it."""
    tie = (
        _("vid lika röstetal avgör ordföranden")
        if tie_rule == TieRule.CHAIR_DECIDES
        else _("vid lika röstetal avslås förslaget")
    )
    return _(
        "Enkel majoritet: fler ja än nej ger bifall, annars avslag. Den som avstår räknas "
        "inte, och %(tie)s.",
        tie=tie,
    )


def quorum_refusal(present_count: int, quorum_min: int | None) -> str | None:
    """Why no decision can be taken with ``present_count`` organisations present."""
    if quorum_min is not None and present_count < quorum_min:
        return _(
            "Mötet är inte beslutfört: %(present)d organisationer är närvarande och nätverket "
            "kräver minst %(minimum)d.",
            present=present_count,
            minimum=quorum_min,
        )
    return None


def amount_refusal(approved_ore: int, *, requested_ore: int, left_ore: int) -> str | None:
    """Why ``approved_ore`` cannot be granted; ``None`` when it can."""
    from grants.core.money import format_amount

    if approved_ore <= 0:
        return _("Det beviljade beloppet måste vara större än noll.")
    if approved_ore > requested_ore:
        return _(
            "Det går inte att bevilja mer än det sökta beloppet, %(requested)s.",
            requested=format_amount(requested_ore),
        )
    if approved_ore > left_ore:
        return _(
            "Det finns bara %(left)s kvar i potten. Bevilja ett lägre belopp eller avslå.",
            left=format_amount(left_ore),
        )
    return None
