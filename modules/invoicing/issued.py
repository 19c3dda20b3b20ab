"""Invoices already issued, over chat: the owner lists them, sends one again, or cancels one with a credit
note. Which invoice is meant comes from its number ("bill 42"), else the customer's bills as buttons."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from bot.errors import InvoiceCancelled, UnknownInvoice
from bot.i18n import Bullets, Money, Phrase, format_day, format_inr
from dialogues.forms import Form, NeedChoice, Option, Slot, Slots, SlotValue
from dialogues.registry import OWNER, IntentHandler
from dialogues.reply import Reply, To
from dialogues.slots import customer_slot
from dialogues.turn import Turn
from modules.customers.repository import customer_names, get_customer
from modules.invoicing.documents import credit_note_media
from modules.invoicing.handlers import deliver_invoice, unreachable_key
from modules.invoicing.models import Invoice, InvoiceStatus
from modules.invoicing.repository import (
    credit_note_of,
    find_invoice_by_number,
    get_invoice,
    paid_by_invoice,
    recent_invoices,
)
from modules.invoicing.service import cancel_invoice
from modules.payments.links import cancel_invoice_links
from nlu.ids import after_bill_word

LISTED = 10  # invoices in a list: what fits on a phone screen
CHOICES = 5  # invoices offered as buttons when it is unclear which is meant
_CUSTOMER = customer_slot()
# What a list is of: (its heading, what to say when it is empty).
_LIST_KEYS = {
    "recent": ("invoice.list_recent", "invoice.list_none_recent"),
    "customer": ("invoice.list_customer", "invoice.list_none_customer"),
    "day": ("invoice.list_day", "invoice.list_none_day"),
}


def _fill_invoice(turn: Turn, answering: bool) -> SlotValue | None:
    """The invoice named by number; else, of the customer named (or of everyone, when answering "which
    bill?" with nothing), the only one or a choice of the latest."""
    raw = _number_said(turn)
    if raw is None and answering and turn.text.strip().isdigit():
        raw = turn.text.strip()
    # Answering "which bill?" with a name asks for that customer's bills.
    customer = _CUSTOMER.fill(turn, answering and raw is None)
    customer_id = uuid.UUID(customer) if customer is not None else None
    with turn.db.transaction() as session:
        if raw is not None:
            invoice = find_invoice_by_number(
                session, business_id=turn.business.id, number=raw, customer_id=customer_id
            )
            if invoice is None:
                raise UnknownInvoice(f"no invoice {raw!r}", number=raw)
            turn.remember_customer(invoice.customer_id)
            return str(invoice.id)
        if customer_id is None and not answering:
            return None
        candidates = recent_invoices(
            session,
            business_id=turn.business.id,
            customer_id=customer_id,
            include_cancelled=False,
            limit=CHOICES,
        )
        if not candidates:
            raise UnknownInvoice("no invoice to choose from", number="")
        if len(candidates) == 1:
            return str(candidates[0].id)
    raise NeedChoice(_options(turn, candidates), "ask.which_invoice")


def _number_said(turn: Turn) -> str | None:
    number = turn.parse.entity("invoice_number")
    if number is not None:
        return str(number.value)
    # "bill 42 cancel karo": the NLU takes 42 for an amount; about a bill already issued, it is its number.
    for entity in turn.parse.entities:
        if (
            entity.entity == "amount"
            and entity.text.isdigit()
            and after_bill_word(turn.parse.text, entity.start)
        ):
            return entity.text
    return None


def _latest(turn: Turn) -> list[Option]:
    """The business's latest invoices, offered when the owner named none."""
    with turn.db.transaction() as session:
        invoices = recent_invoices(
            session, business_id=turn.business.id, include_cancelled=False, limit=CHOICES
        )
    return _options(turn, invoices)


def _options(turn: Turn, invoices: list[Invoice]) -> list[Option]:
    with turn.db.transaction() as session:
        names = customer_names(
            session, business_id=turn.business.id, customer_ids={i.customer_id for i in invoices}
        )
    return [Option(str(i.id), _title(turn, i, names[i.customer_id])) for i in invoices]


def _title(turn: Turn, invoice: Invoice, customer: str) -> str:
    """A button's title: "INV-2026-27-0042 · Sharma Traders · ₹1,18,000 · 28 Nov 2026"."""
    day = format_day(invoice.issue_date, turn.language)
    return f"{invoice.number} · {customer} · {format_inr(invoice.total_paise)} · {day}"


INVOICE_SLOT = Slot("invoice_id", "ask.which_invoice", _fill_invoice, choices=_latest)


def _invoice(turn: Turn, slots: Slots) -> Invoice:
    with turn.db.transaction() as session:
        return get_invoice(session, business_id=turn.business.id, invoice_id=uuid.UUID(slots["invoice_id"]))


def _cancel_summary(turn: Turn, slots: Slots) -> Reply:
    invoice = _invoice(turn, slots)
    if invoice.status is InvoiceStatus.CANCELLED:
        raise InvoiceCancelled(f"invoice {invoice.number} is already cancelled", number=invoice.number)
    with turn.db.transaction() as session:
        name = get_customer(session, business_id=turn.business.id, customer_id=invoice.customer_id).name
        paid_by = paid_by_invoice(session, business_id=turn.business.id, invoice_ids=[invoice.id])
    paid = paid_by.get(invoice.id, 0)
    params = {
        "number": invoice.number,
        "customer": name,
        "day": invoice.issue_date,
        "total": Money(invoice.total_paise),
        "paid": Money(paid),
    }
    return Reply("invoice.cancel_confirm_paid" if paid else "invoice.cancel_confirm", params)


def cancel_with_credit_note(turn: Turn, invoice_id: uuid.UUID) -> list[Reply]:
    """Cancel an issued invoice with a credit note, and tell the owner and the customer (a dispute settled
    in the customer's favour ends here too)."""
    return _cancel(turn, {"invoice_id": str(invoice_id)})


def _cancel(turn: Turn, slots: Slots) -> list[Reply]:
    cancellation = cancel_invoice(
        turn.db, business_id=turn.business.id, invoice_id=uuid.UUID(slots["invoice_id"]), today=turn.today
    )
    invoice, credit_note = cancellation.invoice, cancellation.credit_note
    assert credit_note is not None  # chat only ever sees issued invoices
    cancel_invoice_links(turn.db, turn.settings, business_id=turn.business.id, invoice_id=invoice.id)
    media = credit_note_media(
        credit_note=credit_note,
        public_url=turn.settings.server.public_url,
        secret_key=turn.settings.secret_key.get_secret_value(),
    )
    with turn.db.transaction() as session:
        customer = get_customer(session, business_id=turn.business.id, customer_id=invoice.customer_id)
        name, unreachable = customer.name, unreachable_key(customer) is not None
    params = {
        "number": invoice.number,
        "credit_note": credit_note.number,
        "customer": name,
        "business": turn.business.name,
        "total": Money(credit_note.total_paise),
        "released": Money(cancellation.released_paise),
    }
    turn.remember_customer(invoice.customer_id)
    owner_key = "invoice.cancelled_paid" if cancellation.released_paise else "invoice.cancelled"
    replies = [Reply(owner_key, params, media=(media,))]
    if not unreachable:
        replies.append(
            Reply(
                "invoice.cancelled_to_customer",
                params,
                to=To.CUSTOMER,
                customer_id=invoice.customer_id,
                media=(media,),
                about=invoice.id,
            )
        )
    return replies


def _resend(turn: Turn, slots: Slots) -> list[Reply]:
    invoice = _invoice(turn, slots)
    if invoice.status is InvoiceStatus.CANCELLED:
        with turn.db.transaction() as session:
            credit_note = credit_note_of(session, business_id=turn.business.id, invoice_id=invoice.id)
        reference = credit_note.number if credit_note is not None else ""
        return [Reply("invoice.resend_cancelled", {"number": invoice.number, "credit_note": reference})]
    turn.remember_customer(invoice.customer_id)
    return deliver_invoice(turn, invoice, owner_key="invoice.resent")


def list_invoices(turn: Turn) -> list[Reply]:
    """The latest invoices: of one customer when one is named, of one day when a day is."""
    customer = _CUSTOMER.fill(turn, False)
    customer_id = uuid.UUID(customer) if customer is not None else None
    day = _day(turn)
    with turn.db.transaction() as session:
        invoices = recent_invoices(
            session, business_id=turn.business.id, customer_id=customer_id, issued_on=day, limit=LISTED
        )
        customer_ids = {i.customer_id for i in invoices} | ({customer_id} if customer_id else set())
        names = customer_names(session, business_id=turn.business.id, customer_ids=customer_ids)
        paid = paid_by_invoice(session, business_id=turn.business.id, invoice_ids=[i.id for i in invoices])
    heading = "customer" if customer_id is not None else "day" if day is not None else "recent"
    listed, none = _LIST_KEYS[heading]
    params: dict[str, object] = {"day": day or turn.today, "shown": len(invoices)}
    if customer_id is not None:
        params["customer"] = names[customer_id]
    if not invoices:
        return [Reply(none, params)]
    lines = tuple(
        Phrase(
            "invoice.list_line",
            {
                "number": i.number,
                "customer": names[i.customer_id],
                "day": i.issue_date,
                "total": Money(i.total_paise),
                "status": _status(i, paid.get(i.id, 0)),
            },
        )
        for i in invoices
    )
    return [Reply(listed, {**params, "lines": Bullets(lines)})]


def _day(turn: Turn) -> date | None:
    """The day asked about. Bills lie in the past, so "kal"/"parso", which say tomorrow and yesterday
    alike, mean the day before (or two) here even when no past tense told the NLU so."""
    entity = turn.parse.entity("date")
    if entity is None:
        return None
    day = date.fromisoformat(str(entity.value))
    ahead = (day - turn.today).days
    return turn.today - timedelta(days=ahead) if 0 < ahead <= 2 else day


def _status(invoice: Invoice, paid_paise: int) -> Phrase:
    due = Money(invoice.total_paise - paid_paise)
    key = {
        InvoiceStatus.PARTIALLY_PAID: "invoice.status.part_paid",
        InvoiceStatus.PAID: "invoice.status.paid",
        InvoiceStatus.DISPUTED: "invoice.status.disputed",
        InvoiceStatus.CANCELLED: "invoice.status.cancelled",
    }.get(invoice.status, "invoice.status.unpaid")
    return Phrase(key, {"due": due})


CANCEL_INVOICE = Form("cancel_invoice", slots=(INVOICE_SLOT,), submit=_cancel, confirm=_cancel_summary)
RESEND_INVOICE = Form("resend_invoice", slots=(INVOICE_SLOT,), submit=_resend)

HANDLERS = (
    IntentHandler("cancel_invoice", OWNER, form=CANCEL_INVOICE),
    IntentHandler("resend_invoice", OWNER, form=RESEND_INVOICE),
    IntentHandler("list_invoices", OWNER, handle=list_invoices),
)
