"""Invoices over chat: the owner drafts one in a sentence, confirms the summary, the customer gets it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bot.i18n import Bullets, Money, Phrase, format_inr
from dialogues.forms import Form, Slot, Slots, SlotValue
from dialogues.registry import CUSTOMER, OWNER, IntentHandler
from dialogues.reply import Kind, Reply, To
from dialogues.slots import customer_slot, gst_rate_slot, positive_paise
from dialogues.turn import Turn
from modules.business.repository import get_business
from modules.customers.models import Customer
from modules.customers.repository import get_customer
from modules.invoicing.documents import invoice_media
from modules.invoicing.history import known_hsn
from modules.invoicing.models import OPEN_STATUSES, Invoice, InvoiceStatus
from modules.invoicing.quality import Draft, Finding, check_invoice
from modules.invoicing.repository import find_invoice_by_number, get_invoice, latest_invoice, paid_by_invoice
from modules.invoicing.service import MAX_LINES, LineInput, amounts_of, create_invoice, mark_sent
from modules.invoicing.tax import LineAmounts, round_off
from modules.payments.methods import request_payment
from nlu.lexicon import WEIGHT_UNITS
from nlu.result import Entity
from nlu.text import word_key

DEFAULT_ITEM = "Goods"
DEFAULT_UNIT = "nos"
# A message that begins with one of these adds to the drafted bill ("aur 20 kg sariya 65 per kg").
ADDING_WORDS = frozenset(
    {
        *("aur", "or", "and", "also", "plus"),  # Hinglish often types "or" for aur
        *("और", "एवं", "आणि", "अजून", "અને", "ઉપરાંત"),
        *("மற்றும்", "மேலும்", "ఇంకా", "మరియు", "ಮತ್ತು", "ಇನ್ನೂ", "আর", "এবং"),
    }
)


def _fill_lines(turn: Turn, answering: bool) -> SlotValue | None:
    """Items as "50 bag cement 380 per bag" (several in one message: "... aur 20 kg sariya 65 per kg"), or a
    lump amount ("25000 ka bill"). While a draft waits, "aur ..." adds its lines; other items replace them."""
    drafted = turn.state.slots.get("lines")
    found = [_line(turn, line) for line in _lines_in(turn)]
    if not found:
        amount = turn.parse.entity("amount")
        if amount is None:
            return _with_hsn(turn, drafted) if drafted else None
        item = turn.parse.entity("item")
        description = str(item.value).strip()[:300] if item is not None else DEFAULT_ITEM
        hsn = turn.parse.entity("hsn_sac")
        lump = ParsedLine(description, 1, positive_paise(amount.value), DEFAULT_UNIT, None, _code(hsn))
        found = [_line(turn, lump)]
    if drafted and _adds(turn.text):
        return [*drafted, *found][:MAX_LINES]
    return found


@dataclass(frozen=True)
class ParsedLine:
    description: str
    quantity: object
    unit_price_paise: int
    unit: str
    gst_rate: str | None  # None: the bill's rate
    hsn_sac: str | None  # None: the one the business used for this item before, if any
    price_unit: str | None = None  # the weight the price was said per, when the quantity is not in it


def _lines_in(turn: Turn) -> list[ParsedLine]:
    """Each "quantity item price" run in the message, in order: a line ends where its quantity or price
    would come a second time. An HSN code ("HSN 2523") belongs to its line; a rate only when the message
    gives several ("... 28% aur ... 18%"): one rate is the whole bill's."""
    lines: list[ParsedLine] = []
    current: dict[str, Entity] = {}
    fields = {"quantity", "unit_price", "item", "hsn_sac"}
    if len(turn.parse.values("gst_rate")) > 1:
        fields.add("gst_rate")

    def close() -> None:
        if "quantity" in current and "unit_price" in current:
            item = current.get("item")
            description = str(item.value).strip()[:300] if item is not None else DEFAULT_ITEM
            quantity, rate = current["quantity"], current.get("gst_rate")
            price = positive_paise(current["unit_price"].value)
            unit, hsn = _unit(quantity.text), _code(current.get("hsn_sac"))
            per = _other_weight(quantity.text, current["unit_price"].text)
            lines.append(ParsedLine(description, quantity.value, price, unit, _rate(rate), hsn, per))
        current.clear()

    for entity in sorted(turn.parse.entities, key=lambda e: e.start):
        if entity.entity not in fields:
            continue
        if entity.entity in current and (entity.entity != "item" or len(current) > 1):
            close()
        current[entity.entity] = entity
    close()
    return lines


