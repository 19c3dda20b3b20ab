"""The WhatsApp Cloud API channel: webhook handshake and signatures, Meta's payloads as stored by scenario,
and the exact Graph API requests it makes, against a fake Graph API on localhost."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from bot.errors import (
    BadSignature,
    ChannelError,
    ChannelUnavailable,
    MissingSignature,
    OutsideWindow,
    RateLimited,
)
from bot.settings import MetaWhatsAppSettings
from connectors.channels import meta_whatsapp
from connectors.channels.base import (
    Button,
    ChannelRequest,
    DeliveryState,
    Document,
    InboundMessage,
    Media,
    OutboundMessage,
    Template,
    WebhookBatch,
)
from connectors.channels.meta_whatsapp import MetaWhatsAppChannel
from tests.fakes.provider import Answer, FakeProvider, Recorded

FIXTURES = Path(__file__).parent / "fixtures" / "meta_whatsapp"
APP_SECRET = "test-app-secret"
VERIFY_TOKEN = "test-verify-token"
ACCESS_TOKEN = "EAAGtest-access-token"
PHONE_NUMBER_ID = "106540352242922"
MESSAGES_PATH = f"/v24.0/{PHONE_NUMBER_ID}/messages"
RECEIVED = datetime(2026, 11, 28, 4, 30, 5, tzinfo=UTC)
CUSTOMER = "+919822012345"
BUSINESS = "+919820000001"
PDF = Media("https://tagada.example/i/INV-42.pdf", "application/pdf", "INV-42.pdf")
QR = Media("https://tagada.example/q/INV-42.png", "image/png", "upi-INV-42.png")


def settings(graph_url: str = "http://127.0.0.1:9") -> MetaWhatsAppSettings:
    return MetaWhatsAppSettings(
        enabled=True,
        phone_number_id=PHONE_NUMBER_ID,
        access_token=SecretStr(ACCESS_TOKEN),
        app_secret=SecretStr(APP_SECRET),
        verify_token=SecretStr(VERIFY_TOKEN),
        graph_url=graph_url,
    )


@pytest.fixture
def channel() -> Iterator[MetaWhatsAppChannel]:
    """For verifying and parsing: it never calls the Graph API."""
    channel = MetaWhatsAppChannel(settings())
    yield channel
    channel.close()


@pytest.fixture
def graph(fake_provider: FakeProvider) -> Iterator[MetaWhatsAppChannel]:
    """Pointed at the fake Graph API, which accepts every message as Meta does."""
    numbers = itertools.count(1)

    def accepted(request: Recorded) -> Answer:
        body = request.json()
        wa_id = body.get("to", "").lstrip("+")
        return Answer(
            200,
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": body.get("to"), "wa_id": wa_id}],
                "messages": [{"id": f"wamid.HBgMOTE5ODIyMDEyMzQ1FQIAERgS{next(numbers)}"}],
            },
        )

    fake_provider.always("POST", MESSAGES_PATH, accepted)
    with httpx.Client(timeout=5) as http:
        yield MetaWhatsAppChannel(settings(fake_provider.url), http=http)


def payload(name: str) -> bytes:
    return (FIXTURES / f"{name}.json").read_bytes()


def signed(body: bytes, secret: str = APP_SECRET) -> ChannelRequest:
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return ChannelRequest(
        url="https://tagada.example/webhooks/meta_whatsapp",
        headers={"content-type": "application/json", "x-hub-signature-256": signature},
        body=body,
    )


def parse(channel: MetaWhatsAppChannel, name: str) -> WebhookBatch:
    request = signed(payload(name))
    channel.verify(request)
    return channel.parse(request, received_at=RECEIVED)


def only_message(channel: MetaWhatsAppChannel, name: str) -> InboundMessage:
    batch = parse(channel, name)
    assert batch.statuses == []
    [message] = batch.messages
    return message


def sent(fake: FakeProvider) -> list[dict[str, Any]]:
    """The JSON bodies posted to /messages, in order, after checking each request's path and token."""
    requests = fake.to("POST", MESSAGES_PATH)
    for request in requests:
        assert request.path == MESSAGES_PATH
        assert request.headers["authorization"] == f"Bearer {ACCESS_TOKEN}"
        assert request.headers["content-type"] == "application/json"
    return [request.json() for request in requests]


