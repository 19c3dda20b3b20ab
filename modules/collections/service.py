"""Promises to pay: what a customer said they would pay, and by when."""

from __future__ import annotations

import uuid
from datetime import date

from bot.db import Database
from bot.errors import InvalidAmount
from modules.collections.models import PromiseToPay, ReminderPause
from modules.customers.repository import get_customer
from modules.invoicing.repository import get_invoice


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
