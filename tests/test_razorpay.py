"""Razorpay Payment Links: created through Razorpay's API when configured, and its webhook (signed over the
raw body, handled once per event id) records the payment on the link's invoice and tells both sides."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot.app import create_app
from bot.clock import FrozenClock
from bot.db import Database
from bot.settings import load_settings
from modules.payments.models import Payment, PaymentLink, PaymentLinkStatus, PaymentMode, PaymentSource
from tests.chat import OWNER, Person, seed
from tests.conftest import SECRET
from tests.fakes.provider import Answer, FakeProvider

FIXTURES = Path(__file__).parent / "fixtures" / "razorpay"
KEY_ID, KEY_SECRET, WEBHOOK_SECRET = (
    "rzp_test_1DP5mmOlF5G5ag",
    "razorpay-key-secret",
    "razorpay-webhook-secret",
)
GUPTA = "+919811100011"


@pytest.fixture
def client(
    db: Database, clock: FrozenClock, tmp_path: Path, fake_provider: FakeProvider
) -> Iterator[TestClient]:
    environ = {
        "TAGADA_SIMULATOR_ENABLED": "true",
        "TAGADA_SECRET_KEY": SECRET,
        "TAGADA_SCHEDULER_ENABLED": "false",
        "TAGADA_RAZORPAY_ENABLED": "true",
        "TAGADA_RAZORPAY_KEY_ID": KEY_ID,
        "TAGADA_RAZORPAY_KEY_SECRET": KEY_SECRET,
        "TAGADA_RAZORPAY_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "TAGADA_RAZORPAY_API_URL": fake_provider.url,
    }
    settings = load_settings(tmp_path / "none.yml", environ=environ)
    created = json.loads((FIXTURES / "payment_link_created.json").read_text())
    fake_provider.always("POST", "/v1/payment_links", lambda _: Answer(200, created))
    with TestClient(create_app(settings, database=db, clock=clock)) as test_client:
        yield test_client


def _gupta(client: TestClient) -> None:
    business = seed(client)["business"]
    answer = client.post(
        f"/api/simulator/businesses/{business['id']}/customers",
        json={"name": "Gupta Hardware", "phone": GUPTA, "language": "hi-Latn"},
    )
    assert answer.status_code == 201, answer.text


def _post(
    client: TestClient, body: bytes, *, event_id: str = "evt_PqW7x", signature: str | None = None
) -> Any:
    signed = hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
    headers = {"Content-Type": "application/json", "X-Razorpay-Event-Id": event_id}
    if signature != "":
        headers["X-Razorpay-Signature"] = signature or signed
    return client.post("/webhooks/razorpay", content=body, headers=headers)


def test_a_link_is_made_at_razorpay_and_sent_to_the_customer(
    client: TestClient, fake_provider: FakeProvider
) -> None:
    _gupta(client)
    owner = Person(client, OWNER)
    owner.says("Gupta Hardware ko 12000 ka payment link bhejo")
    caused = owner.taps("affirm")
    (request,) = fake_provider.to("POST", "/v1/payment_links")
    assert (
        request.headers["authorization"]
        == "Basic " + base64.b64encode(f"{KEY_ID}:{KEY_SECRET}".encode()).decode()
    )
    body = request.json()
    assert {k: body[k] for k in ("amount", "currency", "accept_partial")} == {
        "amount": 12_000_00,
        "currency": "INR",
        "accept_partial": False,
    }
    assert len(body["reference_id"]) == 32 and body["notify"] == {"sms": False, "email": False}
    assert body["customer"] == {"name": "Gupta Hardware", "contact": GUPTA}
    assert body["expire_by"] > 1795840200
    assert any(r["to"] == GUPTA and "https://rzp.io/i/Gp4X2kQ" in r["text"] for r in caused)


def test_the_paid_webhook_records_the_payment_once_and_tells_both_sides(
    client: TestClient, db: Database
) -> None:
    _gupta(client)
    owner = Person(client, OWNER)
    owner.says("Gupta Hardware ko 12000 ka payment link bhejo")
    owner.taps("affirm")
    body = (FIXTURES / "payment_link_paid.json").read_bytes()
    assert _post(client, body).status_code == 200
    assert _post(client, body).status_code == 200  # Razorpay redelivers: handled once
    with db.transaction() as session:
        (payment,) = session.scalars(select(Payment)).all()
        assert (payment.amount_paise, payment.mode, payment.source, payment.utr, payment.confirmed) == (
            12_000_00,
            PaymentMode.UPI,
            PaymentSource.GATEWAY,
            "432112345678",
            True,
        )
        assert session.scalars(select(PaymentLink.status)).one() is PaymentLinkStatus.PAID
    assert owner.got("Gupta Hardware", "₹12,000", "payment link")
    assert Person(client, GUPTA).got("₹12,000")


def test_a_webhook_without_a_good_signature_or_an_event_id_is_refused(
    client: TestClient, db: Database
) -> None:
    body = (FIXTURES / "payment_link_paid.json").read_bytes()
    assert _post(client, body, signature="").status_code == 400
    assert _post(client, body, signature="0" * 64).status_code == 400
    assert (
        _post(client, body + b" ", signature=hmac.new(b"other", body, hashlib.sha256).hexdigest()).status_code
        == 400
    )
    signed = hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
    no_id = client.post("/webhooks/razorpay", content=body, headers={"X-Razorpay-Signature": signed})
    assert no_id.status_code == 400
    garbage = b'{"hello": "world"}'
    assert _post(client, garbage).status_code == 400
    with db.transaction() as session:
        assert session.scalar(select(func.count(Payment.id))) == 0


def test_an_event_about_a_link_that_is_not_ours_is_acknowledged_and_ignored(
    client: TestClient, db: Database
) -> None:
    body = (FIXTURES / "payment_link_paid.json").read_bytes()
    assert _post(client, body).status_code == 200  # no such link here: answered, so Razorpay does not retry
    other = json.dumps({"entity": "event", "event": "payment.authorized", "payload": {}}).encode()
    assert _post(client, other, event_id="evt_other").status_code == 200
    with db.transaction() as session:
        assert session.scalar(select(func.count(Payment.id))) == 0


def test_without_razorpay_the_webhook_is_not_there(db: Database, clock: FrozenClock, tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "none.yml", environ={"TAGADA_SECRET_KEY": SECRET})
    with TestClient(create_app(settings, database=db, clock=clock)) as plain:
        assert plain.post("/webhooks/razorpay", content=b"{}").status_code == 404
