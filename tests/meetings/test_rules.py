"""Majority, abstentions, ties, recusal and quorum as pure rules (hypothesis)."""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from grants.meetings.rules import (
    Choice,
    Outcome,
    Tally,
    amount_refusal,
    counted_result,
    eligible_voters,
    quorum_refusal,
    tally,
    vote_refusal,
)
from grants.networks.models import TieRule

choices = st.sampled_from(list(Choice))
votes = st.dictionaries(st.integers(1, 60), choices, max_size=60)
tie_rules = st.sampled_from(list(TieRule))


@given(votes)
def test_the_tally_counts_every_eligible_vote_once(cast):
    count = tally(cast, cast.keys())
    assert count.cast == len(cast)
    assert count.yes == sum(1 for c in cast.values() if c == Choice.YES)


@given(votes, st.sets(st.integers(1, 60)))
def test_votes_from_recused_or_absent_organisations_do_not_count(cast, recused):
    present = set(range(1, 41))
    eligible = eligible_voters(present, recused)
    count = tally(cast, eligible)
    assert count.cast == sum(1 for org in cast if org in present and org not in recused)


@given(st.integers(0, 60), st.integers(0, 60), st.integers(0, 60), tie_rules)
def test_more_yes_than_no_approves_whatever_the_abstentions(yes, no, abstain, rule):
    assume(yes > no)
    assert counted_result(Tally(yes, no, abstain), rule).outcome == Outcome.APPROVED


@given(st.integers(0, 60), st.integers(0, 60), st.integers(0, 60), tie_rules)
def test_more_no_than_yes_rejects(yes, no, abstain, rule):
    assume(no > yes)
    result = counted_result(Tally(yes, no, abstain), rule, chair_approves=True)
    assert result.outcome == Outcome.REJECTED and not result.tie


@given(st.integers(0, 30), st.integers(0, 60))
def test_a_tie_is_rejected_under_the_rejected_rule(both, abstain):
    result = counted_result(Tally(both, both, abstain), TieRule.REJECTED)
    assert result.outcome == Outcome.REJECTED
    assert result.tie and result.tie_rule_applied == TieRule.REJECTED


@given(st.integers(0, 30), st.integers(0, 60), st.booleans())
def test_a_tie_follows_the_chair_under_the_chair_rule(both, abstain, chair_approves):
    result = counted_result(Tally(both, both, abstain), TieRule.CHAIR_DECIDES, chair_approves)
    assert result.outcome == (Outcome.APPROVED if chair_approves else Outcome.REJECTED)
    assert result.tie_rule_applied == TieRule.CHAIR_DECIDES


def test_a_tie_under_the_chair_rule_needs_the_chairs_decision():
    with pytest.raises(ValueError):
        counted_result(Tally(2, 2, 1), TieRule.CHAIR_DECIDES)


def test_only_abstentions_is_a_tie():
    assert counted_result(Tally(0, 0, 5), TieRule.REJECTED).tie


@given(st.integers(1, 60), st.sets(st.integers(1, 60)), st.sets(st.integers(1, 60)))
def test_only_present_non_recused_organisations_vote_while_open(org, present, recused):
    refusal = vote_refusal(org, present=present, recused=recused, voting_open=True)
    assert (refusal is None) == (org in present and org not in recused)


@given(st.integers(1, 60))
def test_nobody_votes_when_the_vote_is_closed(org):
    assert vote_refusal(org, present={org}, recused=set(), voting_open=False) is not None


@given(st.integers(0, 100), st.one_of(st.none(), st.integers(1, 100)))
def test_quorum(present, minimum):
    refusal = quorum_refusal(present, minimum)
    assert (refusal is None) == (minimum is None or present >= minimum)


@given(st.integers(1, 10**9), st.integers(0, 10**9), st.integers(0, 10**9))
def test_an_approved_amount_is_above_zero_at_most_requested_and_at_most_left(
    approved, requested, left
):
    refusal = amount_refusal(approved, requested_ore=requested, left_ore=left)
    assert (refusal is None) == (approved <= requested and approved <= left)


def test_zero_is_not_an_approved_amount():
    assert amount_refusal(0, requested_ore=10, left_ore=10) is not None
