"""Queries on payments, always within one business. Never commits."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.errors import UnknownPayment
from modules.payments.models import Payment, PaymentAllocation, PaymentLink, PaymentLinkStatus


def get_payment(session: Session, *, business_id: uuid.UUID, payment_id: uuid.UUID) -> Payment:
    """Raises: UnknownPayment, also when it belongs to another business."""
    payment = session.scalars(
        select(Payment).where(Payment.business_id == business_id, Payment.id == payment_id)
    ).one_or_none()
    if payment is None:
        raise UnknownPayment(f"no payment {payment_id} here", payment_id=str(payment_id))
    return payment


def same_money(
    session: Session, *, business_id: uuid.UUID, customer_id: uuid.UUID, reference: str, amount_paise: int
) -> Payment | None:
    """This customer's payment, confirmed or still a claim (not rejected), of this amount with this UTR:
    a "paid" said again about money already known."""
    return session.scalars(
        select(Payment)
        .where(
            Payment.business_id == business_id,
            Payment.customer_id == customer_id,
            Payment.utr == reference,
            Payment.amount_paise == amount_paise,
            Payment.rejected_at.is_(None),
        )
        .order_by(Payment.confirmed.desc())
        .limit(1)
    ).first()


def confirmed_payments_of_customer(
    session: Session, *, business_id: uuid.UUID, customer_id: uuid.UUID
) -> list[Payment]:
    return list(
        session.scalars(
            select(Payment)
            .where(
                Payment.business_id == business_id,
                Payment.customer_id == customer_id,
                Payment.confirmed.is_(True),
            )
            .order_by(Payment.received_at)
        )
    )


def latest_active_link(
    session: Session, *, business_id: uuid.UUID, customer_id: uuid.UUID, now: datetime
) -> PaymentLink | None:
    """The last payment link the customer was sent that can still be paid."""
    return session.scalars(
        select(PaymentLink)
        .where(
            PaymentLink.business_id == business_id,
            PaymentLink.customer_id == customer_id,
            PaymentLink.status == PaymentLinkStatus.ACTIVE,
            or_(PaymentLink.expires_at.is_(None), PaymentLink.expires_at > now),
        )
        .order_by(PaymentLink.created_at.desc())
        .limit(1)
    ).first()


def release_allocations(session: Session, *, business_id: uuid.UUID, invoice_id: uuid.UUID) -> int:
    """Take back the money applied to an invoice (it is being cancelled): the payments keep it as the
    customer's credit. Returns the paise released."""
    allocations = session.scalars(
        select(PaymentAllocation).where(
            PaymentAllocation.business_id == business_id, PaymentAllocation.invoice_id == invoice_id
        )
    ).all()
    for allocation in allocations:
        allocation.payment.allocations.remove(allocation)  # delete-orphan: the row goes at flush
    return sum(allocation.amount_paise for allocation in allocations)
