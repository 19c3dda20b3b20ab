"""The Telegram channel against a fake Bot API on localhost: real Update JSON in, exact requests out."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import Message as MimeMessage
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from pydantic import SecretStr

from bot.clock import FrozenClock
from bot.errors import (
    BadSignature,
    ChannelError,
    ChannelUnavailable,
    ConfigError,
    MissingSignature,
    RateLimited,
)
from bot.settings import TelegramSettings
from connectors.channels.base import (
    SHARE_CONTACT,
    Button,
    ChannelRequest,
    Document,
    Media,
    OutboundMessage,
    WebhookBatch,
)
from connectors.channels.telegram import TelegramChannel
from tests.fakes.provider import Answer, FakeProvider, Recorded

FIXTURES = Path(__file__).parent / "fixtures" / "telegram"
TOKEN = "7012345678:AAHk3x-Test_TokenForTheFakeBotApi0"
SECRET = "webhook-secret_0123456789"
BUSINESS = "+919820000001"
CHAT = 6012345678
RECEIVED_AT = datetime(2026, 11, 28, 10, 30, tzinfo=UTC)
BOT_USER = {"id": 7012345678, "is_bot": True, "first_name": "Patil Traders", "username": "patil_traders_bot"}
PDF = b"%PDF-1.7\n% invoice INV-2026-0042\n%%EOF\n"


def ok(result: Any) -> Answer:
    return Answer(200, {"ok": True, "result": result})


def refused(status: int, description: str, **parameters: Any) -> Answer:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return Answer(status, body)


def sent(message_id: int, **content: Any) -> dict[str, Any]:
    """A Message as the Bot API returns it for something the bot sent."""
    chat = {"id": CHAT, "first_name": "Ramesh", "last_name": "Patil", "type": "private"}
    return {"message_id": message_id, "from": BOT_USER, "chat": chat, "date": 1764325800, **content}


def update(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


def settings(api_url: str, secret: str = SECRET) -> TelegramSettings:
    return TelegramSettings(
        enabled=True,
        bot_token=SecretStr(TOKEN),
        secret_token=SecretStr(secret),
        business_number=BUSINESS,
        api_url=api_url,
    )


def outbound(text: str, **fields: Any) -> OutboundMessage:
    return OutboundMessage(channel="telegram", recipient=f"tg:{CHAT}", text=text, **fields)


def webhook(body: bytes, headers: dict[str, str] | None = None) -> ChannelRequest:
    return ChannelRequest(url="https://tagada.example/webhooks/telegram", headers=headers or {}, body=body)


def fields(request: Recorded) -> dict[str, str]:
    """A Bot API call's parameters: PTB posts them form-encoded, objects as JSON strings."""
    return {name: values[0] for name, values in request.form().items()}


