"""What customers say back about paying (a date: a promise; a plea for time: an extension), and the owner's
word on reminders: send one now, or hold them."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from sqlalchemy.exc import IntegrityError

from bot.errors import InvalidInput, UnknownCustomer
from bot.i18n import Money, Phrase
from dialogues.forms import Form, Option, Slot, Slots, SlotValue
from dialogues.registry import CUSTOMER, OWNER, Action, IntentHandler
from dialogues.reply import Choice, Reply, To
from dialogues.slots import amount_slot, customer_slot, date_slot
from dialogues.turn import Turn
from modules.business.repository import get_business
from modules.collections.briefing import action, top_constraints
from modules.collections.models import SkipReason
from modules.collections.reminders import ReminderPlan, plan_reminders, record_reminder, reminder_on
from modules.collections.service import (
    FOREVER,
    MAX_SCHEDULE_DAYS,
    pause_reminders,
    record_promise,
    set_cadence,
)
from modules.customers.models import Customer
from modules.customers.repository import get_customer
from modules.invoicing.repository import find_invoice_by_number
from modules.ledger.service import customer_outstanding
from nlu.schedule import reminder_schedule


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


# What the owner may answer a plea for time with: days without reminders, two parts, or no.
GRANTABLE_DAYS = (7, 15)
INSTALMENT_DAYS = (15, 30)


def request_extension(turn: Turn) -> list[Reply]:
    assert turn.sender.customer_id is not None
    customer = turn.sender.customer_id
    params = {"customer": turn.sender.name, "words": turn.text[:500], "business": turn.business.name}
    choices = (
        *(
            Choice(f"grant_time:{customer}:{days}", "button.grant_days", {"days": days})
            for days in GRANTABLE_DAYS
        ),
        Choice(f"instalments:{customer}", "button.instalments"),
        Choice(f"refuse_time:{customer}", "button.refuse_time"),
    )
    return [
        Reply("collections.extension_noted", params),
        Reply("collections.owner_extension", params, to=To.OWNER, buttons=choices),
    ]


def _grant_time(turn: Turn, argument: str) -> list[Reply]:
    """The owner gives the customer days: no reminders until then, and the customer told by when."""
    customer_id, _, days = argument.partition(":")
    if not days.isdigit() or int(days) not in GRANTABLE_DAYS:
        raise InvalidInput(f"not a grant: {argument[:60]!r}", field="days")
    customer = _customer_of_button(turn, customer_id)
    until = turn.today + timedelta(days=int(days))
    pause_reminders(turn.db, business_id=turn.business.id, customer_id=customer.id, until=until)
    params = {"customer": customer.name, "business": turn.business.name, "date": until}
    return [
        Reply("collections.time_granted", params),
        Reply("collections.time_granted_customer", params, to=To.CUSTOMER, customer_id=customer.id),
    ]


def _instalments(turn: Turn, argument: str) -> list[Reply]:
    """What they owe in two parts, half in 15 days and the rest in 30: two promises, so the reminders wait
    for each day and a missed part is followed up like any broken promise."""
    customer = _customer_of_button(turn, argument)
    owed = customer_outstanding(
        turn.db, business_id=turn.business.id, customer_id=customer.id, today=turn.today
    ).balance_paise
    if owed <= 0:
        return [Reply("collections.nothing_to_remind", {"customer": customer.name})]
    first, second = owed // 2, owed - owed // 2
    days = [turn.today + timedelta(days=n) for n in INSTALMENT_DAYS]
    # The second promise is for the whole: money paid since both were made is what keeps each.
    for day, amount in zip(days, (first, owed), strict=True):
        record_promise(
            turn.db,
            business_id=turn.business.id,
            customer_id=customer.id,
            promised_date=day,
            amount_paise=amount,
        )
    params = {
        "customer": customer.name,
        "business": turn.business.name,
        "first": Money(first),
        "first_date": days[0],
        "second": Money(second),
        "second_date": days[1],
    }
    return [
        Reply("collections.instalments_set", params),
        Reply("collections.instalments_customer", params, to=To.CUSTOMER, customer_id=customer.id),
    ]


def _refuse_time(turn: Turn, argument: str) -> list[Reply]:
    customer = _customer_of_button(turn, argument)
    params = {"customer": customer.name, "business": turn.business.name}
    return [
        Reply("collections.time_refused", params),
        Reply("collections.time_refused_customer", params, to=To.CUSTOMER, customer_id=customer.id),
    ]


def _customer_of_button(turn: Turn, raw: str) -> Customer:
    """Raises: UnknownCustomer for an id that is not this business's (a forged tap)."""
    try:
        customer_id = uuid.UUID(raw)
    except ValueError as error:
        raise UnknownCustomer(f"not a customer id: {raw[:40]!r}", name=raw[:40]) from error
    with turn.db.transaction() as session:
        return get_customer(session, business_id=turn.business.id, customer_id=customer_id)


