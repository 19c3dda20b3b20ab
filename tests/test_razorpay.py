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
from bot.tokens import make_token
from modules.business.models import Business
from modules.customers.models import Customer
from modules.invoicing.models import Invoice
from modules.payments.links import PAGE_PURPOSE
from modules.payments.models import (
    BankLine,
    BankLineStatus,
    Payment,
    PaymentLink,
    PaymentLinkStatus,
    PaymentMode,
    PaymentSource,
)
from tests.chat import OWNER, Person, seed
from tests.conftest import SECRET, make_invoice
from tests.fakes.provider import Answer, FakeProvider

FIXTURES = Path(__file__).parent / "fixtures" / "razorpay"
KEY_ID, KEY_SECRET, WEBHOOK_SECRET = (
    "rzp_test_1DP5mmOlF5G5ag",
    "razorpay-key-secret",
    "razorpay-webhook-secret",
)
GUPTA = "+919811100011"
PAID_TEXT = "Iska payment ho chuka hai"  # the page's "paid" state, in Gupta's Hinglish


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


def _link_sent_to_gupta(client: TestClient) -> Person:
    """Gupta Hardware asked for ₹12,000 through a Razorpay link; the owner who asked."""
    _gupta(client)
    owner = Person(client, OWNER)
    owner.says("Gupta Hardware ko 12000 ka payment link bhejo")
    owner.taps("affirm")
    return owner


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
    owner = _link_sent_to_gupta(client)
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


def _captured(
    payment_id: str = "pay_PqW6aB3cD4eF5g",
    *,
    amount_paise: int = 12_000_00,
    contact: str = GUPTA,
    vpa: str = "guptahardware@okhdfcbank",
) -> bytes:
    event = json.loads((FIXTURES / "payment_captured.json").read_text())
    payment = event["payload"]["payment"]["entity"]
    payment.update(id=payment_id, amount=amount_paise, contact=contact, vpa=vpa, notes=[])
    payment["upi"]["vpa"] = vpa
    return json.dumps(event).encode()


def _shop(client: TestClient, db: Database) -> tuple[Business, Customer]:
    _gupta(client)
    with db.transaction() as session:
        gupta = session.scalars(select(Customer).where(Customer.name == "Gupta Hardware")).one()
        return session.get_one(Business, gupta.business_id), gupta


def test_the_link_sends_the_payer_back_to_our_page(client: TestClient, fake_provider: FakeProvider) -> None:
    _link_sent_to_gupta(client)
    (request,) = fake_provider.to("POST", "/v1/payment_links")
    body = request.json()
    assert body["callback_method"] == "get"
    assert body["callback_url"].startswith("http://127.0.0.1:8000/pay/") and body["callback_url"].endswith(
        "/paid"
    )


@pytest.mark.parametrize("captured_first", [True, False])
def test_the_links_event_and_payment_captured_are_one_payment_in_either_order(
    client: TestClient, db: Database, captured_first: bool
) -> None:
    owner = _link_sent_to_gupta(client)
    before = len(owner.inbox())
    events = [
        ((FIXTURES / "payment_link_paid.json").read_bytes(), "evt_link"),
        (_captured(), "evt_captured"),
    ]
    for body, event_id in reversed(events) if captured_first else events:
        assert _post(client, body, event_id=event_id).status_code == 200
    with db.transaction() as session:
        (payment,) = session.scalars(select(Payment)).all()
        assert (payment.gateway_payment_id, payment.amount_paise, payment.payer_vpa) == (
            "pay_PqW6aB3cD4eF5g",
            12_000_00,
            "guptahardware@okhdfcbank",
        )
        assert session.scalars(select(PaymentLink.status)).one() is PaymentLinkStatus.PAID
    (collected,) = owner.inbox()[before:]  # told once
    assert "Gupta Hardware" in collected["text"] and "₹12,000" in collected["text"]


