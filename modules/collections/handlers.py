"""What customers say back about paying: a date (a promise) or a plea for time (an extension)."""

from __future__ import annotations

from datetime import date

from bot.i18n import Money
from dialogues.forms import Form, Slots
from dialogues.registry import CUSTOMER, IntentHandler
from dialogues.reply import Reply, To
from dialogues.slots import amount_slot, date_slot
from dialogues.turn import Turn
from modules.collections.service import record_promise


def _promise(turn: Turn, slots: Slots) -> list[Reply]:
    assert turn.sender.customer_id is not None
    amount = slots.get("amount_paise")
    promise = record_promise(
        turn.db,
        business_id=turn.business.id,
        customer_id=turn.sender.customer_id,
        promised_date=date.fromisoformat(slots["date"]),
        amount_paise=amount,
    )
    params = {
        "date": promise.promised_date,
        "customer": turn.sender.name,
        "amount": Money(amount) if amount else "",
        "business": turn.business.name,
    }
    owner_key = "collections.owner_promise_amount" if amount else "collections.owner_promise"
    return [
        Reply("collections.promise_noted", params),
        Reply(owner_key, params, to=To.OWNER),
    ]


PROMISE = Form(
    "promise_to_pay", slots=(date_slot("ask.promise_date"), amount_slot(required=False)), submit=_promise
)


def request_extension(turn: Turn) -> list[Reply]:
    params = {"customer": turn.sender.name, "words": turn.text[:500], "business": turn.business.name}
    return [
        Reply("collections.extension_noted", params),
        Reply("collections.owner_extension", params, to=To.OWNER),
    ]


HANDLERS = (
    IntentHandler("promise_to_pay", CUSTOMER, form=PROMISE),
    IntentHandler("request_extension", CUSTOMER, handle=request_extension),
)
