"""Cancelling an issued invoice issues a credit note for its full value, in a series of its own: the
customer owes nothing on it, money paid against it becomes their credit, and the statement shows both."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from bot.db import Database
from bot.errors import InvoiceCancelled
from modules.invoicing.documents import credit_note_media, load_credit_note_document, render_invoice
from modules.invoicing.models import InvoiceStatus
from modules.invoicing.repository import find_invoice_by_number
from modules.invoicing.service import cancel_invoice
from modules.ledger.service import customer_outstanding, customer_statement
from tests.conftest import SECRET, ist, make_business, make_customer, make_invoice, pay
from tests.pdfs import pdf_text


def test_a_credit_note_reverses_the_whole_invoice_and_nothing_is_owed(db: Database) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    invoice = make_invoice(db, business, customer, issue=date(2026, 11, 1))  # ₹22,420
    other = make_invoice(db, business, customer, issue=date(2026, 11, 2))
    cancelled = cancel_invoice(
        db, business_id=business.id, invoice_id=invoice.id, today=date(2026, 11, 28), reason="wrong rate"
    )
    note = cancelled.credit_note
    assert note is not None and cancelled.released_paise == 0
    assert cancelled.invoice.status is InvoiceStatus.CANCELLED
    assert (note.number, note.financial_year, note.issue_date) == (
        "CN-2026-27-0001",
        "2026-27",
        date(2026, 11, 28),
    )
    assert (note.taxable_paise, note.cgst_paise, note.sgst_paise, note.igst_paise) == (
        invoice.taxable_paise,
        invoice.cgst_paise,
        invoice.sgst_paise,
        invoice.igst_paise,
    )
    assert note.total_paise == invoice.total_paise == 22_420_00
    balance = customer_outstanding(
        db, business_id=business.id, customer_id=customer.id, today=date(2026, 12, 1)
    )
    assert balance.outstanding_paise == other.total_paise


def test_credit_notes_have_their_own_consecutive_series_restarting_each_financial_year(db: Database) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    invoices = [make_invoice(db, business, customer, issue=date(2027, 3, 1)) for _ in range(3)]
    numbers = [
        cancel_invoice(db, business_id=business.id, invoice_id=i.id, today=today).credit_note.number  # type: ignore[union-attr]
        for i, today in zip(invoices, (date(2027, 3, 30), date(2027, 3, 31), date(2027, 4, 1)), strict=True)
    ]
    assert numbers == ["CN-2026-27-0001", "CN-2026-27-0002", "CN-2027-28-0001"]
    # The invoice series goes on untouched by them.
    assert make_invoice(db, business, customer, issue=date(2027, 3, 2)).number == "INV-2026-27-0004"


def test_a_credit_note_is_never_dated_before_its_invoice(db: Database) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    invoice = make_invoice(db, business, customer, issue=date(2026, 12, 5))  # entered ahead of the day
    note = cancel_invoice(
        db, business_id=business.id, invoice_id=invoice.id, today=date(2026, 12, 1)
    ).credit_note
    assert note is not None and note.issue_date == date(2026, 12, 5)


def test_money_paid_against_a_cancelled_invoice_becomes_the_customers_credit(db: Database) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    invoice = make_invoice(db, business, customer, issue=date(2026, 11, 1))  # ₹22,420
    pay(db, customer, 10_000_00, received_at=ist(2026, 11, 10), utr="412345678901", invoice_ids=[invoice.id])
    cancelled = cancel_invoice(db, business_id=business.id, invoice_id=invoice.id, today=date(2026, 11, 28))
    assert cancelled.released_paise == 10_000_00
    balance = customer_outstanding(
        db, business_id=business.id, customer_id=customer.id, today=date(2026, 12, 1)
    )
    assert (balance.outstanding_paise, balance.credit_paise, balance.balance_paise) == (
        0,
        10_000_00,
        -10_000_00,
    )
    statement = customer_statement(db, business_id=business.id, customer_id=customer.id)
    assert [
        (e.kind, e.reference, e.debit_paise, e.credit_paise, e.balance_paise) for e in statement.entries
    ] == [
        ("invoice", invoice.number, 22_420_00, 0, 22_420_00),
        ("payment", "412345678901", 0, 10_000_00, 12_420_00),
        ("credit_note", "CN-2026-27-0001", 0, 22_420_00, -10_000_00),
    ]


def test_an_invoice_is_cancelled_once(db: Database) -> None:
    business = make_business(db)
    invoice = make_invoice(db, business, make_customer(db, business))
    cancel_invoice(db, business_id=business.id, invoice_id=invoice.id, today=date(2026, 11, 28))
    with pytest.raises(InvoiceCancelled):
        cancel_invoice(db, business_id=business.id, invoice_id=invoice.id, today=date(2026, 11, 29))


def test_a_draft_cancelled_leaves_no_trace_in_the_statement(db: Database) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    draft = make_invoice(db, business, customer, status=InvoiceStatus.DRAFT)
    cancel_invoice(db, business_id=business.id, invoice_id=draft.id, today=date(2026, 11, 28))
    assert customer_statement(db, business_id=business.id, customer_id=customer.id).entries == []


def test_concurrent_cancellations_get_distinct_consecutive_credit_notes(db: Database) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    invoices = [make_invoice(db, business, customer) for _ in range(12)]

    def cancel(index: int) -> str:
        note = cancel_invoice(
            db, business_id=business.id, invoice_id=invoices[index].id, today=date(2026, 11, 28)
        ).credit_note
        assert note is not None
        return note.number

    with ThreadPoolExecutor(6) as pool:
        numbers = list(pool.map(cancel, range(len(invoices))))
    assert sorted(numbers) == [f"CN-2026-27-{n:04d}" for n in range(1, len(invoices) + 1)]


def test_the_credit_note_pdf_names_the_invoice_it_reverses(db: Database) -> None:
    business = make_business(db)
    invoice = make_invoice(db, business, make_customer(db, business), issue=date(2026, 11, 1))
    note = cancel_invoice(
        db, business_id=business.id, invoice_id=invoice.id, today=date(2026, 11, 28), reason="Goods returned"
    ).credit_note
    assert note is not None
    document = load_credit_note_document(db, business_id=business.id, credit_note_id=note.id)
    text = " ".join(pdf_text(render_invoice(document, compress=False)).split())  # wrapped lines joined
    for expected in (
        "CREDIT NOTE",
        "Credit note no. CN-2026-27-0001",
        "Date: 28 Nov 2026",
        f"Against invoice {invoice.number} dated 01 Nov 2026",
        "Reason: Goods returned",
        "Sharma Traders",
        "27ABCDE1234F1Z0",
        "2523",
        "₹22,420.00",
        "Rupees Twenty-Two Thousand Four Hundred Twenty Only",
    ):
        assert expected in text, expected
    assert "computer-generated credit note" in text
    assert "Scan to pay" not in text and "CANCELLED" not in text and "Due" not in text


def test_the_credit_note_is_served_behind_a_signed_link_only(db: Database, client: TestClient) -> None:
    business = make_business(db)
    invoice = make_invoice(db, business, make_customer(db, business))
    note = cancel_invoice(
        db, business_id=business.id, invoice_id=invoice.id, today=date(2026, 11, 28)
    ).credit_note
    assert note is not None
    media = credit_note_media(credit_note=note, public_url="http://testserver", secret_key=SECRET)
    path = urlsplit(media.url).path
    assert path.endswith("/CN-2026-27-0001.pdf")
    response = client.get(path)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(path.replace("CN-2026-27-0001", "CN-2026-27-0002")).status_code == 404
    invoice_path = path.replace("/credit-notes/", "/invoices/")  # the same token does not open an invoice
    assert client.get(invoice_path.replace("CN-2026-27-0001", invoice.number)).status_code == 404


def test_bill_numbers_are_found_by_their_sequence_whatever_the_series(db: Database) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    mine = make_invoice(db, business, customer, number="GC/26-27/042")
    make_invoice(db, business, customer, number="GC/26-27/142")
    with db.transaction() as session:
        found = find_invoice_by_number(session, business_id=business.id, number="42")
        assert found is not None and found.id == mine.id
        assert find_invoice_by_number(session, business_id=business.id, number="2") is None
        assert find_invoice_by_number(session, business_id=business.id, number="gc/26-27/142") is not None
