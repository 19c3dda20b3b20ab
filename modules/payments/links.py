"""Payment links: a public page per request for money, with a UPI deep link and its QR code; or, with
Razorpay configured, Razorpay's hosted page (UPI, cards, net banking), whose webhook records the payment.

The link row stores the page URL; the page names the row by a signed token (bot/tokens.py), so no
public id column is needed and a made-up URL opens nothing.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import Database
from bot.errors import InvalidAmount, InvalidInput, InvoiceNotPayable, NotFound, UpiIdMissing
from bot.settings import Settings
from bot.tokens import make_token, read_token
from connectors.payments.base import GatewayLink, LinkRequest, PaymentGateway
from connectors.payments.razorpay import RazorpayGateway
from connectors.payments.upi import UpiDeepLinkGateway
from modules.business.models import Business
from modules.business.repository import get_business
from modules.customers.repository import get_customer
from modules.invoicing.models import Invoice, InvoiceStatus
from modules.invoicing.repository import get_invoice, paid_by_invoice
from modules.payments.models import PaymentLink, PaymentLinkStatus
from modules.payments.service import MAX_PAYMENT_PAISE, PAYABLE_STATUSES
from modules.payments.transfer import BankAccount, account_of

logger = logging.getLogger(__name__)

PAGE_PURPOSE = "pay"
PAID_PATH = "paid"  # the page a hosted gateway sends the payer back to: /pay/{token}/paid
LINK_VALIDITY = timedelta(days=30)
UPI = UpiDeepLinkGateway()


@dataclass(frozen=True)
class PaymentLinkView:
    """A new link, as the message that carries it needs it."""

    id: uuid.UUID
    amount_paise: int
    page_url: str  # https page: amount, payee, QR and an "open UPI app" button
    upi_url: str
    qr_url: str  # PNG of the QR code, for sending as an image
    reference: str  # the invoice number, or a short reference for a link without one
    provider: str  # "upi" (our page), or the hosted gateway whose page it is


@dataclass(frozen=True)
class PaymentLinkPage:
    """What the public page shows."""

    business_name: str
    customer_name: str
    language: str  # the customer's: the page speaks it
    amount_paise: int
    invoice_number: str | None
    reference: str
    upi_url: str
    status: PaymentLinkStatus  # as of `now`: an active link past its expiry reads EXPIRED
    expires_at: datetime | None
    bank_account: BankAccount | None = None  # for a bank transfer instead (large amounts)
    provider: str = "upi"  # a hosted gateway's link: its page took the money, ours says thanks


def create_payment_link(
    db: Database,
    *,
    business_id: uuid.UUID,
    customer_id: uuid.UUID,
    amount_paise: int,
    invoice_id: uuid.UUID | None,
    now: datetime,
    public_url: str,
    secret_key: str,
    gateway: PaymentGateway = UPI,
) -> PaymentLinkView:
    """Ask `customer_id` for `amount_paise`, against one invoice or on account, valid for 30 days.

    Raises:
        InvalidAmount: not positive, or more than the invoice still owes.
        UnknownBusiness, UnknownCustomer; UnknownInvoice: another business's or customer's invoice.
        InvoiceNotPayable: the invoice is a draft, cancelled or paid.
        UpiIdMissing: the business has no UPI id.
    """
    if not 0 < amount_paise <= MAX_PAYMENT_PAISE:
        raise InvalidAmount(
            f"link amount must be positive, got {amount_paise} paise", amount=str(amount_paise)
        )
    if now.tzinfo is None:
        raise InvalidInput("now must be timezone-aware", field="now")
    link_id = uuid.uuid4()
    our_page = f"{public_url.rstrip('/')}/pay/{make_token(secret_key, PAGE_PURPOSE, link_id)}"
    with db.transaction() as session:
        business = get_business(session, business_id)
        customer = get_customer(session, business_id=business_id, customer_id=customer_id)
        invoice = None
        if invoice_id is not None:
            invoice = get_invoice(
                session, business_id=business_id, invoice_id=invoice_id, customer_id=customer_id
            )
            _check_payable(session, invoice, amount_paise)
        reference = invoice.number if invoice else _short_reference(link_id)
        request = replace(
            _link_request(business, amount_paise, reference, invoice),
            key=link_id.hex,
            payer_name=customer.name,
            payer_phone=customer.phone,
            expires_at=now + LINK_VALIDITY,
            callback_url=f"{our_page}/{PAID_PATH}",
        )
        created = _created(gateway, request)
        # A hosted gateway's own page takes the money; ours still shows the UPI QR for it.
        page_url = created.pay_url if created.provider != UPI.name else our_page
        session.add(
            PaymentLink(
                id=link_id,
                business_id=business_id,
                customer_id=customer_id,
                invoice_id=invoice_id,
                amount_paise=amount_paise,
                provider=created.provider,
                provider_reference=created.provider_reference,
                url=page_url,
                status=PaymentLinkStatus.ACTIVE,
                expires_at=now + LINK_VALIDITY,
            )
        )
        session.flush()
    logger.info("payment link %s created for business %s via %s", link_id, business_id, created.provider)
    return PaymentLinkView(
        id=link_id,
        amount_paise=amount_paise,
        page_url=page_url,
        upi_url=UPI.create_link(request).pay_url,
        qr_url=f"{our_page}/qr.png",
        reference=reference,
        provider=created.provider,
    )


def link_gateway(settings: Settings) -> PaymentGateway:
    """Razorpay when configured, else UPI deep links (no account needed)."""
    return RazorpayGateway(settings.razorpay) if settings.razorpay.enabled else UPI


def _created(gateway: PaymentGateway, request: LinkRequest) -> GatewayLink:
    """The gateway's link; a UPI one when a hosted gateway fails, so the customer can still pay."""
    try:
        return gateway.create_link(request)
    except (InvalidAmount, UpiIdMissing):
        raise
    except Exception:  # the gateway's own errors and network failures alike: logged, UPI instead
        logger.exception("%s could not make a payment link; sending a UPI link instead", gateway.name)
        return UPI.create_link(request)


