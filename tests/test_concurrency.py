from concurrent.futures import ThreadPoolExecutor
from datetime import date

from sqlalchemy import func, select

from bot.db import Database
from modules.invoicing.models import Invoice
from modules.payments.models import Payment, PaymentMode
from modules.payments.service import record_payment
from tests.conftest import ist, make_business, make_customer, make_invoice

WORKERS = 8
EACH = 10


def test_concurrent_invoices_get_distinct_consecutive_numbers(db: Database) -> None:
    business = make_business(db)
    customer = make_customer(db, business)

    def create(_: int) -> str:
        return make_invoice(db, business, customer, issue=date(2026, 11, 1)).number

    with ThreadPoolExecutor(WORKERS) as pool:
        numbers = list(pool.map(create, range(WORKERS * EACH)))
    assert len(set(numbers)) == WORKERS * EACH
    assert sorted(numbers) == [f"INV-2026-27-{n:04d}" for n in range(1, WORKERS * EACH + 1)]


def test_concurrent_payments_lose_no_write(db: Database) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    invoice = make_invoice(db, business, customer, quantity=1000)  # ₹4,48,400: room for every payment

    def pay(worker: int) -> None:
        for _ in range(EACH):
            record_payment(
                db,
                business_id=business.id,
                customer_id=customer.id,
                amount_paise=100_00 + worker,
                mode=PaymentMode.UPI,
                received_at=ist(2026, 11, 28),
            )

    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(pay, range(WORKERS)))
    expected = sum((100_00 + w) * EACH for w in range(WORKERS))
    with db.transaction() as session:
        assert session.scalar(select(func.count(Payment.id))) == WORKERS * EACH
        assert session.scalar(select(func.sum(Payment.amount_paise))) == expected
        refreshed = session.get(Invoice, invoice.id)
        assert refreshed is not None
        # Every payment was applied against the latest allocations, never a stale read.
        paid = sum(p.allocated_paise for p in session.scalars(select(Payment)))
        assert paid == expected
