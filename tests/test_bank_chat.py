"""The owner forwards a bank statement in chat: it is imported, and the owner hears what was recorded and
what is left to check; anyone else's files are not read."""

from __future__ import annotations

import base64
import uuid
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot.db import Database
from bot.i18n import Locales
from modules.invoicing.models import Invoice, InvoiceStatus
from modules.payments.models import Payment
from tests.banks import hdfc
from tests.chat import BUSINESS_NUMBER, OWNER, SHARMA, Person, seed, seeded_shop
from tests.conftest import make_invoice, pay


def send_file(
    client: TestClient, sender: str, content: bytes, filename: str, text: str = ""
) -> list[dict[str, Any]]:
    body: dict[str, Any] = {
        "from": sender,
        "to": BUSINESS_NUMBER,
        "id": f"doc-{uuid.uuid4().hex}",
        "document": {
            "content_b64": base64.b64encode(content).decode(),
            "mime_type": "text/csv",
            "filename": filename,
        },
    }
    if text:
        body["text"] = text
    response = client.post("/api/simulator/messages", json=body)
    assert response.status_code == 200, response.text
    return [r for r in response.json()["replies"] if r["to"] == sender]


def test_a_statement_sent_in_chat_records_the_payments_it_can_and_lists_the_rest(
    client: TestClient, db: Database
) -> None:
    business, sharma = seeded_shop(client, db)
    bill = make_invoice(db, business, sharma, issue=date(2026, 11, 1))
    statement = hdfc(
        (
            "25/11/26",
            f"NEFT-HDFCN52026112812345-SHARMA TRADERS-{bill.number}",
            "HDFCN52026112812345",
            "",
            "22,420.00",
        ),
        ("27/11/26", "CASH DEPOSIT BY SELF", "", "", "1,234.00"),
    )
    summary, recorded, to_check = send_file(client, OWNER, statement, "Acct Statement_XX5678_28112026.csv")
    assert summary["text"] == (
        "HDFC statement: 2 mein se 2 line nayi. 1 payment darj kiye; 0 check karne hain;"
        " 1 ka match nahi mila."
    )
    assert recorded["text"] == f"Darj kiye:\n• 25 Nov 2026 · ₹22,420 · Sharma Traders · {bill.number}"
    assert "• 27 Nov 2026 · ₹1,234 · CASH DEPOSIT BY SELF" in to_check["text"]
    with db.transaction() as session:
        assert session.get_one(Invoice, bill.id).status is InvoiceStatus.PAID
    (again,) = send_file(client, OWNER, statement, "Acct Statement_XX5678_28112026 (1).csv")
    assert again["text"] == "Is HDFC statement mein kuch naya nahi hai; saari lines pehle aa chuki hain."


def test_a_file_that_is_no_statement_is_said_so(client: TestClient) -> None:
    seed(client)
    (reply,) = send_file(client, OWNER, b"%PDF-1.4 not a statement", "photo.pdf")
    assert reply["text"].startswith("photo.pdf ko bank statement ki tarah padh nahi paya.")


def test_a_customers_file_is_not_read_but_their_words_are(client: TestClient) -> None:
    seed(client)
    (reply,) = send_file(client, SHARMA, hdfc(), "statement.csv")
    assert "sirf Shree Ganesh Cement Traders ke bheje bank statement" in reply["text"]
    (answer,) = send_file(client, SHARMA, b"screenshot", "paid.jpg", text="mera kitna baaki hai")
    assert answer["text"] == "Shree Ganesh Cement Traders ka aap par kuch bhi baaki nahi hai. Dhanyavaad!"


