"""Promises to pay, pauses of reminders, and reminder schedules: what the owner and customers set."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select

from bot.db import Database
from bot.errors import InvalidAmount, InvalidInput
from modules.collections.models import PromiseToPay, ReminderPause, ReminderPolicy
from modules.customers.repository import get_customer
from modules.invoicing.repository import get_invoice
from nlu.schedule import MAX_DAYS


def record_promise(
    db: Database,
    *,
    business_id: uuid.UUID,
    customer_id: uuid.UUID,
    promised_date: date,
    amount_paise: int | None = None,
    invoice_id: uuid.UUID | None = None,
) -> PromiseToPay:
    """Raises: UnknownCustomer, UnknownInvoice (not this customer's), InvalidAmount."""
    if amount_paise is not None and amount_paise <= 0:
        raise InvalidAmount(f"promised amount must be positive, got {amount_paise}", amount=str(amount_paise))
    with db.transaction() as session:
        get_customer(session, business_id=business_id, customer_id=customer_id)
        if invoice_id is not None:
            get_invoice(session, business_id=business_id, invoice_id=invoice_id, customer_id=customer_id)
        promise = PromiseToPay(
            business_id=business_id,
            customer_id=customer_id,
            invoice_id=invoice_id,
            promised_date=promised_date,
            amount_paise=amount_paise,
        )
        session.add(promise)
        session.flush()
    return promise


# The longest step of a schedule, in days: what nlu/schedule.py reads from a message.
MAX_SCHEDULE_DAYS = MAX_DAYS
# "Until you say so": a pause with no end day is kept to this one.
FOREVER = date(9999, 12, 31)


def pause_reminders(
    db: Database,
    *,
    business_id: uuid.UUID,
    customer_id: uuid.UUID,
    until: date = FOREVER,
    invoice_id: uuid.UUID | None = None,
) -> ReminderPause:
    """No reminders to the customer (or about one of their bills) up to and including `until`.

    Raises: UnknownCustomer; UnknownInvoice (not this customer's).
    """
    with db.transaction() as session:
        get_customer(session, business_id=business_id, customer_id=customer_id)
        if invoice_id is not None:
            get_invoice(session, business_id=business_id, invoice_id=invoice_id, customer_id=customer_id)
        pause = ReminderPause(
            business_id=business_id, customer_id=customer_id, invoice_id=invoice_id, until=until
        )
        session.add(pause)
        session.flush()
    return pause


def set_cadence(
    db: Database,
    *,
    business_id: uuid.UUID,
    before_days: int,
    every_days_after: int,
    customer_id: uuid.UUID | None = None,
) -> ReminderPolicy:
    """The business's reminder schedule (or one customer's own) from the next run on: a reminder
    `before_days` before the due date (0: none), one on it, then every `every_days_after` days (0: none).

    Raises: UnknownCustomer; InvalidInput (days out of 0-60).
    """
    if not (0 <= before_days <= MAX_SCHEDULE_DAYS and 0 <= every_days_after <= MAX_SCHEDULE_DAYS):
        raise InvalidInput("reminder days are 0 to 60", field="days")
    with db.transaction() as session:
        if customer_id is not None:
            get_customer(session, business_id=business_id, customer_id=customer_id)
        policy = session.scalars(
            select(ReminderPolicy).where(
                ReminderPolicy.business_id == business_id,
                ReminderPolicy.customer_id.is_(None)
                if customer_id is None
                else ReminderPolicy.customer_id == customer_id,
            )
        ).first() or ReminderPolicy(business_id=business_id, customer_id=customer_id)
        policy.before_days = [before_days] if before_days else []
        policy.on_due = True
        policy.every_days_after = every_days_after
        session.add(policy)
        session.flush()
    return policy
