"""Promises whose day has passed: kept (thanked) or broken (followed up, and the owner told)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from modules.collections.models import PromiseStatus, PromiseToPay
from modules.payments.models import Payment


@dataclass(frozen=True)
class PromiseOutcome:
    promise_id: uuid.UUID
    customer_id: uuid.UUID
    promised_date: date
    kept: bool


def promises_due(session: Session, *, business_id: uuid.UUID, today: date) -> bool:
    """Whether a pending promise's day has passed: only then is the ledger read to settle it."""
    return (
        session.scalar(
            select(func.count(PromiseToPay.id)).where(
                PromiseToPay.business_id == business_id,
                PromiseToPay.status == PromiseStatus.PENDING,
                PromiseToPay.promised_date < today,
            )
        )
        or 0
    ) > 0


def settle_promises(
    session: Session, *, business_id: uuid.UUID, today: date, now: datetime, overdue_by: dict[uuid.UUID, int]
) -> list[PromiseOutcome]:
    """Mark each pending promise whose day is before `today` kept or broken, once.

    Kept: the promised amount came in since the promise, or (no amount named) nothing the customer owes is
    overdue any more. `overdue_by` is each customer's overdue balance now, in paise.
    """
    promises = session.scalars(
        select(PromiseToPay)
        .where(
            PromiseToPay.business_id == business_id,
            PromiseToPay.status == PromiseStatus.PENDING,
            PromiseToPay.promised_date < today,
        )
        .with_for_update(skip_locked=True)  # another scheduler process settles the rest
    ).all()
    outcomes = []
    for promise in promises:
        if promise.amount_paise is not None:
            kept = _paid_since(session, promise) >= promise.amount_paise
        else:
            kept = overdue_by.get(promise.customer_id, 0) <= 0
        promise.status = PromiseStatus.KEPT if kept else PromiseStatus.BROKEN
        promise.resolved_at = now
        outcomes.append(PromiseOutcome(promise.id, promise.customer_id, promise.promised_date, kept))
    return outcomes


def _paid_since(session: Session, promise: PromiseToPay) -> int:
    paid = session.scalar(
        select(func.coalesce(func.sum(Payment.amount_paise), 0)).where(
            Payment.business_id == promise.business_id,
            Payment.customer_id == promise.customer_id,
            Payment.confirmed.is_(True),
            Payment.received_at >= promise.created_at,
        )
    )
    return int(paid or 0)