def test_a_customers_claim_already_in_the_imported_statement_is_recorded_at_once(
    client: TestClient, db: Database
) -> None:
    business, sharma = seeded_shop(client, db)
    bill = make_invoice(db, business, sharma, issue=date(2026, 11, 1))
    statement = hdfc(("26/11/26", "UPI-S K TRADING CO-skt@okaxis-412345678901-UPI", "", "", "22,420.00"))
    send_file(client, OWNER, statement, "statement.csv")  # nobody's name in it: left to check
    with db.transaction() as session:
        assert session.get_one(Invoice, bill.id).status is InvoiceStatus.SENT
    customer = Person(client, SHARMA)
    caused = customer.says("maine 22420 ka payment kar diya, UTR 412345678901")
    assert customer.reply == (
        "Shree Ganesh Cement Traders ko aapka ₹22,420 ka payment mil gaya hai. Dhanyavaad! Ab balance: ₹0."
    )
    owner_note = next(r["text"] for r in caused if r["to"] == OWNER)
    assert "412345678901" in owner_note and "26 Nov 2026" in owner_note and "darj kar liya" in owner_note
    assert not any(r["buttons"] for r in caused if r["to"] == OWNER)  # nothing to confirm
    with db.transaction() as session:
        assert session.get_one(Invoice, bill.id).status is InvoiceStatus.PAID


def test_a_likely_match_is_put_to_the_owner_and_yes_records_it(client: TestClient, db: Database) -> None:
    business, sharma = seeded_shop(client, db)
    bill = make_invoice(db, business, sharma, issue=date(2026, 11, 1))
    statement = hdfc(("27/11/26", "CASH DEPOSIT BY SELF", "", "", "22,420.00"))  # only the amount says whose
    *_, question = send_file(client, OWNER, statement, "statement.csv")
    assert question["text"] == (
        f'27 Nov 2026 ko ₹22,420 aaye: "CASH DEPOSIT BY SELF". Kya yeh Sharma Traders ka payment hai,'
        f" {bill.number} ke liye?"
    )
    assert [b["id"] for b in question["buttons"]] == ["affirm", "deny"]
    owner = Person(client, OWNER)
    caused = owner.taps("affirm")
    assert "₹22,420" in owner.reply and "darj" in owner.reply
    assert any(r["to"] == SHARMA and "₹22,420" in r["text"] for r in caused)  # their receipt
    with db.transaction() as session:
        assert session.get_one(Invoice, bill.id).status is InvoiceStatus.PAID


def test_no_to_a_likely_match_leaves_the_money_unmatched(client: TestClient, db: Database) -> None:
    business, sharma = seeded_shop(client, db)
    bill = make_invoice(db, business, sharma, issue=date(2026, 11, 1))
    send_file(client, OWNER, hdfc(("27/11/26", "CASH DEPOSIT BY SELF", "", "", "22,420.00")), "statement.csv")
    owner = Person(client, OWNER)
    owner.taps("deny")
    assert owner.reply == "Theek hai: 27 Nov 2026 ke ₹22,420 abhi kisi bill se nahi jode."
    with db.transaction() as session:
        assert session.get_one(Invoice, bill.id).status is InvoiceStatus.SENT


def test_money_whose_utr_is_already_recorded_is_listed_not_put_as_a_question(
    client: TestClient, db: Database
) -> None:
    business, sharma = seeded_shop(client, db)
    make_invoice(db, business, sharma, issue=date(2026, 11, 1))
    make_invoice(db, business, sharma, issue=date(2026, 11, 2))
    owner = Person(client, OWNER)
    owner.says("Sharma Traders ne 22420 diye UTR 412345678901")  # recorded by hand first
    statement = hdfc(("26/11/26", "UPI-SHARMA TRADERS-412345678901-UPI", "", "", "22,420.00"))
    replies = send_file(client, OWNER, statement, "statement.csv")
    assert "1 check karne hain" in replies[0]["text"]
    assert not any(r["buttons"] for r in replies)  # the same money twice is never a yes away


def send_photo(client: TestClient, sender: str, text: str = "") -> list[dict[str, Any]]:
    body: dict[str, Any] = {
        "from": sender,
        "to": BUSINESS_NUMBER,
        "id": f"img-{uuid.uuid4().hex}",
        "image": {"content_b64": base64.b64encode(b"\xff\xd8\xff screenshot").decode()},
    }
    if text:
        body["text"] = text
    response = client.post("/api/simulator/messages", json=body)
    assert response.status_code == 200, response.text
    replies: list[dict[str, Any]] = response.json()["replies"]
    return replies


