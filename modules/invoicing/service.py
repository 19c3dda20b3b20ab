"""Creating invoices with correct GST, and moving them through their life: draft → sent → paid, or
cancelled with a credit note."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from bot.db import Database
from bot.errors import DuplicateInvoiceNumber, InvalidAmount, InvalidInvoice, InvoiceCancelled
from bot.validation import require_name
from modules.business.repository import get_business
from modules.customers.repository import get_customer, lock_customer
from modules.invoicing.models import CreditNote, Document, Invoice, InvoiceLine, InvoiceStatus
from modules.invoicing.numbering import (
    CREDIT_NOTE_SERIES,
    financial_year,
    next_number,
    number_taken,
    validate_number,
)
from modules.invoicing.repository import get_invoice
from modules.invoicing.tax import LineAmounts, compute_line, round_off
from modules.payments.repository import release_allocations

MAX_LINES = 100
MAX_UNIT_PRICE_PAISE = 10**13  # ₹1,000 crore a unit: anything above is a typo
_HSN_SAC = re.compile(r"^\d{4}(\d{2})?(\d{2})?$")


@dataclass(frozen=True)
class LineInput:
    description: str
    quantity: Decimal
    unit_price_paise: int
    gst_rate: Decimal  # percent
    hsn_sac: str | None = None
    unit: str = "nos"
    # The weight the price was said per when the quantity is not in it ("20 bag ... 65 per kilo"): the
    # checks question it; an invoice never stores it.
    price_unit: str | None = None


def amounts_of(line: LineInput, *, intra_state: bool) -> LineAmounts:
    """The line's taxable value and taxes, as the invoice will carry them."""
    return compute_line(
        quantity=line.quantity,
        unit_price_paise=line.unit_price_paise,
        gst_rate=line.gst_rate,
        intra_state=intra_state,
    )


def create_invoice(
    db: Database,
    *,
    business_id: uuid.UUID,
    customer_id: uuid.UUID,
    lines: Sequence[LineInput],
    issue_date: date,
    due_date: date | None = None,
    number: str | None = None,
    status: InvoiceStatus = InvoiceStatus.DRAFT,
    notes: str = "",
) -> Invoice:
    """Compute the GST of every line and store the invoice with the next number of its financial year.

    Tax is CGST + SGST when the customer's state (the place of supply) is the business's, IGST otherwise.
    Due date defaults to issue date + the customer's credit days.

    Raises:
        UnknownBusiness, UnknownCustomer; InvalidInvoice, InvalidQuantity, InvalidAmount, InvalidGstRate;
        DuplicateInvoiceNumber: `number` is already used in that financial year.
    """
    if not lines or len(lines) > MAX_LINES:
        raise InvalidInvoice(f"an invoice needs 1-{MAX_LINES} lines", field="lines")
    if status not in (InvoiceStatus.DRAFT, InvoiceStatus.SENT):
        raise InvalidInvoice(f"a new invoice is a draft or sent, not {status}", field="status")
    year = financial_year(issue_date)
    with db.transaction() as session:
        business = get_business(session, business_id)
        customer = get_customer(session, business_id=business_id, customer_id=customer_id)
        due = due_date or issue_date + timedelta(days=customer.credit_days)
        if due < issue_date:
            raise InvalidInvoice("the due date is before the issue date", field="due_date")
        intra_state = customer.state_code == business.state_code
        invoice_lines = [_line(business_id, i, line, intra_state) for i, line in enumerate(lines, start=1)]
        if number is None:
            number = next_number(
                session,
                business_id=business_id,
                series=business.invoice_series,
                prefix=business.invoice_prefix,
                year=year,
            )
        else:
            number = validate_number(number)
            if number_taken(session, business_id=business_id, financial_year=year, number=number):
                raise DuplicateInvoiceNumber(
                    f"invoice {number} already exists in FY {year}", number=number, financial_year=year
                )
        lines_total = sum(line.total_paise for line in invoice_lines)
        invoice = Invoice(
            business_id=business_id,
            customer_id=customer_id,
            number=number,
            financial_year=year,
            issue_date=issue_date,
            due_date=due,
            place_of_supply=customer.state_code,
            status=status,
            taxable_paise=sum(line.taxable_paise for line in invoice_lines),
            cgst_paise=sum(line.cgst_paise for line in invoice_lines),
            sgst_paise=sum(line.sgst_paise for line in invoice_lines),
            igst_paise=sum(line.igst_paise for line in invoice_lines),
            round_off_paise=round_off(lines_total),
            total_paise=lines_total + round_off(lines_total),
            notes=notes.strip()[:500],
            lines=invoice_lines,
        )
        session.add(invoice)
        session.flush()
    return invoice


