from concurrent.futures import ThreadPoolExecutor
from datetime import date

from sqlalchemy import func, select

from bot.db import Database
from modules.invoicing.models import Invoice, InvoiceStatus
from modules.payments.models import Payment
from tests.conftest import make_business, make_customer, make_invoice, pay

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
    # ₹4,484 owed, about ₹8,000 paid in 80 concurrent payments: a stale read would over-apply money.
    invoice = make_invoice(db, business, customer, quantity=10)

    def pay_ten(worker: int) -> None:
        for _ in range(EACH):
            pay(db, customer, 100_00 + worker)

    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(pay_ten, range(WORKERS)))
    expected = sum((100_00 + w) * EACH for w in range(WORKERS))
    with db.transaction() as session:
        assert session.scalar(select(func.count(Payment.id))) == WORKERS * EACH
        assert session.scalar(select(func.sum(Payment.amount_paise))) == expected
        applied = sum(p.allocated_paise for p in session.scalars(select(Payment)))
        assert applied == invoice.total_paise  # exactly what was owed, never more
        assert session.scalars(select(Invoice.status)).one() is InvoiceStatus.PAID