def _other_weight(quantity_text: str, price_text: str) -> str | None:
    """The weight a price is quoted per ("65 rupaye kilo") when the quantity is counted otherwise ("20
    bag") or in another weight ("2 ton"): the line would be off by the weight of a bag or a thousand."""
    price_words = [(word, WEIGHT_UNITS.get(word_key(word))) for word in price_text.split()]
    said = next(((word, weight) for word, weight in price_words if weight is not None), None)
    if said is None:
        return None
    counted = {WEIGHT_UNITS.get(word_key(word)) for word in quantity_text.split()}
    return None if said[1] in counted else said[0]


def _with_hsn(turn: Turn, drafted: list[dict[str, Any]]) -> SlotValue | None:
    """ "cement ka HSN 2523", said while the bill waits for a yes: the code goes on the line it names, or on
    the only line without one."""
    code = _code(turn.parse.entity("hsn_sac"))
    if code is None:
        return None
    text = turn.text.casefold()
    named = [i for i, line in enumerate(drafted) if line["description"].casefold() in text]
    bare = [i for i, line in enumerate(drafted) if not line.get("hsn_sac")]
    targets = named or (bare if len(bare) == 1 else [])
    if not targets:
        return None
    return [{**line, "hsn_sac": code} if i in targets else line for i, line in enumerate(drafted)]


def _code(entity: Entity | None) -> str | None:
    return None if entity is None else str(entity.value)


def _rate(entity: Entity | None) -> str | None:
    return None if entity is None else _percent(Decimal(str(entity.value)))


def _percent(rate: Decimal) -> str:
    """18 → "18", 2.50 → "2.5": a rate as people write it."""
    return format(rate.normalize(), "f")


def _unit(quantity_text: str) -> str:
    """The unit written with the quantity ("50 bag" → bag, "20 kg" → kg); "nos" when there is none."""
    words = [word for word in quantity_text.split() if not any(ch.isdigit() for ch in word)]
    return " ".join(words)[:20] or DEFAULT_UNIT


def _adds(text: str) -> bool:
    first = text.strip().split(maxsplit=1)
    return bool(first) and first[0].casefold().strip(",.") in ADDING_WORDS


def _line(turn: Turn, line: ParsedLine) -> dict[str, Any]:
    """One line as the form keeps it; without an HSN code of its own, the one the business used for that
    item before (so a code said once is remembered)."""
    hsn = line.hsn_sac
    if hsn is None:
        with turn.db.transaction() as session:
            hsn = known_hsn(session, business_id=turn.business.id, description=line.description)
    return {
        "description": line.description,
        "quantity": str(line.quantity),
        "unit_price_paise": line.unit_price_paise,
        "unit": line.unit,
        "hsn_sac": hsn,
        "gst_rate": line.gst_rate,
        "price_unit": line.price_unit,
    }


def _inputs(slots: Slots) -> list[LineInput]:
    return [
        LineInput(
            description=line["description"],
            quantity=Decimal(line["quantity"]),
            unit_price_paise=int(line["unit_price_paise"]),
            gst_rate=Decimal(line.get("gst_rate") or slots["gst_rate"]),
            hsn_sac=line.get("hsn_sac"),
            unit=line.get("unit", DEFAULT_UNIT),
            price_unit=line.get("price_unit"),
        )
        for line in slots["lines"]
    ]


