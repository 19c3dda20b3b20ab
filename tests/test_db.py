from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from bot.db import Database, normalize_url
from bot.errors import InvalidInput, UnknownInvoice
from modules.business.models import Business
from modules.customers.models import Customer
from modules.payments.models import Payment, PaymentMode
from tests.conftest import make_business, make_customer, pay


def test_a_failed_unit_of_work_leaves_nothing_behind(db: Database) -> None:
    with pytest.raises(RuntimeError), db.transaction():
        business = make_business(db)
        make_customer(db, business)
        raise RuntimeError("boom")
    with db.transaction() as session:
        assert session.scalar(select(func.count(Business.id))) == 0
        assert session.scalar(select(func.count(Customer.id))) == 0


def test_a_failed_service_inside_a_larger_unit_of_work_undoes_only_itself(db: Database) -> None:
    with db.transaction():
        business = make_business(db)
        customer = make_customer(db, business)
        # The payment row is written before the unknown invoice is found; the caller handles the error.
        with pytest.raises(UnknownInvoice):
            pay(
                db,
                customer,
                100,
                mode=PaymentMode.CASH,
                received_at=datetime.now(UTC),
                invoice_ids=[business.id],
            )
    with db.transaction() as session:
        assert session.scalar(select(func.count(Customer.id))) == 1
        assert session.scalar(select(func.count(Payment.id))) == 0


def test_datetimes_come_back_aware_and_equal(db: Database) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    paid_at = datetime(2026, 12, 1, 23, 30, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    pay(db, customer, 100, mode=PaymentMode.CASH, received_at=paid_at)
    with db.transaction() as session:
        stored = session.scalars(select(Payment.received_at)).one()
    assert stored.tzinfo is not None
    assert stored == paid_at


def test_naive_datetimes_are_refused(db: Database) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    with pytest.raises(InvalidInput):
        pay(db, customer, 100, mode=PaymentMode.CASH, received_at=datetime(2026, 12, 1, 10, 0))


def test_plain_postgres_urls_use_psycopg() -> None:
    assert normalize_url("postgresql://127.0.0.1:5432/test") == "postgresql+psycopg://127.0.0.1:5432/test"
    assert normalize_url("sqlite:///./tagada.db") == "sqlite:///./tagada.db"
