"""Before an invoice goes out the owner sees what looks wrong with it, in their language, and decides."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.db import Database
from modules.invoicing.models import Invoice, InvoiceStatus
from modules.invoicing.service import LineInput, create_invoice
from tests.chat import OWNER, SHARMA, Person, seed

BILL = "Sharma Traders ko 50 bag cement ka bill banao {rate} per bag 18% GST"


@pytest.fixture
def shop(client: TestClient) -> dict[str, uuid.UUID]:
    seeded = seed(client)
    return {"business": uuid.UUID(seeded["business"]["id"]), "customer": uuid.UUID(seeded["customer"]["id"])}


def _history(db: Database, shop: dict[str, uuid.UUID], *days_ago: int, rate: int = 380) -> None:
    """Earlier bills for 50 bags of cement to Sharma Traders."""
    for days in days_ago:
        create_invoice(
            db,
            business_id=shop["business"],
            customer_id=shop["customer"],
            lines=[LineInput("cement", Decimal(50), rate * 100, Decimal(18), hsn_sac="2523", unit="bag")],
            issue_date=date(2026, 12, 1) - timedelta(days=days),
            status=InvoiceStatus.SENT,
        )


def test_a_clean_bill_shows_only_its_summary(client: TestClient, shop: dict[str, uuid.UUID]) -> None:
    owner = Person(client, OWNER)
    caused = owner.says(BILL.format(rate=380) + " HSN 2523")
    (summary,) = [r for r in caused if r["to"] == OWNER]
    assert "22,420" in summary["text"]


def test_a_missing_hsn_code_is_asked_for_said_once_and_remembered(
    client: TestClient, db: Database, shop: dict[str, uuid.UUID]
) -> None:
    owner = Person(client, OWNER)
    owner.says(BILL.format(rate=380))  # Sharma Traders is registered: its bill needs HSN codes
    check, _ = owner.replies
    assert "cement ka HSN code nahi hai; aapke bill par 4 digit ka HSN chahiye" in check["text"]
    assert 'Aise bhejiye: "cement HSN 2523"' in check["text"]
    owner.says("cement HSN 2523")
    (summary,) = owner.replies  # the same bill, now with nothing to point out
    assert "22,420" in summary["text"]
    owner.taps("affirm")
    with db.transaction() as session:
        (invoice,) = session.scalars(select(Invoice)).all()
        assert [line.hsn_sac for line in invoice.lines] == ["2523"]
    owner.says(BILL.format(rate=380).replace("50 bag", "20 bag"))  # the next cement bill knows its code
    assert not any("HSN" in r["text"] for r in owner.replies)


def test_each_line_of_a_bill_carries_its_own_hsn_code(
    client: TestClient, db: Database, shop: dict[str, uuid.UUID]
) -> None:
    owner = Person(client, OWNER)
    owner.says(
        "Sharma Traders ko 50 bag cement 380 per bag HSN 2523 aur 20 kg sariya 65 per kg HSN 7214 "
        "ka bill 18% GST"
    )
    assert not any("HSN" in r["text"] for r in owner.replies)
    owner.taps("affirm")
    with db.transaction() as session:
        (invoice,) = session.scalars(select(Invoice)).all()
        assert [(line.description, line.hsn_sac) for line in invoice.lines] == [
            ("cement", "2523"),
            ("sariya", "7214"),
        ]


def test_a_price_typo_is_pointed_out_once_and_the_owner_still_decides(
    client: TestClient, db: Database, shop: dict[str, uuid.UUID]
) -> None:
    _history(db, shop, 90, 60, 30)
    owner = Person(client, OWNER)
    owner.says(BILL.format(rate=3800))
    check, summary = owner.replies
    assert check["text"].startswith("Bhejne se pehle ek baar yeh dekh lijiye:")
    assert (
        "cement ka rate ₹3,800 hai, jabki Sharma Traders ke liye aam taur par ₹380 hota hai" in check["text"]
    )
    assert "Total" not in check["text"]  # the unusual total is the same typo: said once
    assert [b["id"] for b in summary["buttons"]] == ["affirm", "deny"]
    owner.taps("deny")
    assert not Person(client, SHARMA).inbox()


def test_the_same_bill_twice_in_a_week_is_flagged_with_the_first_ones_number(
    client: TestClient, db: Database, shop: dict[str, uuid.UUID]
) -> None:
    owner = Person(client, OWNER)
    owner.says(BILL.format(rate=380))
    owner.taps("affirm")
    first = Person(client, SHARMA).inbox()[0]["text"]
    owner.says(BILL.format(rate=380))
    check, _ = owner.replies
    number = next(word for word in first.split() if word.startswith("INV-"))
    assert f"bill {number.rstrip(',.')}" in check["text"] and "naya bill" in check["text"]
