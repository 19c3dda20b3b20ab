"""Queries on customers, always within one business. Never commits."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.errors import UnknownCustomer
from modules.customers.models import Customer, CustomerPhone


def get_customer(session: Session, *, business_id: uuid.UUID, customer_id: uuid.UUID) -> Customer:
    """Raises: UnknownCustomer, also when the customer belongs to another business."""
    customer = session.scalars(
        select(Customer).where(Customer.business_id == business_id, Customer.id == customer_id)
    ).one_or_none()
    if customer is None:
        raise UnknownCustomer(f"no customer {customer_id} in this business", customer_id=str(customer_id))
    return customer


def find_customer_by_phone(session: Session, *, business_id: uuid.UUID, phone: str) -> Customer | None:
    return session.scalars(
        select(Customer)
        .join(CustomerPhone, CustomerPhone.customer_id == Customer.id)
        .where(CustomerPhone.business_id == business_id, CustomerPhone.phone == phone)
    ).one_or_none()


def customer_names(
    session: Session, *, business_id: uuid.UUID, customer_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, str]:
    rows = session.execute(
        select(Customer.id, Customer.name).where(
            Customer.business_id == business_id, Customer.id.in_(customer_ids)
        )
    )
    return {cid: name for cid, name in rows}


def all_customer_names(session: Session, *, business_id: uuid.UUID) -> dict[uuid.UUID, str]:
    rows = session.execute(select(Customer.id, Customer.name).where(Customer.business_id == business_id))
    return {cid: name for cid, name in rows}


def list_customers(session: Session, *, business_id: uuid.UUID) -> list[Customer]:
    return list(
        session.scalars(select(Customer).where(Customer.business_id == business_id).order_by(Customer.name))
    )


def lock_customer(session: Session, *, business_id: uuid.UUID, customer_id: uuid.UUID) -> None:
    """Hold the customer's row until the transaction ends, so money is applied to their invoices one
    payment at a time (PostgreSQL's READ COMMITTED would otherwise let two payments read the same
    "paid so far" and over-apply). SQLite transactions here already run one writer at a time.

    FOR NO KEY UPDATE, not FOR UPDATE: it must not wait on the key-share locks that inserting a payment
    (a foreign key to this customer) takes, or two payments would deadlock.
    """
    session.execute(
        select(Customer.id)
        .where(Customer.business_id == business_id, Customer.id == customer_id)
        .with_for_update(key_share=True)
    )