def multipart(request: Recorded) -> dict[str, MimeMessage]:
    """The parts of a multipart upload, by field name."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    upload = message_from_bytes(head + request.body)
    return {
        str(part.get_param("name", header="content-disposition")): part
        for part in upload.walk()
        if not part.is_multipart()
    }


@pytest.fixture
def bot_api(fake_provider: FakeProvider) -> FakeProvider:
    """The fake provider as a Bot API that knows the bot (PTB calls getMe before anything else)."""
    fake_provider.always("POST", f"/bot{TOKEN}/getMe", lambda _: ok(BOT_USER))
    return fake_provider


@pytest.fixture
def offline() -> TelegramChannel:
    """A channel for verify and parse, which make no Bot API call (its URL answers nothing)."""
    return TelegramChannel(settings("http://127.0.0.1:9"))


@pytest.fixture
def channel(bot_api: FakeProvider) -> Iterator[TelegramChannel]:
    channel = TelegramChannel(settings(bot_api.url), clock=FrozenClock(RECEIVED_AT))
    yield channel
    channel.close()


# --- verify ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, {"x-telegram-bot-api-secret-token": ""}])
def test_a_webhook_call_without_the_secret_header_is_unsigned(
    offline: TelegramChannel, headers: dict[str, str]
) -> None:
    with pytest.raises(MissingSignature):
        offline.verify(webhook(b"{}", headers))


def test_a_webhook_call_with_a_wrong_secret_is_refused(offline: TelegramChannel) -> None:
    with pytest.raises(BadSignature):
        offline.verify(webhook(b"{}", {"x-telegram-bot-api-secret-token": "guessed"}))


def test_a_webhook_call_with_the_secret_passes(offline: TelegramChannel) -> None:
    offline.verify(webhook(b"{}", {"x-telegram-bot-api-secret-token": SECRET}))


def test_without_a_configured_secret_no_webhook_call_is_trusted() -> None:
    channel = TelegramChannel(settings("http://127.0.0.1:9", secret=""))
    with pytest.raises(BadSignature):
        channel.verify(webhook(b"{}", {"x-telegram-bot-api-secret-token": "anything"}))


# --- parse ----------------------------------------------------------------------------------------------


def parse(channel: TelegramChannel, name: str) -> WebhookBatch:
    body = (FIXTURES / f"{name}.json").read_bytes()
    return channel.parse(webhook(body), received_at=RECEIVED_AT)


def test_a_text_message_comes_from_the_chat_to_the_business(offline: TelegramChannel) -> None:
    [message] = parse(offline, "text").messages
    assert message.channel == "telegram"
    assert message.provider_message_id == "727104501"  # the update id: what Telegram redelivers
    assert message.sender == f"tg:{CHAT}"
    assert message.recipient == BUSINESS
    assert message.text == "Sharma ji ka 5000 ka bill banao"
    assert message.received_at == RECEIVED_AT
    assert message.profile_name == "Ramesh Patil"
    assert (message.audio_ref, message.shared_phone, message.button_id) == (None, None, None)


def test_a_voice_note_is_left_at_telegram_by_file_id(offline: TelegramChannel) -> None:
    [message] = parse(offline, "voice").messages
    assert message.text == ""
    assert message.audio_ref == "AwACAgUAAxkBAAIBOGdHf3xKk2dQ0m9uYx1yq4Fz7c9XAAJ3EAACu1VBVvVbJq2o2tZ3NgQ"
    assert message.audio_mime_type == "audio/ogg"
    assert message.audio is None


def test_a_file_is_left_at_telegram_by_file_id_with_its_name(offline: TelegramChannel) -> None:
    [message] = parse(offline, "document").messages
    assert message.document == Document(
        filename="Acct Statement_XX5678_28112026.xlsx",
        mime_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ref="BQACAgUAAxkBAAIBVGdHg2xQ8m2nK1vT0yZcPq3sRfTuAAK4EQACu1VBVqHk2vQ9bJ3mNgQ",
    )
    assert message.audio_ref is None


def test_a_photo_is_left_at_telegram_by_its_largest_sizes_file_id(offline: TelegramChannel) -> None:
    [message] = parse(offline, "photo").messages
    assert message.image_ref == "AgACAgUAAxkBAAIBVmdHhAABc1w9Kx2pQm4sTn8uVb0wAAK5vjEbu1VBVlarge"
    assert (message.text, message.document) == ("payment kar diya", None)
    assert parse(offline, "document").messages[0].image_ref is None


def test_a_tapped_reply_keyboard_button_is_its_title(offline: TelegramChannel) -> None:
    [message] = parse(offline, "button").messages
    assert message.text == "Haan, bhejiye"
    assert message.button_id is None


def test_the_persons_own_contact_links_their_phone(offline: TelegramChannel) -> None:
    [message] = parse(offline, "contact").messages
    assert message.shared_phone == "+919822012345"  # Telegram sent 919822012345, without the +
    assert message.sender == f"tg:{CHAT}"
    assert message.text == ""


def test_someone_elses_contact_card_links_nothing(offline: TelegramChannel) -> None:
    [message] = parse(offline, "contact_of_someone_else").messages
    assert message.shared_phone is None
    assert message.text == ""


@pytest.mark.parametrize("name", ["edited_message", "group_message"])
def test_edits_and_group_messages_are_ignored(offline: TelegramChannel, name: str) -> None:
    assert parse(offline, name) == WebhookBatch()


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"\xff\xfe",
        b"[]",
        b"{}",
        b'{"update_id": "1"}',
        b'{"update_id": 1, "message": {"text": 1}}',
    ],
)
def test_anything_but_an_update_is_refused(offline: TelegramChannel, body: bytes) -> None:
    with pytest.raises(ValueError):
        offline.parse(webhook(body), received_at=RECEIVED_AT)


# --- send -----------------------------------------------------------------------------------------------


def test_buttons_are_a_one_time_reply_keyboard(channel: TelegramChannel, bot_api: FakeProvider) -> None:
    bot_api.answer("POST", "/sendMessage", ok(sent(901, text="Bill bhej dein?")))
    buttons = (Button("affirm", "Haan, bhejiye"), Button("deny", "Nahi"))

    result = channel.send(outbound("Bill bhej dein?", buttons=buttons))

    assert result.provider_message_id == "901"
    [request] = bot_api.to("POST", f"/bot{TOKEN}/sendMessage")
    sent_fields = fields(request)
    assert sent_fields["chat_id"] == str(CHAT)
    assert sent_fields["text"] == "Bill bhej dein?"
    assert json.loads(sent_fields["reply_markup"]) == {
        "keyboard": [[{"text": "Haan, bhejiye"}], [{"text": "Nahi"}]],
        "one_time_keyboard": True,
        "resize_keyboard": True,
    }


def test_the_share_contact_button_requests_the_contact(
    channel: TelegramChannel, bot_api: FakeProvider
) -> None:
    bot_api.answer("POST", "/sendMessage", ok(sent(902, text="Apna number bhejiye")))

    channel.send(outbound("Apna number bhejiye", buttons=(Button(SHARE_CONTACT, "Number bhejein"),)))

    [request] = bot_api.to("POST", "/sendMessage")
    markup = json.loads(fields(request)["reply_markup"])
    assert markup["keyboard"] == [[{"text": "Number bhejein", "request_contact": True}]]


def test_text_without_buttons_has_no_keyboard(channel: TelegramChannel, bot_api: FakeProvider) -> None:
    bot_api.answer("POST", "/sendMessage", ok(sent(903, text="Namaste")))

    channel.send(outbound("Namaste"))

    [request] = bot_api.to("POST", "/sendMessage")
    assert "reply_markup" not in fields(request)


def test_a_long_text_is_split_at_line_breaks(channel: TelegramChannel, bot_api: FakeProvider) -> None:
    bot_api.answer("POST", "/sendMessage", ok(sent(904, text="part 1")))
    bot_api.answer("POST", "/sendMessage", ok(sent(905, text="part 2")))
    lines = [f"INV-{n:04d}  Sharma Traders  ₹1,23,456 due 28 Nov" for n in range(120)]

    result = channel.send(outbound("\n".join(lines), buttons=(Button("affirm", "Theek hai"),)))

    first, second = (fields(r) for r in bot_api.to("POST", "/sendMessage"))
    assert len(first["text"]) <= 4096 and len(second["text"]) <= 4096
    assert first["text"].split("\n") + second["text"].split("\n") == lines
    assert "reply_markup" not in first  # the keyboard comes with the last part
    assert "reply_markup" in second
    assert result.provider_message_id == "905"


def test_telegram_counts_an_emoji_twice(channel: TelegramChannel, bot_api: FakeProvider) -> None:
    bot_api.always("POST", "/sendMessage", lambda _: ok(sent(909, text="🙏")))

    channel.send(outbound("🙏" * 3000))  # 3,000 characters, 6,000 UTF-16 code units

    texts = [fields(r)["text"] for r in bot_api.to("POST", "/sendMessage")]
    assert [len(text) for text in texts] == [2048, 952]


def test_threads_can_send_at_once(channel: TelegramChannel, bot_api: FakeProvider) -> None:
    """The outbox dispatcher sends from several threads; they share the channel's one event loop."""
    bot_api.always("POST", "/sendMessage", lambda request: ok(sent(910, text=fields(request)["text"])))

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda n: channel.send(outbound(f"Reminder {n}")), range(8)))

    texts = sorted(fields(r)["text"] for r in bot_api.to("POST", "/sendMessage"))
    assert texts == [f"Reminder {n}" for n in range(8)]