def to_customer(**content: Any) -> dict[str, Any]:
    return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": CUSTOMER, **content}


def text_body(body: str) -> dict[str, Any]:
    return to_customer(type="text", text={"preview_url": True, "body": body})


def outbound(text: str = "", **fields: Any) -> OutboundMessage:
    return OutboundMessage(channel="meta_whatsapp", recipient=CUSTOMER, sender=BUSINESS, text=text, **fields)


def graph_error(code: int, message: str) -> dict[str, Any]:
    return {
        "error": {
            "message": message,
            "type": "OAuthException",
            "code": code,
            "error_data": {"messaging_product": "whatsapp", "details": message},
            "fbtrace_id": "AazQ4xk2hYkU1nGcbV9sLwq",
        }
    }


# The GET handshake


def test_subscription_handshake_answers_the_challenge(channel: MetaWhatsAppChannel) -> None:
    params = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"}
    assert channel.verify_subscription(params) == "1158201444"


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "guessed", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"},
        {"hub.challenge": "1"},
    ],
    ids=["wrong-token", "wrong-mode", "nothing"],
)
def test_subscription_handshake_refuses_strangers(
    channel: MetaWhatsAppChannel, params: dict[str, str]
) -> None:
    with pytest.raises(BadSignature):
        channel.verify_subscription(params)


def test_no_verify_token_configured_refuses_even_an_empty_one() -> None:
    channel = MetaWhatsAppChannel(settings().model_copy(update={"verify_token": SecretStr("")}))
    with pytest.raises(BadSignature):
        channel.verify_subscription({"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"})
    channel.close()


# Signatures


def test_signed_payload_passes(channel: MetaWhatsAppChannel) -> None:
    channel.verify(signed(payload("text")))


def test_missing_signature_is_401(channel: MetaWhatsAppChannel) -> None:
    request = ChannelRequest(
        url="https://tagada.example/webhooks/meta_whatsapp", headers={}, body=payload("text")
    )
    with pytest.raises(MissingSignature):
        channel.verify(request)


@pytest.mark.parametrize(
    "signature",
    ["sha256=" + "0" * 64, "sha256=not-hex", "garbage", "sha256=é", "sha1=" + "0" * 40],
)
def test_wrong_signature_is_403(channel: MetaWhatsAppChannel, signature: str) -> None:
    request = signed(payload("text"))
    request.headers["x-hub-signature-256"] = signature
    with pytest.raises(BadSignature):
        channel.verify(request)


def test_signature_with_another_secret_or_over_another_body_is_403(channel: MetaWhatsAppChannel) -> None:
    with pytest.raises(BadSignature):
        channel.verify(signed(payload("text"), secret="someone-elses-secret"))
    request = signed(payload("text"))
    tampered = ChannelRequest(request.url, request.headers, request.body.replace(b"baaki", b"BAAKI"))
    with pytest.raises(BadSignature):
        channel.verify(tampered)


def test_no_app_secret_configured_refuses_every_signature() -> None:
    channel = MetaWhatsAppChannel(settings().model_copy(update={"app_secret": SecretStr("")}))
    with pytest.raises(BadSignature):
        channel.verify(signed(payload("text"), secret=""))
    channel.close()


# Parsing, one stored payload per scenario


def test_text_message(channel: MetaWhatsAppChannel) -> None:
    assert only_message(channel, "text") == InboundMessage(
        channel="meta_whatsapp",
        provider_message_id="wamid.HBgMOTE5ODIyMDEyMzQ1FQIAEhggQUM4Q0I2MzlGQzA0NDhFOUIwOTJGMjVERTZCRDY3MTMA",
        sender=CUSTOMER,
        recipient=BUSINESS,
        text="Sharma ji ka kitna baaki hai?",
        received_at=RECEIVED,
        profile_name="Ramesh Patil",
    )


def test_voice_note_is_left_at_meta_by_its_media_id(channel: MetaWhatsAppChannel) -> None:
    message = only_message(channel, "voice")
    assert message.text == ""
    assert message.audio is None
    assert message.audio_ref == "1037543291543636"
    assert message.audio_mime_type == "audio/ogg; codecs=opus"
    assert message.sender == CUSTOMER


