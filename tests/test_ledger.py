from datetime import date

from bot.db import Database
from modules.invoicing.models import InvoiceStatus
from modules.ledger.service import business_outstanding, customer_outstanding, customer_statement
from modules.payments.models import PaymentMode
from tests.conftest import ist, make_business, make_customer, make_invoice, pay

TODAY = date(2026, 12, 1)


def test_outstanding_per_customer_and_business_with_overdue(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    gupta = make_customer(db, business, name="Gupta Hardware", phone="+919811100000", gstin=None)
    make_invoice(db, business, sharma, issue=date(2026, 9, 1))  # due 1 Oct: overdue
    make_invoice(db, business, sharma, issue=date(2026, 11, 20))  # due 20 Dec: not yet
    make_invoice(db, business, gupta, issue=date(2026, 10, 1), quantity=10)  # ₹4,484, due 31 Oct
    make_invoice(db, business, gupta, issue=date(2026, 11, 30), status=InvoiceStatus.DRAFT)  # not owed yet
    pay(db, gupta, 1_000_00, mode=PaymentMode.CASH, received_at=ist(2026, 11, 10))

    sharma_balance = customer_outstanding(db, business_id=business.id, customer_id=sharma.id, today=TODAY)
    assert (sharma_balance.outstanding_paise, sharma_balance.overdue_paise) == (44_840_00, 22_420_00)
    assert sharma_balance.oldest_due_date == date(2026, 10, 1)

    total = business_outstanding(db, business_id=business.id, today=TODAY)
    assert total.outstanding_paise == 44_840_00 + 4_484_00 - 1_000_00
    assert total.overdue_paise == 22_420_00 + 3_484_00
    assert [c.name for c in total.customers] == ["Sharma Traders", "Gupta Hardware"]


def test_a_customer_with_nothing_open_owes_nothing(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    balance = customer_outstanding(db, business_id=business.id, customer_id=sharma.id, today=TODAY)
    assert (balance.outstanding_paise, balance.credit_paise, balance.open_invoices) == (0, 0, 0)
    assert business_outstanding(db, business_id=business.id, today=TODAY).customers == []


def test_statement_lists_invoices_and_payments_with_a_running_balance(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    first = make_invoice(db, business, sharma, issue=date(2026, 9, 1))
    make_invoice(db, business, sharma, issue=date(2026, 10, 1))
    make_invoice(db, business, sharma, issue=date(2026, 10, 2), status=InvoiceStatus.DRAFT)
    pay(db, sharma, 30_000_00, received_at=ist(2026, 10, 1, hour=23), utr="412345678901")
    # A claim not yet confirmed is not on the statement.
    pay(db, sharma, 5_000_00, received_at=ist(2026, 10, 5), confirmed=False)
    statement = customer_statement(db, business_id=business.id, customer_id=sharma.id)
    rows = [
        (e.day, e.kind, e.reference, e.debit_paise, e.credit_paise, e.balance_paise)
        for e in statement.entries
    ]
    assert rows == [
        (date(2026, 9, 1), "invoice", first.number, 22_420_00, 0, 22_420_00),
        (date(2026, 10, 1), "invoice", "INV-2026-27-0002", 22_420_00, 0, 44_840_00),
        # 23:00 in Pune is still 1 October there, though it is 17:30 UTC
        (date(2026, 10, 1), "payment", "412345678901", 0, 30_000_00, 14_840_00),
    ]
    assert statement.closing_balance_paise == 14_840_00
