"""Opening a dispute: kept in the customer's own words, and the invoice marked disputed."""

from __future__ import annotations

import uuid

from bot.db import Database
from bot.errors import InvalidInput
from modules.customers.repository import get_customer
from modules.disputes.models import Dispute
from modules.invoicing.models import OPEN_STATUSES, InvoiceStatus
from modules.invoicing.repository import get_invoice

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
