"""Invoices as CSV for the accountant: one row per invoice line, the way GST returns and Tally imports read
them (a rate, an HSN and its taxable value per row), with the invoice's totals and what is still owed."""

from __future__ import annotations

import csv
import uuid
from collections.abc import Iterator
from datetime import date
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.money import paise_to_rupees
from modules.customers.models import Customer
from modules.invoicing.gst import STATE_NAMES
from modules.invoicing.models import Invoice, InvoiceLine, InvoiceStatus
from modules.invoicing.repository import paid_by_invoice

COLUMNS = (
    "invoice_number",
    "invoice_date",
    "financial_year",
    "status",
    "customer",
    "customer_gstin",
    "place_of_supply",
    "hsn_sac",
    "description",
    "quantity",
    "unit",
    "unit_price",
    "gst_rate",
    "taxable_value",
    "cgst",
    "sgst",
    "igst",
    "line_total",
    "round_off",
    "invoice_total",
    "paid",
    "balance",
    "due_date",
)


def export_invoices(
    session: Session,
    out: TextIO,
    *,
    business_id: uuid.UUID,
    start: date | None = None,
    end: date | None = None,
) -> int:
    """Write the business's invoices issued between `start` and `end` (inclusive) as CSV, oldest first;
    drafts are left out (they are not invoices yet), cancelled ones stay in with their status. Returns
    how many invoices were written. Amounts are rupees with two decimals, exactly as stored in paise."""
    invoices = _invoices(session, business_id=business_id, start=start, end=end)
    paid = paid_by_invoice(session, business_id=business_id, invoice_ids=[i.id for i, _ in invoices])
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for invoice, customer in invoices:
        for line in invoice.lines:
            writer.writerow(_row(invoice, customer, line, paid.get(invoice.id, 0)))
    return len(invoices)


def _invoices(
    session: Session, *, business_id: uuid.UUID, start: date | None, end: date | None
) -> list[tuple[Invoice, Customer]]:
    query = (
        select(Invoice, Customer)
        .join(Customer, Customer.id == Invoice.customer_id)
        .where(Invoice.business_id == business_id, Invoice.status != InvoiceStatus.DRAFT)
        .order_by(Invoice.issue_date, Invoice.number)
    )
    if start is not None:
        query = query.where(Invoice.issue_date >= start)
    if end is not None:
        query = query.where(Invoice.issue_date <= end)
    return [(invoice, customer) for invoice, customer in session.execute(query)]


def _row(invoice: Invoice, customer: Customer, line: InvoiceLine, paid_paise: int) -> Iterator[str]:
    balance = 0 if invoice.status is InvoiceStatus.CANCELLED else invoice.total_paise - paid_paise
    values: tuple[object, ...] = (
        invoice.number,
        invoice.issue_date.isoformat(),
        invoice.financial_year,
        invoice.status,
        customer.name,
        customer.gstin or "",
        f"{invoice.place_of_supply}-{STATE_NAMES.get(invoice.place_of_supply, '')}",
        line.hsn_sac or "",
        line.description,
        f"{line.quantity.normalize():f}",
        line.unit,
        paise_to_rupees(line.unit_price_paise),
        f"{line.gst_rate.normalize():f}",
        paise_to_rupees(line.taxable_paise),
        paise_to_rupees(line.cgst_paise),
        paise_to_rupees(line.sgst_paise),
        paise_to_rupees(line.igst_paise),
        paise_to_rupees(line.total_paise),
        paise_to_rupees(invoice.round_off_paise),
        paise_to_rupees(invoice.total_paise),
        paise_to_rupees(paid_paise),
        paise_to_rupees(balance),
        invoice.due_date.isoformat(),
    )
    return (str(value) for value in values)