def test_a_pdf_is_downloaded_and_uploaded_as_a_document(
    channel: TelegramChannel, bot_api: FakeProvider
) -> None:
    bot_api.answer("GET", "/media/INV-2026-0042.pdf", Answer(200, PDF, {"Content-Type": "application/pdf"}))
    document = {"file_id": "BQACAgUAAxkDAAIBQ", "file_unique_id": "AgADq", "file_name": "INV-2026-0042.pdf"}
    bot_api.answer("POST", "/sendDocument", ok(sent(906, document=document, caption="Aapka bill")))
    pdf = Media(f"{bot_api.url}/media/INV-2026-0042.pdf", "application/pdf", "INV-2026-0042.pdf")

    result = channel.send(outbound("Aapka bill", media=(pdf,), buttons=(Button("affirm", "Theek hai"),)))

    assert result.provider_message_id == "906"
    assert bot_api.to("POST", "/sendMessage") == []  # the text is the caption
    [request] = bot_api.to("POST", f"/bot{TOKEN}/sendDocument")
    parts = multipart(request)
    assert parts["chat_id"].get_payload() == str(CHAT)
    assert parts["caption"].get_payload() == "Aapka bill"
    assert "reply_markup" in parts
    assert parts["document"].get_filename() == "INV-2026-0042.pdf"
    assert parts["document"].get_payload(decode=True) == PDF


