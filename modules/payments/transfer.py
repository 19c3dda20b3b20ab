"""The business's bank account, for payers who send money by bank transfer (NEFT, RTGS, IMPS): offered
for amounts above what UPI carries, to customers who pay that way, on the payment page and on invoices."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.errors import InvalidInput
from bot.validation import require_name
from modules.business.models import Business

# RBI's IFSC: four letters for the bank, a zero kept for future use, six characters for the branch.
_IFSC = re.compile(r"^[A-Z]{4}0[A-Z0-9]{6}$")
# Indian bank account numbers run from 9 to 18 digits.
_ACCOUNT_NUMBER = re.compile(r"^\d{9,18}$")


@dataclass(frozen=True)
class BankAccount:
    holder: str  # the name the account is in: payers' banks check it against the number
    number: str
    ifsc: str
    bank: str | None = None  # "HDFC Bank, Shivaji Nagar": shown if given, never needed to pay

    @property
    def masked_number(self) -> str:
        """For the owner's own screens and logs: XXXXXX5678."""
        return "X" * (len(self.number) - 4) + self.number[-4:]


def bank_account(*, holder: str, number: str, ifsc: str, bank: str | None = None) -> BankAccount:
    """A validated account: `50100 01234 5678` and `hdfc0001234` become 50100012345678 and HDFC0001234.

    Raises: InvalidInput (a name missing, or a number or IFSC of the wrong form).
    """
    digits = re.sub(r"[\s-]+", "", number)
    if not _ACCOUNT_NUMBER.match(digits):
        raise InvalidInput(
            f"bank account number {number[:30]!r}: 9 to 18 digits", field="bank_account_number"
        )
    code = ifsc.strip().upper()
    if not _IFSC.match(code):
        raise InvalidInput(f"IFSC {ifsc[:20]!r}: like HDFC0001234", field="bank_ifsc")
    return BankAccount(
        holder=require_name(holder, "account holder", max_length=120),
        number=digits,
        ifsc=code,
        bank=bank.strip()[:80] if bank and bank.strip() else None,
    )


def account_of(business: Business) -> BankAccount | None:
    if not (business.bank_account_number and business.bank_ifsc):
        return None
    return BankAccount(
        holder=business.bank_account_name or business.legal_name,
        number=business.bank_account_number,
        ifsc=business.bank_ifsc,
        bank=business.bank_name,
    )
