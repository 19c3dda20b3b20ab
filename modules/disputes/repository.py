"""Queries on disputes. Never commits."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.customers.models import Customer
from modules.disputes.models import Dispute, DisputeStatus
from modules.invoicing.models import Invoice


@dataclass(frozen=True)
class OpenDispute:
    id: uuid.UUID
    customer_id: uuid.UUID
    invoice_id: uuid.UUID | None
    customer: str
    invoice_number: str | None
    reason: str
    opened_at: datetime


def open_disputes(session: Session, *, business_id: uuid.UUID) -> list[OpenDispute]:
    """Oldest first: the longest-waiting customer is answered first."""
    rows = session.execute(
        select(
            Dispute.id,
            Dispute.customer_id,
            Dispute.invoice_id,
            Customer.name,
            Invoice.number,
            Dispute.reason,
            Dispute.created_at,
        )
        .join(Customer, Customer.id == Dispute.customer_id)
        .outerjoin(Invoice, Invoice.id == Dispute.invoice_id)
        .where(Dispute.business_id == business_id, Dispute.status == DisputeStatus.OPEN)
        .order_by(Dispute.created_at)
    )
    return [OpenDispute(*row) for row in rows]