def test_an_image_is_sent_as_a_photo_after_a_text_too_long_for_a_caption(
    channel: TelegramChannel, bot_api: FakeProvider
) -> None:
    bot_api.answer("GET", "/media/qr.png", Answer(200, b"\x89PNG\r\n\x1a\nqr", {"Content-Type": "image/png"}))
    bot_api.answer("POST", "/sendMessage", ok(sent(907, text="...")))
    photo = [{"file_id": "AgACAgUAAxkDAAIBR", "file_unique_id": "AQADr", "width": 320, "height": 320}]
    bot_api.answer("POST", "/sendPhoto", ok(sent(908, photo=photo)))
    qr = Media(f"{bot_api.url}/media/qr.png", "image/png", "qr.png")

    result = channel.send(outbound("UPI se bhugtaan kijiye. " * 60, media=(qr,)))

    assert result.provider_message_id == "908"
    [text] = bot_api.to("POST", "/sendMessage")
    assert fields(text)["text"].startswith("UPI se bhugtaan")
    [upload] = bot_api.to("POST", "/sendPhoto")
    parts = multipart(upload)
    assert "caption" not in parts
    assert parts["photo"].get_payload(decode=True) == b"\x89PNG\r\n\x1a\nqr"


def test_a_missing_media_file_sends_nothing(channel: TelegramChannel, bot_api: FakeProvider) -> None:
    pdf = Media(f"{bot_api.url}/media/gone.pdf", "application/pdf", "gone.pdf")

    with pytest.raises(ChannelError) as caught:
        channel.send(outbound("Aapka bill", media=(pdf,)))

    assert not caught.value.transient
    assert bot_api.to("POST", "/sendMessage") == bot_api.to("POST", "/sendDocument") == []


