"""The real channels end to end: provider payloads (tests/fixtures) posted to /webhooks/<channel>, answered
through a fake provider API on localhost, in the provider's exact request format."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import select
from twilio.request_validator import RequestValidator  # type: ignore[import-untyped]

from bot.addresses import link_address
from bot.app import create_app
from bot.clock import FrozenClock
from bot.db import Database
from bot.models import Direction, Message, OutboxMessage, OutboxStatus
from bot.settings import load_settings
from connectors.channels.base import ChannelRequest
from modules.business.models import Business
from modules.business.service import NewBusiness, create_business
from modules.customers.models import Customer
from modules.invoicing.models import Invoice, InvoiceStatus
from tests.banks import hdfc
from tests.conftest import SECRET, make_customer, make_invoice
from tests.fakes.provider import Answer, FakeProvider, Recorded
from tests.whisper_model import test_model_dir

ROOT = Path(__file__).parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
PUBLIC_URL = "https://tagada.example.in"
OWNER = "+919822012345"
TWILIO_SID = "AC84db2ca24ac6529d61268eeea9e2f074"
TWILIO_TOKEN = "twilio-auth-token-for-tests"
META_NUMBER_ID = "106540352242922"
META_SECRET = "meta-app-secret-for-tests"
META_TOKEN = "meta-access-token-for-tests"
TELEGRAM_TOKEN = "123456:telegram-token-for-tests"
TELEGRAM_SECRET = "telegram-secret-for-tests"


@pytest.fixture
def app(
    db: Database, clock: FrozenClock, fake_provider: FakeProvider, tmp_path: Path
) -> Iterator[TestClient]:
    """The app with every real channel on, each pointed at the fake provider."""
    environ = {
        "TAGADA_SECRET_KEY": SECRET,
        "TAGADA_SCHEDULER_ENABLED": "false",
        "TAGADA_SERVER_PUBLIC_URL": PUBLIC_URL,
        "TAGADA_SPEECH_MODEL": str(test_model_dir()),
        # Whisper base on synthetic speech is never very sure (0.45-0.67): act on clear notes at once.
        "TAGADA_SPEECH_CONFIRM_BELOW": "0.3",
        "TAGADA_TWILIO_WHATSAPP_ENABLED": "true",
        "TAGADA_TWILIO_WHATSAPP_ACCOUNT_SID": TWILIO_SID,
        "TAGADA_TWILIO_WHATSAPP_AUTH_TOKEN": TWILIO_TOKEN,
        "TAGADA_TWILIO_WHATSAPP_API_URL": fake_provider.url,
        "TAGADA_META_WHATSAPP_ENABLED": "true",
        "TAGADA_META_WHATSAPP_PHONE_NUMBER_ID": META_NUMBER_ID,
        "TAGADA_META_WHATSAPP_ACCESS_TOKEN": META_TOKEN,
        "TAGADA_META_WHATSAPP_APP_SECRET": META_SECRET,
        "TAGADA_META_WHATSAPP_VERIFY_TOKEN": "verify-me",
        "TAGADA_META_WHATSAPP_GRAPH_URL": fake_provider.url,
        "TAGADA_TELEGRAM_ENABLED": "true",
        "TAGADA_TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
        "TAGADA_TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
        "TAGADA_TELEGRAM_BUSINESS_NUMBER": "+912041234567",
        "TAGADA_TELEGRAM_API_URL": fake_provider.url,
    }
    # The template registry as shipped in config.yml: outside the 24-hour window these are what go out.
    shipped = yaml.safe_load((ROOT / "config.yml").read_text())
    config = tmp_path / "config.yml"
    config.write_text(yaml.safe_dump({"whatsapp": shipped["whatsapp"]}))
    settings = load_settings(config, environ=environ)
    _answer_sends(fake_provider)
    with TestClient(create_app(settings, database=db, clock=clock)) as client:
        yield client


def _answer_sends(fake: FakeProvider) -> None:
    """Each provider accepts every message, as its API documents the answer."""
    counter = iter(range(1, 1000))

    def twilio(request: Recorded) -> Answer:
        sid = f"SM{next(counter):032d}"
        return Answer(201, {"sid": sid, "status": "queued", "account_sid": TWILIO_SID, "error_code": None})

    def meta(request: Recorded) -> Answer:
        to = request.json().get("to", "")
        wamid = f"wamid.out{next(counter)}"
        return Answer(
            200, {"messaging_product": "whatsapp", "contacts": [{"input": to}], "messages": [{"id": wamid}]}
        )

    def telegram(request: Recorded) -> Answer:
        chat = {"id": 777000111, "type": "private", "first_name": "Ramesh"}
        result = {"message_id": next(counter), "date": 1795840200, "chat": chat, "text": "ok"}
        return Answer(200, {"ok": True, "result": result})

    fake.always("POST", f"/Accounts/{TWILIO_SID}/Messages.json", twilio)
    fake.always("POST", f"/{META_NUMBER_ID}/messages", meta)
    fake.always("POST", "/sendMessage", telegram)
    bot = {"id": 123456, "is_bot": True, "first_name": "Tagada", "username": "tagada_bot"}
    fake.always("POST", "/getMe", lambda _: Answer(200, {"ok": True, "result": bot}))


def _business(db: Database, number: str = "+912041234567", language: str = "hi-Latn") -> Business:
    return create_business(
        db,
        NewBusiness(
            display_name="Shree Ganesh Cement Traders",
            whatsapp_number=number,
            owner_phone=OWNER,
            state_code="27",
            upi_vpa="ganeshcement@okhdfcbank",
            language=language,
        ),
    )


# -- Twilio ---------------------------------------------------------------------------------------


def _twilio_form(name: str, **changes: str) -> dict[str, str]:
    form: dict[str, str] = json.loads((FIXTURES / "twilio_whatsapp" / f"{name}.json").read_text())
    return form | changes


def _post_twilio(app: TestClient, form: dict[str, str], signature: str | None = None) -> Any:
    url = f"{PUBLIC_URL}/webhooks/twilio_whatsapp"
    signed = RequestValidator(TWILIO_TOKEN).compute_signature(url, form)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signature != "":
        headers["X-Twilio-Signature"] = signature or signed
    return app.post("/webhooks/twilio_whatsapp", content=urlencode(form), headers=headers)


def _messages(db: Database, direction: Direction = Direction.INBOUND) -> list[Message]:
    with db.transaction() as session:
        return list(session.scalars(select(Message).where(Message.direction == direction)))


def test_a_twilio_message_is_answered_through_twilios_messages_api(
    app: TestClient, db: Database, fake_provider: FakeProvider
) -> None:
    make_customer(db, _business(db))
    response = _post_twilio(app, _twilio_form("text"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml") and "<Response>" in response.text
    (send,) = fake_provider.to("POST", f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json")
    form = {name: values[0] for name, values in send.form().items()}
    assert form["To"] == f"whatsapp:{OWNER}" and form["From"] == "whatsapp:+912041234567"
    assert form["StatusCallback"] == f"{PUBLIC_URL}/webhooks/twilio_whatsapp"
    assert "Sharma Traders" in form["Body"]  # "Sharma Traders ka kitna baaki hai?" answered
    assert (
        send.headers["authorization"]
        == "Basic " + base64.b64encode(f"{TWILIO_SID}:{TWILIO_TOKEN}".encode()).decode()
    )


def test_twilio_calls_without_a_valid_signature_are_refused_and_not_stored(
    app: TestClient, db: Database
) -> None:
    _business(db)
    assert _post_twilio(app, _twilio_form("text"), signature="").status_code == 401
    assert _post_twilio(app, _twilio_form("text"), signature="bm90IGEgc2lnbmF0dXJl").status_code == 403
    forged = _twilio_form("text")
    signed = RequestValidator(TWILIO_TOKEN).compute_signature(
        f"{PUBLIC_URL}/webhooks/twilio_whatsapp", forged
    )
    tampered = forged | {"Body": "Sharma ka payment mil gaya"}
    assert _post_twilio(app, tampered, signature=signed).status_code == 403
    assert _messages(db) == []


def test_a_duplicate_twilio_delivery_is_answered_once(
    app: TestClient, db: Database, fake_provider: FakeProvider
) -> None:
    _business(db)
    for _ in range(3):
        assert _post_twilio(app, _twilio_form("text")).status_code == 200
    assert len(_messages(db)) == 1
    assert len(fake_provider.to("POST", "/Messages.json")) == 1


def test_twilio_status_callbacks_update_the_delivery_state(
    app: TestClient, db: Database, fake_provider: FakeProvider
) -> None:
    _business(db)
    _post_twilio(app, _twilio_form("text"))
    with db.transaction() as session:
        sid = session.scalars(select(OutboxMessage.provider_message_id)).one() or ""
    assert _post_twilio(app, _twilio_form("status_delivered", MessageSid=sid, SmsSid=sid)).status_code == 200
    with db.transaction() as session:
        row = session.scalars(select(OutboxMessage)).one()
        assert row.delivery_status == "delivered" and row.status is OutboxStatus.SENT
    _post_twilio(app, _twilio_form("status_failed", MessageSid=sid, SmsSid=sid))
    with db.transaction() as session:
        row = session.scalars(select(OutboxMessage)).one()
        assert row.status is OutboxStatus.DEAD and (row.last_error or "").startswith("63016")


def test_malformed_twilio_webhooks_get_a_400(app: TestClient, db: Database) -> None:
    _business(db)
    form = {"Body": "no sid, no sender"}
    assert _post_twilio(app, form).status_code == 400


# -- WhatsApp Cloud API ---------------------------------------------------------------------------


def _meta_body(name: str) -> bytes:
    return (FIXTURES / "meta_whatsapp" / f"{name}.json").read_bytes()


def _post_meta(app: TestClient, body: bytes, signature: str | None = None) -> Any:
    signed = "sha256=" + hmac.new(META_SECRET.encode(), body, hashlib.sha256).hexdigest()
    headers = {"Content-Type": "application/json"}
    if signature != "":
        headers["X-Hub-Signature-256"] = signature or signed
    return app.post("/webhooks/meta_whatsapp", content=body, headers=headers)


def _graph_sends(fake: FakeProvider) -> list[dict[str, Any]]:
    return [request.json() for request in fake.to("POST", f"/v24.0/{META_NUMBER_ID}/messages")]


def test_meta_verification_handshake(app: TestClient) -> None:
    query = {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"}
    answer = app.get("/webhooks/meta_whatsapp", params=query)
    assert answer.status_code == 200 and answer.text == "1158201444"
    wrong = app.get("/webhooks/meta_whatsapp", params=query | {"hub.verify_token": "guess"})
    assert wrong.status_code == 403


def test_a_cloud_api_message_is_answered_in_the_graph_apis_format(
    app: TestClient, db: Database, fake_provider: FakeProvider
) -> None:
    make_customer(db, _business(db, number="+919820000001"))
    assert _post_meta(app, _meta_body("text")).status_code == 200
    (sent,) = _graph_sends(fake_provider)
    assert sent["messaging_product"] == "whatsapp" and sent["to"] == OWNER and sent["type"] == "text"
    assert "Sharma" in sent["text"]["body"]
    (request,) = fake_provider.to("POST", f"/{META_NUMBER_ID}/messages")
    assert request.headers["authorization"] == f"Bearer {META_TOKEN}"


def test_cloud_api_signatures_missing_401_wrong_403(app: TestClient, db: Database) -> None:
    _business(db, number="+919820000001")
    body = _meta_body("text")
    assert _post_meta(app, body, signature="").status_code == 401
    assert _post_meta(app, body, signature="sha256=" + "0" * 64).status_code == 403
    assert _post_meta(app, body.replace(b"baaki", b"paid!")).status_code == 200  # re-signed: fine
    assert _post_meta(app, b"{not json", signature=None).status_code == 400
    assert len(_messages(db)) == 1


def test_a_duplicate_cloud_api_delivery_is_answered_once(
    app: TestClient, db: Database, fake_provider: FakeProvider
) -> None:
    _business(db, number="+919820000001")
    _post_meta(app, _meta_body("text"))
    _post_meta(app, _meta_body("text"))
    assert len(_messages(db)) == 1 and len(_graph_sends(fake_provider)) == 1


def test_a_voice_note_on_the_cloud_api_becomes_an_intent(
    app: TestClient, db: Database, fake_provider: FakeProvider
) -> None:
    _business(db, number="+919820000001", language="en")
    body = json.loads(_meta_body("voice"))
    media_id = body["entry"][0]["changes"][0]["value"]["messages"][0]["audio"]["id"]
    note = (FIXTURES / "voice" / "en_how_much_outstanding.ogg").read_bytes()
    media_url = f"{fake_provider.url}/whatsapp_business/attachments/?mid={media_id}"
    fake_provider.answer(
        "GET",
        f"/v24.0/{media_id}",
        Answer(
            200, {"messaging_product": "whatsapp", "url": media_url, "mime_type": "audio/ogg", "id": media_id}
        ),
    )
    fake_provider.answer("GET", "/whatsapp_business/attachments/", Answer(200, note))
    assert _post_meta(app, json.dumps(body).encode()).status_code == 200
    (message,) = _messages(db)
    assert "outstanding" in message.text.lower()
    assert message.media[0]["confidence"] > 0
    (sent,) = _graph_sends(fake_provider)
    assert "outstanding" in sent["text"]["body"].lower()  # the answer to "how much is outstanding"
    for request in fake_provider.to("GET", ""):
        assert request.headers["authorization"] == f"Bearer {META_TOKEN}"


def test_a_bank_statement_the_owner_sends_on_the_cloud_api_is_fetched_and_imported(
    app: TestClient, db: Database, fake_provider: FakeProvider
) -> None:
    business = _business(db, number="+919820000001", language="en")
    bill = make_invoice(db, business, make_customer(db, business), issue=date(2026, 11, 1))
    body = json.loads(_meta_body("document"))
    message = body["entry"][0]["changes"][0]["value"]["messages"][0]
    message["from"] = OWNER.lstrip("+")
    message["document"] |= {"filename": "Acct Statement_XX5678.csv", "mime_type": "text/csv"}
    media_id = message["document"]["id"]
    media_url = f"{fake_provider.url}/whatsapp_business/attachments/?mid={media_id}"
    fake_provider.answer(
        "GET",
        f"/v24.0/{media_id}",
        Answer(
            200, {"messaging_product": "whatsapp", "url": media_url, "mime_type": "text/csv", "id": media_id}
        ),
    )
    statement = hdfc(
        ("25/11/26", f"NEFT-HDFCN52026112812345-SHARMA TRADERS-{bill.number}", "N1", "", "22,420.00")
    )
    fake_provider.answer("GET", "/whatsapp_business/attachments/", Answer(200, statement))
    assert _post_meta(app, json.dumps(body).encode()).status_code == 200
    (stored,) = _messages(db)
    assert stored.media == [
        {
            "kind": "document",
            "ref": media_id,
            "filename": "Acct Statement_XX5678.csv",
            "mime_type": "text/csv",
        }
    ]
    summary, recorded = _graph_sends(fake_provider)
    assert summary["text"]["body"].startswith("HDFC statement: 1 new lines of 1. Recorded 1 payment(s)")
    assert bill.number in recorded["text"]["body"]
    with db.transaction() as session:
        assert session.get_one(Invoice, bill.id).status is InvoiceStatus.PAID


def _customer_writes(app: TestClient, db: Database, business: Business) -> Customer:
    customer = make_customer(db, business)
    body = _meta_body("text").replace(b"919822012345", b"919811122233").replace(b"wamid.HBg", b"wamid.CUS")
    assert _post_meta(app, body).status_code == 200
    return customer


def test_a_transient_provider_failure_is_retried_and_a_permanent_one_is_dead_and_told(
    app: TestClient, db: Database, fake_provider: FakeProvider, clock: FrozenClock
) -> None:
    business = _business(db, number="+919820000001")
    _post_meta(app, _meta_body("text"))  # the owner wrote today: alerts may go to them as text
    fake_provider.answer(
        "POST", "/messages", Answer(503, {"error": {"message": "Service unavailable", "code": 2}})
    )
    _customer_writes(app, db, business)
    with db.transaction() as session:
        waiting = session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient == "+919811122233")
        ).one()
        assert waiting.status is OutboxStatus.FAILED and waiting.attempts == 1
    clock.advance(timedelta(minutes=1))
    gateway = app.app.state.gateway  # type: ignore[attr-defined]
    gateway.run_due_jobs()
    with db.transaction() as session:
        assert session.get_one(OutboxMessage, waiting.id).status is OutboxStatus.SENT

    undeliverable = {"error": {"message": "Message undeliverable", "type": "OAuthException", "code": 131026}}
    fake_provider.answer("POST", "/messages", Answer(400, undeliverable))
    body = _meta_body("text").replace(b"919822012345", b"919811122233").replace(b"wamid.HBg", b"wamid.TWO")
    _post_meta(app, body)
    with db.transaction() as session:
        dead = session.scalars(select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.DEAD)).one()
        assert (dead.last_error or "").startswith("131026")
    gateway.run_due_jobs()
    alert = _graph_sends(fake_provider)[-1]
    assert alert["to"] == OWNER and "Sharma Traders" in alert["text"]["body"]


def test_outside_the_window_a_message_with_no_template_is_not_sent(
    app: TestClient, db: Database, fake_provider: FakeProvider, clock: FrozenClock
) -> None:
    business = _business(db, number="+919820000001")
    customer = _customer_writes(app, db, business)
    sends = len(_graph_sends(fake_provider))
    clock.advance(timedelta(hours=25))
    with db.transaction() as session:
        row = OutboxMessage(
            business_id=business.id,
            channel="meta_whatsapp",
            recipient=customer.phone,
            payload={"text": "Reminder", "media": [], "buttons": [], "language": "en", "values": {}},
            idempotency_key="late-notice",
            kind="notice",
            status=OutboxStatus.PENDING,
            attempts=0,
            next_attempt_at=clock.now(),
        )
        session.add(row)
    app.app.state.gateway.dispatcher.send_due()  # type: ignore[attr-defined]
    assert len(_graph_sends(fake_provider)) == sends
    with db.transaction() as session:
        assert (
            session.scalars(
                select(OutboxMessage.status).where(OutboxMessage.idempotency_key == "late-notice")
            ).one()
            is OutboxStatus.DEAD
        )


# -- Telegram -------------------------------------------------------------------------------------


def _telegram_update(name: str) -> bytes:
    return (FIXTURES / "telegram" / f"{name}.json").read_bytes()


def _post_telegram(app: TestClient, body: bytes, secret: str | None = TELEGRAM_SECRET) -> Any:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    return app.post("/webhooks/telegram", content=body, headers=headers)


def _telegram_sends(fake: FakeProvider) -> list[dict[str, Any]]:
    """What the bot sent: the Bot API takes form fields, with the keyboard as JSON."""
    sends = []
    for request in fake.to("POST", "/sendMessage"):
        fields: dict[str, Any] = {name: values[0] for name, values in request.form().items()}
        if "reply_markup" in fields:
            fields["reply_markup"] = json.loads(fields["reply_markup"])
        sends.append(fields)
    return sends


def test_telegram_needs_its_secret_token(app: TestClient, db: Database) -> None:
    _business(db)
    assert _post_telegram(app, _telegram_update("text"), secret=None).status_code == 401
    assert _post_telegram(app, _telegram_update("text"), secret="guess").status_code == 403
    assert _messages(db) == []


def test_a_telegram_chat_is_linked_to_the_phone_its_person_shares(
    app: TestClient, db: Database, fake_provider: FakeProvider
) -> None:
    _business(db, language="en")
    _post_telegram(app, _telegram_update("text"))
    (ask,) = _telegram_sends(fake_provider)
    assert "phone number" in ask["text"]  # in the language they wrote in
    (button,) = ask["reply_markup"]["keyboard"][0]
    assert button["request_contact"] is True

    contact = json.loads(_telegram_update("contact"))
    contact["message"]["contact"]["phone_number"] = OWNER.removeprefix("+")
    assert _post_telegram(app, json.dumps(contact).encode()).status_code == 200
    linked = _telegram_sends(fake_provider)[1]
    assert "linked to your number" in linked["text"]

    later = json.loads(_telegram_update("text"))
    later["update_id"] += 100
    later["message"]["text"] = "how much is outstanding?"
    _post_telegram(app, json.dumps(later).encode())
    answer = _telegram_sends(fake_provider)[-1]
    assert answer["chat_id"] == ask["chat_id"] and "outstanding" in answer["text"].lower()
    assert {m.sender for m in _messages(db)} >= {OWNER}


# -- a restart loses nothing ------------------------------------------------------------------------


def test_messages_stored_before_a_restart_are_answered_after_it(
    app: TestClient, db: Database, fake_provider: FakeProvider, clock: FrozenClock
) -> None:
    _business(db, number="+919820000001")
    gateway = app.app.state.gateway  # type: ignore[attr-defined]
    channel = gateway.channels["meta_whatsapp"]
    body = _meta_body("text")
    (inbound,) = channel.parse(
        ChannelRequest(url="", headers={}, body=body), received_at=clock.now()
    ).messages
    assert gateway.accept(inbound) is not None  # stored by the webhook; the process died before answering
    assert _graph_sends(fake_provider) == []
    clock.advance(timedelta(minutes=2))
    gateway.run_due_jobs()  # what the background loop does at start-up
    answer, briefing = _graph_sends(fake_provider)  # the answer, then the owner's morning briefing (10:00)
    assert answer["to"] == briefing["to"] == OWNER
    assert "Shree Ganesh" not in answer["text"]["body"] and "Shree Ganesh" in briefing["text"]["body"]
    gateway.run_due_jobs()
    assert len(_graph_sends(fake_provider)) == 2  # each once


# -- voice notes and buttons on every channel -------------------------------------------------------

NOTE = (FIXTURES / "voice" / "en_how_much_outstanding.ogg").read_bytes()


def test_a_voice_note_through_twilio_is_fetched_with_basic_auth_and_answered(
    app: TestClient, db: Database, fake_provider: FakeProvider
) -> None:
    _business(db, language="en")
    media_path = f"/2010-04-01/Accounts/{TWILIO_SID}/Messages/MMada318976a426fa5aef7c6177567e0a5/Media/ME1"
    fake_provider.answer("GET", media_path, Answer(200, NOTE, {"Content-Type": "audio/ogg"}))
    assert (
        _post_twilio(app, _twilio_form("voice", MediaUrl0=fake_provider.url + media_path)).status_code == 200
    )
    (download,) = fake_provider.to("GET", media_path)
    assert download.headers["authorization"].startswith("Basic ")
    (message,) = _messages(db)
    assert "outstanding" in message.text.lower()
    (send,) = fake_provider.to("POST", "/Messages.json")
    assert "outstanding" in send.form()["Body"][0].lower()


def test_a_telegram_voice_note_is_fetched_with_get_file_and_answered(
    app: TestClient, db: Database, fake_provider: FakeProvider
) -> None:
    _business(db, language="en")
    with db.transaction() as session:
        link_address(session, channel="telegram", address="tg:6012345678", phone=OWNER)
    file = {
        "file_id": "AwACAgUAAxkBAAIBOGdHf3x",
        "file_unique_id": "AgADdxAAArtVQVY",
        "file_path": "voice/file_7.oga",
    }
    fake_provider.answer("POST", "/getFile", Answer(200, {"ok": True, "result": file}))
    fake_provider.answer("GET", "/voice/file_7.oga", Answer(200, NOTE))
    assert _post_telegram(app, _telegram_update("voice")).status_code == 200
    (message,) = _messages(db)
    assert message.sender == OWNER and "outstanding" in message.text.lower()
    (answer,) = _telegram_sends(fake_provider)
    assert answer["chat_id"] == "6012345678" and "outstanding" in answer["text"].lower()


def test_an_invoice_confirmed_with_a_button_reaches_a_customer_outside_the_window_as_a_template(
    app: TestClient, db: Database, fake_provider: FakeProvider
) -> None:
    make_customer(db, _business(db, number="+919820000001"))
    draft = json.loads(_meta_body("text"))
    draft["entry"][0]["changes"][0]["value"]["messages"][0]["text"]["body"] = (
        "Sharma Traders ko 50 bag cement ka bill banao 380 per bag 18% GST"
    )
    _post_meta(app, json.dumps(draft).encode())
    (summary,) = _graph_sends(fake_provider)
    assert summary["type"] == "interactive" and "22,420" in summary["interactive"]["body"]["text"]
    buttons = summary["interactive"]["action"]["buttons"]
    assert [b["reply"]["id"] for b in buttons] == ["affirm", "deny"]

    tap = _meta_body("interactive_button_reply").replace(b"confirm_yes", b"affirm")
    assert _post_meta(app, tap).status_code == 200
    (inbound,) = [m for m in _messages(db) if m.button_id]
    assert inbound.button_id == "affirm"
    to_customer = next(s for s in _graph_sends(fake_provider) if s["to"] == "+919811122233")
    # Sharma Traders never wrote on WhatsApp: only the approved invoice template may reach them.
    assert to_customer["type"] == "template"
    template = to_customer["template"]
    assert template["name"] == "tagada_invoice" and template["language"]["code"] == "en"
    values = [p["text"] for p in template["components"][0]["parameters"]]
    assert values[0] == "Sharma Traders" and values[1] == "Shree Ganesh Cement Traders"
    assert values[3] == "₹22,420"


def test_a_twilio_quick_reply_carries_its_payload(
    app: TestClient, db: Database, fake_provider: FakeProvider
) -> None:
    _business(db)
    assert _post_twilio(app, _twilio_form("button", From=f"whatsapp:{OWNER}")).status_code == 200
    (message,) = _messages(db)
    assert message.button_id == "paid:INV-0042" and message.handled_at is not None
    assert len(fake_provider.to("POST", "/Messages.json")) == 1
