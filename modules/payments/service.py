"""Recording money received and applying it to invoices: oldest due first, or to the invoices named."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from bot.db import Database
from bot.errors import InvalidAmount, InvalidInput, InvoiceNotPayable, PaymentAlreadyConfirmed
from modules.customers.repository import get_customer, lock_customer
from modules.invoicing.models import Invoice, InvoiceStatus
from modules.invoicing.repository import get_invoice, invoices_of_customer, paid_by_invoice
from modules.invoicing.service import settle_status
from modules.payments.models import Payment, PaymentAllocation, PaymentMode, PaymentSource
from modules.payments.repository import get_payment

MAX_PAYMENT_PAISE = 10**14  # ₹10,000 crore
# Money applied on its own goes to invoices awaiting payment; a disputed one only when named.
AUTO_ALLOCATION_STATUSES = (InvoiceStatus.SENT, InvoiceStatus.PARTIALLY_PAID)
PAYABLE_STATUSES = (*AUTO_ALLOCATION_STATUSES, InvoiceStatus.DISPUTED)
_REFERENCE = re.compile(r"^[A-Z0-9]{6,40}$")


def record_payment(
    db: Database,
    *,
    business_id: uuid.UUID,
    customer_id: uuid.UUID,
    amount_paise: int,
    mode: PaymentMode,
    received_at: datetime,
    source: PaymentSource = PaymentSource.OWNER,
    confirmed: bool = True,
    utr: str | None = None,
    invoice_ids: Sequence[uuid.UUID] | None = None,
    for_invoice_id: uuid.UUID | None = None,
    note: str = "",
    payer_vpa: str | None = None,
    gateway_payment_id: str | None = None,
) -> Payment:
    """Store a payment; a confirmed one is applied to invoices at once, the rest stays customer credit.

    An unconfirmed payment (a customer's "already paid") waits for `confirm_payment`. `for_invoice_id`
    is the invoice the payer meant: the money goes there first (the rest stays credit), unless
    `invoice_ids` says otherwise or that invoice is no longer payable.

    Raises:
        UnknownCustomer, UnknownInvoice; InvalidAmount; InvalidInput (UTR);
        InvoiceNotPayable: a named invoice is a draft, cancelled or already paid.
    """
    if not 0 < amount_paise <= MAX_PAYMENT_PAISE:
        raise InvalidAmount(f"payment must be positive, got {amount_paise} paise", amount=str(amount_paise))
    if received_at.tzinfo is None:
        raise InvalidInput("received_at must be timezone-aware", field="received_at")
    with db.transaction() as session:
        get_customer(session, business_id=business_id, customer_id=customer_id)
        if for_invoice_id is not None:
            get_invoice(session, business_id=business_id, invoice_id=for_invoice_id, customer_id=customer_id)
        payment = Payment(
            business_id=business_id,
            customer_id=customer_id,
            amount_paise=amount_paise,
            mode=mode,
            utr=normalize_reference(utr) if utr else None,
            received_at=received_at,
            confirmed=confirmed,
            source=source,
            for_invoice_id=for_invoice_id,
            note=note.strip()[:500],
            payer_vpa=payer_vpa.lower()[:100] if payer_vpa else None,
            gateway_payment_id=gateway_payment_id,
            allocations=[],  # loaded (empty), so callers can read it after the session ends
        )
        session.add(payment)
        session.flush()
        if confirmed:
            _allocate(session, payment, invoice_ids)
    return payment


def confirm_payment(
    db: Database,
    *,
    business_id: uuid.UUID,
    payment_id: uuid.UUID,
    invoice_ids: Sequence[uuid.UUID] | None = None,
    payer_vpa: str | None = None,
) -> Payment:
    """The owner (or the bank statement) confirms money a customer said they sent; it is then applied like
    any payment. `payer_vpa`: the UPI id the statement shows it came from.

    Raises:
        UnknownPayment; PaymentAlreadyConfirmed; UnknownInvoice, InvoiceNotPayable.
    """
    with db.transaction() as session:
        payment = get_payment(session, business_id=business_id, payment_id=payment_id)
        if payment.confirmed:
            raise PaymentAlreadyConfirmed(f"payment {payment_id} is already confirmed")
        payment.confirmed = True
        payment.rejected_at = None  # the money turned up after all
        if payer_vpa:
            payment.payer_vpa = payer_vpa.lower()[:100]
        _allocate(session, payment, invoice_ids)
    return payment


def reject_claim(db: Database, *, business_id: uuid.UUID, payment_id: uuid.UUID, now: datetime) -> Payment:
    """The owner did not receive money a customer said they sent: the claim is kept, marked rejected.

    Raises:
        UnknownPayment; PaymentAlreadyConfirmed: confirmed money is not undone here.
    """
    with db.transaction() as session:
        payment = get_payment(session, business_id=business_id, payment_id=payment_id)
        if payment.confirmed:
            raise PaymentAlreadyConfirmed(f"payment {payment_id} is already confirmed")
        if payment.rejected_at is None:
            payment.rejected_at = now
    return payment


def normalize_reference(raw: str) -> str:
    """A UTR/RRN or bank reference: upper case, no spaces. Raises: InvalidInput."""
    reference = re.sub(r"[\s-]+", "", raw).upper()
    if not _REFERENCE.match(reference):
        raise InvalidInput(f"not a payment reference: {raw[:40]!r}", field="utr")
    return reference


def _allocate(session: Session, payment: Payment, invoice_ids: Sequence[uuid.UUID] | None) -> None:
    lock_customer(session, business_id=payment.business_id, customer_id=payment.customer_id)
    targets = _targets(session, payment, invoice_ids)
    paid = paid_by_invoice(session, business_id=payment.business_id, invoice_ids=[i.id for i in targets])
    remaining = payment.amount_paise - payment.allocated_paise
    for invoice in targets:
        if remaining <= 0:
            break
        share = min(remaining, invoice.total_paise - paid.get(invoice.id, 0))
        if share <= 0:
            continue
        payment.allocations.append(
            PaymentAllocation(business_id=payment.business_id, invoice_id=invoice.id, amount_paise=share)
        )
        remaining -= share
        settle_status(invoice, paid.get(invoice.id, 0) + share)
    session.flush()


def _targets(session: Session, payment: Payment, invoice_ids: Sequence[uuid.UUID] | None) -> list[Invoice]:
    if invoice_ids is None and payment.for_invoice_id is not None:
        meant = get_invoice(session, business_id=payment.business_id, invoice_id=payment.for_invoice_id)
        if meant.status in PAYABLE_STATUSES:
            return [meant]
    if invoice_ids is None:
        return invoices_of_customer(
            session,
            business_id=payment.business_id,
            customer_id=payment.customer_id,
            statuses=AUTO_ALLOCATION_STATUSES,
        )
    invoices = [
        get_invoice(
            session, business_id=payment.business_id, invoice_id=invoice_id, customer_id=payment.customer_id
        )
        for invoice_id in dict.fromkeys(invoice_ids)
    ]
    for invoice in invoices:
        if invoice.status not in PAYABLE_STATUSES:
            raise InvoiceNotPayable(f"invoice {invoice.number} is {invoice.status}", number=invoice.number)
    return invoices
