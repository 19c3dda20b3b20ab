"""Adding customers, and what customers say about being contacted: stop, start, a person please."""

from __future__ import annotations

from bot.phone import normalize_phone
from dialogues.forms import Form, Slot, Slots, SlotValue
from dialogues.registry import CUSTOMER, OWNER, IntentHandler
from dialogues.reply import Reply, To
from dialogues.turn import Turn
from modules.customers.service import NewCustomer, create_customer, set_opt_out


def _fill_name(turn: Turn, answering: bool) -> SlotValue | None:
    entity = turn.parse.entity("customer")
    if entity is not None:
        return str(entity.value).strip()[:200]
    return turn.text.strip()[:200] if answering and turn.text.strip() else None


def _fill_phone(turn: Turn, answering: bool) -> SlotValue | None:
    entity = turn.parse.entity("phone")
    if entity is not None:
        return normalize_phone(str(entity.value))
    return normalize_phone(turn.text) if answering else None


def _fill_gstin(turn: Turn, answering: bool) -> SlotValue | None:
    entity = turn.parse.entity("gstin")
    return str(entity.value) if entity is not None else None


def _add(turn: Turn, slots: Slots) -> list[Reply]:
    customer = create_customer(
        turn.db,
        business_id=turn.business.id,
        new=NewCustomer(name=slots["name"], phones=[slots["phone"]], gstin=slots.get("gstin")),
    )
    turn.remember_customer(customer.id)
    return [Reply("customer.added", {"name": customer.name, "phone": slots["phone"]})]


ADD_CUSTOMER = Form(
    "add_customer",
    slots=(
        Slot("name", "ask.customer_name", _fill_name),
        Slot("phone", "ask.phone", _fill_phone),
        Slot("gstin", "ask.gstin", _fill_gstin, required=False),
    ),
    submit=_add,
)


def opt_out(turn: Turn) -> list[Reply]:
    return _opt(turn, opted_out=True)


def opt_in(turn: Turn) -> list[Reply]:
    """Only the customer's own request turns messages back on; merely writing to us does not."""
    return _opt(turn, opted_out=False)


def _opt(turn: Turn, *, opted_out: bool) -> list[Reply]:
    assert turn.sender.customer_id is not None
    set_opt_out(
        turn.db,
        business_id=turn.business.id,
        customer_id=turn.sender.customer_id,
        opted_out=opted_out,
        clock=turn.clock,
    )
    key = "customer.opted_out" if opted_out else "customer.opted_in"
    return [Reply(key, {"business": turn.business.name})]


def talk_to_human(turn: Turn) -> list[Reply]:
    return [
        Reply("customer.human_asked", {"business": turn.business.name}),
        Reply(
            "owner.human_wanted",
            {"customer": turn.sender.name, "phone": turn.sender.phone, "words": turn.text[:500]},
            to=To.OWNER,
        ),
    ]


HANDLERS = (
    IntentHandler("add_customer", OWNER, form=ADD_CUSTOMER),
    IntentHandler("opt_out", CUSTOMER, handle=opt_out),
    IntentHandler("opt_in", CUSTOMER, handle=opt_in),
    IntentHandler("talk_to_human", CUSTOMER, handle=talk_to_human),
)
