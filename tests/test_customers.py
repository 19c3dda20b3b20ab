from datetime import date, timedelta

import pytest

from bot.clock import FrozenClock
from bot.db import Database
from bot.errors import InvalidAmount, InvalidInput, InvalidStateCode, UnknownInvoice
from modules.business.service import NewBusiness, create_business
from modules.collections.models import PromiseStatus
from modules.collections.service import record_promise
from modules.customers.service import NewCustomer, create_customer, set_opt_out
from tests.conftest import make_business, make_customer, make_invoice


def test_customer_defaults_come_from_the_business(db: Database) -> None:
    business = make_business(db)
    walk_in = create_customer(
        db, business_id=business.id, new=NewCustomer(name="  Ramesh   Kale ", phones=["98765 43210"])
    )
    assert walk_in.name == "Ramesh Kale"
    assert walk_in.state_code == "27" and walk_in.language == "hi-Latn" and walk_in.gstin is None
    assert walk_in.phone == "+919876543210"
    registered = make_customer(db, business, name="Hegde", phone="+919845012345", gstin="29AAACG0569P1Z3")
    assert registered.state_code == "29"  # from the GSTIN


def test_customer_input_is_checked(db: Database) -> None:
    business = make_business(db)
    for new in (
        NewCustomer(name=""),
        NewCustomer(name="X" * 201),
        NewCustomer(name="Ok", language="fr"),
        NewCustomer(name="Ok", credit_days=-1),
    ):
        with pytest.raises(InvalidInput):
            create_customer(db, business_id=business.id, new=new)
    with pytest.raises(InvalidStateCode):
        create_customer(
            db, business_id=business.id, new=NewCustomer(name="Ok", gstin="29AAACG0569P1Z3", state_code="27")
        )


def test_business_input_is_checked(db: Database) -> None:
    good = dict(display_name="Shop", whatsapp_number="+912041234567", owner_phone="+919822012345")
    for bad in (
        {"upi_vpa": "not a vpa"},
        {"state_code": None},
        {"invoice_prefix": "TOO-LONG"},
        {"timezone": "Mars/Base"},
        {"display_name": " "},
    ):
        with pytest.raises(InvalidInput):
            create_business(db, NewBusiness(**{**good, "state_code": "27", **bad}))  # type: ignore[arg-type]


def test_opt_out_is_stamped_and_can_be_withdrawn(db: Database, clock: FrozenClock) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    stopped = set_opt_out(db, business_id=business.id, customer_id=sharma.id, opted_out=True, clock=clock)
    assert stopped.opted_out_at == clock.now()
    clock.advance(timedelta(days=2))
    again = set_opt_out(db, business_id=business.id, customer_id=sharma.id, opted_out=True, clock=clock)
    assert again.opted_out_at == clock.now() - timedelta(days=2)  # the first request's time is kept
    resumed = set_opt_out(db, business_id=business.id, customer_id=sharma.id, opted_out=False, clock=clock)
    assert resumed.opted_out_at is None


def test_promises_to_pay(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    gupta = make_customer(db, business, name="Gupta", phone="+919811100000", gstin=None)
    invoice = make_invoice(db, business, sharma)
    promise = record_promise(
        db,
        business_id=business.id,
        customer_id=sharma.id,
        promised_date=date(2026, 12, 2),
        amount_paise=22_420_00,
        invoice_id=invoice.id,
    )
    assert promise.status is PromiseStatus.PENDING and promise.promised_date == date(2026, 12, 2)
    with pytest.raises(InvalidAmount):
        record_promise(
            db,
            business_id=business.id,
            customer_id=sharma.id,
            promised_date=date(2026, 12, 2),
            amount_paise=0,
        )
    with pytest.raises(UnknownInvoice):
        record_promise(
            db,
            business_id=business.id,
            customer_id=gupta.id,
            promised_date=date(2026, 12, 2),
            invoice_id=invoice.id,
        )
