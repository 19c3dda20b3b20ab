"""Invoice numbers: one consecutive series per business and financial year (April to March).

Rule 46(b) of the CGST Rules: at most 16 characters of letters, digits, '-' and '/', unique within the
financial year. Each business chooses the form of its series (`business.invoice_series`), from its prefix,
the financial year and the sequence number: the default `{prefix}-{fy}-{n:04}` gives `INV-2026-27-0001`,
exactly 16 characters; `{prefix}/{fy2}/{n:03}` gives `GC/26-27/001`. Credit notes (Rule 53 asks the same
of them) have a series of their own: `CN-2026-27-0001`.
"""

from __future__ import annotations

import re
import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.errors import InvalidInvoice
from modules.invoicing.models import CreditNote, Document, Invoice, InvoiceCounter

MAX_NUMBER_LENGTH = 16
DEFAULT_SERIES = "{prefix}-{fy}-{n:04}"
CREDIT_NOTE_SERIES = "CN-{fy}-{n:04}"
# The first character is a letter or digit (as GST portals and accounting tools validate it).
_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/-]{0,15}$")
# The sequence a series is checked with: the default form has room for 9,999 invoices a year in 16
# characters; a business that issues more chooses a series with a shorter year or prefix.
_LONGEST_SEQUENCE = 9_999


def financial_year(day: date) -> str:
    """2026-11-28 → "2026-27"; 2027-03-31 → "2026-27"; 2027-04-01 → "2027-28"."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def format_number(series: str, *, prefix: str, year: str, sequence: int) -> str:
    """The number of `sequence` in a series: {prefix}, {fy} (2026-27), {fy2} (26-27) and {n} (with a width,
    {n:04}) stand for themselves."""
    short_year = f"{year[2:4]}-{year[5:7]}"
    return series.format(prefix=prefix, fy=year, fy2=short_year, n=sequence)


def validate_series(series: str, *, prefix: str) -> str:
    """A series format that gives Rule 46 numbers, checked with the longest year and sequence it may meet.

    Raises: InvalidInvoice.
    """
    series = series.strip()
    try:
        longest = format_number(series, prefix=prefix, year="2099-00", sequence=_LONGEST_SEQUENCE)
        first = format_number(series, prefix=prefix, year="2026-27", sequence=1)
    except (KeyError, ValueError, IndexError) as error:
        raise InvalidInvoice(f"invoice series {series!r}: {error}", field="invoice_series") from error
    if "{n" not in series or not _NUMBER.match(longest) or not _NUMBER.match(first):
        raise InvalidInvoice(
            f"invoice series {series!r} gives {longest!r}: up to 16 letters, digits, '-' or '/', with {{n}}",
            field="invoice_series",
        )
    return series


def validate_number(raw: str) -> str:
    """An invoice number the owner chose. Raises: InvalidInvoice."""
    number = raw.strip()
    if not _NUMBER.match(number):
        raise InvalidInvoice(
            f"invoice number {raw[:30]!r}: up to 16 letters, digits, '-' or '/'", field="number"
        )
    return number


def next_number(
    session: Session,
    *,
    business_id: uuid.UUID,
    series: str,
    prefix: str,
    year: str,
    document: Document = Document.INVOICE,
) -> str:
    """Take the next free number of the document's series.

    The counter row is locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite transactions here are
    IMMEDIATE, so writers already queue), so two documents created at once never share a number.
    Numbers the owner typed by hand are skipped.
    """
    counter = _locked_counter(session, business_id=business_id, year=year, document=document)
    while True:
        counter.last_sequence += 1
        number = format_number(series, prefix=prefix, year=year, sequence=counter.last_sequence)
        if len(number) > MAX_NUMBER_LENGTH:
            raise InvalidInvoice(
                f"{document} series {series!r} is full for {year}: choose one with room for more",
                field="number",
            )
        taken = number_taken(
            session, business_id=business_id, financial_year=year, number=number, document=document
        )
        if not taken:
            session.flush()
            return number


def upcoming_number(session: Session, *, business_id: uuid.UUID, series: str, prefix: str, year: str) -> str:
    """The number the year's next invoice will get, to show before choosing a series; nothing is taken."""
    last = session.scalar(
        select(InvoiceCounter.last_sequence).where(
            InvoiceCounter.business_id == business_id,
            InvoiceCounter.document == Document.INVOICE,
            InvoiceCounter.financial_year == year,
        )
    )
    sequence = (last or 0) + 1
    while True:
        number = format_number(series, prefix=prefix, year=year, sequence=sequence)
        if not number_taken(session, business_id=business_id, financial_year=year, number=number):
            return number
        sequence += 1


def number_taken(
    session: Session,
    *,
    business_id: uuid.UUID,
    financial_year: str,
    number: str,
    document: Document = Document.INVOICE,
) -> bool:
    table = Invoice if document is Document.INVOICE else CreditNote
    query = select(table.id).where(
        table.business_id == business_id, table.financial_year == financial_year, table.number == number
    )
    return session.scalar(query) is not None


def _locked_counter(
    session: Session, *, business_id: uuid.UUID, year: str, document: Document
) -> InvoiceCounter:
    query = (
        select(InvoiceCounter)
        .where(
            InvoiceCounter.business_id == business_id,
            InvoiceCounter.document == document,
            InvoiceCounter.financial_year == year,
        )
        .with_for_update()
    )
    counter = session.scalars(query).one_or_none()
    if counter is not None:
        return counter
    # First invoice of the year. If another transaction inserts the row first, the unique key makes this
    # insert fail inside its savepoint and we lock theirs instead.
    try:
        with session.begin_nested():
            counter = InvoiceCounter(
                business_id=business_id, document=document, financial_year=year, last_sequence=0
            )
            session.add(counter)
        return counter
    except IntegrityError:
        return session.scalars(query).one()
