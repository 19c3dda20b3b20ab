"""Adding customers and recording their choices (opt-out)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.clock import Clock
from bot.db import Database
from bot.errors import DuplicatePhone, InvalidInput
from bot.phone import normalize_phone
from bot.validation import require_language, require_name
from modules.business.repository import get_business
from modules.customers.models import Customer, CustomerPhone
from modules.customers.repository import find_customer_by_phone, get_customer
from modules.invoicing.gst import normalize_gstin, resolve_state_code

MAX_CREDIT_DAYS = 365


@dataclass(frozen=True)
class NewCustomer:
    name: str
    phones: Sequence[str] = ()
    gstin: str | None = None
    state_code: str | None = None  # from the GSTIN if registered, else given, else the business's state
    address: str = ""
    language: str | None = None  # default: the business's language
    tags: Sequence[str] = field(default_factory=tuple)
    credit_days: int = 30


def create_customer(db: Database, *, business_id: uuid.UUID, new: NewCustomer) -> Customer:
    """Add a customer to a business.

    Raises:
        UnknownBusiness; InvalidInput (name, GSTIN, state code, phone, language, credit days);
        DuplicatePhone: a number already belongs to another customer of this business.
    """
    name = require_name(new.name, "customer name")
    gstin = normalize_gstin(new.gstin) if new.gstin else None
    phones = list(dict.fromkeys(normalize_phone(p) for p in new.phones))
    if not 0 <= new.credit_days <= MAX_CREDIT_DAYS:
        raise InvalidInput(f"credit days must be 0-{MAX_CREDIT_DAYS}", field="credit_days")
    with db.transaction() as session:
        business = get_business(session, business_id)
        for phone in phones:
            if find_customer_by_phone(session, business_id=business_id, phone=phone) is not None:
                raise DuplicatePhone(f"{phone} already belongs to another customer", phone=phone)
        customer = Customer(
            business_id=business_id,
            name=name,
            gstin=gstin,
            state_code=resolve_state_code(gstin, new.state_code, default=business.state_code),
            address=new.address.strip(),
            language=require_language(new.language or business.default_language),
            tags=[t.strip() for t in new.tags if t.strip()],
            credit_days=new.credit_days,
            phones=[
                CustomerPhone(business_id=business_id, phone=phone, position=i)
                for i, phone in enumerate(phones)
            ],
        )
        session.add(customer)
        session.flush()
    return customer


def set_opt_out(
    db: Database, *, business_id: uuid.UUID, customer_id: uuid.UUID, opted_out: bool, clock: Clock
) -> Customer:
    """Stop (or, at the customer's own request, resume) proactive messages to a customer."""
    with db.transaction() as session:
        customer = get_customer(session, business_id=business_id, customer_id=customer_id)
        if opted_out and customer.opted_out_at is None:
            customer.opted_out_at = clock.now()
        elif not opted_out:
            customer.opted_out_at = None
    return customer


def remember_language(db: Database, *, business_id: uuid.UUID, customer_id: uuid.UUID, language: str) -> None:
    """Keep the language a customer writes in, so reminders and invoices reach them in it."""
    with db.transaction() as session:
        customer = get_customer(session, business_id=business_id, customer_id=customer_id)
        customer.language = require_language(language)