def mark_sent(db: Database, *, business_id: uuid.UUID, invoice_id: uuid.UUID) -> Invoice:
    """A draft has gone to the customer. Raises: UnknownInvoice, InvalidInvoice (not a draft)."""
    with db.transaction() as session:
        invoice = get_invoice(session, business_id=business_id, invoice_id=invoice_id)
        if invoice.status is not InvoiceStatus.DRAFT:
            raise InvalidInvoice(f"invoice {invoice.number} is {invoice.status}, not a draft", field="status")
        invoice.status = InvoiceStatus.SENT
    return invoice


@dataclass(frozen=True)
class Cancellation:
    invoice: Invoice
    credit_note: CreditNote | None  # None for a draft: it was never issued
    released_paise: int  # payments that were applied to it, now the customer's credit


def cancel_invoice(
    db: Database, *, business_id: uuid.UUID, invoice_id: uuid.UUID, today: date, reason: str = ""
) -> Cancellation:
    """Cancel an invoice. Its number stays used; an issued one gets a credit note for its full value, dated
    `today` (the law lets no issued invoice be deleted). Money already applied to it is released to the
    customer's credit, for their next bill or a refund.

    Raises: UnknownInvoice; InvoiceCancelled: it already is.
    """
    with db.transaction() as session:
        invoice = get_invoice(session, business_id=business_id, invoice_id=invoice_id)
        lock_customer(session, business_id=business_id, customer_id=invoice.customer_id)  # no payment mid-way
        if invoice.status is InvoiceStatus.CANCELLED:
            raise InvoiceCancelled(f"invoice {invoice.number} is already cancelled", number=invoice.number)
        released = release_allocations(session, business_id=business_id, invoice_id=invoice.id)
        credit_note = None
        if invoice.status is not InvoiceStatus.DRAFT:
            credit_note = _credit_note(session, invoice, today=max(today, invoice.issue_date), reason=reason)
        invoice.status = InvoiceStatus.CANCELLED
        session.flush()
    return Cancellation(invoice=invoice, credit_note=credit_note, released_paise=released)


def _credit_note(session: Session, invoice: Invoice, *, today: date, reason: str) -> CreditNote:
    year = financial_year(today)
    number = next_number(
        session,
        business_id=invoice.business_id,
        series=CREDIT_NOTE_SERIES,
        prefix="CN",
        year=year,
        document=Document.CREDIT_NOTE,
    )
    credit_note = CreditNote(
        business_id=invoice.business_id,
        invoice_id=invoice.id,
        customer_id=invoice.customer_id,
        number=number,
        financial_year=year,
        issue_date=today,
        reason=reason.strip()[:200],
        taxable_paise=invoice.taxable_paise,
        cgst_paise=invoice.cgst_paise,
        sgst_paise=invoice.sgst_paise,
        igst_paise=invoice.igst_paise,
        round_off_paise=invoice.round_off_paise,
        total_paise=invoice.total_paise,
    )
    session.add(credit_note)
    return credit_note


def settle_status(invoice: Invoice, paid_paise: int) -> None:
    """Set the status that the money applied so far implies. A dispute stays open until fully paid."""
    if invoice.status in (InvoiceStatus.DRAFT, InvoiceStatus.CANCELLED):
        return
    if paid_paise >= invoice.total_paise:
        invoice.status = InvoiceStatus.PAID
    elif invoice.status is not InvoiceStatus.DISPUTED:
        invoice.status = InvoiceStatus.PARTIALLY_PAID if paid_paise > 0 else InvoiceStatus.SENT


def _line(business_id: uuid.UUID, position: int, line: LineInput, intra_state: bool) -> InvoiceLine:
    if not 0 < line.unit_price_paise <= MAX_UNIT_PRICE_PAISE:
        raise InvalidAmount(
            f"unit price must be positive, got {line.unit_price_paise} paise",
            amount=str(line.unit_price_paise),
        )
    hsn = line.hsn_sac.strip() if line.hsn_sac else None
    if hsn is not None and not _HSN_SAC.match(hsn):
        raise InvalidInvoice(f"HSN/SAC {hsn!r} must be 4, 6 or 8 digits", field="hsn_sac")
    amounts = amounts_of(line, intra_state=intra_state)
    return InvoiceLine(
        business_id=business_id,
        position=position,
        description=require_name(line.description, "item description", max_length=300),
        hsn_sac=hsn,
        quantity=line.quantity,
        unit=require_name(line.unit, "unit", max_length=20),
        unit_price_paise=line.unit_price_paise,
        gst_rate=line.gst_rate,
        taxable_paise=amounts.taxable_paise,
        cgst_paise=amounts.cgst_paise,
        sgst_paise=amounts.sgst_paise,
        igst_paise=amounts.igst_paise,
        total_paise=amounts.total_paise,
    )