def test_a_phone_number_is_not_a_telegram_recipient(channel: TelegramChannel, bot_api: FakeProvider) -> None:
    message = OutboundMessage(channel="telegram", recipient="+919822012345", text="Namaste")

    with pytest.raises(ChannelError) as caught:
        channel.send(message)

    assert not caught.value.transient
    assert bot_api.requests == []


def test_flood_control_is_rate_limited(channel: TelegramChannel, bot_api: FakeProvider) -> None:
    bot_api.answer("POST", "/sendMessage", refused(429, "Too Many Requests: retry after 3", retry_after=3))

    with pytest.raises(RateLimited) as caught:
        channel.send(outbound("Namaste"))

    assert caught.value.transient
    assert caught.value.code == "429"


def test_a_bot_blocked_by_the_person_fails_for_good(channel: TelegramChannel, bot_api: FakeProvider) -> None:
    bot_api.answer("POST", "/sendMessage", refused(403, "Forbidden: bot was blocked by the user"))

    with pytest.raises(ChannelError) as caught:
        channel.send(outbound("Namaste"))

    assert not caught.value.transient
    assert caught.value.code == "403"


def test_an_unknown_chat_fails_for_good(channel: TelegramChannel, bot_api: FakeProvider) -> None:
    bot_api.answer("POST", "/sendMessage", refused(400, "Bad Request: chat not found"))

    with pytest.raises(ChannelError) as caught:
        channel.send(outbound("Namaste"))

    assert not caught.value.transient
    assert caught.value.code == "400"


def test_a_bot_api_outage_is_transient(channel: TelegramChannel, bot_api: FakeProvider) -> None:
    bot_api.answer("POST", "/sendMessage", refused(502, "Bad Gateway"))

    with pytest.raises(ChannelUnavailable):
        channel.send(outbound("Namaste"))


def test_a_rejected_token_never_appears_in_the_error(fake_provider: FakeProvider) -> None:
    fake_provider.answer("POST", "/getMe", refused(401, "Unauthorized"))
    channel = TelegramChannel(settings(fake_provider.url))
    try:
        with pytest.raises(ChannelError) as caught:
            channel.send(outbound("Namaste"))
    finally:
        channel.close()

    assert caught.value.code == "401"
    assert not caught.value.transient
    assert TOKEN not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


# --- media, webhook, polling ----------------------------------------------------------------------------


def test_a_voice_note_is_fetched_by_file_id(channel: TelegramChannel, bot_api: FakeProvider) -> None:
    file = {
        "file_id": "AwACAgUAAxkB",
        "file_unique_id": "AgADdx",
        "file_size": 5,
        "file_path": "voice/file_7.oga",
    }
    bot_api.answer("POST", "/getFile", ok(file))
    bot_api.answer("GET", "/voice/file_7.oga", Answer(200, b"OggS\x00"))

    assert channel.fetch_media("AwACAgUAAxkB") == b"OggS\x00"
    [request] = bot_api.to("POST", f"/bot{TOKEN}/getFile")
    assert fields(request) == {"file_id": "AwACAgUAAxkB"}
    [download] = bot_api.to("GET", "/voice/file_7.oga")
    assert unquote(download.path) == f"/file/bot{TOKEN}/voice/file_7.oga"  # PTB encodes the token's ':'


def test_a_file_over_20_mb_is_not_downloaded(channel: TelegramChannel, bot_api: FakeProvider) -> None:
    file = {"file_id": "AwACAgUAAxkB", "file_unique_id": "AgADdx", "file_size": 20_000_001}
    bot_api.answer("POST", "/getFile", ok(file))

    with pytest.raises(ChannelError) as caught:
        channel.fetch_media("AwACAgUAAxkB")

    assert not caught.value.transient
    assert bot_api.to("GET", "/file/") == []


