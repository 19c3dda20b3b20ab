"""The statement of account: a PDF of every invoice and payment with the running balance, sent as a private
link that shows the account as it stood on its day, for a month."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from bot.clock import FrozenClock
from bot.db import Database
from bot.pdf import NOTO_DIR
from modules.customers.models import Customer
from modules.ledger.documents import load_statement_document, render_statement, statement_media
from tests.chat import OWNER, Person, seed
from tests.conftest import SECRET, ist, make_business, make_customer, make_invoice, pay
from tests.pdfs import pdf_text

needs_noto = pytest.mark.skipif(
    not (NOTO_DIR / "NotoSansDevanagari-Regular.ttf").is_file(), reason="fonts-noto-core is not installed"
)


def _text(db: Database, customer: Customer, as_of: date) -> str:
    document = load_statement_document(
        db, business_id=customer.business_id, customer_id=customer.id, as_of=as_of
    )
    return pdf_text(render_statement(document, compress=False))


def test_invoices_and_payments_with_the_running_balance_up_to_its_day(db: Database) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    first = make_invoice(db, business, customer, issue=date(2026, 11, 1))  # ₹22,420
    pay(db, customer, 10_000_00, received_at=ist(2026, 11, 10), utr="412345678901")
    later = make_invoice(db, business, customer, issue=date(2026, 11, 20))
    text = _text(db, customer, as_of=date(2026, 11, 15))
    for expected in (
        "STATEMENT OF ACCOUNT",
        "Sharma Traders",
        f"Invoice {first.number}",
        "Payment 412345678901",
        "22,420.00",
        "10,000.00",
        "12,420.00",
        "Closing balance: ₹12,420.00",
    ):
        assert expected in text, expected
    assert later.number not in text  # after the statement's day
    assert "Closing balance: ₹34,840.00" in _text(db, customer, as_of=date(2026, 11, 30))


@needs_noto
def test_a_hindi_readers_statement_is_labelled_in_both_languages(db: Database) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    with db.transaction() as session:
        session.get_one(Customer, customer.id).language = "hi"
    make_invoice(db, business, customer)
    text = _text(db, customer, as_of=date(2026, 11, 30))
    assert "खाता विवरण" in text and "Closing balance / " in text


def test_the_link_opens_that_days_statement_for_a_month_and_nothing_else(
    client: TestClient, db: Database, clock: FrozenClock
) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    make_invoice(db, business, customer)
    today = clock.now().date()
    media = statement_media(customer_id=customer.id, as_of=today, public_url="http://x", secret_key=SECRET)
    path = urlsplit(media.url).path
    response = client.get(path)
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    other_day = path.replace(today.isoformat(), (today - timedelta(days=1)).isoformat())
    assert client.get(other_day).status_code == 404  # the token is for one day's statement
    assert client.get(path.replace(path.split("/")[3], "A" * 38)).status_code == 404
    clock.advance(timedelta(days=31))
    assert client.get(path).status_code == 404  # a forwarded link does not show the account for ever


def test_asking_for_a_statement_in_chat_sends_the_pdf_link(client: TestClient) -> None:
    seed(client)
    owner = Person(client, OWNER)
    owner.says("Sharma Traders ko 50 bag cement ka bill banao 380 per bag 18% GST")
    owner.taps("affirm")
    owner.says("Sharma ka pura hisaab bhejo")
    (statement,) = [r for r in owner.replies if r["media"]]
    (media,) = statement["media"]
    assert media["mime_type"] == "application/pdf" and "/media/statements/" in media["url"]
    assert client.get(urlsplit(media["url"]).path).status_code == 200
