"""How a customer is asked to pay: by the method they have paid fastest with before, else UPI for what UPI
carries and a bank transfer above that. The choice is a sentence for the message (`offer`)."""

from __future__ import annotations

import enum
import statistics
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db import Database
from bot.errors import UpiIdMissing
from bot.i18n import Phrase
from bot.settings import Settings
from modules.business.repository import get_business
from modules.customers.repository import get_customer
from modules.invoicing.models import Invoice
from modules.invoicing.repository import get_invoice
from modules.payments.links import UPI, PaymentLinkView, create_payment_link, link_gateway
from modules.payments.models import Payment, PaymentAllocation, PaymentMode
from modules.payments.transfer import BankAccount, account_of

# Enough payments to know a habit; older ones say less about how they pay now.
_HISTORY = 20


class Method(enum.StrEnum):
    LINK = "link"  # a UPI deep link (or the gateway's page: UPI, card, net banking)
    BANK_TRANSFER = "bank_transfer"  # NEFT, RTGS or IMPS to the business's account


# Cash, cheques and unknown modes are nothing we can send: they say nothing about what to offer.
_METHOD_OF_MODE = {
    PaymentMode.UPI: Method.LINK,
    PaymentMode.CARD: Method.LINK,
    PaymentMode.NETBANKING: Method.LINK,
    PaymentMode.WALLET: Method.LINK,
    PaymentMode.NEFT: Method.BANK_TRANSFER,
    PaymentMode.RTGS: Method.BANK_TRANSFER,
    PaymentMode.IMPS: Method.BANK_TRANSFER,
}


@dataclass(frozen=True)
class PastPayment:
    mode: PaymentMode
    days_to_pay: int  # from the (oldest) bill it paid to the money


@dataclass(frozen=True)
class PaymentRequest:
    method: Method
    offer: Phrase | None  # how to pay, for the message; None: no UPI id and no bank account to offer
    link: PaymentLinkView | None  # None when the business has no UPI id


def request_payment(
    db: Database,
    settings: Settings,
    *,
    business_id: uuid.UUID,
    customer_id: uuid.UUID,
    amount_paise: int,
    invoice_id: uuid.UUID | None,
    now: datetime,
) -> PaymentRequest:
    """A payment link (when the business has a UPI id) and the way this customer is best asked to pay.

    Raises: as create_payment_link, except UpiIdMissing.
    """
    try:
        link: PaymentLinkView | None = create_payment_link(
            db,
            business_id=business_id,
            customer_id=customer_id,
            amount_paise=amount_paise,
            invoice_id=invoice_id,
            now=now,
            public_url=settings.server.public_url,
            secret_key=settings.secret_key.get_secret_value(),
            gateway=link_gateway(settings),
        )
    except UpiIdMissing:
        link = None
    with db.transaction() as session:
        business = get_business(session, business_id)
        account = account_of(business)
        history = payment_history(
            session, business_id=business_id, customer_id=customer_id, tz=ZoneInfo(business.timezone)
        )
        if link is not None:
            reference = link.reference
        elif invoice_id is not None:
            reference = get_invoice(session, business_id=business_id, invoice_id=invoice_id).number
        else:
            reference = get_customer(session, business_id=business_id, customer_id=customer_id).name
    method = choose_method(
        amount_paise,
        history,
        has_account=account is not None,
        bank_transfer_above_paise=settings.payments.bank_transfer_above_paise,
    )
    chosen = offer(
        method,
        link=link.page_url if link else None,
        gateway=link is not None and link.provider != UPI.name,
        account=account,
        reference=reference,
    )
    return PaymentRequest(method, chosen, link)


def choose_method(
    amount_paise: int,
    history: Sequence[PastPayment],
    *,
    has_account: bool,
    bank_transfer_above_paise: int,
) -> Method:
    """What to offer first. Above UPI's usual limit a link would fail for most payers, so a bank transfer;
    else the method with which this customer paid fastest (the more used on a tie); else UPI."""
    if not has_account:
        return Method.LINK
    if amount_paise > bank_transfer_above_paise:
        return Method.BANK_TRANSFER
    days: dict[Method, list[int]] = defaultdict(list)
    for past in history:
        method = _METHOD_OF_MODE.get(past.mode)
        if method is not None:
            days[method].append(past.days_to_pay)
    if not days:
        return Method.LINK
    return min(days, key=lambda method: (statistics.median(days[method]), -len(days[method]), method))


def payment_history(
    session: Session, *, business_id: uuid.UUID, customer_id: uuid.UUID, tz: ZoneInfo
) -> list[PastPayment]:
    """The customer's latest confirmed payments that paid bills, with how long each bill waited."""
    rows = session.execute(
        select(Payment.mode, Payment.received_at, func.min(Invoice.issue_date))
        .join(PaymentAllocation, PaymentAllocation.payment_id == Payment.id)
        .join(Invoice, Invoice.id == PaymentAllocation.invoice_id)
        .where(
            Payment.business_id == business_id,
            Payment.customer_id == customer_id,
            Payment.confirmed.is_(True),
        )
        .group_by(Payment.id, Payment.mode, Payment.received_at)
        .order_by(Payment.received_at.desc())
        .limit(_HISTORY)
    ).all()
    return [
        PastPayment(mode, max((received_at.astimezone(tz).date() - issued).days, 0))
        for mode, received_at, issued in rows
    ]


def offer(
    method: Method, *, link: str | None, gateway: bool, account: BankAccount | None, reference: str
) -> Phrase | None:
    """The sentence that asks for the money; None when there is no way to pay to offer.

    Args:
        link: the payment page, if one could be made; gateway: it is the gateway's (cards, net banking too).
        reference: what the payer should write in the transfer's remarks (the invoice number).
    """
    by_link = Phrase("pay.by_gateway" if gateway else "pay.by_upi", {"link": link}) if link else None
    if account is None or (method is Method.LINK and by_link is not None):
        return by_link
    by_bank = bank_transfer(account, reference)
    if by_link is None:
        return by_bank
    return Phrase("pay.by_bank_or_link", {**by_bank.params, "link": link})


def bank_transfer(account: BankAccount, reference: str) -> Phrase:
    """The account to send money to, and what to write in the transfer's remarks."""
    params = {
        "holder": account.holder,
        "account": account.number,
        "ifsc": f"{account.ifsc} ({account.bank})" if account.bank else account.ifsc,
        "reference": reference,
    }
    return Phrase("pay.by_bank", params)
