"""Queries on invoices, always within one business. Never commits."""

from __future__ import annotations

import re
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.errors import UnknownInvoice
from modules.invoicing.models import CreditNote, Invoice, InvoiceStatus
from modules.payments.models import Payment, PaymentAllocation

# The sequence ends a number after a separator or the series' letters: INV-2026-27-0042, GC/26-27/042, A42.
_TRAILING_SEQUENCE = re.compile(r"(?:^|[^0-9])0*(\d+)$")


def get_invoice(
    session: Session, *, business_id: uuid.UUID, invoice_id: uuid.UUID, customer_id: uuid.UUID | None = None
) -> Invoice:
    """Raises: UnknownInvoice, also when it belongs to another business (or to another customer, if given)."""
    query = select(Invoice).where(Invoice.business_id == business_id, Invoice.id == invoice_id)
    if customer_id is not None:
        query = query.where(Invoice.customer_id == customer_id)
    invoice = session.scalars(query).one_or_none()
    if invoice is None:
        raise UnknownInvoice(f"no invoice {invoice_id} here", invoice_id=str(invoice_id))
    return invoice


def invoices_of_customer(
    session: Session,
    *,
    business_id: uuid.UUID,
    customer_id: uuid.UUID,
    statuses: Collection[InvoiceStatus],
) -> list[Invoice]:
    """Oldest due first: the order money is applied in."""
    return list(
        session.scalars(
            select(Invoice)
            .where(
                Invoice.business_id == business_id,
                Invoice.customer_id == customer_id,
                Invoice.status.in_(statuses),
            )
            .order_by(Invoice.due_date, Invoice.issue_date, Invoice.number)
        )
    )


def paid_by_invoice(
    session: Session, *, business_id: uuid.UUID, invoice_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """Paise allocated to each invoice so far (absent: nothing)."""
    if not invoice_ids:
        return {}
    rows = session.execute(
        select(PaymentAllocation.invoice_id, func.sum(PaymentAllocation.amount_paise))
        .where(PaymentAllocation.business_id == business_id, PaymentAllocation.invoice_id.in_(invoice_ids))
        .group_by(PaymentAllocation.invoice_id)
    )
    return {invoice_id: int(paid) for invoice_id, paid in rows}


def find_invoice_by_number(
    session: Session, *, business_id: uuid.UUID, number: str, customer_id: uuid.UUID | None = None
) -> Invoice | None:
    """An invoice by its number as people say it: "INV-2026-27-0042", or just "42" (the latest invoice
    whose number ends in sequence 42, whatever the series: INV-2026-27-0042, GC/26-27/042)."""
    query = select(Invoice).where(Invoice.business_id == business_id)
    if customer_id is not None:
        query = query.where(Invoice.customer_id == customer_id)
    wanted = number.strip().upper()
    if not wanted.isdigit():
        query = query.where(func.upper(Invoice.number) == wanted)
        return session.scalars(query.order_by(Invoice.issue_date.desc()).limit(1)).first()
    sequence = int(wanted)
    candidates = session.scalars(
        query.where(Invoice.number.endswith(str(sequence))).order_by(Invoice.issue_date.desc())
    )
    return next((i for i in candidates if _sequence(i.number) == sequence), None)


def _sequence(number: str) -> int | None:
    """The sequence at the end of an invoice number ("INV-2026-27-0042" → 42), if it ends in digits after
    a separator or a letter."""
    match = _TRAILING_SEQUENCE.search(number)
    return int(match.group(1)) if match else None


def recent_invoices(
    session: Session,
    *,
    business_id: uuid.UUID,
    customer_id: uuid.UUID | None = None,
    issued_on: date | None = None,
    include_cancelled: bool = True,
    limit: int = 10,
) -> list[Invoice]:
    """Issued invoices (not drafts), latest first."""
    excluded = [InvoiceStatus.DRAFT] if include_cancelled else [InvoiceStatus.DRAFT, InvoiceStatus.CANCELLED]
    query = select(Invoice).where(Invoice.business_id == business_id, Invoice.status.not_in(excluded))
    if customer_id is not None:
        query = query.where(Invoice.customer_id == customer_id)
    if issued_on is not None:
        query = query.where(Invoice.issue_date == issued_on)
    order = (Invoice.issue_date.desc(), Invoice.created_at.desc(), Invoice.number.desc())
    return list(session.scalars(query.order_by(*order).limit(limit)))


def credit_note_of(session: Session, *, business_id: uuid.UUID, invoice_id: uuid.UUID) -> CreditNote | None:
    return session.scalars(
        select(CreditNote).where(CreditNote.business_id == business_id, CreditNote.invoice_id == invoice_id)
    ).first()


def latest_invoice(
    session: Session, *, business_id: uuid.UUID, customer_id: uuid.UUID, statuses: Collection[InvoiceStatus]
) -> Invoice | None:
    return session.scalars(
        select(Invoice)
        .where(
            Invoice.business_id == business_id,
            Invoice.customer_id == customer_id,
            Invoice.status.in_(statuses),
        )
        .order_by(Invoice.issue_date.desc(), Invoice.number.desc())
        .limit(1)
    ).first()


def invoice_numbers(
    session: Session, *, business_id: uuid.UUID, invoice_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, str]:
    if not invoice_ids:
        return {}
    query = select(Invoice.id, Invoice.number).where(
        Invoice.business_id == business_id, Invoice.id.in_(invoice_ids)
    )
    return {row.id: row.number for row in session.execute(query)}


@dataclass(frozen=True)
class UnpaidInvoice:
    id: uuid.UUID
    customer_id: uuid.UUID
    number: str
    issue_date: date
    due_date: date
    balance_paise: int  # what is still owed on it


def unpaid_invoices(
    session: Session, *, business_id: uuid.UUID, statuses: Collection[InvoiceStatus]
) -> list[UnpaidInvoice]:
    """The business's invoices in `statuses` with something still owed, oldest due first: one query, the
    payments summed in the database (a large book has hundreds of thousands)."""
    paid = (
        select(PaymentAllocation.invoice_id, func.sum(PaymentAllocation.amount_paise).label("paid"))
        .where(PaymentAllocation.business_id == business_id)
        .group_by(PaymentAllocation.invoice_id)
        .subquery()
    )
    balance = Invoice.total_paise - func.coalesce(paid.c.paid, 0)
    rows = session.execute(
        select(Invoice.id, Invoice.customer_id, Invoice.number, Invoice.issue_date, Invoice.due_date, balance)
        .outerjoin(paid, paid.c.invoice_id == Invoice.id)
        .where(Invoice.business_id == business_id, Invoice.status.in_(statuses), balance > 0)
        .order_by(Invoice.due_date, Invoice.number)
    )
    return [UnpaidInvoice(*row[:5], balance_paise=int(row[5])) for row in rows]


def settled_at(
    session: Session, *, business_id: uuid.UUID, invoice_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, datetime]:
    """When each invoice received the last of its money so far (confirmed payments only)."""
    if not invoice_ids:
        return {}
    rows = session.execute(
        select(PaymentAllocation.invoice_id, func.max(Payment.received_at))
        .join(Payment, Payment.id == PaymentAllocation.payment_id)
        .where(
            PaymentAllocation.business_id == business_id,
            PaymentAllocation.invoice_id.in_(invoice_ids),
            Payment.confirmed.is_(True),
        )
        .group_by(PaymentAllocation.invoice_id)
    )
    return {invoice_id: paid_at for invoice_id, paid_at in rows}
