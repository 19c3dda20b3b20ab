"""The end-to-end scenario of shared/spec/simulator-api.md, as raw HTTP calls against the spec's shapes."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from bot.app import create_app
from bot.db import Database
from bot.settings import load_settings
from tests.chat import post_message, texts_to

OWNER, SHARMA, SHOP = "+919822012345", "+919811122233", "+912041234567"


def test_the_spec_scenario_end_to_end(client: TestClient) -> None:
    # 1. Seed a business whose owner writes Hinglish, and Sharma Traders.
    business = client.post(
        "/api/simulator/businesses",
        json={
            "name": "Shree Ganesh Cement Traders",
            "whatsapp_number": SHOP,
            "owner_phone": OWNER,
            "gstin": "27AAPFS1234C1ZD",
            "state_code": "27",
            "upi_vpa": "ganeshcement@okhdfcbank",
            "language": "hi-Latn",
        },
    )
    assert business.status_code == 201
    customer = client.post(
        f"/api/simulator/businesses/{business.json()['id']}/customers",
        json={"name": "Sharma Traders", "phone": SHARMA, "gstin": "27ABCDE1234F1Z0", "language": "hi-Latn"},
    )
    assert customer.status_code == 201

    # 2. The owner asks for the bill: a summary with ₹22,420 and a question.
    replies = post_message(
        client, OWNER, "Sharma Traders ko 50 bag cement ka bill banao 380 per bag 18% GST", "m1"
    )
    summary = texts_to(replies, OWNER)
    assert "₹22,420" in summary and "₹19,000" in summary
    assert any(b["id"] == "affirm" for r in replies for b in r["buttons"])
    assert texts_to(replies, SHARMA) == ""  # nothing reaches the customer before the owner confirms

    # 3. "haan bhej do": the customer gets the PDF with the amount and a link; the owner the number.
    replies = post_message(client, OWNER, "haan bhej do", "m2")
    to_customer = [r for r in replies if r["to"] == SHARMA]
    assert len(to_customer) == 1
    invoice_text = str(to_customer[0]["text"])
    assert "₹22,420" in invoice_text and "/pay/" in invoice_text
    (pdf,) = to_customer[0]["media"]
    assert pdf["mime_type"] == "application/pdf"
    number = re.search(r"INV-2026-27-\d{4}", texts_to(replies, OWNER))
    assert number is not None
    document = client.get(pdf["url"].replace("http://127.0.0.1:8000", ""))
    assert document.status_code == 200 and document.content.startswith(b"%PDF")
    link = re.search(r"https?://\S+/pay/\S+", invoice_text)
    assert link is not None
    page = client.get(link.group(0).replace("http://127.0.0.1:8000", ""))
    assert page.status_code == 200 and "22,420" in page.text and "upi://pay" in page.text

    # 4. The customer promises for tomorrow (now is 2026-12-01): recorded and acknowledged in Hinglish.
    replies = post_message(client, SHARMA, "kal tak kar dunga", "m3")
    ack = texts_to(replies, SHARMA)
    assert "2 Dec 2026" in ack
    assert "Dhanyavaad" in ack  # acknowledged in Hinglish

    # 5. "payment kar diya UTR ...": the owner is asked to confirm ₹22,420.
    replies = post_message(client, SHARMA, "payment kar diya UTR 412345678901", "m4")
    ask = texts_to(replies, OWNER)
    assert "₹22,420" in ask and "412345678901" in ask

    # 6. "haan mil gaya": paid; the outstanding no longer counts it.
    post_message(client, OWNER, "haan mil gaya", "m5")
    outstanding = texts_to(post_message(client, OWNER, "kitna baaki hai", "m6"), OWNER)
    assert "22,420" not in outstanding

    # The outbox shows the customer everything they were sent, oldest first.
    inbox = client.get("/api/simulator/outbox", params={"to": SHARMA}).json()["messages"]
    assert [m["sent_at"] for m in inbox] == sorted(m["sent_at"] for m in inbox)
    assert "22,420" in inbox[0]["text"]


def test_a_replayed_message_id_returns_the_first_replies(client: TestClient) -> None:
    client.post(
        "/api/simulator/businesses",
        json={"name": "Shop", "whatsapp_number": SHOP, "owner_phone": OWNER, "language": "en"},
    )
    first = post_message(client, OWNER, "how much is outstanding?", "same-id")
    second = post_message(client, OWNER, "something else entirely", "same-id")
    assert second == first
    assert len(client.get("/api/simulator/outbox", params={"to": OWNER}).json()["messages"]) == len(first)


def test_the_clock_moves_only_forward(client: TestClient) -> None:
    assert client.get("/api/simulator/clock").json()["now"].startswith("2026-12-01T10:00:00")
    moved = client.post("/api/simulator/clock", json={"now": "2026-12-02T09:00:00+05:30"})
    assert moved.status_code == 200
    assert moved.json() == {"now": "2026-12-02T09:00:00+05:30", "sent": []}
    assert client.post("/api/simulator/clock", json={"now": "2026-12-01T09:00:00+05:30"}).status_code == 409
    assert client.post("/api/simulator/clock", json={"now": "2026-12-03T09:00:00"}).status_code == 422
    assert client.post("/api/simulator/clock", json={"now": "soon"}).status_code == 422


def test_bad_requests_get_clear_4xx(client: TestClient) -> None:
    client.post(
        "/api/simulator/businesses",
        json={"name": "Shop", "whatsapp_number": SHOP, "owner_phone": OWNER, "language": "en"},
    )
    assert client.post("/api/simulator/messages", json={"from": OWNER, "to": SHOP}).status_code == 422
    assert client.post("/api/simulator/messages", json={"to": SHOP, "text": "hi"}).status_code == 422
    unknown_shop = client.post(
        "/api/simulator/messages", json={"from": OWNER, "to": "+919999999999", "text": "hi"}
    )
    assert unknown_shop.status_code == 404
    bad_phone = client.post("/api/simulator/messages", json={"from": "hello", "to": SHOP, "text": "hi"})
    assert bad_phone.status_code == 422
    duplicate = client.post(
        "/api/simulator/businesses",
        json={"name": "Other", "whatsapp_number": SHOP, "owner_phone": "+919811100000"},
    )
    assert duplicate.status_code == 409
    assert client.post("/api/simulator/businesses", content=b"{not json").status_code == 422


def test_every_route_is_404_when_the_simulator_is_off(db: Database, tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "none.yml", environ={"TAGADA_SIMULATOR_ENABLED": "false"})
    with TestClient(create_app(settings, database=db)) as client:
        assert client.get("/api/simulator/clock").status_code == 404
        assert client.get("/api/simulator/businesses").status_code == 404
        sent = client.post("/api/simulator/messages", json={"from": OWNER, "to": SHOP, "text": "hi"})
        assert sent.status_code == 404


def test_a_voice_note_that_is_not_audio_is_stored_and_answered(client: TestClient) -> None:
    client.post(
        "/api/simulator/businesses",
        json={"name": "Shop", "whatsapp_number": SHOP, "owner_phone": OWNER, "language": "en"},
    )
    voice = {"content_b64": "T2dnUwACAAAAAAAAAAA=", "mime_type": "audio/ogg; codecs=opus"}
    response = client.post("/api/simulator/messages", json={"from": OWNER, "to": SHOP, "audio": voice})
    assert response.status_code == 200
    (reply,) = response.json()["replies"]
    assert reply["text"].startswith("I couldn't make out that voice note")


def test_the_outbox_reads_plus_signs_sent_unencoded(client: TestClient) -> None:
    client.post(
        "/api/simulator/businesses",
        json={"name": "Shop", "whatsapp_number": SHOP, "owner_phone": OWNER, "language": "en"},
    )
    post_message(client, OWNER, "hello", "o1")
    raw = client.get(f"/api/simulator/outbox?to={OWNER}&since=2026-12-01T10:00:00+05:30")
    assert raw.status_code == 200 and len(raw.json()["messages"]) == 1
    later = client.get(f"/api/simulator/outbox?to={OWNER}&since=2026-12-01T10:00:01+05:30")
    assert later.json()["messages"] == []
    assert client.get(f"/api/simulator/outbox?to={OWNER}&since=yesterday").status_code == 422


def test_hostile_message_bodies_get_a_4xx_or_a_reply_never_a_500(client: TestClient) -> None:
    client.post(
        "/api/simulator/businesses",
        json={"name": "Shop", "whatsapp_number": SHOP, "owner_phone": OWNER, "language": "en"},
    )
    to = {"from": OWNER, "to": SHOP}
    bodies = [
        '{"from": "' + OWNER + '", "to": "' + SHOP + '", "text": "\\ud800 half a character"}',
        '{"from": "' + OWNER + '", "to": "' + SHOP + '", "text": "nul \\u0000 inside"}',
    ]
    for raw in bodies:
        response = client.post(
            "/api/simulator/messages", content=raw.encode(), headers={"content-type": "application/json"}
        )
        assert response.status_code in (200, 422), raw
    audio = {"content_b64": "!!not base64!!", "mime_type": "audio/ogg"}
    assert client.post("/api/simulator/messages", json={**to, "audio": audio}).status_code == 422
    forged = client.post(
        "/api/simulator/messages", json={**to, "text": "ok", "button": "confirm_payment:xyz"}
    )
    assert forged.status_code == 200 and forged.json()["replies"]
    problem = client.post("/api/simulator/messages", json={**to, "text": 5}).json()["detail"][0]
    assert problem["loc"] == ["body", "text"] and "input" not in problem  # the input is not echoed back
