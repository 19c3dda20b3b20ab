from datetime import date

import pytest

from bot.db import Database
from bot.errors import (
    InvalidAmount,
    InvalidInput,
    InvoiceNotPayable,
    PaymentAlreadyConfirmed,
    UnknownInvoice,
    UnknownPayment,
)
from modules.disputes.service import open_dispute
from modules.invoicing.models import Invoice, InvoiceStatus
from modules.ledger.service import customer_outstanding
from modules.payments.models import PaymentMode, PaymentSource
from modules.payments.service import confirm_payment
from tests.conftest import make_business, make_customer, make_invoice, pay


def _reload(db: Database, invoice: Invoice) -> Invoice:
    with db.transaction() as session:
        fresh = session.get(Invoice, invoice.id)
        assert fresh is not None
        return fresh


def test_a_payment_splits_across_three_invoices_oldest_due_first(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    newest = make_invoice(db, business, sharma, issue=date(2026, 11, 20))  # ₹22,420 each
    oldest = make_invoice(db, business, sharma, issue=date(2026, 9, 1))
    middle = make_invoice(db, business, sharma, issue=date(2026, 10, 1))
    payment = pay(db, sharma, 50_000_00, utr="412345678901")
    shares = {a.invoice_id: a.amount_paise for a in payment.allocations}
    assert shares == {oldest.id: 22_420_00, middle.id: 22_420_00, newest.id: 5_160_00}
    assert sum(shares.values()) == 50_000_00
    assert [_reload(db, i).status for i in (oldest, middle, newest)] == [
        InvoiceStatus.PAID,
        InvoiceStatus.PAID,
        InvoiceStatus.PARTIALLY_PAID,
    ]
    balance = customer_outstanding(
        db, business_id=business.id, customer_id=sharma.id, today=date(2026, 11, 28)
    )
    assert balance.outstanding_paise == 3 * 22_420_00 - 50_000_00
    assert balance.open_invoices == 1


def test_a_payment_goes_to_the_invoices_named(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    old = make_invoice(db, business, sharma, issue=date(2026, 9, 1))
    new = make_invoice(db, business, sharma, issue=date(2026, 11, 1))
    payment = pay(db, sharma, 22_420_00, invoice_ids=[new.id])
    assert [(a.invoice_id, a.amount_paise) for a in payment.allocations] == [(new.id, 22_420_00)]
    assert _reload(db, old).status is InvoiceStatus.SENT
    assert _reload(db, new).status is InvoiceStatus.PAID


def test_a_claim_for_one_invoice_goes_there_on_confirmation(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    old = make_invoice(db, business, sharma, issue=date(2026, 9, 1))
    new = make_invoice(db, business, sharma, issue=date(2026, 11, 1))
    claim = pay(
        db, sharma, 22_420_00, confirmed=False, source=PaymentSource.CUSTOMER_CLAIM, for_invoice_id=new.id
    )
    confirm_payment(db, business_id=business.id, payment_id=claim.id)
    assert _reload(db, new).status is InvoiceStatus.PAID
    assert _reload(db, old).status is InvoiceStatus.SENT
    # Once the meant invoice is settled, further money for it falls back to the oldest due.
    again = pay(db, sharma, 1_000_00, for_invoice_id=new.id)
    assert [a.invoice_id for a in again.allocations] == [old.id]


def test_a_claim_names_only_the_customers_own_invoice(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    gupta = make_customer(db, business, name="Gupta Hardware", phone="+919822200011", gstin=None)
    guptas = make_invoice(db, business, gupta)
    with pytest.raises(UnknownInvoice):
        pay(db, sharma, 100_00, confirmed=False, for_invoice_id=guptas.id)


def test_overpayment_stays_as_customer_credit(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    make_invoice(db, business, sharma)
    pay(db, sharma, 25_000_00)
    balance = customer_outstanding(
        db, business_id=business.id, customer_id=sharma.id, today=date(2026, 11, 28)
    )
    assert (balance.outstanding_paise, balance.credit_paise, balance.balance_paise) == (
        0,
        2_580_00,
        -2_580_00,
    )
    # Credit is never applied behind the owner's back: a new invoice stays unpaid.
    later = make_invoice(db, business, sharma, issue=date(2026, 11, 25))
    assert _reload(db, later).status is InvoiceStatus.SENT


def test_a_customer_claim_counts_only_once_the_owner_confirms(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    invoice = make_invoice(db, business, sharma)
    claim = pay(
        db, sharma, 22_420_00, confirmed=False, source=PaymentSource.CUSTOMER_CLAIM, utr="4123 4567 8901"
    )
    assert claim.utr == "412345678901"
    assert claim.allocations == []
    today = date(2026, 11, 28)
    assert (
        customer_outstanding(
            db, business_id=business.id, customer_id=sharma.id, today=today
        ).outstanding_paise
        == 22_420_00
    )
    confirmed = confirm_payment(db, business_id=business.id, payment_id=claim.id)
    assert confirmed.confirmed and confirmed.allocated_paise == 22_420_00
    assert _reload(db, invoice).status is InvoiceStatus.PAID
    assert (
        customer_outstanding(
            db, business_id=business.id, customer_id=sharma.id, today=today
        ).outstanding_paise
        == 0
    )
    with pytest.raises(PaymentAlreadyConfirmed):
        confirm_payment(db, business_id=business.id, payment_id=claim.id)


def test_disputed_invoices_wait_unless_named(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    disputed = make_invoice(db, business, sharma, issue=date(2026, 9, 1))
    other = make_invoice(db, business, sharma, issue=date(2026, 10, 1))
    open_dispute(
        db,
        business_id=business.id,
        customer_id=sharma.id,
        invoice_id=disputed.id,
        reason="rate galat lagaya hai, 350 tha",
    )
    assert _reload(db, disputed).status is InvoiceStatus.DISPUTED
    payment = pay(db, sharma, 10_000_00)
    assert [a.invoice_id for a in payment.allocations] == [other.id]
    pay(db, sharma, 10_000_00, invoice_ids=[disputed.id])
    assert _reload(db, disputed).status is InvoiceStatus.DISPUTED  # part-paid, still disputed
    pay(db, sharma, 12_420_00, invoice_ids=[disputed.id])
    assert _reload(db, disputed).status is InvoiceStatus.PAID


def test_bad_payments_raise_typed_errors(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    invoice = make_invoice(db, business, sharma)
    draft = make_invoice(db, business, sharma, status=InvoiceStatus.DRAFT)
    with pytest.raises(InvalidAmount):
        pay(db, sharma, -100)
    with pytest.raises(InvalidInput):
        pay(db, sharma, 100, utr="12")
    with pytest.raises(InvoiceNotPayable):
        pay(db, sharma, 100, invoice_ids=[draft.id])
    gupta = make_customer(db, business, name="Gupta Hardware", phone="+919811100000", gstin=None)
    with pytest.raises(UnknownInvoice):  # Sharma's invoice is not Gupta's to pay
        pay(db, gupta, 100, mode=PaymentMode.CASH, invoice_ids=[invoice.id])
    with pytest.raises(UnknownPayment):
        confirm_payment(db, business_id=business.id, payment_id=invoice.id)
    # Nothing was stored by the failed calls.
    balance = customer_outstanding(
        db, business_id=business.id, customer_id=sharma.id, today=date(2026, 11, 28)
    )
    assert (balance.outstanding_paise, balance.credit_paise) == (22_420_00, 0)
