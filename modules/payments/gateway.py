"""Money a payment gateway collected (a Razorpay webhook): recorded once per payment, however many events
tell of it and in whatever order. Through one of our links it goes on the link's invoice; other money
(a gateway page or QR of the business's own) is reconciled like a bank statement line, by the payer's UPI
id, phone, name and the amount, and what is not sure waits for the owner."""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db import Database
from bot.phone import normalize_phone
from connectors.payments.razorpay import GatewayPayment
from modules.business.models import Business
from modules.business.repository import find_business_by_number
from modules.invoicing.models import Invoice
from modules.payments.bank import ImportedLine, reconcile_lines
from modules.payments.models import (
    BankLine,
    BankLineStatus,
    GatewayEvent,
    Payment,
    PaymentLink,
    PaymentLinkStatus,
    PaymentMode,
    PaymentSource,
)
from modules.payments.service import PAYABLE_STATUSES, record_payment

logger = logging.getLogger(__name__)
_MODES = {
    "upi": PaymentMode.UPI,
    "card": PaymentMode.CARD,
    "netbanking": PaymentMode.NETBANKING,
    "wallet": PaymentMode.WALLET,
}


@dataclass(frozen=True)
class Collected:
    """What became of the money: a payment to announce, or a line the owner is to check (`to_check`)."""

    business_id: uuid.UUID
    payment_id: uuid.UUID | None = None
    to_check: ImportedLine | None = None


def record_gateway_payment(
    db: Database,
    *,
    provider: str,
    event_id: str,
    collected: GatewayPayment | None,
    business_number: str = "",
) -> Collected | None:
    """Record what the event reports, once: None for a redelivered event, one about no money, money
    already recorded from another event, or a link that is not ours (logged; the gateway is still
    answered, so it does not retry for a day).

    Args:
        business_number: the business whose gateway account it is, for money outside our links; empty:
            the only business.
    """
    try:
        with db.transaction() as session:
            event = GatewayEvent(provider=provider, event_id=event_id[:64])
            session.add(event)
            session.flush()
            if collected is None:
                return None
            link = _our_link(session, provider, collected.link_reference)
            known = session.scalars(
                select(Payment).where(Payment.gateway_payment_id == collected.payment_id)
            ).first()
            if known is not None:  # the same money, told by the link's event and by payment.captured
                event.payment_id = known.id
                if link is not None and collected.amount_paise >= link.amount_paise:
                    link.status = PaymentLinkStatus.PAID
                return None
            if link is not None:
                payment = _record_on_link(db, session, provider, link, collected)
                event.payment_id = payment.id
                return Collected(link.business_id, payment_id=payment.id)
            if collected.link_reference is not None:
                logger.warning("%s paid link %s, which is not ours", provider, collected.link_reference)
                return None
            return _reconcile_outside_links(db, session, provider, collected, business_number)
    except IntegrityError:  # the same event id, delivered again (or twice at once)
        logger.info("%s event %s already handled", provider, event_id)
        return None


def _our_link(session: Session, provider: str, reference: str | None) -> PaymentLink | None:
    if reference is None:
        return None
    return session.scalars(
        select(PaymentLink).where(
            PaymentLink.provider == provider, PaymentLink.provider_reference == reference
        )
    ).one_or_none()


def _record_on_link(
    db: Database, session: Session, provider: str, link: PaymentLink, collected: GatewayPayment
) -> Payment:
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
        payer_vpa=collected.payer_vpa,
        gateway_payment_id=collected.payment_id,
    )
    if collected.amount_paise >= link.amount_paise:
        link.status = PaymentLinkStatus.PAID
    # payment.captured may have come first and left the same money for the owner to check.
    waiting = session.scalars(
        select(BankLine).where(
            BankLine.business_id == link.business_id,
            BankLine.gateway_payment_id == collected.payment_id,
            BankLine.status.in_((BankLineStatus.ASKED, BankLineStatus.UNKNOWN)),
        )
    ).first()
    if waiting is not None:
        waiting.status, waiting.payment_id = BankLineStatus.APPLIED, payment.id
    return payment


def _reconcile_outside_links(
    db: Database, session: Session, provider: str, collected: GatewayPayment, business_number: str
) -> Collected | None:
    business = _account_holder(session, business_number)
    if business is None:
        logger.warning("%s payment %s: no business to put it with", provider, collected.payment_id)
        return None
    line = BankLine(
        business_id=business.id,
        bank=provider,
        account=None,
        day=_day(collected.paid_at, business),
        narration=_narration(provider, collected)[:500],
        reference=collected.bank_reference,
        credit_paise=collected.amount_paise,
        debit_paise=0,
        balance_paise=None,
        fingerprint=hashlib.sha256(f"{provider}|{collected.payment_id}".encode()).hexdigest(),
        status=BankLineStatus.UNKNOWN,
        gateway_payment_id=collected.payment_id,
    )
    session.add(line)
    session.flush()
    results = reconcile_lines(db, business.id, [line])
    (reconciled,) = [line for lines in results.values() for line in lines]
    if reconciled.payment_id is not None:
        return Collected(business.id, payment_id=reconciled.payment_id)
    return Collected(business.id, to_check=reconciled)


def _account_holder(session: Session, business_number: str) -> Business | None:
    if business_number:
        return find_business_by_number(session, normalize_phone(business_number))
    only = session.scalars(select(Business).limit(2)).all()
    return only[0] if len(only) == 1 else None


def _day(paid_at: datetime, business: Business) -> date:
    return paid_at.astimezone(ZoneInfo(business.timezone)).date()


def _narration(provider: str, collected: GatewayPayment) -> str:
    """The payment as a statement line reads: method first (it tells the mode), then who paid and what
    they wrote, where reconciliation looks for UPI ids, names and bill numbers."""
    payer = [collected.payer_vpa, collected.payer_phone, collected.payer_email]
    method = collected.method.upper() or "ONLINE"
    words = [method, provider.upper(), *(p for p in payer if p), collected.description]
    return " ".join(word for word in words if word)
