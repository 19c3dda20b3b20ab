"""Queries on invoices, always within one business. Never commits."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.errors import UnknownInvoice
from modules.invoicing.models import Invoice, InvoiceStatus
from modules.payments.models import PaymentAllocation


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


def number_taken(session: Session, *, business_id: uuid.UUID, financial_year: str, number: str) -> bool:
    return (
        session.scalar(
            select(Invoice.id).where(
                Invoice.business_id == business_id,
                Invoice.financial_year == financial_year,
                Invoice.number == number,
            )
        )
        is not None
    )


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
    """An invoice by its number as people say it: "INV-2026-27-0042", or just "42" (the latest such)."""
    query = select(Invoice).where(Invoice.business_id == business_id)
    if customer_id is not None:
        query = query.where(Invoice.customer_id == customer_id)
    wanted = number.strip().upper()
    if wanted.isdigit():
        query = query.where(Invoice.number.endswith(f"-{int(wanted):04d}"))
    else:
        query = query.where(func.upper(Invoice.number) == wanted)
    return session.scalars(query.order_by(Invoice.issue_date.desc()).limit(1)).first()


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
