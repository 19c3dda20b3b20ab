"""Read-only queries over a business's past invoices, for the checks made before a new one goes out.

Every query filters by business_id and loads what a check needs in one round trip (lines come with their
invoices through the relationship's select-in load), never one query per past invoice. Never commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from modules.invoicing.models import Invoice, InvoiceLine, InvoiceStatus

# Invoices that went to the customer: a draft may still be a typo and a cancelled one never happened, so
# neither is evidence of turnover or of what a customer usually pays.
ISSUED_STATUSES = (
    InvoiceStatus.SENT,
    InvoiceStatus.PARTIALLY_PAID,
    InvoiceStatus.PAID,
    InvoiceStatus.DISPUTED,
)
# Enough recent lines to find a usual price for a few items across all customers; a rarely sold item
# crowded out by a popular one only goes unchecked, it is never flagged wrongly.
BUSINESS_PRICES_LIMIT = 2000


@dataclass(frozen=True)
class PastPrice:
    """The unit price of one line of an issued invoice."""

    issue_date: date
    description: str
    hsn_sac: str | None
    unit_price_paise: int


def item_name(description: str) -> str:
    """The form two descriptions of one item share: single-spaced, lower case (as SQL's lower() makes it)."""
    return " ".join(description.split()).lower()


def invoiced_taxable(session: Session, *, business_id: uuid.UUID, financial_year: str) -> int:
    """Taxable value in paise of the business's issued invoices of one financial year ("2025-26")."""
    total = session.scalar(
        select(func.coalesce(func.sum(Invoice.taxable_paise), 0)).where(
            Invoice.business_id == business_id,
            Invoice.financial_year == financial_year,
            Invoice.status.in_(ISSUED_STATUSES),
        )
    )
    return int(total or 0)


def customer_invoices(
    session: Session,
    *,
    business_id: uuid.UUID,
    customer_id: uuid.UUID,
    issued_from: date,
    issued_to: date,
    exclude_invoice_id: uuid.UUID | None = None,
) -> list[Invoice]:
    """A customer's invoices dated in [issued_from, issued_to], drafts included, cancelled ones not.

    Newest first, with their lines. `exclude_invoice_id` leaves out the invoice being re-checked.
    """
    query = select(Invoice).where(
        Invoice.business_id == business_id,
        Invoice.customer_id == customer_id,
        Invoice.status != InvoiceStatus.CANCELLED,
        Invoice.issue_date >= issued_from,
        Invoice.issue_date <= issued_to,
    )
    if exclude_invoice_id is not None:
        query = query.where(Invoice.id != exclude_invoice_id)
    return list(session.scalars(query.order_by(Invoice.issue_date.desc(), Invoice.number.desc())))


def business_prices(
    session: Session,
    *,
    business_id: uuid.UUID,
    hsn_codes: Collection[str],
    item_names: Collection[str],
    issued_from: date,
    issued_to: date,
    exclude_invoice_id: uuid.UUID | None = None,
) -> list[PastPrice]:
    """Unit prices, across all customers, of issued lines with one of these HSN codes or item names.

    Newest first, at most BUSINESS_PRICES_LIMIT. `item_names` are in the form `item_name` gives.
    """
    if not hsn_codes and not item_names:
        return []
    query = (
        select(Invoice.issue_date, InvoiceLine.description, InvoiceLine.hsn_sac, InvoiceLine.unit_price_paise)
        .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
        .where(
            InvoiceLine.business_id == business_id,
            Invoice.business_id == business_id,
            Invoice.status.in_(ISSUED_STATUSES),
            Invoice.issue_date >= issued_from,
            Invoice.issue_date <= issued_to,
            or_(InvoiceLine.hsn_sac.in_(hsn_codes), func.lower(InvoiceLine.description).in_(item_names)),
        )
    )
    if exclude_invoice_id is not None:
        query = query.where(Invoice.id != exclude_invoice_id)
    rows = session.execute(query.order_by(Invoice.issue_date.desc()).limit(BUSINESS_PRICES_LIMIT))
    return [
        PastPrice(issue_date=day, description=description, hsn_sac=hsn, unit_price_paise=price)
        for day, description, hsn, price in rows
    ]


def known_hsn(session: Session, *, business_id: uuid.UUID, description: str) -> str | None:
    """The HSN/SAC this business last put on an item of that name, so a bill typed in chat carries it too."""
    return session.scalars(
        select(InvoiceLine.hsn_sac)
        .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
        .where(
            InvoiceLine.business_id == business_id,
            func.lower(InvoiceLine.description) == item_name(description),
            InvoiceLine.hsn_sac.is_not(None),
            Invoice.status.in_(ISSUED_STATUSES),
        )
        .order_by(Invoice.issue_date.desc())
        .limit(1)
    ).first()
