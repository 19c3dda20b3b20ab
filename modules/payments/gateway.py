"""Money a payment gateway collected through one of our links (a Razorpay webhook): recorded once per
event, applied to the link's invoice, the owner told and the customer thanked."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.db import Database
from connectors.payments.razorpay import GatewayPayment
from modules.invoicing.models import Invoice
from modules.payments.models import (
    GatewayEvent,
    Payment,
    PaymentLink,
    PaymentLinkStatus,
    PaymentMode,
    PaymentSource,
)
from modules.payments.service import PAYABLE_STATUSES, record_payment

logger = logging.getLogger(__name__)
_MODES = {"upi": PaymentMode.UPI, "card": PaymentMode.CARD, "netbanking": PaymentMode.NEFT}


@dataclass(frozen=True)
class Collected:
    payment: Payment
    link: PaymentLink


def record_gateway_payment(
    db: Database, *, provider: str, event_id: str, collected: GatewayPayment | None
) -> Collected | None:
    """Record what the event reports, once: None for a redelivered event, one about no money, or one about
    a link that is not ours (logged; the gateway is still answered, so it does not retry for a day)."""
    try:
        with db.transaction() as session:
            event = GatewayEvent(provider=provider, event_id=event_id[:64])
            session.add(event)
            session.flush()
            if collected is None:
                return None
            link = session.scalars(
                select(PaymentLink).where(
                    PaymentLink.provider == provider,
                    PaymentLink.provider_reference == collected.link_reference,
                )
            ).one_or_none()
            if link is None:
                logger.warning("%s paid link %s, which is not ours", provider, collected.link_reference)
                return None
            invoice = session.get(Invoice, link.invoice_id) if link.invoice_id else None
            payable = invoice is not None and invoice.status in PAYABLE_STATUSES
            payment = record_payment(
                db,
                business_id=link.business_id,
                customer_id=link.customer_id,
                amount_paise=collected.amount_paise,
                mode=_MODES.get(collected.method, PaymentMode.OTHER),
                received_at=collected.paid_at,
                source=PaymentSource.GATEWAY,
                utr=collected.bank_reference,
                invoice_ids=[link.invoice_id] if payable and link.invoice_id else None,
                note=f"{provider} {collected.payment_id}",
            )
            event.payment_id = payment.id
            if collected.amount_paise >= link.amount_paise:
                link.status = PaymentLinkStatus.PAID
            return Collected(payment=payment, link=link)
    except IntegrityError:  # the same event id, delivered again (or twice at once)
        logger.info("%s event %s already handled", provider, event_id)
        return None
