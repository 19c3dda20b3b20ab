"""Bills with several lines: in one message, or added while the draft waits ("aur ..."), units kept."""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.db import Database
from modules.invoicing.models import Invoice
from tests.chat import OWNER, Person, seed


def _invoice(db: Database) -> Invoice:
    with db.transaction() as session:
        return session.scalars(select(Invoice)).one()


def test_two_lines_in_one_message(client: TestClient, db: Database) -> None:
    seed(client)
    owner = Person(client, OWNER)
    owner.says("Sharma Traders ko 50 bag cement 380 per bag aur 20 kg sariya 65 per kg ka bill banao 18% GST")
    summary = owner.reply
    assert "cement: 50 × ₹380 = ₹19,000" in summary and "sariya: 20 × ₹65 = ₹1,300" in summary
    assert "₹23,954" in summary  # (19,000 + 1,300) × 1.18
    owner.taps("affirm")
    invoice = _invoice(db)
    assert [(line.description, line.unit) for line in invoice.lines] == [("cement", "bag"), ("sariya", "kg")]
    assert invoice.total_paise == 23_954_00


def test_aur_adds_a_line_to_the_waiting_draft_and_a_new_item_replaces_it(
    client: TestClient, db: Database
) -> None:
    seed(client)
    owner = Person(client, OWNER)
    owner.says("Sharma Traders ko 50 bag cement ka bill banao 380 per bag 18% GST")
    owner.says("aur 20 kg sariya 65 per kg")
    assert "cement: 50 × ₹380" in owner.reply and "sariya: 20 × ₹65" in owner.reply
    owner.says("40 bag cement 370 per bag")  # a correction, not an addition
    assert "cement: 40 × ₹370" in owner.reply and "sariya" not in owner.reply
    owner.taps("affirm")
    (line,) = _invoice(db).lines
    assert (line.quantity, line.unit_price_paise, line.unit) == (Decimal(40), 370_00, "bag")


def test_lines_at_different_gst_rates_are_taxed_each_at_its_own(client: TestClient, db: Database) -> None:
    seed(client)
    owner = Person(client, OWNER)
    owner.says(
        "Sharma Traders ko 50 bag cement 380 per bag 28% aur 20 kg sariya 65 per kg 18% GST ka bill banao"
    )
    summary = owner.reply
    # 19,000 at 28% (2,660 + 2,660) and 1,300 at 18% (117 + 117): 25,854.
    assert "CGST + SGST (9% + 9%), ₹1,300 par: ₹234" in summary
    assert "CGST + SGST (14% + 14%), ₹19,000 par: ₹5,320" in summary
    assert "₹25,854" in summary
    owner.taps("affirm")
    invoice = _invoice(db)
    assert [line.gst_rate for line in invoice.lines] == [Decimal(28), Decimal(18)]
    assert invoice.total_paise == 25_854_00


def test_one_rate_in_the_message_is_the_whole_bills(client: TestClient, db: Database) -> None:
    seed(client)
    owner = Person(client, OWNER)
    owner.says("Sharma Traders ko 50 bag cement 380 per bag aur 20 kg sariya 65 per kg ka bill banao 18% GST")
    owner.taps("affirm")
    assert {line.gst_rate for line in _invoice(db).lines} == {Decimal(18)}


def test_a_price_per_kilo_for_bags_is_questioned_before_the_bill_goes(
    client: TestClient, db: Database
) -> None:
    seed(client)
    owner = Person(client, OWNER)
    owner.says("Sharma Traders ko 50 bag cement 380 per bag HSN 2523 ka bill banao 18% GST")
    owner.says("aur 20 bag sariya 65 rupaye kilo HSN 7214")  # the issue's own example: bags, priced per kilo
    check, summary = owner.replies
    assert "sariya: quantity bag mein hai lekin rate kilo ka hai" in check["text"]
    assert "cement" not in check["text"]  # a price per bag for bags is no question
    assert "sariya: 20 × ₹65 = ₹1,300" in summary["text"]  # still the owner's call
    owner.says("aur 2 ton sariya 65 per kg HSN 7214")
    assert "quantity ton mein hai lekin rate kg ka hai" in owner.reply
    owner.says("1000 kg sariya 65 per kg HSN 7214")  # said the right way: nothing to question
    (summary,) = owner.replies
    assert "sariya: 1000 × ₹65 = ₹65,000" in summary["text"]