def test_the_webhook_is_set_with_the_secret(channel: TelegramChannel, bot_api: FakeProvider) -> None:
    bot_api.answer("POST", "/setWebhook", ok(True))

    channel.set_webhook("https://tagada.example/webhooks/telegram")

    [request] = bot_api.to("POST", f"/bot{TOKEN}/setWebhook")
    assert fields(request) == {
        "url": "https://tagada.example/webhooks/telegram",
        "secret_token": SECRET,
        "allowed_updates": '["message"]',
    }


def test_no_webhook_without_a_secret() -> None:
    channel = TelegramChannel(settings("http://127.0.0.1:9", secret=""))

    with pytest.raises(ConfigError):
        channel.set_webhook("https://tagada.example/webhooks/telegram")


def polling_bot_api(bot_api: FakeProvider, stop: threading.Event, *scripted: Answer) -> None:
    """getUpdates answers as scripted, then with no updates, which stops the poll."""

    def nothing_more(_: Recorded) -> Answer:
        stop.set()
        return ok([])

    bot_api.answer("POST", "/deleteWebhook", ok(True))
    for answer in scripted:
        bot_api.answer("POST", "/getUpdates", answer)
    bot_api.always("POST", "/getUpdates", nothing_more)


def test_polling_delivers_each_update_then_confirms_them(
    channel: TelegramChannel, bot_api: FakeProvider
) -> None:
    stop = threading.Event()
    polling_bot_api(bot_api, stop, ok([update("text"), update("edited_message"), update("voice")]))
    batches: list[WebhookBatch] = []

    channel.poll(batches.append, stop=stop, long_poll_seconds=0)

    assert [[m.provider_message_id for m in b.messages] for b in batches] == [
        ["727104501"],
        [],
        ["727104502"],
    ]
    assert batches[0].messages[0].received_at == RECEIVED_AT  # the channel's clock
    assert bot_api.requests[1].path.endswith("/deleteWebhook")  # after getMe, before any getUpdates
    offsets = [fields(r).get("offset") for r in bot_api.to("POST", "/getUpdates")]
    assert offsets == [None, "727104503", "727104503"]  # the last one confirms the voice note's update
    assert fields(bot_api.to("POST", "/getUpdates")[0])["allowed_updates"] == '["message"]'


def test_polling_waits_out_an_outage(channel: TelegramChannel, bot_api: FakeProvider) -> None:
    stop = threading.Event()
    polling_bot_api(bot_api, stop, refused(502, "Bad Gateway"), ok([update("text")]))
    batches: list[WebhookBatch] = []

    channel.poll(batches.append, stop=stop, long_poll_seconds=0, retry_seconds=0.01)

    assert [m.text for b in batches for m in b.messages] == ["Sharma ji ka 5000 ka bill banao"]


def test_an_update_that_fails_to_be_handled_is_not_confirmed(
    channel: TelegramChannel, bot_api: FakeProvider
) -> None:
    stop = threading.Event()
    polling_bot_api(bot_api, stop, ok([update("text")]))

    def failing(batch: WebhookBatch) -> None:
        raise RuntimeError("database down")

    with pytest.raises(RuntimeError):
        channel.poll(failing, stop=stop, long_poll_seconds=0)

    assert [fields(r).get("offset") for r in bot_api.to("POST", "/getUpdates")] == [None]


def test_polling_stops_for_good_when_another_process_polls(
    channel: TelegramChannel, bot_api: FakeProvider
) -> None:
    conflict = refused(409, "Conflict: terminated by other getUpdates request")
    polling_bot_api(bot_api, threading.Event(), conflict)

    with pytest.raises(ChannelError) as caught:
        channel.poll(lambda batch: None, long_poll_seconds=0)

    assert caught.value.code == "409"


# --- configuration --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("token", "business_number"), [("", BUSINESS), (TOKEN, ""), (TOKEN, "not a number")])
def test_a_channel_needs_a_token_and_the_business_number(token: str, business_number: str) -> None:
    with pytest.raises(ConfigError):
        TelegramChannel(TelegramSettings(bot_token=SecretStr(token), business_number=business_number))