def _flag(key: str) -> str:
    return Locales().render(f"flag.{key}", "hi-Latn")


def test_a_payment_screenshot_without_a_utr_is_flagged_to_the_owner(client: TestClient, db: Database) -> None:
    business, sharma = seeded_shop(client, db)
    make_invoice(db, business, sharma, issue=date(2026, 11, 1))
    caused = send_photo(client, SHARMA)
    (to_customer,) = [r for r in caused if r["to"] == SHARMA]
    assert "₹22,420" in to_customer["text"] and "UTR" in to_customer["text"]  # asked for it
    warning, question = [r for r in caused if r["to"] == OWNER]
    assert _flag("screenshot_without_reference") in warning["text"]
    assert "₹22,420" in question["text"] and question["buttons"]
    with db.transaction() as session:
        (claim,) = session.scalars(select(Payment)).all()
        assert (claim.confirmed, claim.utr) == (False, None)


def test_a_claim_whose_utr_the_bank_shows_with_another_amount_is_flagged(
    client: TestClient, db: Database
) -> None:
    business, sharma = seeded_shop(client, db)
    make_invoice(db, business, sharma, issue=date(2026, 11, 1))
    statement = hdfc(("26/11/26", "UPI-S K TRADING CO-skt@okaxis-412345678901-UPI", "", "", "2,420.00"))
    send_file(client, OWNER, statement, "statement.csv")
    caused = Person(client, SHARMA).says("maine 22420 ka payment kar diya, UTR 412345678901")
    warning, _question = [r for r in caused if r["to"] == OWNER]
    assert _flag("claimed_other_amount") in warning["text"]
    with db.transaction() as session:
        assert session.scalars(select(Payment.confirmed)).all() == [False]


def test_a_claim_said_twice_is_put_to_the_owner_once(client: TestClient, db: Database) -> None:
    business, sharma = seeded_shop(client, db)
    make_invoice(db, business, sharma, issue=date(2026, 11, 1))
    customer = Person(client, SHARMA)
    customer.says("maine 22420 ka payment kar diya, UTR 412345678901")
    again = customer.says("bhai 22420 bhej diya tha UTR 412345678901")
    assert [r["to"] for r in again] == [SHARMA]  # nothing to the owner
    assert "412345678901" in customer.reply
    with db.transaction() as session:
        assert session.scalar(select(func.count(Payment.id))) == 1


def test_a_claim_for_money_already_recorded_is_answered_without_the_owner(
    client: TestClient, db: Database
) -> None:
    business, sharma = seeded_shop(client, db)
    make_invoice(db, business, sharma, issue=date(2026, 11, 1))
    statement = hdfc(("25/11/26", "UPI-SHARMA TRADERS-sharma@okicici-412345678901-UPI", "", "", "22,420.00"))
    send_file(client, OWNER, statement, "statement.csv")  # recorded: Sharma's name and the exact amount
    customer = Person(client, SHARMA)
    caused = customer.says("maine 22420 ka payment kar diya, UTR 412345678901")
    assert [r["to"] for r in caused] == [SHARMA]
    assert "412345678901" in customer.reply and "25 Nov 2026" in customer.reply
    with db.transaction() as session:
        assert session.scalar(select(func.count(Payment.id))) == 1


def test_a_line_to_check_says_what_looks_wrong(client: TestClient, db: Database) -> None:
    business, sharma = seeded_shop(client, db)
    make_invoice(db, business, sharma, issue=date(2026, 11, 1))
    pay(db, sharma, 1_000_00, utr="412345678901")
    statement = hdfc(("26/11/26", "UPI-SHARMA TRADERS-sharma@okicici-412345678901-UPI", "", "", "21,420.00"))
    *_, to_check = send_file(client, OWNER, statement, "statement.csv")
    assert f"⚠ {_flag('reference_used')}" in to_check["text"]