def test_template_quick_reply_carries_its_payload(channel: MetaWhatsAppChannel) -> None:
    message = only_message(channel, "button")
    assert (message.button_id, message.text) == ("PAID_INV42", "Paid")
    assert (message.sender, message.profile_name) == ("+919876543210", "Sharma Hardware")


@pytest.mark.parametrize(
    ("name", "button_id", "text"),
    [
        ("interactive_button_reply", "confirm_yes", "Haan"),
        ("interactive_list_reply", "customer_17", "Sharma Hardware"),
    ],
)
def test_interactive_reply_carries_the_id_we_sent(
    channel: MetaWhatsAppChannel, name: str, button_id: str, text: str
) -> None:
    message = only_message(channel, name)
    assert (message.button_id, message.text) == (button_id, text)


def test_image_caption_is_the_text(channel: MetaWhatsAppChannel) -> None:
    message = only_message(channel, "image")
    assert message.text == "UPI payment screenshot, UTR 432912345678"
    assert message.audio_ref is None
    assert message.image_ref == "2754859441498128"  # left at Meta: a payment screenshot is not read


@pytest.mark.parametrize("name", ["document", "location"])
def test_message_without_text_is_kept(channel: MetaWhatsAppChannel, name: str) -> None:
    message = only_message(channel, name)
    assert message.text == ""
    assert message.button_id is None
    assert message.sender == "+919876543210"


def test_a_document_is_left_at_meta_by_media_id_with_its_name(channel: MetaWhatsAppChannel) -> None:
    message = only_message(channel, "document")
    assert message.document == Document("PO-2026-118.pdf", "application/pdf", "1243587620985321")
    assert only_message(channel, "image").document is None


def test_person_without_a_phone_number_is_addressed_by_user_id(channel: MetaWhatsAppChannel) -> None:
    message = only_message(channel, "no_wa_id")
    assert message.sender == "wa:IN.3724117084395812"
    assert message.profile_name == "Anita"
    assert message.text == "Mera bill bhej do"


@pytest.mark.parametrize(
    ("name", "state", "at", "error_code", "error"),
    [
        ("status_delivered", DeliveryState.DELIVERED, 1795840230, None, None),
        ("status_read", DeliveryState.READ, 1795840245, None, None),
        (
            "status_failed",
            DeliveryState.FAILED,
            1795840290,
            "131047",
            "Re-engagement message: Message failed to send because more than 24 hours have passed since the "
            "customer last replied to this number.",
        ),
    ],
)
def test_status(
    channel: MetaWhatsAppChannel,
    name: str,
    state: DeliveryState,
    at: int,
    error_code: str | None,
    error: str | None,
) -> None:
    batch = parse(channel, name)
    assert batch.messages == []
    [status] = batch.statuses
    assert status.channel == "meta_whatsapp"
    assert status.provider_message_id.startswith("wamid.")
    assert (status.state, status.error_code, status.error) == (state, error_code, error)
    assert status.at == datetime.fromtimestamp(at, tz=UTC)
    assert status.at.tzinfo is not None


def test_played_voice_note_counts_as_read(channel: MetaWhatsAppChannel) -> None:
    body = json.loads(payload("status_read"))
    body["entry"][0]["changes"][0]["value"]["statuses"][0]["status"] = "played"
    [status] = channel.parse(signed(json.dumps(body).encode()), received_at=RECEIVED).statuses
    assert status.state is DeliveryState.READ


def test_batch_carries_every_message_and_status(channel: MetaWhatsAppChannel) -> None:
    batch = parse(channel, "batch")
    assert [(m.sender, m.profile_name, m.text, m.button_id) for m in batch.messages] == [
        (CUSTOMER, "Ramesh Patil", "Sharma ko 5000 ka bill bhejo", None),
        ("+919876543210", "Sharma Hardware", "Friday tak", "promise_friday"),
    ]
    assert [(s.state, s.at) for s in batch.statuses] == [
        (DeliveryState.SENT, datetime.fromtimestamp(1795840499, tz=UTC))
    ]


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"\xff\xfe",
        b"[]",
        b'{"object": "page", "entry": []}',
        b'{"object": "whatsapp_business_account", "entry": {}}',
        b'{"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages", '
        b'"value": []}]}]}',
    ],
    ids=["malformed", "not-utf8", "array", "other-object", "entry-not-list", "value-not-object"],
)
def test_not_a_cloud_api_payload_is_refused(channel: MetaWhatsAppChannel, body: bytes) -> None:
    with pytest.raises(ValueError):
        channel.parse(signed(body), received_at=RECEIVED)