def _summary(turn: Turn, slots: Slots) -> Reply:
    with turn.db.transaction() as session:
        business = get_business(session, turn.business.id)
        customer = get_customer(
            session, business_id=turn.business.id, customer_id=uuid.UUID(slots["customer_id"])
        )
        intra_state = customer.state_code == business.state_code
        name = customer.name
    inputs = _inputs(slots)
    amounts = [amounts_of(line, intra_state=intra_state) for line in inputs]
    taxable = sum(a.taxable_paise for a in amounts)
    lines_total = sum(a.total_paise for a in amounts)
    total = lines_total + round_off(lines_total)  # what the invoice will say
    params: dict[str, object] = {
        "customer": name,
        "lines": "\n".join(_describe(line, a) for line, a in zip(inputs, amounts, strict=True)),
        "taxable": Money(taxable),
        "tax": Money(lines_total - taxable),
        "total": Money(total),
    }
    rates = sorted({line.gst_rate for line in inputs})
    if len(rates) > 1:
        params["taxes"] = Bullets(tuple(_tax_at(rate, inputs, amounts, intra_state) for rate in rates))
        return Reply("invoice.confirm_mixed", params)
    params |= {
        "rate": format(rates[0].normalize(), "f"),
        "half_rate": format((rates[0] / 2).normalize(), "f"),
    }
    return Reply("invoice.confirm_intra" if intra_state else "invoice.confirm_inter", params)


def _tax_at(rate: Decimal, inputs: list[LineInput], amounts: list[LineAmounts], intra_state: bool) -> Phrase:
    """The tax of the lines at one rate, for a bill with several."""
    at_rate = [a for line, a in zip(inputs, amounts, strict=True) if line.gst_rate == rate]
    taxable = sum(a.taxable_paise for a in at_rate)
    tax = sum(a.total_paise for a in at_rate) - taxable
    values = {"rate": _percent(rate), "half_rate": _percent(rate / 2)}
    return Phrase(
        "invoice.tax_intra" if intra_state else "invoice.tax_inter",
        {**values, "taxable": Money(taxable), "tax": Money(tax)},
    )


def _checks(turn: Turn, slots: Slots) -> list[Reply]:
    """What looks wrong with the draft (a price typo, a bill sent twice, a missing GSTIN), for the owner to
    see before saying yes."""
    draft = Draft(
        business_id=turn.business.id,
        customer_id=uuid.UUID(slots["customer_id"]),
        issue_date=turn.today,
        due_date=None,
        lines=_inputs(slots),
    )
    with turn.db.transaction() as session:
        findings = check_invoice(session, draft, now=turn.now)
    findings = _worth_showing(findings, draft)
    if not findings:
        return []
    return [Reply("invoice.checks", {"findings": Bullets(tuple(Phrase(f.key, f.params) for f in findings))})]


def _worth_showing(findings: list[Finding], draft: Draft) -> list[Finding]:
    """One finding per mistake: a price typo also makes the total unusual, and a lump bill ("25000 ka
    bill") has no unit price to compare."""
    lump = all(line.description == DEFAULT_ITEM for line in draft.lines)
    codes = {f.code for f in findings}
    return [
        f
        for f in findings
        if not (f.code == "unusual_price" and lump)
        and not (f.code == "unusual_total" and "unusual_price" in codes and not lump)
    ]


def _describe(line: LineInput, amounts: LineAmounts) -> str:
    quantity = format(line.quantity.normalize(), "f")
    price, value = format_inr(line.unit_price_paise), format_inr(amounts.taxable_paise)
    return f"• {line.description}: {quantity} × {price} = {value}"


def _create(turn: Turn, slots: Slots) -> list[Reply]:
    customer_id = uuid.UUID(slots["customer_id"])
    draft = create_invoice(
        turn.db,
        business_id=turn.business.id,
        customer_id=customer_id,
        lines=_inputs(slots),
        issue_date=turn.today,
    )
    invoice = mark_sent(turn.db, business_id=turn.business.id, invoice_id=draft.id)
    turn.remember_customer(customer_id)
    return deliver_invoice(turn, invoice, owner_key="invoice.sent")


