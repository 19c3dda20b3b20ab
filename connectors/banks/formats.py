"""How Indian bank statements are written: the layouts we know (each a ColumnMapping), how a bank names
itself above the header row, and how dates, amounts and Cr/Dr indicators are written in the cells.

The layouts were written from public descriptions of each bank's net-banking export, not from real
downloads: a bank's real file may differ, and a ColumnMapping of its own (bank "generic") is the fallback.
Adding a bank is one `BankFormat` line here, its name in `BANK_NAMES`, a sample file and a test.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from bot.errors import InvalidInput

Cell = str | int | float | date | None  # what a CSV (str) or an XLSX cell (also numbers, datetimes) holds

PAISA = Decimal("0.01")
# "Nov", "NOV", "November", "Sept": a month name is known by its first three letters.
MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
TIME_OF_DAY = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp][Mm])?)?"  # some exports add the time
DAY_FIRST_DATE = re.compile(r"(\d{1,2})[-/. ]([A-Za-z]{3,9}|\d{1,2})[-/. ](\d{4}|\d{2})" + TIME_OF_DAY)
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + TIME_OF_DAY)
MONEY = re.compile(
    r"(?P<sign>[-+])?(?:₹|rs\.?|inr)?(?P<number>\d[\d,]*(?:\.\d*)?|\.\d+)(?P<side>cr|dr)?\.?", re.IGNORECASE
)
CREDIT_WORDS = frozenset({"cr", "c", "credit"})
DEBIT_WORDS = frozenset({"dr", "d", "debit"})


class UnreadableCell(ValueError):
    """A cell of a transaction row that can't be read as what its column holds."""


def header_key(text: str) -> str:
    """`Withdrawal Amount (INR )` → `withdrawalamountinr`: how header names are compared."""
    return "".join(char for char in text.casefold() if char.isalnum())


@dataclass(frozen=True)
class ColumnMapping:
    """Which header names hold each field of a line. Names match ignoring case, spaces and punctuation.

    Money comes either from `credit` and/or `debit` columns, or from one `amount` column whose direction is
    the `indicator` column beside it ("Cr"/"Dr"), else a "Cr"/"Dr" after the number, else its sign.
    An indicator is read from the first column of that name to the right of the column it qualifies,
    so a layout may repeat a name (Kotak: "Amount, Dr / Cr, Balance, Dr / Cr").
    `date_format` is a `strptime` format; without it the common Indian day-first forms are tried.
    """

    date: str
    narration: str
    reference: str | None = None
    credit: str | None = None
    debit: str | None = None
    amount: str | None = None
    indicator: str | None = None
    balance: str | None = None
    balance_indicator: str | None = None
    date_format: str | None = None

    def __post_init__(self) -> None:
        has_split_columns = self.credit is not None or self.debit is not None
        if has_split_columns == (self.amount is not None):
            raise InvalidInput("a mapping needs credit/debit columns or one amount column", field="mapping")
        if self.indicator is not None and self.amount is None:
            raise InvalidInput("a Cr/Dr indicator column qualifies an amount column", field="mapping")
        if self.balance_indicator is not None and self.balance is None:
            raise InvalidInput("a balance indicator column qualifies a balance column", field="mapping")
        if not all(header_key(name) for name in self.column_names()):  # "" or "-" would match blank cells
            raise InvalidInput("a mapped column name needs a letter or digit", field="mapping")

    def column_names(self) -> tuple[str, ...]:
        """Every header name this mapping needs, in the order of the fields."""
        names = (
            self.date,
            self.narration,
            self.reference,
            self.credit,
            self.debit,
            self.amount,
            self.indicator,
            self.balance,
            self.balance_indicator,
        )
        return tuple(name for name in names if name is not None)


@dataclass(frozen=True)
class BankFormat:
    """One bank's export layout: a file is this format when one row holds all of the mapping's names."""

    bank: str
    mapping: ColumnMapping


KNOWN_FORMATS: tuple[BankFormat, ...] = (
    BankFormat(
        "hdfc",
        ColumnMapping(
            date="Date",
            narration="Narration",
            reference="Chq./Ref.No.",
            debit="Withdrawal Amt.",
            credit="Deposit Amt.",
            balance="Closing Balance",
        ),
    ),
    # HDFC's "Delimited" (.txt) download names the same columns differently.
    BankFormat(
        "hdfc",
        ColumnMapping(
            date="Date",
            narration="Narration",
            reference="Chq/Ref Number",
            debit="Debit Amount",
            credit="Credit Amount",
            balance="Closing Balance",
        ),
    ),
    BankFormat(
        "icici",
        ColumnMapping(
            date="Transaction Date",
            narration="Transaction Remarks",
            reference="Cheque Number",
            debit="Withdrawal Amount (INR )",
            credit="Deposit Amount (INR )",
            balance="Balance (INR )",
        ),
    ),
    # Some ICICI exports give one amount and its direction instead of two money columns.
    BankFormat(
        "icici",
        ColumnMapping(
            date="Transaction Date",
            narration="Transaction Remarks",
            reference="Cheque Number",
            amount="Transaction Amount (INR )",
            indicator="Cr/Dr",
            balance="Balance (INR )",
        ),
    ),
    BankFormat(
        "sbi",
        ColumnMapping(
            date="Txn Date",
            narration="Description",
            reference="Ref No./Cheque No.",
            debit="Debit",
            credit="Credit",
            balance="Balance",
        ),
    ),
    BankFormat(
        "axis",
        ColumnMapping(
            date="Tran Date",
            narration="PARTICULARS",
            reference="CHQNO",
            debit="DR",
            credit="CR",
            balance="BAL",
        ),
    ),
    BankFormat(
        "kotak",
        ColumnMapping(
            date="Transaction Date",
            narration="Description",
            reference="Chq / Ref No.",
            amount="Amount",
            indicator="Dr / Cr",
            balance="Balance",
            balance_indicator="Dr / Cr",
        ),
    ),
)