# -- the owner: remind now, or hold reminders ------------------------------------------------------


# Reasons not to remind that even the owner's word does not override.
_CANNOT = {
    SkipReason.OPTED_OUT: "collections.cannot_remind_opted_out",
    SkipReason.NO_PHONE: "collections.cannot_remind_no_phone",
}


def _remind_summary(turn: Turn, slots: Slots) -> Reply:
    plan = _plan_for(turn, uuid.UUID(slots["customer_id"]))
    params = {"customer": _name(turn, slots), "amount": Money(plan.total_paise if plan else 0)}
    return Reply("collections.remind_confirm", params)


def _remind(turn: Turn, slots: Slots) -> list[Reply]:
    """The customer reminded of everything they owe now, whatever the cadence, holidays, promises or
    pauses say (the owner decides); not after an opt-out, and at most once a day."""
    customer_id = uuid.UUID(slots["customer_id"])
    turn.remember_customer(customer_id)
    params: dict[str, object] = {"customer": _name(turn, slots)}
    plan = _plan_for(turn, customer_id)
    if plan is None:
        key = (
            "collections.reminded_today"
            if _reminded_today(turn, customer_id)
            else "collections.nothing_to_remind"
        )
        return [Reply(key, params)]
    if plan.skip in _CANNOT:
        return [Reply(_CANNOT[plan.skip], params)]
    with turn.db.transaction() as session:
        business = get_business(session, turn.business.id)
    opens = _next_calling_hour(turn)  # at night it is the morning's reminder, and held until then
    try:
        reply = record_reminder(
            turn.db,
            turn.settings,
            business=business,
            plan=replace(plan, skip=None, detail=""),
            now=opens or turn.now,
            by_owner=True,
        )
    except IntegrityError:  # a scheduled one went out meanwhile
        return [Reply("collections.reminded_today", params)]
    assert reply is not None
    params["amount"] = Money(plan.total_paise)
    if opens is None:
        return [reply, Reply("collections.reminder_sent", params)]
    held = {**params, "hour": opens.strftime("%H:%M"), "date": opens.date()}
    return [replace(reply, not_before=opens), Reply("collections.reminder_held", held)]


def _plan_for(turn: Turn, customer_id: uuid.UUID) -> ReminderPlan | None:
    with turn.db.transaction() as session:
        business = get_business(session, turn.business.id)
        plans = plan_reminders(
            session, business, turn.settings.collections, turn.today, forced=frozenset({customer_id})
        )
    return next((plan for plan in plans if plan.customer_id == customer_id and plan.bills), None)


def _reminded_today(turn: Turn, customer_id: uuid.UUID) -> bool:
    with turn.db.transaction() as session:
        return reminder_on(session, business_id=turn.business.id, customer_id=customer_id, day=turn.today)


def _next_calling_hour(turn: Turn) -> datetime | None:
    """When a customer may next be written to, if not now (the business's send hours)."""
    hours = turn.settings.collections
    local = turn.now.astimezone(turn.business.tz)
    if hours.send_from_hour <= local.hour < hours.send_until_hour:
        return None
    day = local.date() if local.hour < hours.send_from_hour else local.date() + timedelta(days=1)
    return datetime.combine(day, time(hours.send_from_hour), turn.business.tz)


def _pause(turn: Turn, slots: Slots) -> list[Reply]:
    customer_id = uuid.UUID(slots["customer_id"])
    turn.remember_customer(customer_id)
    until = date.fromisoformat(slots["date"]) if slots.get("date") else FOREVER
    number = turn.parse.entity("invoice_number")
    invoice = None
    if number is not None:
        with turn.db.transaction() as session:
            invoice = find_invoice_by_number(
                session, business_id=turn.business.id, number=str(number.value), customer_id=customer_id
            )
    pause_reminders(
        turn.db,
        business_id=turn.business.id,
        customer_id=customer_id,
        until=until,
        invoice_id=invoice.id if invoice else None,
    )
    params = {"customer": _name(turn, slots), "date": until, "number": invoice.number if invoice else ""}
    if invoice is not None:
        key = "collections.paused_bill" if until != FOREVER else "collections.paused_bill_for_now"
    else:
        key = "collections.paused_until" if until != FOREVER else "collections.paused"
    return [Reply(key, params)]


def _name(turn: Turn, slots: Slots) -> str:
    with turn.db.transaction() as session:
        return get_customer(
            session, business_id=turn.business.id, customer_id=uuid.UUID(slots["customer_id"])
        ).name


REMIND = Form("send_reminder", slots=(customer_slot(),), submit=_remind, confirm=_remind_summary)
PAUSE = Form(
    "pause_reminders",
    slots=(customer_slot(), Slot("date", "ask.date", date_slot().fill, required=False)),
    submit=_pause,
)


