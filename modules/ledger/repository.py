"""The aggregate queries behind balances and statements, always within one business. Never commits."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Subquery, case, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from modules.invoicing.models import OPEN_STATUSES, CreditNote, Invoice, InvoiceStatus
from modules.payments.models import Payment, PaymentAllocation


@dataclass(frozen=True)
class OpenInvoiceTotals:
    outstanding_paise: int
    overdue_paise: int
    open_invoices: int
    oldest_due_date: date | None


NOTHING_OPEN = OpenInvoiceTotals(outstanding_paise=0, overdue_paise=0, open_invoices=0, oldest_due_date=None)


def open_invoice_totals(
    session: Session, *, business_id: uuid.UUID, today: date, customer_id: uuid.UUID | None = None
) -> dict[uuid.UUID, OpenInvoiceTotals]:
    """Per customer: unpaid on open invoices, the part past due, how many, the oldest due date."""
    paid = _allocated_per(PaymentAllocation.invoice_id, business_id)
    unpaid = Invoice.total_paise - func.coalesce(paid.c.allocated, 0)
    query = (
        select(
            Invoice.customer_id,
            func.sum(unpaid),
            func.sum(case((Invoice.due_date < today, unpaid), else_=0)),
            func.count(Invoice.id),
            func.min(Invoice.due_date),
        )
        .outerjoin(paid, paid.c.key == Invoice.id)
        .where(Invoice.business_id == business_id, Invoice.status.in_(OPEN_STATUSES), unpaid > 0)
        .group_by(Invoice.customer_id)
    )
    if customer_id is not None:
        query = query.where(Invoice.customer_id == customer_id)
    return {
        cid: OpenInvoiceTotals(int(outstanding), int(overdue), int(count), oldest)
        for cid, outstanding, overdue, count, oldest in session.execute(query)
    }


def unapplied_credit(
    session: Session, *, business_id: uuid.UUID, customer_id: uuid.UUID | None = None
) -> dict[uuid.UUID, int]:
    """Per customer: confirmed money not applied to any invoice (only customers who have some)."""
    applied = _allocated_per(PaymentAllocation.payment_id, business_id)
    query = (
        select(Payment.customer_id, func.sum(Payment.amount_paise - func.coalesce(applied.c.allocated, 0)))
        .outerjoin(applied, applied.c.key == Payment.id)
        .where(Payment.business_id == business_id, Payment.confirmed.is_(True))
        .group_by(Payment.customer_id)
    )
    if customer_id is not None:
        query = query.where(Payment.customer_id == customer_id)
    return {cid: int(amount) for cid, amount in session.execute(query) if amount}


def billed_invoices(
    session: Session, *, business_id: uuid.UUID, customer_id: uuid.UUID
) -> list[tuple[date, str, int]]:
    """(issue date, number, total) of every invoice the customer was billed: not drafts, and cancelled ones
    only when a credit note took them back (one cancelled as a draft was never issued)."""
    credited = select(CreditNote.invoice_id).where(CreditNote.business_id == business_id)
    rows = session.execute(
        select(Invoice.issue_date, Invoice.number, Invoice.total_paise).where(
            Invoice.business_id == business_id,
            Invoice.customer_id == customer_id,
            Invoice.status != InvoiceStatus.DRAFT,
            or_(Invoice.status != InvoiceStatus.CANCELLED, Invoice.id.in_(credited)),
        )
    )
    return [(day, number, total) for day, number, total in rows]


def credit_notes_of_customer(
    session: Session, *, business_id: uuid.UUID, customer_id: uuid.UUID
) -> list[tuple[date, str, int]]:
    """(issue date, number, total) of every credit note the customer was given."""
    rows = session.execute(
        select(CreditNote.issue_date, CreditNote.number, CreditNote.total_paise).where(
            CreditNote.business_id == business_id, CreditNote.customer_id == customer_id
        )
    )
    return [(day, number, total) for day, number, total in rows]


def _allocated_per(key: InstrumentedAttribute[uuid.UUID], business_id: uuid.UUID) -> Subquery:
    """Paise allocated, grouped by `key` (an invoice or a payment id)."""
    return (
        select(key.label("key"), func.sum(PaymentAllocation.amount_paise).label("allocated"))
        .where(PaymentAllocation.business_id == business_id)
        .group_by(key)
        .subquery()
    )
