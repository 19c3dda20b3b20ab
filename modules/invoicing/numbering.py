"""Invoice numbers: one consecutive series per business and financial year (April to March).

Rule 46(b) of the CGST Rules: at most 16 characters of letters, digits, '-' and '/', unique within the
financial year. The default form `INV-2026-27-0001` is exactly 16 characters.
"""

from __future__ import annotations

import re
import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.errors import InvalidInvoice
from modules.invoicing.models import InvoiceCounter
from modules.invoicing.repository import number_taken

MAX_NUMBER_LENGTH = 16
_NUMBER = re.compile(r"^[A-Za-z0-9/-]{1,16}$")


def financial_year(day: date) -> str:
    """2026-11-28 → "2026-27"; 2027-03-31 → "2026-27"; 2027-04-01 → "2027-28"."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def format_number(prefix: str, year: str, sequence: int) -> str:
    return f"{prefix}-{year}-{sequence:04d}"


def validate_number(raw: str) -> str:
    """An invoice number the owner chose. Raises: InvalidInvoice."""
    number = raw.strip()
    if not _NUMBER.match(number):
        raise InvalidInvoice(
            f"invoice number {raw[:30]!r}: up to 16 letters, digits, '-' or '/'", field="number"
        )
    return number


def next_number(session: Session, *, business_id: uuid.UUID, prefix: str, year: str) -> str:
    """Take the next free number of the series.

    The counter row is locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite transactions here are
    IMMEDIATE, so writers already queue), so two invoices created at once never share a number.
    Numbers the owner typed by hand are skipped.
    """
    counter = _locked_counter(session, business_id=business_id, year=year)
    while True:
        counter.last_sequence += 1
        number = format_number(prefix, year, counter.last_sequence)
        if not number_taken(session, business_id=business_id, financial_year=year, number=number):
            session.flush()
            return number


def _locked_counter(session: Session, *, business_id: uuid.UUID, year: str) -> InvoiceCounter:
    query = (
        select(InvoiceCounter)
        .where(InvoiceCounter.business_id == business_id, InvoiceCounter.financial_year == year)
        .with_for_update()
    )
    counter = session.scalars(query).one_or_none()
    if counter is not None:
        return counter
    # First invoice of the year. If another transaction inserts the row first, the unique key makes this
    # insert fail inside its savepoint and we lock theirs instead.
    try:
        with session.begin_nested():
            counter = InvoiceCounter(business_id=business_id, financial_year=year, last_sequence=0)
            session.add(counter)
        return counter
    except IntegrityError:
        return session.scalars(query).one()
