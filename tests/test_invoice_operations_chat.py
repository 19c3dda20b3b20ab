"""The owner works with bills already sent, by chat: lists them, sends one again, cancels one (a credit note
goes to the customer). Which bill comes from its number, or from the customer's bills as buttons."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from bot.db import Database
from modules.customers.service import NewCustomer, create_customer
from modules.invoicing.models import Invoice, InvoiceStatus
from modules.invoicing.service import LineInput, create_invoice
from tests.chat import OWNER, SHARMA, Person, seed

TODAY = date(2026, 12, 1)  # the test clock's day
GUPTA = "+919811100011"
Shop = dict[str, uuid.UUID]


@pytest.fixture
def shop(client: TestClient, db: Database) -> Shop:
    seeded = seed(client)
    business = uuid.UUID(seeded["business"]["id"])
    gupta = create_customer(db, business_id=business, new=NewCustomer(name="Gupta Hardware", phones=[GUPTA]))
    return {"business": business, "sharma": uuid.UUID(seeded["customer"]["id"]), "gupta": gupta.id}


def _bill(db: Database, shop: Shop, who: str, bags: int, days_ago: int) -> Invoice:
    return create_invoice(
        db,
        business_id=shop["business"],
        customer_id=shop[who],
        lines=[LineInput("cement", Decimal(bags), 380_00, Decimal(18), hsn_sac="2523", unit="bag")],
        issue_date=TODAY - timedelta(days=days_ago),
        status=InvoiceStatus.SENT,
    )


def _status(db: Database, invoice: Invoice) -> InvoiceStatus:
    with db.transaction() as session:
        return session.get_one(Invoice, invoice.id).status


def test_the_latest_bills_are_listed_with_who_when_how_much_and_whether_paid(
    client: TestClient, db: Database, shop: Shop
) -> None:
    old = _bill(db, shop, "sharma", 50, days_ago=20)
    new = _bill(db, shop, "gupta", 10, days_ago=0)
    owner = Person(client, OWNER)
    owner.says("latest bills dikhao")
    lines = owner.reply.splitlines()
    assert lines[0] == "Aapke latest bills:"
    assert lines[1] == f"• {new.number} · Gupta Hardware · 1 Dec 2026 · ₹4,484 · baaki"
    assert lines[2] == f"• {old.number} · Sharma Traders · 11 Nov 2026 · ₹22,420 · baaki"


def test_one_customers_bills_or_one_days(client: TestClient, db: Database, shop: Shop) -> None:
    sharmas = _bill(db, shop, "sharma", 50, days_ago=1)
    guptas = _bill(db, shop, "gupta", 10, days_ago=0)
    owner = Person(client, OWNER)
    owner.says("Gupta Hardware ke saare bills dikhao")
    assert guptas.number in owner.reply and sharmas.number not in owner.reply
    owner.says("kal ke bills dikhao")  # yesterday's: a bill list looks back
    assert owner.reply.startswith("30 Nov 2026 ke bills:")
    assert sharmas.number in owner.reply and guptas.number not in owner.reply


def test_a_business_with_no_bills_is_told_how_to_make_one(client: TestClient, shop: Shop) -> None:
    owner = Person(client, OWNER)
    owner.says("recent invoices dikhao")
    assert "Abhi tak koi bill nahi" in owner.reply


def test_cancelling_a_bill_by_number_asks_first_then_issues_a_credit_note_to_the_customer(
    client: TestClient, db: Database, shop: Shop
) -> None:
    invoice = _bill(db, shop, "sharma", 50, days_ago=3)
    sequence = int(invoice.number.rsplit("-", 1)[1])
    owner = Person(client, OWNER)
    owner.says(f"bill {sequence} cancel karo")
    (question,) = owner.replies
    assert f"Sharma Traders ka bill {invoice.number}" in question["text"]
    assert "₹22,420 ka credit note banega" in question["text"]
    assert [b["id"] for b in question["buttons"]] == ["affirm", "deny"]
    assert _status(db, invoice) is InvoiceStatus.SENT  # nothing happens before yes

    owner.taps("affirm")
    assert _status(db, invoice) is InvoiceStatus.CANCELLED
    (done,) = owner.replies
    assert done["text"].startswith(f"Bill {invoice.number} cancel ho gaya.")
    assert [m["filename"] for m in done["media"]] == ["CN-2026-27-0001.pdf"]
    notice = Person(client, SHARMA).inbox()[-1]
    assert "cancel kar diya hai" in notice["text"] and "CN-2026-27-0001" in notice["text"]
    assert [m["filename"] for m in notice["media"]] == ["CN-2026-27-0001.pdf"]
    pdf = client.get(notice["media"][0]["url"].replace("http://testserver", ""))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_saying_no_keeps_the_bill(client: TestClient, db: Database, shop: Shop) -> None:
    invoice = _bill(db, shop, "sharma", 50, days_ago=3)
    owner = Person(client, OWNER)
    owner.says(f"{invoice.number} cancel kar do")
    owner.taps("deny")
    assert _status(db, invoice) is InvoiceStatus.SENT
    assert not Person(client, SHARMA).inbox()


def test_a_customer_with_several_bills_is_asked_which_one(
    client: TestClient, db: Database, shop: Shop
) -> None:
    older = _bill(db, shop, "sharma", 50, days_ago=9)
    newer = _bill(db, shop, "sharma", 20, days_ago=2)
    owner = Person(client, OWNER)
    owner.says("Sharma Traders ka bill cancel karke credit note banao")
    (question,) = owner.replies
    assert question["text"].startswith("Kaunsa bill?")
    titles = [b["title"] for b in question["buttons"]]
    assert titles[0].startswith(f"{newer.number} · Sharma Traders · ₹8,968") and older.number in titles[1]
    owner.taps("pick:1")
    assert f"bill {older.number}" in owner.reply
    owner.taps("affirm")
    assert _status(db, older) is InvoiceStatus.CANCELLED and _status(db, newer) is InvoiceStatus.SENT


def test_a_bill_is_sent_again_as_it_stands(client: TestClient, db: Database, shop: Shop) -> None:
    invoice = _bill(db, shop, "gupta", 10, days_ago=5)
    sequence = int(invoice.number.rsplit("-", 1)[1])
    owner = Person(client, OWNER)
    owner.says(f"Gupta Hardware ko bill {sequence} dobara bhejo")
    assert f"Bill {invoice.number} (₹4,484) Gupta Hardware ko dobara bhej diya" in owner.reply
    (copy,) = Person(client, GUPTA).inbox()
    assert invoice.number in copy["text"] and copy["media"][0]["filename"] == f"{invoice.number}.pdf"


def test_a_cancelled_bill_is_not_sent_again(client: TestClient, db: Database, shop: Shop) -> None:
    invoice = _bill(db, shop, "gupta", 10, days_ago=5)
    owner = Person(client, OWNER)
    owner.says(f"{invoice.number} cancel karo")
    owner.taps("affirm")
    before = len(Person(client, GUPTA).inbox())
    owner.says(f"{invoice.number} dobara bhejo Gupta ko")
    assert "cancel ho chuka hai (credit note CN-2026-27-0001)" in owner.reply
    assert len(Person(client, GUPTA).inbox()) == before
    owner.says(f"{invoice.number} cancel karo")
    assert "pehle hi cancel ho chuka hai" in owner.reply


def test_an_unknown_bill_number_is_said_so(client: TestClient, db: Database, shop: Shop) -> None:
    _bill(db, shop, "sharma", 50, days_ago=3)
    owner = Person(client, OWNER)
    owner.says("bill 977 cancel karo")
    assert "Yeh bill nahi mila." in owner.reply
    assert "cancel karoon?" not in owner.reply


def test_in_english_too(client: TestClient, db: Database, shop: Shop) -> None:
    invoice = _bill(db, shop, "sharma", 50, days_ago=3)
    owner = Person(client, OWNER)
    owner.says("show me my recent invoices")
    assert owner.reply.startswith("Your latest bills:") and invoice.number in owner.reply
    owner.says(f"please cancel invoice {invoice.number}")
    assert owner.reply.startswith(f"Cancel bill {invoice.number} to Sharma Traders")


def test_a_customer_cannot_cancel_a_bill(client: TestClient, db: Database, shop: Shop) -> None:
    invoice = _bill(db, shop, "sharma", 50, days_ago=3)
    customer = Person(client, SHARMA)
    customer.says(f"bill {invoice.number} cancel karo")
    assert "cancel karoon?" not in customer.reply
    assert _status(db, invoice) is InvoiceStatus.SENT
