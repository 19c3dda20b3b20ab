"""Money over chat: links to pay, the owner recording cash, and a customer's "paid" awaiting the owner."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from bot.db import Database
from bot.errors import PaymentAlreadyConfirmed, UnknownPayment, UpiIdMissing
from bot.i18n import Bullets, Money, Phrase
from connectors.channels.base import Media
from dialogues.forms import Form, Slot, Slots, SlotValue
from dialogues.registry import CUSTOMER, OWNER, Action, IntentHandler
from dialogues.reply import Choice, Kind, Reply, To
from dialogues.slots import amount_slot, customer_slot, positive_paise
from dialogues.state import ask_to_confirm, preferred_channel
from dialogues.turn import Turn
from modules.business.repository import owner_phones
from modules.customers.repository import get_customer
from modules.invoicing.models import OPEN_STATUSES
from modules.invoicing.repository import find_invoice_by_number, latest_invoice, paid_by_invoice
from modules.ledger.service import customer_outstanding
from modules.payments.bank import check_claim, settle_line
from modules.payments.methods import Method, request_payment
from modules.payments.models import Payment, PaymentMode, PaymentSource
from modules.payments.reconcile import Flag
from modules.payments.repository import get_payment, latest_active_link, same_money
from modules.payments.service import confirm_payment, normalize_reference, record_payment, reject_claim

_MODES = (
    (re.compile(r"\b(cash|nakad|naqad|nagad)\b", re.I), PaymentMode.CASH),
    (re.compile(r"\b(cheque|check|chek)\b", re.I), PaymentMode.CHEQUE),
    (re.compile(r"\bneft\b", re.I), PaymentMode.NEFT),
    (re.compile(r"\brtgs\b", re.I), PaymentMode.RTGS),
    (re.compile(r"\bimps\b", re.I), PaymentMode.IMPS),
    (re.compile(r"\b(upi|gpay|google pay|phonepe|paytm|bhim)\b", re.I), PaymentMode.UPI),
    (re.compile(r"\b(card)\b", re.I), PaymentMode.CARD),
)
_UPI_REFERENCE = re.compile(r"^\d{12}$")


def _mode(turn: Turn, utr: str | None) -> PaymentMode:
    for pattern, mode in _MODES:
        if pattern.search(turn.text):
            return mode
    return PaymentMode.UPI if utr and _UPI_REFERENCE.match(utr) else PaymentMode.OTHER


def _utr(turn: Turn) -> str | None:
    entity = turn.parse.entity("utr")
    return str(entity.value) if entity is not None else None


# -- payment links ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _NewLink:
    key: str  # payment.link (a link only) or payment.request (the offer names a bank account too)
    params: dict[str, object]
    qr: tuple[Media, ...]  # the QR code as an image: UPI apps scan it from the phone's gallery too


def _new_link(turn: Turn, customer_id: uuid.UUID, amount_paise: int | None) -> _NewLink | None:
    """A request for `amount_paise`, or for everything the customer owes, in the way they are best asked
    (modules/payments/methods.py); None when nothing is owed.

    Raises: UpiIdMissing (no UPI id and no bank account: nothing to offer).
    """
    if amount_paise is None:
        balance = customer_outstanding(
            turn.db, business_id=turn.business.id, customer_id=customer_id, today=turn.today
        )
        if balance.balance_paise <= 0:
            return None
        amount_paise = balance.balance_paise
    request = request_payment(
        turn.db,
        turn.settings,
        business_id=turn.business.id,
        customer_id=customer_id,
        amount_paise=amount_paise,
        invoice_id=None,
        now=turn.now,
    )
    if request.offer is None:
        raise UpiIdMissing(f"business {turn.business.id} has no UPI id or bank account", field="upi_vpa")
    link = request.link
    params: dict[str, object] = {
        "amount": Money(amount_paise),
        "link": link.page_url if link else "",
        "upi": link.upi_url if link else "",
        "business": turn.business.name,
        "pay": request.offer,
    }
    key = "payment.link" if request.method is Method.LINK and link else "payment.request"
    qr = (Media(link.qr_url, "image/png", f"UPI-{link.reference}.png"),) if link else ()
    return _NewLink(key, params, qr)


def _link_summary(turn: Turn, slots: Slots) -> Reply:
    with turn.db.transaction() as session:
        name = get_customer(
            session, business_id=turn.business.id, customer_id=uuid.UUID(slots["customer_id"])
        ).name
    amount = slots.get("amount_paise")
    if amount is None:
        balance = customer_outstanding(
            turn.db,
            business_id=turn.business.id,
            customer_id=uuid.UUID(slots["customer_id"]),
            today=turn.today,
        )
        amount = max(balance.balance_paise, 0)
    return Reply("payment.link_confirm", {"customer": name, "amount": Money(int(amount))})


def _send_link(turn: Turn, slots: Slots) -> list[Reply]:
    customer_id = uuid.UUID(slots["customer_id"])
    turn.remember_customer(customer_id)
    try:
        link = _new_link(turn, customer_id, slots.get("amount_paise"))
    except UpiIdMissing:
        return [Reply("payment.no_upi_id")]
    if link is None:
        return [Reply("payment.nothing_owed_by_customer")]
    with turn.db.transaction() as session:
        customer = get_customer(session, business_id=turn.business.id, customer_id=customer_id)
        opted_out = customer.opted_out_at is not None
    if opted_out:  # the outbox would not deliver it: give the owner the link to share by hand
        key = "payment.link_opted_out" if link.params["link"] else "payment.request_opted_out"
        return [Reply(key, {**link.params, "customer": customer.name})]
    return [
        Reply(
            link.key,
            link.params,
            to=To.CUSTOMER,
            customer_id=customer_id,
            media=link.qr,
            kind=Kind.REMINDER,
        ),
        Reply("payment.link_sent" if link.params["link"] else "payment.request_sent", link.params),
    ]


OWNER_LINK = Form(
    "payment_link",
    slots=(customer_slot(), amount_slot(required=False)),
    submit=_send_link,
    confirm=_link_summary,
)


def own_link(turn: Turn) -> list[Reply]:
    assert turn.sender.customer_id is not None
    amount = turn.parse.entity("amount")
    try:
        link = _new_link(turn, turn.sender.customer_id, positive_paise(amount.value) if amount else None)
    except UpiIdMissing:
        return [Reply("payment.no_upi_id_customer", {"business": turn.business.name})]
    if link is None:
        return [Reply("ledger.you_owe_nothing", {"business": turn.business.name})]
    return [Reply(link.key, link.params, media=link.qr)]


# -- the owner records money received ---------------------------------------------------------------


def _record(turn: Turn, slots: Slots) -> list[Reply]:
    customer_id = uuid.UUID(slots["customer_id"])
    utr = _utr(turn)
    payment = record_payment(
        turn.db,
        business_id=turn.business.id,
        customer_id=customer_id,
        amount_paise=int(slots["amount_paise"]),
        mode=_mode(turn, utr),
        received_at=turn.now,
        source=PaymentSource.OWNER,
        confirmed=True,
        utr=utr,
    )
    turn.remember_customer(customer_id)
    balance = customer_outstanding(
        turn.db, business_id=turn.business.id, customer_id=customer_id, today=turn.today
    )
    return [
        Reply(
            "payment.recorded",
            {
                "amount": Money(payment.amount_paise),
                "customer": balance.name,
                "mode": Phrase(f"mode.{payment.mode}"),
                "balance": Money(max(balance.balance_paise, 0)),
            },
        )
    ]


RECORD_PAYMENT = Form("record_payment", slots=(customer_slot(), amount_slot()), submit=_record)


# -- a customer says they paid ----------------------------------------------------------------------


def claim_paid(turn: Turn) -> list[Reply]:
    assert turn.sender.customer_id is not None
    customer_id = turn.sender.customer_id
    amount = turn.parse.entity("amount")
    utr = _utr(turn)
    meant = _meant(turn, customer_id)
    if amount is not None:
        amount_paise = positive_paise(amount.value)
    elif meant is not None:
        amount_paise = meant.amount_paise
    else:
        return [Reply("payment.claim_needs_amount")]
    params = {
        "customer": turn.sender.name,
        "amount": Money(amount_paise),
        "utr": utr or "—",
        "business": turn.business.name,
    }
    flags: tuple[Flag, ...] = ()
    seen = None
    if utr:
        with turn.db.transaction() as session:
            known = same_money(
                session,
                business_id=turn.business.id,
                customer_id=customer_id,
                reference=normalize_reference(utr),
                amount_paise=amount_paise,
            )
        if known is not None:  # said again: the owner is not asked twice
            key = "payment.claim_known" if known.confirmed else "payment.claim_pending"
            return [Reply(key, {**params, "day": known.received_at.astimezone(turn.business.tz).date()})]
        # Money already seen in an imported bank statement needs no one to confirm it.
        check = check_claim(
            turn.db,
            business_id=turn.business.id,
            customer_id=customer_id,
            reference=utr,
            amount_paise=amount_paise,
        )
        seen, flags = check.line, check.flags
    elif turn.message.image_ref is not None:
        flags = (Flag.SCREENSHOT_WITHOUT_REFERENCE,)
    payment = record_payment(
        turn.db,
        business_id=turn.business.id,
        customer_id=customer_id,
        amount_paise=amount_paise,
        mode=_mode(turn, utr),
        received_at=turn.now,
        source=PaymentSource.CUSTOMER_CLAIM,
        confirmed=seen is not None,
        utr=utr,
        for_invoice_id=meant.invoice_id if meant else None,
        note=turn.text[:500],
    )
    if seen is not None:
        settle_line(turn.db, business_id=turn.business.id, line_id=seen.id, payment=payment)
        return received_replies(turn, payment, owner_key="payment.claim_in_statement", day=seen.day)
    with turn.db.transaction() as session:
        ask_owners(
            session,
            business_id=turn.business.id,
            form=CONFIRM_CLAIM.name,
            slots={"payment_id": str(payment.id)},
            now=turn.now,
            timeout=timedelta(minutes=turn.settings.conversation.timeout_minutes),
            fallback_channel=turn.message.channel,
        )
    warnings = [Reply("payment.claim_flags", {"flags": flag_list(flags)}, to=To.OWNER)] if flags else []
    return [
        Reply("payment.claim_received" if utr else "payment.claim_received_no_utr", params),
        *warnings,
        Reply(
            "payment.confirm_claim",
            params,
            to=To.OWNER,
            buttons=(
                Choice(f"confirm_payment:{payment.id}", "button.received"),
                Choice(f"reject_payment:{payment.id}", "button.not_received"),
            ),
        ),
    ]


def flag_list(flags: Sequence[Flag]) -> Bullets:
    """What looks wrong about some money, one sentence each, for the owner."""
    return Bullets(tuple(Phrase(f"flag.{flag}") for flag in flags))


def ask_owners(
    session: Session,
    *,
    business_id: uuid.UUID,
    form: str,
    slots: dict[str, str],
    now: datetime,
    timeout: timedelta,
    fallback_channel: str,
) -> None:
    """Put a yes/no question to every owner, in the chat each last used, so their next "haan" answers it."""
    for phone in owner_phones(session, business_id=business_id):
        channel = preferred_channel(session, business_id=business_id, phone=phone, fallback=fallback_channel)
        ask_to_confirm(
            session,
            business_id=business_id,
            phone=phone,
            channel=channel,
            form=form,
            slots=slots,
            now=now,
            timeout=timeout,
        )


@dataclass(frozen=True)
class _Meant:
    amount_paise: int
    invoice_id: uuid.UUID | None


def _meant(turn: Turn, customer_id: uuid.UUID) -> _Meant | None:
    """What a "paid" without an amount most likely paid: the bill they name, else the last link they were
    sent, else their latest open bill, else everything they owe. None when they owe nothing."""
    number = turn.parse.entity("invoice_number")
    business_id = turn.business.id
    with turn.db.transaction() as session:
        if number is None:
            link = latest_active_link(session, business_id=business_id, customer_id=customer_id, now=turn.now)
            if link is not None:
                return _Meant(link.amount_paise, link.invoice_id)
            invoice = latest_invoice(
                session, business_id=business_id, customer_id=customer_id, statuses=OPEN_STATUSES
            )
        else:
            invoice = find_invoice_by_number(
                session, business_id=business_id, number=str(number.value), customer_id=customer_id
            )
        if invoice is not None and invoice.status in OPEN_STATUSES:
            paid = paid_by_invoice(session, business_id=business_id, invoice_ids=[invoice.id])
            return _Meant(invoice.total_paise - paid.get(invoice.id, 0), invoice.id)
    balance = customer_outstanding(
        turn.db, business_id=business_id, customer_id=customer_id, today=turn.today
    )
    return _Meant(balance.balance_paise, None) if balance.balance_paise > 0 else None


def _confirm(turn: Turn, payment_id: str) -> list[Reply]:
    try:
        payment = confirm_payment(turn.db, business_id=turn.business.id, payment_id=_payment_id(payment_id))
    except PaymentAlreadyConfirmed:
        return [Reply("payment.already_confirmed")]
    _forget_claim(turn, payment_id)
    return received_replies(turn, payment, owner_key="payment.confirmed")


def received_replies(turn: Turn, payment: Payment, *, owner_key: str, day: date | None = None) -> list[Reply]:
    """A confirmed payment: the owner told (`owner_key`, to whoever confirmed it, else the owners), the
    customer thanked with their new balance."""
    return receipt_replies(
        turn.db,
        payment,
        business_name=turn.business.name,
        today=turn.today,
        owner_key=owner_key,
        owner_is_sender=turn.sender.runs_the_business,
        customer_is_sender=turn.sender.customer_id == payment.customer_id,
        day=day,
    )


def receipt_replies(
    db: Database,
    payment: Payment,
    *,
    business_name: str,
    today: date,
    owner_key: str,
    owner_is_sender: bool = False,
    customer_is_sender: bool = False,
    day: date | None = None,
) -> list[Reply]:
    """The owner told of a payment now confirmed, and the customer thanked with their new balance; each as
    a reply when they are the one who wrote, else as a message to them."""
    balance = customer_outstanding(
        db, business_id=payment.business_id, customer_id=payment.customer_id, today=today
    )
    params = {
        "amount": Money(payment.amount_paise),
        "customer": balance.name,
        "balance": Money(max(balance.balance_paise, 0)),
        "business": business_name,
        "utr": payment.utr or "—",
        "day": day or today,
    }
    to_owner = Reply(owner_key, params) if owner_is_sender else Reply(owner_key, params, to=To.OWNER)
    thanks = (
        Reply("payment.thanks", params, kind=Kind.RECEIPT)
        if customer_is_sender
        else Reply(
            "payment.thanks", params, to=To.CUSTOMER, customer_id=payment.customer_id, kind=Kind.RECEIPT
        )
    )
    return [to_owner, thanks]


def _reject(turn: Turn, payment_id: str) -> list[Reply]:
    payment = reject_claim(
        turn.db, business_id=turn.business.id, payment_id=_payment_id(payment_id), now=turn.now
    )
    _forget_claim(turn, payment_id)
    params = {
        "amount": Money(payment.amount_paise),
        "business": turn.business.name,
        "utr": payment.utr or "—",
    }
    return [
        Reply("payment.rejected", params),
        Reply("payment.not_found_by_owner", params, to=To.CUSTOMER, customer_id=payment.customer_id),
    ]


def _payment_id(raw: str) -> uuid.UUID:
    """A button's payment id. Raises: UnknownPayment for one that was never ours (a forged tap)."""
    try:
        return uuid.UUID(raw)
    except ValueError as error:
        raise UnknownPayment(f"not a payment id: {raw[:40]!r}", payment_id=raw[:40]) from error


