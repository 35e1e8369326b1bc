"""Where a grant is paid: bankgiro, plusgiro or a bank account, validated.

Bankgiro (7–8 digits) and plusgiro (2–8 digits) numbers end in a Luhn check
digit. Bank accounts follow Bankgirot's "Bankernas kontonummeruppbyggnad":
the clearing number tells the bank, the account length and how the check
digit is computed (modulus 11 over clearing and account, modulus 11 over the
account, or modulus 10 over the account).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from stdnum import luhn

from grants.core.errors import DomainError


class PayoutMethod(StrEnum):
    BANKGIRO = "bankgiro"
    PLUSGIRO = "plusgiro"
    BANK_ACCOUNT = "bank_account"


@dataclass(frozen=True)
class BankRange:
    first: int
    last: int
    bank: str
    account_digits: tuple[int, ...]
    check: str  # "mod11_clearing" | "mod11_account" | "mod10_account"


# Type 1: 7-digit accounts, check over the clearing's last three digits and the account
# (comment 1) or the whole clearing and account (comment 2). Type 2: longer accounts,
# check over the account alone.
BANK_RANGES = (
    BankRange(1100, 1199, "Nordea", (7,), "mod11_clearing"),
    BankRange(1200, 1399, "Danske Bank", (7,), "mod11_clearing"),
    BankRange(1400, 2099, "Nordea", (7,), "mod11_clearing"),
    BankRange(2300, 2399, "Ålandsbanken", (7,), "mod11_account_full"),
    BankRange(2400, 2499, "Danske Bank", (7,), "mod11_clearing"),
    BankRange(3000, 3299, "Nordea", (7,), "mod11_clearing"),
    BankRange(3300, 3300, "Nordea (personkonto)", (10,), "mod10_account"),
    BankRange(3301, 3399, "Nordea", (7,), "mod11_clearing"),
    BankRange(3400, 3409, "Länsförsäkringar Bank", (7,), "mod11_clearing"),
    BankRange(3410, 3781, "Nordea", (7,), "mod11_clearing"),
    BankRange(3782, 3782, "Nordea (personkonto)", (10,), "mod10_account"),
    BankRange(3783, 3999, "Nordea", (7,), "mod11_clearing"),
    BankRange(5000, 5999, "SEB", (7,), "mod11_clearing"),
    BankRange(6000, 6999, "Handelsbanken", (8, 9), "mod11_account"),
    BankRange(7000, 7999, "Swedbank", (7,), "mod11_clearing"),
    BankRange(8000, 8999, "Swedbank", tuple(range(6, 11)), "mod10_account"),
    BankRange(9020, 9029, "Länsförsäkringar Bank", (7,), "mod11_clearing"),
    BankRange(9060, 9069, "Länsförsäkringar Bank", (7,), "mod11_account_full"),
    BankRange(9150, 9169, "Skandiabanken", (7,), "mod11_account_full"),
    BankRange(9180, 9189, "Danske Bank", (10,), "mod10_account"),
    BankRange(9250, 9259, "SBAB", (7,), "mod11_clearing"),
    BankRange(9270, 9279, "ICA Banken", (7,), "mod11_clearing"),
    BankRange(9300, 9349, "Sparbanken Öresund", (10,), "mod10_account"),
    BankRange(9400, 9449, "Forex Bank", (7,), "mod11_clearing"),
    BankRange(9550, 9569, "Avanza Bank", (7,), "mod11_account_full"),
    BankRange(9570, 9579, "Sparbanken Syd", (10,), "mod10_account"),
    BankRange(9660, 9669, "Svea Bank", (7,), "mod11_account_full"),
    BankRange(9670, 9679, "JAK Medlemsbank", (7,), "mod11_account_full"),
    BankRange(9880, 9889, "Riksgälden", (7,), "mod11_account_full"),
    BankRange(9960, 9969, "Nordea (PlusGirot)", tuple(range(2, 11)), "mod10_account"),
)


@dataclass(frozen=True)
class PayoutDetails:
    method: PayoutMethod
    number: str  # as stored and shown to the coordinator, e.g. 5678-1230, 8327-9, 6000 123 456 789
    bank: str = ""

    def masked(self) -> str:
        """All but the last four digits hidden, for everyone but staff."""
        digits = re.sub(r"\D", "", self.number)
        return "•" * max(len(digits) - 4, 0) + digits[-4:]


def _digits(text: str) -> str:
    cleaned = (text or "").strip()
    if not re.fullmatch(r"[0-9 \-,.]+", cleaned):
        raise DomainError(
            _l("Skriv bara siffror (mellanslag och bindestreck går bra)."), field="payout_number"
        )
    return re.sub(r"\D", "", cleaned)


def _mod11(digits: str) -> bool:
    """Modulus 11 with weights 1, 2, … 10 from the right (repeating), as the banks use."""
    total = sum(int(d) * (i % 10 + 1) for i, d in enumerate(reversed(digits)))
    return total % 11 == 0


def validate_payout_details(method: PayoutMethod, text: str) -> PayoutDetails:
    """The payout details as stored; ``DomainError`` saying what is wrong otherwise."""
    digits = _digits(text)
    if method == PayoutMethod.BANKGIRO:
        if len(digits) not in (7, 8):
            raise DomainError(
                _l("Ett bankgironummer har 7 eller 8 siffror, till exempel 5678-1230."),
                field="payout_number",
            )
        if not luhn.is_valid(digits):
            raise DomainError(
                _l("Bankgironumret stämmer inte: kontrollsiffran (den sista) är fel."),
                field="payout_number",
            )
        return PayoutDetails(method, f"{digits[:-4]}-{digits[-4:]}")
    if method == PayoutMethod.PLUSGIRO:
        if not 2 <= len(digits) <= 8:
            raise DomainError(
                _l("Ett plusgironummer har 2 till 8 siffror, till exempel 123 45 67-4."),
                field="payout_number",
            )
        if not luhn.is_valid(digits):
            raise DomainError(
                _l("Plusgironumret stämmer inte: kontrollsiffran (den sista) är fel."),
                field="payout_number",
            )
        return PayoutDetails(method, f"{digits[:-1]}-{digits[-1]}")
    return _bank_account(digits)


def _bank_account(digits: str) -> PayoutDetails:
    if len(digits) < 6:
        raise DomainError(
            _l("Skriv clearingnumret (fyra siffror, hos Swedbank ibland fem) och kontonumret."),
            field="payout_number",
        )
    clearing_four = int(digits[:4])
    bank = next((r for r in BANK_RANGES if r.first <= clearing_four <= r.last), None)
    if bank is None:
        raise DomainError(
            _l(
                "Clearingnumret %(clearing)s finns inte hos någon svensk bank. Kontrollera numret.",
                clearing=digits[:4],
            ),
            field="payout_number",
        )
    # Swedbank's 8-series clearing numbers have a fifth digit (itself checked by mod 10).
    clearing_length = 5 if bank.first == 8000 else 4
    clearing, account = digits[:clearing_length], digits[clearing_length:]
    if clearing_length == 5 and not luhn.is_valid(clearing):
        raise DomainError(
            _l("Clearingnumret stämmer inte (den femte siffran är fel)."), field="payout_number"
        )
    if len(account) not in bank.account_digits:
        raise DomainError(
            _l(
                "Ett konto hos %(bank)s har %(lengths)s siffror efter clearingnumret.",
                bank=bank.bank,
                lengths=" eller ".join(str(n) for n in bank.account_digits),
            ),
            field="payout_number",
        )
    valid = {
        "mod11_clearing": lambda: _mod11(clearing[-3:] + account),
        "mod11_account_full": lambda: _mod11(clearing + account),
        "mod11_account": lambda: _mod11(account),
        "mod10_account": lambda: luhn.is_valid(account),
    }[bank.check]()
    if not valid:
        raise DomainError(
            _l(
                "Kontonumret stämmer inte: kontrollsiffran är fel. Kontrollera "
                "clearing- och kontonumret."
            ),
            field="payout_number",
        )
    return PayoutDetails(PayoutMethod.BANK_ACCOUNT, f"{clearing} {account}", bank.bank)