def cancel_invoice_links(
    db: Database, settings: Settings, *, business_id: uuid.UUID, invoice_id: uuid.UUID
) -> int:
    """Close the invoice's open links (it was cancelled): ours read as cancelled, and a gateway's is
    cancelled at the gateway too, so nobody pays a bill that no longer exists. Returns how many."""
    with db.transaction() as session:
        links = list(
            session.scalars(
                select(PaymentLink).where(
                    PaymentLink.business_id == business_id,
                    PaymentLink.invoice_id == invoice_id,
                    PaymentLink.status == PaymentLinkStatus.ACTIVE,
                )
            )
        )
        for link in links:
            link.status = PaymentLinkStatus.CANCELLED
            reference = link.provider_reference
            if link.provider == RazorpayGateway.name and reference and settings.razorpay.enabled:
                try:
                    RazorpayGateway(settings.razorpay).cancel_link(reference)
                except Exception:  # the gateway's errors and network failures alike: the bill is cancelled
                    logger.exception("razorpay link %s could not be cancelled", reference)
    return len(links)


def get_payment_link_view(db: Database, *, token: str, secret_key: str, now: datetime) -> PaymentLinkPage:
    """The page behind a link's token.

    Raises:
        BadToken: not a token we issued for a payment link.
        NotFound (or UnknownBusiness, UnknownCustomer, UpiIdMissing): its row, business or UPI id is gone.
    """
    link_id = read_token(secret_key, PAGE_PURPOSE, token)
    with db.transaction() as session:
        # Looked up by id alone: the signed token is the permission, and everything after filters by
        # the link's own business.
        link = session.get(PaymentLink, link_id)
        if link is None:
            raise NotFound(f"no payment link {link_id}")
        business = get_business(session, link.business_id)
        customer = get_customer(session, business_id=link.business_id, customer_id=link.customer_id)
        invoice = None
        if link.invoice_id is not None:
            invoice = get_invoice(session, business_id=link.business_id, invoice_id=link.invoice_id)
        reference = link.provider_reference or (invoice.number if invoice else _short_reference(link.id))
        upi_url = UPI.create_link(_link_request(business, link.amount_paise, reference, invoice)).pay_url
        return PaymentLinkPage(
            business_name=business.display_name,
            customer_name=customer.name,
            language=customer.language,
            amount_paise=link.amount_paise,
            invoice_number=invoice.number if invoice else None,
            reference=reference,
            upi_url=upi_url,
            status=_status_now(link, invoice, now),
            expires_at=link.expires_at,
            bank_account=account_of(business),
            provider=link.provider,
        )


def _check_payable(session: Session, invoice: Invoice, amount_paise: int) -> None:
    if invoice.status not in PAYABLE_STATUSES:
        raise InvoiceNotPayable(f"invoice {invoice.number} is {invoice.status}", number=invoice.number)
    paid = paid_by_invoice(session, business_id=invoice.business_id, invoice_ids=[invoice.id])
    due = invoice.total_paise - paid.get(invoice.id, 0)
    if amount_paise > due:
        raise InvalidAmount(
            f"link for {amount_paise} paise exceeds the {due} paise due on {invoice.number}",
            amount=str(amount_paise),
        )


def _link_request(
    business: Business, amount_paise: int, reference: str, invoice: Invoice | None
) -> LinkRequest:
    if not business.upi_vpa:
        raise UpiIdMissing(f"business {business.id} has no UPI id", field="upi_vpa")
    return LinkRequest(
        payee_vpa=business.upi_vpa,
        payee_name=business.display_name,
        amount_paise=amount_paise,
        reference=reference,
        note=f"Invoice {invoice.number}" if invoice else f"Ref {reference}",
    )


def _short_reference(link_id: uuid.UUID) -> str:
    # 40 bits of the random id: unique enough within one business's statements, short enough to read out.
    return "TG" + link_id.hex[:10].upper()


def _status_now(link: PaymentLink, invoice: Invoice | None, now: datetime) -> PaymentLinkStatus:
    if link.status is not PaymentLinkStatus.ACTIVE:
        return link.status
    # Nobody marks the link itself yet when its invoice is settled or cancelled: read it off the invoice.
    if invoice is not None and invoice.status is InvoiceStatus.PAID:
        return PaymentLinkStatus.PAID
    if invoice is not None and invoice.status is InvoiceStatus.CANCELLED:
        return PaymentLinkStatus.CANCELLED
    if link.expires_at is not None and link.expires_at <= now:
        return PaymentLinkStatus.EXPIRED
    return PaymentLinkStatus.ACTIVE
