"""A customer's complaint about a bill, kept in their words; the owner sees what is pending, and settles it:
the bill stands (reminders resume), or it is cancelled with a credit note."""

from __future__ import annotations

import uuid

from bot.errors import UnknownDispute
from bot.i18n import Money, default_locales
from dialogues.forms import Form, NeedChoice, Option, Slot, Slots, SlotValue
from dialogues.registry import CUSTOMER, OWNER, IntentHandler
from dialogues.reply import Reply, To
from dialogues.slots import customer_slot
from dialogues.turn import Turn
from modules.customers.repository import get_customer
from modules.disputes.repository import open_disputes
from modules.disputes.service import Outcome, open_dispute, settle_dispute
from modules.invoicing.issued import cancel_with_credit_note
from modules.invoicing.models import OPEN_STATUSES
from modules.invoicing.repository import find_invoice_by_number, get_invoice, latest_invoice, paid_by_invoice

MAX_LISTED = 10


def dispute(turn: Turn) -> list[Reply]:
    """The bill they name, else their latest open one, is marked disputed; the owner gets their words."""
    assert turn.sender.customer_id is not None
    number = turn.parse.entity("invoice_number")
    with turn.db.transaction() as session:
        if number is not None:
            invoice = find_invoice_by_number(
                session,
                business_id=turn.business.id,
                number=str(number.value),
                customer_id=turn.sender.customer_id,
            )
        else:
            invoice = latest_invoice(
                session,
                business_id=turn.business.id,
                customer_id=turn.sender.customer_id,
                statuses=OPEN_STATUSES,
            )
        invoice_id, invoice_number = (invoice.id, invoice.number) if invoice else (None, "—")
    open_dispute(
        turn.db,
        business_id=turn.business.id,
        customer_id=turn.sender.customer_id,
        reason=turn.text,
        invoice_id=invoice_id,
    )
    params = {
        "customer": turn.sender.name,
        "number": invoice_number,
        "words": turn.text[:500],
        "business": turn.business.name,
    }
    return [Reply("dispute.noted", params), Reply("dispute.owner_notice", params, to=To.OWNER)]


def list_disputes(turn: Turn) -> list[Reply]:
    with turn.db.transaction() as session:
        pending = open_disputes(session, business_id=turn.business.id)
    if not pending:
        return [Reply("dispute.none_open")]
    lines = "\n".join(
        f"{n}. {d.customer} ({d.invoice_number or '—'}): {d.reason[:120]}"
        for n, d in enumerate(pending[:MAX_LISTED], start=1)
    )
    return [Reply("dispute.open_list", {"count": len(pending), "lines": lines})]


def _fill_dispute(turn: Turn, answering: bool) -> SlotValue | None:
    """The open dispute on the bill named, else of the customer named, else the only one; a choice when
    there are several."""
    number = turn.parse.entity("invoice_number")
    customer = CUSTOMER_SLOT.fill(turn, False) if turn.parse.entity("customer") else None
    with turn.db.transaction() as session:
        pending = open_disputes(session, business_id=turn.business.id)
        if number is not None:
            bill = find_invoice_by_number(session, business_id=turn.business.id, number=str(number.value))
            pending = [d for d in pending if bill is not None and d.invoice_id == bill.id]
    if customer is not None:
        pending = [d for d in pending if str(d.customer_id) == customer]
    if not pending:
        raise UnknownDispute("no open dispute fits")
    if len(pending) == 1:
        return str(pending[0].id)
    options = [Option(str(d.id), f"{d.customer[:12]} {d.invoice_number or ''}".strip()) for d in pending[:10]]
    raise NeedChoice(options)


def _fill_outcome(turn: Turn, answering: bool) -> SlotValue | None:
    """Said with the request ("... bill cancel kar do"), else chosen with a button."""
    return str(Outcome.CANCEL_BILL) if not answering and "cancel" in turn.text.lower() else None


def _outcomes(turn: Turn) -> list[Option]:
    locales = default_locales()
    return [
        Option(str(Outcome.BILL_STANDS), locales.render("button.bill_stands", turn.language)),
        Option(str(Outcome.CANCEL_BILL), locales.render("button.cancel_bill", turn.language)),
    ]


def _settle(turn: Turn, slots: Slots) -> list[Reply]:
    outcome = Outcome(slots["outcome"])
    settled = settle_dispute(
        turn.db,
        business_id=turn.business.id,
        dispute_id=uuid.UUID(slots["dispute_id"]),
        outcome=outcome,
        note=turn.text,
        now=turn.now,
    )
    turn.remember_customer(settled.customer_id)
    if settled.invoice_id is None:
        return [Reply("dispute.closed")]
    if outcome is Outcome.CANCEL_BILL:
        return cancel_with_credit_note(turn, settled.invoice_id)
    with turn.db.transaction() as session:
        invoice = get_invoice(session, business_id=turn.business.id, invoice_id=settled.invoice_id)
        customer = get_customer(session, business_id=turn.business.id, customer_id=settled.customer_id)
        paid = paid_by_invoice(session, business_id=turn.business.id, invoice_ids=[invoice.id])
    params = {
        "customer": customer.name,
        "number": invoice.number,
        "business": turn.business.name,
        "amount": Money(invoice.total_paise - paid.get(invoice.id, 0)),
    }
    return [
        Reply("dispute.bill_stands", params),
        Reply("dispute.bill_stands_customer", params, to=To.CUSTOMER, customer_id=customer.id),
    ]


CUSTOMER_SLOT = customer_slot()
SETTLE = Form(
    "resolve_dispute",
    slots=(
        Slot("dispute_id", "ask.dispute", _fill_dispute),
        Slot("outcome", "ask.dispute_outcome", _fill_outcome, _outcomes),
    ),
    submit=_settle,
)
HANDLERS = (
    IntentHandler("dispute", CUSTOMER, handle=dispute),
    IntentHandler("list_disputes", OWNER, handle=list_disputes),
    IntentHandler("resolve_dispute", OWNER, form=SETTLE),
)
