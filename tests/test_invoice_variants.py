"""Each invoice remembers how it went out, and variants are compared on payment and disputes."""

from __future__ import annotations

import uuid
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.clock import FrozenClock
from bot.db import Database
from bot.models import OutboxMessage
from modules.invoicing.performance import Variant, variant_results
from tests.chat import OWNER, SHARMA, Person, seed

BILL = "Sharma Traders ko 50 bag cement ka bill banao 380 per bag 18% GST"


def test_invoices_are_reported_by_the_variant_they_went_out_with(
    client: TestClient, db: Database, clock: FrozenClock
) -> None:
    business_id = uuid.UUID(seed(client)["business"]["id"])
    owner, sharma = Person(client, OWNER), Person(client, SHARMA)
    owner.says(BILL)
    owner.taps("affirm")  # INV-...-0001 goes to Sharma Traders
    with db.transaction() as session:
        first = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "invoice")).one()
        assert first.subject_id is not None and first.sent_as == "text"
        assert first.payload["key"] == "invoice.to_customer"

    clock.advance(timedelta(days=3))
    sharma.says("payment kar diya UTR 412345678901")
    owner.says("haan mil gaya")  # the first invoice is paid three days after it went out
    owner.says(BILL)
    owner.taps("affirm")
    sharma.says("yeh bill galat hai, rate 360 tha")  # the second is disputed

    with db.transaction() as session:
        (result,) = variant_results(session, business_id=business_id)
    assert result.variant == Variant("invoice.to_customer", "hi-Latn", "simulator", "text")
    assert (result.invoices, result.paid, result.disputed) == (2, 1, 1)
    assert result.median_time_to_pay == timedelta(days=3)
    assert result.dispute_rate == 0.5
