"""Disputes: opened in the customer's own words (the invoice marked disputed), settled by the owner."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db import Database
from bot.errors import InvalidInput, UnknownDispute
from modules.customers.repository import get_customer
from modules.disputes.models import Dispute, DisputeStatus
from modules.invoicing.models import OPEN_STATUSES, InvoiceStatus
from modules.invoicing.repository import get_invoice, paid_by_invoice
from modules.invoicing.service import settle_status

MAX_REASON = 4000


def open_dispute(
    db: Database,
    *,
    business_id: uuid.UUID,
    customer_id: uuid.UUID,
    reason: str,
    invoice_id: uuid.UUID | None = None,
) -> Dispute:
    """Raises: UnknownCustomer, UnknownInvoice (not this customer's), InvalidInput (empty reason)."""
    text = reason.strip()
    if not text:
        raise InvalidInput("a dispute needs a reason", field="reason")
    with db.transaction() as session:
        get_customer(session, business_id=business_id, customer_id=customer_id)
        if invoice_id is not None:
            invoice = get_invoice(
                session, business_id=business_id, invoice_id=invoice_id, customer_id=customer_id
            )
            if invoice.status in OPEN_STATUSES:
                invoice.status = InvoiceStatus.DISPUTED
        dispute = Dispute(
            business_id=business_id, customer_id=customer_id, invoice_id=invoice_id, reason=text[:MAX_REASON]
        )
        session.add(dispute)
        session.flush()
    return dispute


class Outcome(enum.StrEnum):
    BILL_STANDS = "bill_stands"  # the customer was wrong: the bill is due as issued
    CANCEL_BILL = "cancel_bill"  # the customer was right: the bill is cancelled with a credit note


def settle_dispute(
    db: Database, *, business_id: uuid.UUID, dispute_id: uuid.UUID, outcome: Outcome, note: str, now: datetime
) -> Dispute:
    """Close an open dispute. When the bill stands it is payable again (reminders resume); cancelling the bill
    is the caller's next step (modules/invoicing/issued.py), as the owner's word in the same turn.

    Raises: UnknownDispute (not this business's, or already settled).
    """
    with db.transaction() as session:
        dispute = session.scalars(
            select(Dispute).where(
                Dispute.business_id == business_id,
                Dispute.id == dispute_id,
                Dispute.status == DisputeStatus.OPEN,
            )
        ).one_or_none()
        if dispute is None:
            raise UnknownDispute(f"no open dispute {dispute_id}")
        dispute.status = DisputeStatus.REJECTED if outcome is Outcome.BILL_STANDS else DisputeStatus.RESOLVED
        dispute.resolution = note.strip()[:1000]
        dispute.resolved_at = now
        if dispute.invoice_id is not None and outcome is Outcome.BILL_STANDS:
            invoice = get_invoice(session, business_id=business_id, invoice_id=dispute.invoice_id)
            if invoice.status is InvoiceStatus.DISPUTED and not _other_dispute_open(session, dispute):
                invoice.status = InvoiceStatus.SENT  # then what its payments imply
                paid = paid_by_invoice(session, business_id=business_id, invoice_ids=[invoice.id])
                settle_status(invoice, paid.get(invoice.id, 0))
    return dispute


def _other_dispute_open(session: Session, dispute: Dispute) -> bool:
    return (
        session.scalar(
            select(func.count(Dispute.id)).where(
                Dispute.business_id == dispute.business_id,
                Dispute.invoice_id == dispute.invoice_id,
                Dispute.status == DisputeStatus.OPEN,
                Dispute.id != dispute.id,
            )
        )
        or 0
    ) > 0