def test_money_captured_outside_our_links_is_matched_by_the_payers_phone(
    client: TestClient, db: Database
) -> None:
    business, gupta = _shop(client, db)
    bill = make_invoice(db, business, gupta, quantity=10, rupees=500)  # ₹5,900 with GST
    assert _post(client, _captured("pay_QrX1", amount_paise=5_900_00), event_id="evt_1").status_code == 200
    with db.transaction() as session:
        (payment,) = session.scalars(select(Payment)).all()
        assert (payment.customer_id, payment.source, payment.mode, payment.gateway_payment_id) == (
            gupta.id,
            PaymentSource.GATEWAY,
            PaymentMode.UPI,
            "pay_QrX1",
        )
        assert [a.invoice_id for a in payment.allocations] == [bill.id]
    assert Person(client, OWNER).got("Gupta Hardware", "₹5,900")
    assert Person(client, GUPTA).got("₹5,900")


def test_captured_money_nobody_is_known_by_waits_for_the_owner(client: TestClient, db: Database) -> None:
    business, gupta = _shop(client, db)
    bill = make_invoice(db, business, gupta, quantity=10, rupees=500)
    stranger = {"contact": "+919000000001", "vpa": "someone@ybl"}
    assert _post(client, _captured("pay_Unk", amount_paise=7_777_00, **stranger)).status_code == 200
    owner = Person(client, OWNER)
    assert owner.got("₹7,777", "Razorpay", "Sharma ne 5000 diye")
    # The amount of one bill exactly: put to the owner as a question, recorded on yes.
    assert (
        _post(client, _captured("pay_Amt", amount_paise=5_900_00, **stranger), event_id="e2").status_code
        == 200
    )
    assert owner.got("₹5,900", "Gupta Hardware", bill.number)
    owner.taps("affirm")
    with db.transaction() as session:
        (payment,) = session.scalars(select(Payment)).all()
        assert (payment.gateway_payment_id, payment.source, payment.customer_id) == (
            "pay_Amt",
            PaymentSource.GATEWAY,
            gupta.id,
        )
        statuses = {p: s for p, s in session.execute(select(BankLine.gateway_payment_id, BankLine.status))}
    assert statuses == {"pay_Unk": BankLineStatus.UNKNOWN, "pay_Amt": BankLineStatus.APPLIED}


def test_coming_back_from_razorpay_thanks_the_payer_only_with_a_good_signature(
    client: TestClient, db: Database
) -> None:
    _link_sent_to_gupta(client)
    with db.transaction() as session:
        link = session.scalars(select(PaymentLink)).one()
    page = f"/pay/{make_token(SECRET, PAGE_PURPOSE, link.id)}/paid"
    query = {
        "razorpay_payment_id": "pay_PqW6aB3cD4eF5g",
        "razorpay_payment_link_id": "plink_PqW3nL8xYz12Ab",
        "razorpay_payment_link_reference_id": link.id.hex,
        "razorpay_payment_link_status": "paid",
    }
    signed = f"plink_PqW3nL8xYz12Ab|{link.id.hex}|paid|pay_PqW6aB3cD4eF5g"
    signature = hmac.new(KEY_SECRET.encode(), signed.encode(), hashlib.sha256).hexdigest()
    thanks = client.get(page, params={**query, "razorpay_signature": signature})
    assert thanks.status_code == 200 and PAID_TEXT in thanks.text
    forged = client.get(page, params={**query, "razorpay_signature": "0" * 64})
    assert forged.status_code == 200 and PAID_TEXT not in forged.text and "₹12,000" in forged.text
    assert client.get("/pay/not-a-token/paid", params=query).status_code == 404


def test_cancelling_a_bill_cancels_its_razorpay_link(
    client: TestClient, db: Database, fake_provider: FakeProvider
) -> None:
    cancelled = {"id": "plink_PqW3nL8xYz12Ab", "status": "cancelled"}
    fake_provider.always("POST", "/plink_PqW3nL8xYz12Ab/cancel", lambda _: Answer(200, cancelled))
    _gupta(client)
    owner = Person(client, OWNER)
    owner.says("Gupta Hardware ko 10 bag cement ka bill banao 500 per bag 18% GST")
    owner.taps("affirm")
    with db.transaction() as session:
        number = session.scalars(select(Invoice.number)).one()
    owner.says(f"{number} cancel karo")
    owner.taps("affirm")
    assert len(fake_provider.to("POST", "/v1/payment_links/plink_PqW3nL8xYz12Ab/cancel")) == 1
    with db.transaction() as session:
        assert session.scalars(select(PaymentLink.status)).one() is PaymentLinkStatus.CANCELLED
