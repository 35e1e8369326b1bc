"""Eligibility as pure rules, checked over many cases with hypothesis."""

from hypothesis import given
from hypothesis import strategies as st

from grants.members.models import OrganisationKind
from grants.proposals.rules import Party, amount_refusals, eligibility_refusals

kinds = st.sampled_from(
    [
        OrganisationKind.ASSOCIATION,
        OrganisationKind.CIVIL_SOCIETY_NETWORK,
        OrganisationKind.MUNICIPAL_UNIT,
    ]
)
civil = st.sampled_from([OrganisationKind.ASSOCIATION, OrganisationKind.CIVIL_SOCIETY_NETWORK])


def party(id, kind, member=True):
    return Party(id, kind, member)


def fields(refusals):
    return {refusal.field for refusal in refusals}


@given(
    st.lists(
        st.integers(2, 99).map(lambda i: party(i, OrganisationKind.MUNICIPAL_UNIT)), max_size=3
    )
)
def test_a_municipal_unit_alone_or_with_other_units_is_refused(others):
    refusals = eligibility_refusals(
        party(1, OrganisationKind.MUNICIPAL_UNIT), others, registered_by_coordinator=False
    )
    assert "co_applicants" in fields(refusals)
    assert any("ideell sektor" in refusal.message for refusal in refusals)


@given(civil, st.booleans())
def test_a_municipal_unit_with_a_civil_society_co_applicant_is_accepted(kind, coordinator):
    refusals = eligibility_refusals(
        party(1, OrganisationKind.MUNICIPAL_UNIT),
        [party(2, kind)],
        registered_by_coordinator=coordinator,
    )
    assert refusals == []


@given(civil)
def test_a_civil_society_co_applicant_whose_membership_ended_does_not_count(kind):
    refusals = eligibility_refusals(
        party(1, OrganisationKind.MUNICIPAL_UNIT),
        [party(2, kind, member=False)],
        registered_by_coordinator=False,
    )
    assert "co_applicants" in fields(refusals)


@given(kinds)
def test_an_organisation_whose_membership_ended_is_refused(kind):
    refusals = eligibility_refusals(
        party(1, kind, member=False), [], registered_by_coordinator=True
    )
    assert "applicant" in fields(refusals)


@given(civil)
def test_an_association_member_may_apply_alone(kind):
    assert eligibility_refusals(party(1, kind), [], registered_by_coordinator=False) == []


def test_the_network_itself_applies_only_through_the_coordinator():
    itself = Party(1, OrganisationKind.NETWORK_ITSELF, True, has_orgnr=False)
    assert eligibility_refusals(itself, [], registered_by_coordinator=True) == []
    assert eligibility_refusals(itself, [], registered_by_coordinator=False) != []


@given(kinds)
def test_the_applicant_cannot_be_its_own_co_applicant(kind):
    refusals = eligibility_refusals(
        party(1, kind), [party(1, kind), party(2, kind)], registered_by_coordinator=False
    )
    assert "co_applicants" in fields(refusals)


@given(st.integers(1, 10**9), st.integers(0, 10**9), st.one_of(st.none(), st.integers(1, 10**9)))
def test_an_amount_within_every_limit_with_a_matching_budget_is_accepted(requested, extra, cap):
    left = requested + extra
    cap = None if cap is None else max(cap, requested)
    assert (
        amount_refusals(requested, budget_rows_ore=[requested], max_grant_ore=cap, left_ore=left)
        == []
    )


@given(st.integers(1, 10**9))
def test_one_ore_above_what_is_left_is_refused(left):
    refusals = amount_refusals(
        left + 1, budget_rows_ore=[left + 1], max_grant_ore=None, left_ore=left
    )
    assert fields(refusals) == {"requested"}


@given(st.integers(1, 10**9))
def test_exactly_what_is_left_and_exactly_the_cap_are_accepted(amount):
    assert (
        amount_refusals(amount, budget_rows_ore=[amount], max_grant_ore=amount, left_ore=amount)
        == []
    )


@given(st.integers(2, 10**9))
def test_one_ore_above_the_cap_is_refused(cap):
    refusals = amount_refusals(
        cap + 1, budget_rows_ore=[cap + 1], max_grant_ore=cap, left_ore=10**10
    )
    assert fields(refusals) == {"requested"}


@given(st.integers(-(10**6), 0))
def test_zero_and_negative_amounts_are_refused(amount):
    refusals = amount_refusals(amount, budget_rows_ore=[1], max_grant_ore=None, left_ore=10**9)
    assert "requested" in fields(refusals)


@given(st.lists(st.integers(1, 10**7), min_size=1, max_size=8), st.integers(1, 10**6))
def test_a_budget_that_does_not_add_up_is_refused(rows, difference):
    requested = sum(rows) + difference
    refusals = amount_refusals(requested, budget_rows_ore=rows, max_grant_ore=None, left_ore=10**10)
    assert fields(refusals) == {"budget"}


def test_an_empty_budget_is_refused():
    refusals = amount_refusals(100, budget_rows_ore=[], max_grant_ore=None, left_ore=1000)
    assert fields(refusals) == {"budget"}
