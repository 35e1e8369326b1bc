"""Bankgiro, plusgiro and bank account numbers as people type them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from grants.core.errors import DomainError
from grants.core.payment import PayoutMethod, validate_payout_details


def with_check_digit(digits: str) -> str:
    return digits + luhn.calc_check_digit(digits)


def test_a_bankgiro_number_is_stored_with_its_hyphen():
    number = with_check_digit("5050105")  # 5050-1055, Bankgirot's own
    assert validate_payout_details(PayoutMethod.BANKGIRO, "5050 1055").number == "5050-1055"
    assert number == "50501055"


@given(st.integers(100_000, 9_999_999))
def test_every_bankgiro_with_a_wrong_check_digit_is_refused(base):
    digits = str(base)
    wrong = str((int(luhn.calc_check_digit(digits)) + 3) % 10)
    with pytest.raises(DomainError, match="kontrollsiffran"):
        validate_payout_details(PayoutMethod.BANKGIRO, digits + wrong)


@given(st.integers(1, 9_999_999))
def test_every_plusgiro_with_its_check_digit_is_accepted(base):
    number = with_check_digit(str(base))
    stored = validate_payout_details(PayoutMethod.PLUSGIRO, number).number
    assert stored.replace("-", "") == number


def test_bank_accounts_by_clearing_range():
    # SEB, type 1: mod 11 over the clearing's last three digits and the account.
    # Weights 1, 2, 3 … from the right: 9·1 + 1·2 = 11.
    details = validate_payout_details(PayoutMethod.BANK_ACCOUNT, "5000-0000019")
    assert details.bank == "SEB" and details.number == "5000 0000019"
    with pytest.raises(DomainError, match="kontrollsiffran"):
        validate_payout_details(PayoutMethod.BANK_ACCOUNT, "5000-0000018")
    # Swedbank's five-digit clearing (itself mod 10) and a mod-10 account.
    swedbank = validate_payout_details(PayoutMethod.BANK_ACCOUNT, "8327-9, 123 456 782")
    assert swedbank.bank == "Swedbank" and swedbank.number == "83279 123456782"
    with pytest.raises(DomainError, match="femte siffran"):
        validate_payout_details(PayoutMethod.BANK_ACCOUNT, "8327-8, 123 456 782")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0999 1234567", "finns inte hos någon svensk bank"),
        ("5000 12345", "har 7 siffror"),
        ("6000 1234567890", "har 8 eller 9 siffror"),
        ("=HYPERLINK(1)", "bara siffror"),
        ("12", "clearingnumret"),
    ],
)
def test_bad_bank_accounts_say_what_is_wrong(typed, message):
    with pytest.raises(DomainError, match=message):
        validate_payout_details(PayoutMethod.BANK_ACCOUNT, typed)


def test_details_are_masked_to_the_last_four_digits():
    details = validate_payout_details(PayoutMethod.BANKGIRO, "5050-1055")
    assert details.masked() == "••••1055"


def test_every_example_the_forms_and_messages_give_passes_the_check():
    """A hint whose example fails the app's own check teaches people to type it wrong."""
    import re
    from pathlib import Path

    examples = {
        PayoutMethod.BANKGIRO: r"\b\d{4}-\d{4}\b",
        PayoutMethod.PLUSGIRO: r"\b\d{3} \d{2} \d{2}-\d\b",
        PayoutMethod.BANK_ACCOUNT: r"\b\d{4} \d{3} \d{3} \d{3}\b",
    }
    root = Path(__file__).resolve().parents[2] / "grants"
    texts = (root / "members/forms.py").read_text() + (root / "core/payment.py").read_text()
    checked = 0
    for method, pattern in examples.items():
        for example in set(re.findall(pattern, texts)):
            if method == PayoutMethod.BANKGIRO and not re.search(
                rf"(?i)bankgiro[^.]*{re.escape(example)}", texts
            ):
                continue  # a date or an organisation number, not a bankgiro example
            validate_payout_details(method, example)
            checked += 1
    assert checked >= 3
