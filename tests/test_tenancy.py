from datetime import date

import pytest

from bot.db import Database
from bot.errors import DuplicatePhone, UnknownCustomer, UnknownInvoice, UnknownPayment
from modules.business.models import Role
from modules.business.repository import find_business_by_number, staff_role
from modules.business.service import add_staff
from modules.collections.service import record_promise
from modules.customers.repository import find_customer_by_phone, list_customers
from modules.disputes.service import open_dispute
from modules.ledger.service import business_outstanding, customer_outstanding, customer_statement
from modules.payments.models import PaymentMode
from modules.payments.service import confirm_payment
from tests.conftest import make_business, make_customer, make_invoice, pay


def test_one_business_never_sees_anothers_rows(db: Database) -> None:
    pune = make_business(db)
    surat = make_business(db, number="+912612345678", owner="+919825012345", gstin=None, state_code="24")
    # The same person buys from both, under the same number.
    sharma_pune = make_customer(db, pune)
    sharma_surat = make_customer(db, surat, gstin=None)
    invoice_pune = make_invoice(db, pune, sharma_pune)
    claim = pay(db, sharma_pune, 100_00, confirmed=False)
    today = date(2026, 12, 1)

    assert business_outstanding(db, business_id=surat.id, today=today).customers == []
    for call in (
        lambda: customer_outstanding(db, business_id=surat.id, customer_id=sharma_pune.id, today=today),
        lambda: customer_statement(db, business_id=surat.id, customer_id=sharma_pune.id),
        lambda: make_invoice(db, surat, sharma_pune),
        lambda: record_promise(db, business_id=surat.id, customer_id=sharma_pune.id, promised_date=today),
    ):
        with pytest.raises(UnknownCustomer):
            call()
    with pytest.raises(UnknownInvoice):
        pay(db, sharma_surat, 100, mode=PaymentMode.CASH, invoice_ids=[invoice_pune.id])
    with pytest.raises(UnknownInvoice):
        open_dispute(
            db,
            business_id=surat.id,
            customer_id=sharma_surat.id,
            invoice_id=invoice_pune.id,
            reason="not mine",
        )
    with pytest.raises(UnknownPayment):
        confirm_payment(db, business_id=surat.id, payment_id=claim.id)

    with db.transaction() as session:
        assert [c.id for c in list_customers(session, business_id=surat.id)] == [sharma_surat.id]
        found = find_customer_by_phone(session, business_id=surat.id, phone="+919811122233")
        assert found is not None and found.id == sharma_surat.id
        owner = find_business_by_number(session, "+912612345678")
        assert owner is not None and owner.id == surat.id
        assert staff_role(session, business_id=surat.id, phone="+919822012345") is None
        assert staff_role(session, business_id=pune.id, phone="+919822012345") is Role.OWNER


def test_numbers_are_unique_where_they_must_be(db: Database) -> None:
    pune = make_business(db)
    with pytest.raises(DuplicatePhone):
        make_business(db, owner="+919825012345")  # same WhatsApp number as Pune's
    make_customer(db, pune)
    with pytest.raises(DuplicatePhone):
        make_customer(db, pune, name="Another Sharma")  # same phone
    add_staff(db, business_id=pune.id, phone="9822054321", name="Suresh")
    with pytest.raises(DuplicatePhone):
        add_staff(db, business_id=pune.id, phone="+919822054321")
