"""Slot fillers shared by several modules' forms: who, how much, when, which GST rate."""

from __future__ import annotations

import re
import uuid
from datetime import date
from decimal import Decimal, InvalidOperation

from bot.errors import InvalidAmount, InvalidGstRate, InvalidInput, UnknownCustomer
from bot.money import rupees_to_paise
from dialogues.forms import NeedChoice, Option, Slot, SlotValue
from dialogues.turn import Turn
from modules.customers.search import customers_mentioned, find_customers
from modules.invoicing.tax import GST_RATES

# "usko bhi bhejo", "send him the link too": the customer talked about last.
_PRONOUN = re.compile(
    r"\b(usko|usse|uska|uske|unko|unka|unke|unhe|unhein|inko|isko|iska|wahi|vahi|him|her|them|their|same)\b",
    re.IGNORECASE,
)
_BARE_NUMBER = re.compile(r"^\s*(?:rs\.?|₹)?\s*(\d[\d,]*(?:\.\d{1,2})?)\s*%?\s*(?:/-)?\s*$", re.IGNORECASE)


def customer_slot(ask: str = "ask.customer") -> Slot:
    return Slot("customer_id", ask, _fill_customer)


def amount_slot(ask: str = "ask.amount", *, required: bool = True) -> Slot:
    return Slot("amount_paise", ask, _fill_amount, required=required)


def date_slot(ask: str = "ask.date") -> Slot:
    return Slot("date", ask, _fill_date)


def gst_rate_slot(ask: str = "ask.gst_rate") -> Slot:
    return Slot("gst_rate", ask, _fill_gst_rate, choices=_gst_choices)


def resolve_customer(turn: Turn, name: str) -> uuid.UUID:
    """The one customer `name` means. Raises: UnknownCustomer; NeedChoice when several fit."""
    matches = find_customers(turn.db, business_id=turn.business.id, name=name)
    if not matches:
        raise UnknownCustomer(f"no customer like {name!r}", name=name)
    if len(matches) > 1:
        raise NeedChoice([Option(str(m.id), m.name) for m in matches])
    turn.remember_customer(matches[0].id)
    return matches[0].id


def _fill_customer(turn: Turn, answering: bool) -> SlotValue | None:
    entity = turn.parse.entity("customer")
    if entity is not None:
        return str(resolve_customer(turn, str(entity.value)))
    if turn.context_customer is not None and _PRONOUN.search(turn.text):
        return str(turn.context_customer)
    mentioned = customers_mentioned(turn.db, business_id=turn.business.id, text=turn.text)
    if len(mentioned) > 1:
        raise NeedChoice([Option(str(m.id), m.name) for m in mentioned])
    if mentioned:
        turn.remember_customer(mentioned[0].id)
        return str(mentioned[0].id)
    if answering and turn.text.strip():
        return str(resolve_customer(turn, turn.text.strip()[:200]))
    return None


def _fill_amount(turn: Turn, answering: bool) -> SlotValue | None:
    raw = _number(turn, "amount", answering)
    return None if raw is None else positive_paise(raw)


def positive_paise(rupees: object) -> int:
    """Raises: InvalidAmount."""
    paise = rupees_to_paise(str(rupees))
    if paise <= 0:
        raise InvalidAmount(f"amount must be positive: {rupees!r}", amount=str(rupees))
    return paise


def _fill_date(turn: Turn, answering: bool) -> SlotValue | None:
    entity = turn.parse.entity("date")
    if entity is None:
        return None
    day = date.fromisoformat(str(entity.value))
    if day < turn.today:
        raise InvalidInput(f"{day} is in the past", field="date")
    return day.isoformat()


def _fill_gst_rate(turn: Turn, answering: bool) -> SlotValue | None:
    raw = _number(turn, "gst_rate", answering)
    if raw is None:
        return None
    try:
        rate = Decimal(str(raw)).normalize()
    except InvalidOperation as error:
        raise InvalidGstRate(f"not a rate: {raw!r}", rate=str(raw)) from error
    if rate not in GST_RATES:
        raise InvalidGstRate(f"{rate}% is not a GST rate", rate=str(raw))
    return format(rate, "f")


def _gst_choices(turn: Turn) -> list[Option]:
    return [Option(rate, f"{rate}%") for rate in ("0", "5", "18", "40")]


def _number(turn: Turn, entity_name: str, answering: bool) -> object | None:
    """The entity's value; or, for a message answering this very question, a bare "18" or "25,000"."""
    entity = turn.parse.entity(entity_name)
    if entity is not None:
        return entity.value
    match = _BARE_NUMBER.match(turn.text) if answering else None
    return match.group(1).replace(",", "") if match else None