def test_changes_other_than_messages_are_skipped(channel: MetaWhatsAppChannel) -> None:
    body = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "message_template_status_update",
                        "value": {"event": "APPROVED", "message_template_name": "invoice_due"},
                    }
                ],
            }
        ],
    }
    assert channel.parse(signed(json.dumps(body).encode()), received_at=RECEIVED) == WebhookBatch()


# Sending


def test_send_text(graph: MetaWhatsAppChannel, fake_provider: FakeProvider) -> None:
    result = graph.send(outbound("₹5,000 baaki hai. Pay: https://tagada.example/p/abc"))
    assert sent(fake_provider) == [text_body("₹5,000 baaki hai. Pay: https://tagada.example/p/abc")]
    assert result.provider_message_id == "wamid.HBgMOTE5ODIyMDEyMzQ1FQIAERgS1"


def test_each_business_sends_from_its_own_phone_number_id(fake_provider: FakeProvider) -> None:
    other_id = "209876543210987"
    accepted = Answer(200, {"messaging_product": "whatsapp", "messages": [{"id": "wamid.other"}]})
    fake_provider.answer("POST", f"/v24.0/{other_id}/messages", accepted)
    several = settings(fake_provider.url).model_copy(update={"phone_number_ids": {"+912041234567": other_id}})
    with httpx.Client(timeout=5) as http:
        channel = MetaWhatsAppChannel(several, http=http)
        message = OutboundMessage(
            channel="meta_whatsapp", recipient=CUSTOMER, sender="+912041234567", text="Hi"
        )
        assert channel.send(message).provider_message_id == "wamid.other"
    assert len(fake_provider.to("POST", f"/v24.0/{other_id}/messages")) == 1


def test_long_text_goes_as_several_messages_cut_between_words(
    graph: MetaWhatsAppChannel, fake_provider: FakeProvider
) -> None:
    text = " ".join(f"INV-{n:04d}" for n in range(900))  # 8,099 characters
    result = graph.send(outbound(text))
    bodies = [body["text"]["body"] for body in sent(fake_provider)]
    assert len(bodies) == 2
    assert all(len(body) <= 4096 for body in bodies)
    assert " ".join(bodies) == text
    assert result.provider_message_id == "wamid.HBgMOTE5ODIyMDEyMzQ1FQIAERgS2"


def test_up_to_three_buttons_are_reply_buttons(
    graph: MetaWhatsAppChannel, fake_provider: FakeProvider
) -> None:
    buttons = (
        Button("paid", "Paid"),
        Button("promise", "Will pay on Friday evening"),
        Button("dispute", "Dispute"),
    )
    graph.send(outbound("INV-42: ₹5,000 due", buttons=buttons))
    assert sent(fake_provider) == [
        to_customer(
            type="interactive",
            interactive={
                "type": "button",
                "body": {"text": "INV-42: ₹5,000 due"},
                "action": {
                    "buttons": [
                        {"type": "reply", "reply": {"id": "paid", "title": "Paid"}},
                        {"type": "reply", "reply": {"id": "promise", "title": "Will pay on Friday…"}},
                        {"type": "reply", "reply": {"id": "dispute", "title": "Dispute"}},
                    ]
                },
            },
        )
    ]


def test_four_to_ten_buttons_are_a_list(graph: MetaWhatsAppChannel, fake_provider: FakeProvider) -> None:
    names = ["Sharma Hardware", "Sharma Electricals and Sanitary Ware", "Sharma Paints", "Verma Traders"]
    graph.send(
        outbound("Which Sharma?", buttons=tuple(Button(f"c{n}", name) for n, name in enumerate(names)))
    )
    assert sent(fake_provider) == [
        to_customer(
            type="interactive",
            interactive={
                "type": "list",
                "body": {"text": "Which Sharma?"},
                "action": {
                    "button": "☰",
                    "sections": [
                        {
                            "rows": [
                                {"id": "c0", "title": "Sharma Hardware"},
                                {
                                    "id": "c1",
                                    "title": "Sharma Electricals and…",
                                    "description": "Sharma Electricals and Sanitary Ware",
                                },
                                {"id": "c2", "title": "Sharma Paints"},
                                {"id": "c3", "title": "Verma Traders"},
                            ]
                        }
                    ],
                },
            },
        )
    ]


