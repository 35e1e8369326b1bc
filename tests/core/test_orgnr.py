"""Organisation numbers: formats people type, Luhn check, personnummer refused."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from grants.core.errors import DomainError
from grants.core.orgnr import normalise_orgnr


def test_valid_numbers_in_every_typed_form_are_stored_with_a_hyphen(inputs):
    for typed, stored in inputs["organisation_number"]["valid"]:
        assert normalise_orgnr(typed) == stored


def test_spaces_instead_of_the_hyphen_are_fine():
    assert normalise_orgnr("556036 0793") == "556036-0793"


def test_a_wrong_check_digit_is_refused_and_the_message_says_so(inputs):
    for typed in inputs["organisation_number"]["invalid_checksum"]:
        with pytest.raises(DomainError) as caught:
            normalise_orgnr(typed)
        assert "kontrollsiffran" in str(caught.value)


def test_a_personnummer_is_refused_with_a_message_that_says_why(inputs):
    for typed in inputs["organisation_number"]["personnummer_refused"]:
        with pytest.raises(DomainError) as caught:
            normalise_orgnr(typed)
        assert "personnummer" in str(caught.value)


def test_malformed_numbers_are_refused(inputs):
    for typed in inputs["organisation_number"]["malformed"]:
        if typed.startswith("802001–2343"):
            continue  # the en dash case: see the next test
        with pytest.raises(DomainError):
            normalise_orgnr(typed)


def test_an_en_dash_from_a_pasted_document_is_accepted_but_never_stored():
    assert normalise_orgnr("802001–2343") == "802001-2343"
    assert normalise_orgnr("802001\u22122343") == "802001-2343"


legal_person_bases = st.builds(
    lambda head, third, tail: f"{head:02d}{third}{tail:06d}",
    st.integers(0, 99),
    st.integers(2, 9),
    st.integers(0, 999_999),
)


@given(legal_person_bases)
def test_every_legal_person_number_with_its_check_digit_is_accepted(digits):
    number = digits + luhn.calc_check_digit(digits)
    assert normalise_orgnr(number) == f"{number[:6]}-{number[6:]}"


@given(legal_person_bases, st.integers(1, 9))
def test_every_wrong_check_digit_is_caught(digits, offset):
    wrong = (int(luhn.calc_check_digit(digits)) + offset) % 10
    with pytest.raises(DomainError):
        normalise_orgnr(digits + str(wrong))


@pytest.mark.parametrize("typed", ["16 802002 4280", "168020024280", "16802002-4280"])
def test_the_twelve_digit_form_with_16_is_an_organisation_number(typed):
    """Skatteverket's and many registers' form: "16" and the ten digits."""
    assert normalise_orgnr(typed) == "802002-4280"


def test_a_twelve_digit_personnummer_is_still_refused():
    with pytest.raises(DomainError, match="personnummer"):
        normalise_orgnr("19800101-1234")
    with pytest.raises(DomainError, match="kontrollsiffran"):
        normalise_orgnr("16 802002 4281")  # the 16 form is checked like the ten
