"""Invariant 1: money is integer öre; typed amounts are read the Swedish way."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grants.core.errors import DomainError
from grants.core.money import MAX_AMOUNT_ORE, format_amount, format_amount_input, parse_amount


def test_every_valid_amount_people_type_is_read_as_ore(inputs):
    for typed, expected in inputs["amount_sek"]["valid"]:
        assert parse_amount(typed) == int(expected), typed


def test_every_invalid_amount_is_refused_with_a_message(inputs):
    for typed in inputs["amount_sek"]["invalid"]:
        with pytest.raises(DomainError) as caught:
            parse_amount(typed)
        assert str(caught.value).strip(), typed


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("100,555", "två decimaler"),
        ("", "Ange ett belopp"),
        ("0", "större än noll"),
        ("99999999999999999999", "orimligt stort"),
        ("１２３", "siffror"),
    ],
)
def test_the_message_says_what_is_wrong(typed, fragment):
    with pytest.raises(DomainError) as caught:
        parse_amount(typed)
    assert fragment in str(caught.value)


def test_zero_is_accepted_where_the_caller_allows_it():
    assert parse_amount("0", allow_zero=True) == 0


def test_amounts_are_shown_the_swedish_way_and_the_english_way():
    assert format_amount(1_250_000, "sv") == "12\u00a0500\u00a0kr"
    assert format_amount(1_250_050, "sv") == "12\u00a0500,50\u00a0kr"
    assert format_amount(1_250_000, "en") == "SEK\u00a012,500"
    assert format_amount(1_250_050, "en") == "SEK\u00a012,500.50"
    assert format_amount(0, "sv") == "0\u00a0kr"


def test_floats_are_never_accepted_as_money():
    with pytest.raises(TypeError):
        format_amount(12.5, "sv")


@given(st.integers(min_value=1, max_value=MAX_AMOUNT_ORE))
def test_what_is_shown_in_a_form_reads_back_to_the_same_amount(ore):
    assert parse_amount(format_amount_input(ore)) == ore


@given(st.integers(min_value=1, max_value=MAX_AMOUNT_ORE))
def test_what_is_shown_on_a_page_reads_back_to_the_same_amount(ore):
    assert parse_amount(format_amount(ore, "sv")) == ore


@pytest.mark.parametrize(
    "hostile",
    [
        "1" + " " * 100_000 + "x",  # made the old pattern take 8.9 s at 16,000 spaces
        "1" * 100_000,
        "sek" + " " * 100_000 + "1",
        " 1 " + "\u00a0" * 50_000 + "kr",
    ],
)
def test_a_huge_amount_is_refused_by_its_length_before_it_is_read(hostile):
    """The length is checked first: the message names the length, not the digits."""
    with pytest.raises(DomainError) as caught:
        parse_amount(hostile)
    assert "för långt" in str(caught.value)


def test_amounts_at_the_length_limit_are_still_read():
    assert parse_amount("SEK 100 000 000,00 kronor") == MAX_AMOUNT_ORE
    assert parse_amount(" " * 5_000 + "12 500" + " " * 5_000) == 1_250_000