def test_buttons_beyond_ten_are_folded_into_the_text(
    graph: MetaWhatsAppChannel, fake_provider: FakeProvider
) -> None:
    buttons = tuple(Button(f"c{n}", f"Customer {n}") for n in range(1, 13))
    graph.send(outbound("Which one?", buttons=buttons))
    [body] = sent(fake_provider)
    interactive = body["interactive"]
    assert interactive["body"] == {"text": "Which one?\n11. Customer 11\n12. Customer 12"}
    rows = interactive["action"]["sections"][0]["rows"]
    assert [row["id"] for row in rows] == [f"c{n}" for n in range(1, 11)]


def test_text_too_long_for_a_button_body_goes_first(
    graph: MetaWhatsAppChannel, fake_provider: FakeProvider
) -> None:
    statement = "\n".join(f"INV-{n:03d}  ₹1,000" for n in range(100))  # 1,799 characters
    graph.send(outbound(f"{statement}\n\nPaid?", buttons=(Button("paid", "Paid"),)))
    first, second = sent(fake_provider)
    assert first["type"] == "text"
    assert second["type"] == "interactive"
    assert len(second["interactive"]["body"]["text"]) <= 1024
    assert second["interactive"]["body"]["text"].endswith("Paid?")
    assert f"{first['text']['body']}\n{second['interactive']['body']['text']}" == f"{statement}\n\nPaid?"


def test_buttons_without_text_are_refused(graph: MetaWhatsAppChannel, fake_provider: FakeProvider) -> None:
    with pytest.raises(ChannelError) as caught:
        graph.send(outbound(buttons=(Button("paid", "Paid"),)))
    assert not caught.value.transient
    assert sent(fake_provider) == []


def test_document_carries_the_text_as_caption(
    graph: MetaWhatsAppChannel, fake_provider: FakeProvider
) -> None:
    graph.send(outbound("Invoice INV-42", media=(PDF,)))
    assert sent(fake_provider) == [
        to_customer(
            type="document",
            document={"link": PDF.url, "filename": "INV-42.pdf", "caption": "Invoice INV-42"},
        )
    ]


def test_image_then_the_next_files_without_caption(
    graph: MetaWhatsAppChannel, fake_provider: FakeProvider
) -> None:
    result = graph.send(outbound("Scan to pay", media=(QR, PDF)))
    assert sent(fake_provider) == [
        to_customer(type="image", image={"link": QR.url, "caption": "Scan to pay"}),
        to_customer(type="document", document={"link": PDF.url, "filename": "INV-42.pdf"}),
    ]
    assert result.provider_message_id == "wamid.HBgMOTE5ODIyMDEyMzQ1FQIAERgS2"


def test_text_too_long_for_a_caption_goes_first(
    graph: MetaWhatsAppChannel, fake_provider: FakeProvider
) -> None:
    text = " ".join(["Statement."] * 100)  # 1,099 characters
    graph.send(outbound(text, media=(PDF,)))
    assert sent(fake_provider) == [
        text_body(text),
        to_customer(type="document", document={"link": PDF.url, "filename": "INV-42.pdf"}),
    ]


def test_files_whatsapp_may_refuse_go_as_links(
    graph: MetaWhatsAppChannel, fake_provider: FakeProvider
) -> None:
    svg = Media("https://tagada.example/q/INV-42.svg", "image/svg+xml", "upi-INV-42.svg")
    graph.send(outbound("Scan to pay", media=(svg,)))
    assert sent(fake_provider) == [
        text_body("Scan to pay\nupi-INV-42.svg: https://tagada.example/q/INV-42.svg")
    ]


def test_files_come_before_the_buttons(graph: MetaWhatsAppChannel, fake_provider: FakeProvider) -> None:
    graph.send(outbound("Your invoice", media=(PDF,), buttons=(Button("paid", "Paid"),)))
    document, question = sent(fake_provider)
    assert document == to_customer(type="document", document={"link": PDF.url, "filename": "INV-42.pdf"})
    assert question["interactive"]["body"] == {"text": "Your invoice"}