def _forget_claim(turn: Turn, payment_id: str) -> None:
    turn.state.drop_question(CONFIRM_CLAIM.name, {"payment_id": payment_id})


def _claim_summary(turn: Turn, slots: Slots) -> Reply:
    with turn.db.transaction() as session:
        payment = get_payment(
            session, business_id=turn.business.id, payment_id=uuid.UUID(slots["payment_id"])
        )
        if payment.confirmed or payment.rejected_at is not None:
            raise PaymentAlreadyConfirmed(f"claim {payment.id} was already answered")
        customer = get_customer(session, business_id=turn.business.id, customer_id=payment.customer_id)
        params = {"amount": Money(payment.amount_paise), "utr": payment.utr or "—", "customer": customer.name}
        return Reply("payment.confirm_claim_again", params)


def _no_value(turn: Turn, answering: bool) -> SlotValue | None:
    return None


CONFIRM_CLAIM = Form(
    "confirm_payment",
    slots=(Slot("payment_id", "ask.payment", _no_value),),
    submit=lambda turn, slots: _confirm(turn, slots["payment_id"]),
    confirm=_claim_summary,
    deny=lambda turn, slots: _reject(turn, slots["payment_id"]),
)

HANDLERS = (
    IntentHandler("payment_link", OWNER, form=OWNER_LINK),
    IntentHandler("payment_link", CUSTOMER, handle=own_link),
    IntentHandler("record_payment", OWNER, form=RECORD_PAYMENT),
    IntentHandler("claim_paid", CUSTOMER, handle=claim_paid),
)
ACTIONS = (
    Action("confirm_payment", OWNER, _confirm),
    Action("reject_payment", OWNER, _reject),
)
FORMS = (CONFIRM_CLAIM,)