# -- the day's top constraint, on demand -------------------------------------------------------------

# "What else?": tapped, it shows the next action; its argument is how many were shown.
MORE_CONSTRAINTS = Choice("more_constraints:1", "button.more")
_SHOWN_AT_ONCE = 1


def top_constraint(turn: Turn) -> list[Reply]:
    return _constraint_from(turn, 0)


def _more(turn: Turn, argument: str) -> list[Reply]:
    return _constraint_from(turn, int(argument) if argument.isdigit() else 1)


def _constraint_from(turn: Turn, shown: int) -> list[Reply]:
    with turn.db.transaction() as session:
        candidates = top_constraints(session, get_business(session, turn.business.id), turn.today)
    if shown >= len(candidates):
        return [Reply("constraint.none" if not candidates else "constraint.no_more")]
    chosen = candidates[shown]
    key = "constraint.first" if shown == 0 else "constraint.next"
    params = {"action": action(chosen), "rank": shown + 1, "count": len(candidates)}
    if shown + 1 >= len(candidates):
        return [Reply(key, params)]
    more = Choice(f"more_constraints:{shown + _SHOWN_AT_ONCE}", "button.more")
    turn.state.more = more.id  # "aur?" typed asks for it too
    return [Reply(key, params, buttons=(more,))]


# -- the reminder schedule, set by the owner -----------------------------------------------------------

_BEFORE_CHOICES = (0, 1, 3, 7)
_EVERY_CHOICES = (0, 3, 7, 15)


def _fill_before(turn: Turn, answering: bool) -> SlotValue | None:
    return _days_slot(turn, answering, reminder_schedule(turn.text).before_days, _BEFORE_CHOICES)


def _fill_every(turn: Turn, answering: bool) -> SlotValue | None:
    return _days_slot(turn, answering, reminder_schedule(turn.text).every_days, _EVERY_CHOICES)


def _days_slot(turn: Turn, answering: bool, said: int | None, choices: tuple[int, ...]) -> SlotValue | None:
    """The days said in the message, or a bare number given as the answer (0 included: none)."""
    if said is not None:
        return said
    text = turn.text.strip()
    if answering and text.isdigit() and int(text) <= MAX_SCHEDULE_DAYS:
        return int(text)
    return None


def _day_options(choices: tuple[int, ...]) -> list[Option]:
    return [Option(days, str(days)) for days in choices]


def _schedule_summary(turn: Turn, slots: Slots) -> Reply:
    return Reply("collections.cadence_confirm", _schedule_params(turn, slots))


def _schedule_params(turn: Turn, slots: Slots) -> dict[str, object]:
    before, every = int(slots["before_days"]), int(slots["every_days"])
    who: object = _name(turn, slots) if slots.get("customer_id") else Phrase("collections.everyone")
    return {
        "who": who,
        "before": Phrase("collections.before_days", {"days": before})
        if before
        else Phrase("collections.no_before"),
        "after": Phrase("collections.every_days", {"days": every})
        if every
        else Phrase("collections.no_after"),
    }


def _save_schedule(turn: Turn, slots: Slots) -> list[Reply]:
    customer = uuid.UUID(slots["customer_id"]) if slots.get("customer_id") else None
    set_cadence(
        turn.db,
        business_id=turn.business.id,
        customer_id=customer,
        before_days=int(slots["before_days"]),
        every_days_after=int(slots["every_days"]),
    )
    return [Reply("collections.cadence_saved", _schedule_params(turn, slots))]


SCHEDULE = Form(
    "set_reminders",
    slots=(
        Slot("customer_id", "ask.customer", customer_slot().fill, required=False),
        Slot("before_days", "ask.reminder_before", _fill_before, lambda turn: _day_options(_BEFORE_CHOICES)),
        Slot("every_days", "ask.reminder_every", _fill_every, lambda turn: _day_options(_EVERY_CHOICES)),
    ),
    submit=_save_schedule,
    confirm=_schedule_summary,
)

HANDLERS = (
    IntentHandler("promise_to_pay", CUSTOMER, form=PROMISE),
    IntentHandler("request_extension", CUSTOMER, handle=request_extension),
    IntentHandler("send_reminder", OWNER, form=REMIND),
    IntentHandler("pause_reminders", OWNER, form=PAUSE),
    IntentHandler("top_constraint", OWNER, handle=top_constraint),
    IntentHandler("set_reminders", OWNER, form=SCHEDULE),
)
ACTIONS = (
    Action("more_constraints", OWNER, _more),
    Action("grant_time", OWNER, _grant_time),
    Action("instalments", OWNER, _instalments),
    Action("refuse_time", OWNER, _refuse_time),
)