def test_template(graph: MetaWhatsAppChannel, fake_provider: FakeProvider) -> None:
    template = Template(name="invoice_due", language="hi", parameters=("INV-42", "₹5,000"))
    graph.send(
        outbound("ignored: the template is what is sent", template=template, buttons=(Button("x", "X"),))
    )
    assert sent(fake_provider) == [
        to_customer(
            type="template",
            template={
                "name": "invoice_due",
                "language": {"policy": "deterministic", "code": "hi"},
                "components": [
                    {
                        "type": "body",
                        "parameters": [
                            {"type": "text", "text": "INV-42"},
                            {"type": "text", "text": "₹5,000"},
                        ],
                    }
                ],
            },
        )
    ]


def test_template_without_parameters_has_no_components(
    graph: MetaWhatsAppChannel, fake_provider: FakeProvider
) -> None:
    graph.send(outbound(template=Template(name="hello_world", language="en_US")))
    assert sent(fake_provider) == [
        to_customer(
            type="template",
            template={"name": "hello_world", "language": {"policy": "deterministic", "code": "en_US"}},
        )
    ]


def test_person_without_a_phone_number_is_sent_to_by_user_id(
    graph: MetaWhatsAppChannel, fake_provider: FakeProvider
) -> None:
    message = OutboundMessage(channel="meta_whatsapp", recipient="wa:IN.3724117084395812", text="Bill bheja")
    graph.send(message)
    [body] = sent(fake_provider)
    assert "to" not in body
    assert body["recipient"] == "IN.3724117084395812"
    assert body["text"]["body"] == "Bill bheja"


def test_send_logs_neither_the_number_nor_the_text(
    graph: MetaWhatsAppChannel, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="connectors.channels.meta_whatsapp"):
        graph.send(outbound("Sharma ji, ₹5,000 baaki"))
    assert caplog.records
    assert "9822012345" not in caplog.text
    assert "baaki" not in caplog.text


# Graph API errors


@pytest.mark.parametrize(
    ("status", "body", "error", "code"),
    [
        (400, graph_error(130429, "(#130429) Rate limit hit"), RateLimited, "130429"),
        (
            400,
            graph_error(131056, "(#131056) (Business Account, Consumer Account) pair rate limit hit"),
            RateLimited,
            "131056",
        ),
        (400, graph_error(131047, "(#131047) Re-engagement message"), OutsideWindow, "131047"),
        (500, graph_error(131000, "(#131000) Something went wrong"), ChannelUnavailable, "131000"),
        (500, graph_error(1, "An unknown error occurred"), ChannelUnavailable, "1"),
        (502, b"<html>Bad Gateway</html>", ChannelUnavailable, "http_502"),
        (429, b"", RateLimited, "http_429"),
        (400, graph_error(131026, "(#131026) Message undeliverable"), ChannelError, "131026"),
        (
            400,
            graph_error(132001, "(#132001) Template name does not exist in the translation"),
            ChannelError,
            "132001",
        ),
        (401, graph_error(190, "Error validating access token: Session has expired"), ChannelError, "190"),
    ],
)
def test_graph_errors_say_whether_to_retry(
    graph: MetaWhatsAppChannel,
    fake_provider: FakeProvider,
    status: int,
    body: dict[str, Any] | bytes,
    error: type[ChannelError],
    code: str,
) -> None:
    fake_provider.answer("POST", MESSAGES_PATH, Answer(status, body))
    with pytest.raises(ChannelError) as caught:
        graph.send(outbound("Hello"))
    assert type(caught.value) is error
    assert caught.value.code == code
    assert caught.value.transient is (error in (RateLimited, ChannelUnavailable))
    assert "9822012345" not in str(caught.value)


@pytest.mark.parametrize("failure", [httpx.ConnectTimeout("timed out"), httpx.ConnectError("refused")])
def test_timeouts_and_connection_failures_are_transient(failure: httpx.TransportError) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise failure

    with httpx.Client(transport=httpx.MockTransport(fail)) as http:
        channel = MetaWhatsAppChannel(settings(), http=http)
        with pytest.raises(ChannelUnavailable) as caught:
            channel.send(outbound("Hello"))
    assert caught.value.transient