def deliver_invoice(turn: Turn, invoice: Invoice, *, owner_key: str | None) -> list[Reply]:
    """The invoice PDF and a payment link to the customer; `owner_key` tells the owner it went."""
    secret = turn.settings.secret_key.get_secret_value()
    public_url = turn.settings.server.public_url
    media = invoice_media(invoice=invoice, public_url=public_url, secret_key=secret)
    with turn.db.transaction() as session:
        customer = get_customer(session, business_id=turn.business.id, customer_id=invoice.customer_id)
        name = customer.name
        unreachable = unreachable_key(customer)
        paid = paid_by_invoice(session, business_id=turn.business.id, invoice_ids=[invoice.id])
    unpaid = invoice.total_paise - paid.get(invoice.id, 0)
    params: dict[str, object] = {
        "number": invoice.number,
        "customer": name,
        "business": turn.business.name,
        "total": Money(invoice.total_paise),
        "due": invoice.due_date,
    }
    customer_key = "invoice.to_customer_no_link"
    if unpaid > 0 and invoice.status in OPEN_STATUSES:
        request = request_payment(
            turn.db,
            turn.settings,
            business_id=turn.business.id,
            customer_id=invoice.customer_id,
            amount_paise=unpaid,
            invoice_id=invoice.id,
            now=turn.now,
        )
        if request.offer is not None:  # else the invoice still goes; the owner adds a UPI id or account
            params["pay"] = request.offer
            customer_key = "invoice.to_customer"
        if request.link is not None:
            params["link"] = request.link.page_url
    replies: list[Reply] = []
    if unreachable is None:
        replies.append(
            Reply(
                customer_key,
                params,
                to=To.CUSTOMER,
                customer_id=invoice.customer_id,
                media=(media,),
                kind=Kind.INVOICE,
                about=invoice.id,
            )
        )
    if owner_key is not None:
        replies.append(Reply(unreachable or owner_key, params, media=(media,)))
    return replies


def unreachable_key(customer: Customer) -> str | None:
    """Why the invoice can't go to the customer (no number; they asked for no messages), if it can't."""
    if customer.phone is None:
        return "invoice.created_no_phone"
    return "invoice.created_opted_out" if customer.opted_out_at is not None else None


CREATE_INVOICE = Form(
    "create_invoice",
    slots=(
        customer_slot(),
        Slot("lines", "ask.invoice_items", _fill_lines),
        gst_rate_slot(),
    ),
    submit=_create,
    confirm=_summary,
    checks=_checks,
)


def request_invoice(turn: Turn) -> list[Reply]:
    """A customer asks for their bill again: the one they name, else their latest open (or any) bill."""
    assert turn.sender.customer_id is not None
    customer_id = turn.sender.customer_id
    number = turn.parse.entity("invoice_number")
    with turn.db.transaction() as session:
        if number is not None:
            invoice = find_invoice_by_number(
                session, business_id=turn.business.id, number=str(number.value), customer_id=customer_id
            )
        else:
            invoice = latest_invoice(
                session, business_id=turn.business.id, customer_id=customer_id, statuses=OPEN_STATUSES
            ) or latest_invoice(
                session,
                business_id=turn.business.id,
                customer_id=customer_id,
                statuses=(InvoiceStatus.PAID,),
            )
        if invoice is not None:
            invoice = get_invoice(session, business_id=turn.business.id, invoice_id=invoice.id)
    if invoice is None:
        return [Reply("invoice.none_for_you")]
    replies = deliver_invoice(turn, invoice, owner_key=None)
    return [Reply(r.key, r.params, media=r.media) for r in replies]  # it is the sender who asked


HANDLERS = (
    IntentHandler("create_invoice", OWNER, form=CREATE_INVOICE),
    IntentHandler("request_invoice", CUSTOMER, handle=request_invoice),
)