# How each bank names itself in the rows above the header (its letterhead). Only the name counts: an IFSC
# code such as "HDFC0001234" in a customer's address block says nothing about whose statement it is.
BANK_NAMES: dict[str, tuple[str, re.Pattern[str]]] = {
    "hdfc": ("HDFC Bank", re.compile(r"\bhdfc\s+bank\b", re.IGNORECASE)),
    "icici": ("ICICI Bank", re.compile(r"\bicici\s+bank\b", re.IGNORECASE)),
    "sbi": ("State Bank of India", re.compile(r"\bstate\s+bank\s+of\s+india\b|\bsbi\b", re.IGNORECASE)),
    "axis": ("Axis Bank", re.compile(r"\baxis\s+bank\b", re.IGNORECASE)),
    "kotak": ("Kotak Mahindra Bank", re.compile(r"\bkotak\b", re.IGNORECASE)),
}


def bank_named_in(texts: Iterable[str]) -> str | None:
    """The first known bank whose name appears in `texts` (preamble rows, joined), if any."""
    for text in texts:
        for bank, (_, pattern) in BANK_NAMES.items():
            if pattern.search(text):
                return bank
    return None


def bank_display_name(bank: str) -> str:
    """`hdfc` → `HDFC Bank`, for messages."""
    return BANK_NAMES[bank][0]


def cell_text(cell: Cell) -> str:
    """A cell as text, whitespace collapsed; a whole-number XLSX cell (a cheque number) without ".0"."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return " ".join(str(cell).split())


def has_content(cell: Cell) -> bool:
    """False for an empty cell and for a rule drawn with "*****" or "-----"."""
    return cell is not None and (not isinstance(cell, str) or any(char.isalnum() for char in cell))


def parse_day(cell: Cell, date_format: str | None = None) -> date | None:
    """The cell's date (an XLSX date cell, or text in `date_format` or a common Indian form), or None where
    it holds none: a footer, a legend, an opening balance row."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if not isinstance(cell, str):
        return None
    text = cell.strip()
    if date_format is None:
        return parse_indian_date(text)
    try:
        return datetime.strptime(text, date_format).date()  # noqa: DTZ007 - a calendar day, no instant
    except ValueError:
        return None


def parse_indian_date(text: str) -> date | None:
    """`28/11/26`, `28-11-2026`, `28 Nov 2026`, `28-Nov-2026` (day first, as Indian banks write it), or
    ISO `2026-11-28`; a time after the date is ignored. None if `text` is no such date."""
    if match := ISO_DATE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := DAY_FIRST_DATE.fullmatch(text):
        day_text, month_text, year_text = match.groups()
        month_or_none = int(month_text) if month_text.isdigit() else MONTHS.get(month_text[:3].casefold())
        if month_or_none is None:
            return None
        day, month = int(day_text), month_or_none
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:  # 31/02, 28/13
        return None


def parse_money(cell: Cell) -> tuple[int, str | None] | None:
    """Signed paise and the "cr"/"dr" written after the number, or None for an empty cell ("", "-").

    `1,23,456.78` → 12345678; `1,23,456.00 Cr` → (12345600, "cr"). XLSX numbers are rounded to the paisa:
    a balance Excel computed can be 1234.5600000000002. Text is exact: a third decimal is an error.

    Raises:
        UnreadableCell: not an amount.
    """
    if cell is None:
        return None
    if isinstance(cell, int | float) and not isinstance(cell, bool):  # a TRUE cell is read as text: wrong
        number = Decimal(str(cell))
        if not number.is_finite():
            raise UnreadableCell(f"{cell!r} is not an amount")
        return int(number.quantize(PAISA, ROUND_HALF_UP) * 100), None
    text = "".join(str(cell).split())
    if not text.strip("-"):
        return None
    match = MONEY.fullmatch(text)
    if match is None:
        raise UnreadableCell(f"{cell_text(cell)!r} is not an amount")
    number = Decimal(match["number"].replace(",", ""))
    if number != number.quantize(PAISA):
        raise UnreadableCell(f"{cell_text(cell)!r} has more than two decimals")
    paise = int(number * 100)
    side = match["side"].casefold() if match["side"] else None
    return (-paise if match["sign"] == "-" else paise), side


def parse_side(cell: Cell) -> str:
    """ "cr" or "dr" from an indicator column ("Cr", "DR", "C", "Debit").

    Raises:
        UnreadableCell: neither.
    """
    word = header_key(cell_text(cell))
    if word in CREDIT_WORDS:
        return "cr"
    if word in DEBIT_WORDS:
        return "dr"
    raise UnreadableCell(f"{cell_text(cell)!r} is neither Cr nor Dr")