def test_a_part_refused_midway_stops_the_rest(
    graph: MetaWhatsAppChannel, fake_provider: FakeProvider
) -> None:
    fake_provider.answer(
        "POST", MESSAGES_PATH, Answer(400, graph_error(131053, "(#131053) Media upload error"))
    )
    with pytest.raises(ChannelError):
        graph.send(outbound("Scan to pay", media=(QR, PDF)))
    assert len(sent(fake_provider)) == 1


# Downloading inbound media


MEDIA_ID = "1037543291543636"
MEDIA_INFO_PATH = f"/v24.0/{MEDIA_ID}"
DOWNLOAD_PATH = "/whatsapp_business/attachments/"


def media_info(fake: FakeProvider, **extra: Any) -> Answer:
    return Answer(
        200,
        {
            "messaging_product": "whatsapp",
            "url": f"{fake.url}{DOWNLOAD_PATH}?mid={MEDIA_ID}&ext=1795840512&hash=ATuvQ2x",
            "mime_type": "audio/ogg",
            "sha256": "q8eGr3zVMGZxyzC4AUHUL6b2sC6rD+vU8GuNJpCwD6E=",
            "id": MEDIA_ID,
            **extra,
        },
    )


def test_fetch_media_asks_for_the_url_then_downloads_with_the_token(
    graph: MetaWhatsAppChannel, fake_provider: FakeProvider
) -> None:
    fake_provider.answer("GET", MEDIA_INFO_PATH, media_info(fake_provider, file_size=9))
    fake_provider.answer("GET", DOWNLOAD_PATH, Answer(200, b"OggS\x00opus", {"Content-Type": "audio/ogg"}))
    assert graph.fetch_media(MEDIA_ID) == b"OggS\x00opus"
    info, download = fake_provider.requests
    assert (info.method, info.path) == ("GET", MEDIA_INFO_PATH)
    assert (download.method, download.path) == ("GET", DOWNLOAD_PATH)
    assert download.query["mid"] == [MEDIA_ID]
    for request in (info, download):
        assert request.headers["authorization"] == f"Bearer {ACCESS_TOKEN}"


def test_media_said_to_be_too_large_is_not_downloaded(
    graph: MetaWhatsAppChannel, fake_provider: FakeProvider
) -> None:
    fake_provider.answer("GET", MEDIA_INFO_PATH, media_info(fake_provider, file_size=17 * 1024 * 1024))
    with pytest.raises(ChannelError) as caught:
        graph.fetch_media(MEDIA_ID)
    assert not caught.value.transient
    assert fake_provider.to("GET", DOWNLOAD_PATH) == []


def test_media_larger_than_the_cap_is_refused_while_downloading(
    graph: MetaWhatsAppChannel, fake_provider: FakeProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(meta_whatsapp, "MEDIA_DOWNLOAD_LIMIT", 4)
    fake_provider.answer("GET", MEDIA_INFO_PATH, media_info(fake_provider))
    fake_provider.answer("GET", DOWNLOAD_PATH, Answer(200, b"OggS\x00opus"))
    with pytest.raises(ChannelError) as caught:
        graph.fetch_media(MEDIA_ID)
    assert not caught.value.transient


def test_expired_media_id_is_permanent(graph: MetaWhatsAppChannel, fake_provider: FakeProvider) -> None:
    fake_provider.answer("GET", MEDIA_INFO_PATH, Answer(400, graph_error(100, "Invalid parameter")))
    with pytest.raises(ChannelError) as caught:
        graph.fetch_media(MEDIA_ID)
    assert type(caught.value) is ChannelError
    assert caught.value.code == "100"


def test_download_failing_on_meta_side_is_transient(
    graph: MetaWhatsAppChannel, fake_provider: FakeProvider
) -> None:
    fake_provider.answer("GET", MEDIA_INFO_PATH, media_info(fake_provider))
    fake_provider.answer("GET", DOWNLOAD_PATH, Answer(503, b"Service Unavailable"))
    with pytest.raises(ChannelUnavailable):
        graph.fetch_media(MEDIA_ID)


@pytest.mark.parametrize("ref", ["../me", "123/messages", "", "1037543291543636?fields=url"])
def test_only_a_media_id_is_fetched(
    graph: MetaWhatsAppChannel, fake_provider: FakeProvider, ref: str
) -> None:
    with pytest.raises(ChannelError):
        graph.fetch_media(ref)
    assert fake_provider.requests == []
