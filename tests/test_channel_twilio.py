"""The Twilio WhatsApp channel against stored webhook payloads and a fake Twilio API on localhost."""

from __future__ import annotations

import base64
import json
import socket
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from pydantic import SecretStr
from twilio.request_validator import RequestValidator  # type: ignore[import-untyped]

from bot.errors import (
    BadSignature,
    ChannelError,
    ChannelUnavailable,
    MissingSignature,
    OutsideWindow,
    RateLimited,
)
from bot.settings import TwilioWhatsAppSettings
from connectors.channels import twilio_whatsapp
from connectors.channels.base import (
    ChannelRequest,
    DeliveryState,
    Document,
    InboundMessage,
    Media,
    OutboundMessage,
    StatusUpdate,
    Template,
)
from connectors.channels.twilio_whatsapp import TwilioWhatsAppChannel
from tests.fakes.provider import Answer, FakeProvider, Recorded

FIXTURES = Path(__file__).parent / "fixtures" / "twilio_whatsapp"
ACCOUNT_SID = "AC84db2ca24ac6529d61268eeea9e2f074"
AUTH_TOKEN = "9f3c1e7a5b2d4c6e8a0f1b3d5c7e9a2b"
WEBHOOK_URL = "https://tagada.example.in/webhooks/twilio_whatsapp"
STATUS_URL = "https://tagada.example.in/webhooks/twilio_whatsapp/status"
MESSAGES_PATH = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
MEDIA_PATH = (
    f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/MMada318976a426fa5aef7c6177567e0a5"
    "/Media/MEc80a71491340ee5525298a49bd8714aa"
)
RECEIVED = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Kolkata"))
CUSTOMER = "+919822012345"
BUSINESS = "+912041234567"
SENT_SID = "SMf9fc9d734a967bacb87810f360933e78"


def fixture(name: str) -> dict[str, str]:
    form: dict[str, str] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return form


def signed(form: dict[str, str], *, url: str = WEBHOOK_URL, token: str = AUTH_TOKEN) -> ChannelRequest:
    """The request as the route hands it over, signed the way Twilio signs it."""
    signature = RequestValidator(token).compute_signature(url, form)
    return ChannelRequest(
        url=url,
        headers={"content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature},
        body=urlencode(form).encode(),
        form=form,
    )


def make_channel(
    api_url: str = "https://api.twilio.com", *, token: str = AUTH_TOKEN, messaging_service_sid: str = ""
) -> TwilioWhatsAppChannel:
    settings = TwilioWhatsAppSettings(
        enabled=True,
        account_sid=ACCOUNT_SID,
        auth_token=SecretStr(token),
        messaging_service_sid=messaging_service_sid,
        api_url=api_url,
    )
    return TwilioWhatsAppChannel(settings, status_callback_url=STATUS_URL)


@pytest.fixture
def channel(fake_provider: FakeProvider) -> TwilioWhatsAppChannel:
    return make_channel(fake_provider.url)


def message_resource(sid: str, body: str = "") -> dict[str, Any]:
    """Twilio's answer to a message create: the new message resource, queued."""
    return {
        "account_sid": ACCOUNT_SID,
        "api_version": "2010-04-01",
        "body": body,
        "date_created": "Tue, 01 Dec 2026 04:30:00 +0000",
        "date_sent": None,
        "date_updated": "Tue, 01 Dec 2026 04:30:00 +0000",
        "direction": "outbound-api",
        "error_code": None,
        "error_message": None,
        "from": f"whatsapp:{BUSINESS}",
        "messaging_service_sid": None,
        "num_media": "0",
        "num_segments": "1",
        "price": None,
        "price_unit": None,
        "sid": sid,
        "status": "queued",
        "subresource_uris": {"media": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}/Media.json"},
        "to": f"whatsapp:{CUSTOMER}",
        "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}.json",
    }


def numbered_sids(fake: FakeProvider) -> None:
    """Answer every message create with a new sid: SM000...001, SM000...002..."""

    def create(recorded: Recorded) -> Answer:
        sid = f"SM{len(fake.to('POST', MESSAGES_PATH)):032d}"
        return Answer(201, message_resource(sid))

    fake.always("POST", MESSAGES_PATH, create)


def outbound(text: str = "Namaste! INV-0042 ka ₹12,500 baaki hai.", **kwargs: Any) -> OutboundMessage:
    return OutboundMessage(
        channel="twilio_whatsapp", recipient=CUSTOMER, sender=BUSINESS, text=text, **kwargs
    )


def closed_port_url() -> str:
    """A loopback URL nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# Signatures


def test_documented_signature_vector_is_accepted() -> None:
    form = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+12349013030",
        "Digits": "1234",
        "From": "+12349013030",
        "To": "+18005551212",
    }
    request = ChannelRequest(
        url="https://mycompany.com/myapp.php?foo=1&bar=2",
        headers={"x-twilio-signature": "0/KCTR6DLpKmkAf8muzZqo1nDgQ="},
        body=urlencode(form).encode(),
        form=form,
    )
    make_channel(token="12345").verify(request)  # Twilio's published test token


@pytest.mark.parametrize("name", sorted(path.stem for path in FIXTURES.glob("*.json")))
def test_signed_fixture_is_accepted(name: str) -> None:
    make_channel().verify(signed(fixture(name)))


def test_missing_signature_is_refused() -> None:
    request = signed(fixture("text"))
    with pytest.raises(MissingSignature):
        make_channel().verify(replace(request, headers=without(request.headers, "x-twilio-signature")))


def without(form: dict[str, str], name: str) -> dict[str, str]:
    return {key: value for key, value in form.items() if key != name}


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(
            lambda r: replace(r, form={**r.form, "Body": "Sharma Traders ne pura paisa de diya"}),
            id="changed-param",
        ),
        pytest.param(lambda r: replace(r, form={**r.form, "Forwarded": "true"}), id="added-param"),
        pytest.param(lambda r: replace(r, form=without(r.form, "ProfileName")), id="removed-param"),
        pytest.param(lambda r: replace(r, url=WEBHOOK_URL + "?business=2"), id="other-url"),
    ],
)
def test_tampered_request_is_refused(tamper: Callable[[ChannelRequest], ChannelRequest]) -> None:
    with pytest.raises(BadSignature):
        make_channel().verify(tamper(signed(fixture("text"))))


def test_signature_with_another_token_is_refused() -> None:
    with pytest.raises(BadSignature):
        make_channel().verify(signed(fixture("text"), token="0" * 32))


# Parsing


def parse_one(name: str) -> InboundMessage:
    batch = make_channel().parse(signed(fixture(name)), received_at=RECEIVED)
    assert batch.statuses == []
    [message] = batch.messages
    return message


def test_text_message() -> None:
    assert parse_one("text") == InboundMessage(
        channel="twilio_whatsapp",
        provider_message_id="SMe49c47114c21c718ca45efb6132290be",
        sender=CUSTOMER,
        recipient=BUSINESS,
        text="Sharma Traders ka kitna baaki hai?",
        received_at=RECEIVED,
        profile_name="Ramesh Patil",
    )


def test_voice_note_is_left_at_twilio_for_later() -> None:
    message = parse_one("voice")
    assert message.text == ""
    assert message.audio is None
    assert message.audio_mime_type == "audio/ogg"
    assert message.audio_ref == f"https://api.twilio.com{MEDIA_PATH}"


def test_a_file_is_left_at_twilio_named_by_its_type() -> None:
    message = parse_one("document")
    assert message.audio_ref is None
    assert message.document == Document(
        filename="document.csv",
        mime_type="text/csv",
        ref="https://api.twilio.com/2010-04-01/Accounts/AC84db2ca24ac6529d61268eeea9e2f074/Messages/"
        "MM7f3c2b9e0d4a4c8e9b1a2d3c4e5f6a7b/Media/ME5d1c3a7f2b8e4f9a0c6d2e1b7a9c3f4e",
    )
    assert parse_one("voice").document is None and parse_one("image").document is None


def test_button_tap_gives_its_payload() -> None:
    message = parse_one("button")
    assert (message.text, message.button_id) == ("Paid", "paid:INV-0042")


def test_button_without_payload_falls_back_to_its_text() -> None:
    form = fixture("button")
    del form["ButtonPayload"]
    [message] = make_channel().parse(signed(form), received_at=RECEIVED).messages
    assert message.button_id == "Paid"


def test_image_without_caption_is_kept() -> None:
    message = parse_one("image")
    assert message.provider_message_id == "MMb4d2dd0756802daef77f53006cb1d6cf"
    assert (message.text, message.audio_ref, message.audio_mime_type) == ("", None, None)
    assert message.image_ref is not None and message.image_ref.endswith(
        "/Media/MEc4a3f355fb5dbe4fc5b522a1524e8d1b"
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("status_delivered", StatusUpdate("twilio_whatsapp", SENT_SID, DeliveryState.DELIVERED, RECEIVED)),
        ("status_read", StatusUpdate("twilio_whatsapp", SENT_SID, DeliveryState.READ, RECEIVED)),
        (
            "status_failed",
            StatusUpdate(
                "twilio_whatsapp",
                SENT_SID,
                DeliveryState.FAILED,
                RECEIVED,
                error_code="63016",
                error="Failed to send freeform message because you are outside the allowed window. "
                "If you are using WhatsApp, please use a Message Template.",
            ),
        ),
    ],
)
def test_status_callback(name: str, expected: StatusUpdate) -> None:
    batch = make_channel().parse(signed(fixture(name)), received_at=RECEIVED)
    assert (batch.messages, batch.statuses) == ([], [expected])


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("queued", DeliveryState.QUEUED),
        ("sending", DeliveryState.QUEUED),
        ("undelivered", DeliveryState.FAILED),
    ],
)
def test_other_statuses(status: str, state: DeliveryState) -> None:
    form = {**fixture("status_delivered"), "MessageStatus": status}
    [update] = make_channel().parse(signed(form), received_at=RECEIVED).statuses
    assert update.state is state


def test_unknown_status_is_ignored() -> None:
    form = {**fixture("status_delivered"), "MessageStatus": "teleported"}
    batch = make_channel().parse(signed(form), received_at=RECEIVED)
    assert (batch.messages, batch.statuses) == ([], [])


@pytest.mark.parametrize("missing", ["MessageSid", "From", "To"])
def test_message_without_ids_is_not_twilios(missing: str) -> None:
    form = fixture("text")
    del form[missing]
    with pytest.raises(ValueError, match=missing):
        make_channel().parse(signed(form), received_at=RECEIVED)


def test_sender_that_is_no_phone_number_is_refused() -> None:
    form = {**fixture("text"), "From": "whatsapp:+12"}
    with pytest.raises(ValueError, match="not a phone number"):
        make_channel().parse(signed(form), received_at=RECEIVED)


# Sending


def basic_auth() -> str:
    return "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()


def test_send_text(channel: TwilioWhatsAppChannel, fake_provider: FakeProvider) -> None:
    fake_provider.answer("POST", MESSAGES_PATH, Answer(201, message_resource(SENT_SID)))

    result = channel.send(outbound())

    assert result.provider_message_id == SENT_SID
    [request] = fake_provider.requests
    assert request.path == MESSAGES_PATH
    assert request.headers["authorization"] == basic_auth()
    assert request.form() == {
        "To": [f"whatsapp:{CUSTOMER}"],
        "From": [f"whatsapp:{BUSINESS}"],
        "Body": ["Namaste! INV-0042 ka ₹12,500 baaki hai."],
        "StatusCallback": [STATUS_URL],
    }


def test_send_through_messaging_service(fake_provider: FakeProvider) -> None:
    fake_provider.answer("POST", MESSAGES_PATH, Answer(201, message_resource(SENT_SID)))
    service = "MG9752274e9e519418a7406176694466fa"

    make_channel(fake_provider.url, messaging_service_sid=service).send(outbound())

    form = fake_provider.requests[0].form()
    assert form["MessagingServiceSid"] == [service]
    assert "From" not in form


def test_send_without_any_sender_is_refused(
    channel: TwilioWhatsAppChannel, fake_provider: FakeProvider
) -> None:
    with pytest.raises(ChannelError):
        channel.send(OutboundMessage(channel="twilio_whatsapp", recipient=CUSTOMER, text="Namaste"))
    assert fake_provider.requests == []


def test_one_attachment_per_message(channel: TwilioWhatsAppChannel, fake_provider: FakeProvider) -> None:
    numbered_sids(fake_provider)
    invoice = Media("https://tagada.example.in/files/inv-0042.pdf", "application/pdf", "INV-0042.pdf")
    qr = Media("https://tagada.example.in/files/inv-0042-qr.png", "image/png", "INV-0042-upi.png")

    result = channel.send(outbound("INV-0042 attached", media=(invoice, qr)))

    first, second = (request.form() for request in fake_provider.to("POST", MESSAGES_PATH))
    assert (first["Body"], first["MediaUrl"]) == (["INV-0042 attached"], [invoice.url])
    assert (second.get("Body"), second["MediaUrl"]) == (None, [qr.url])
    assert result.provider_message_id == f"SM{1:032d}"


def test_long_text_goes_as_several_messages(
    channel: TwilioWhatsAppChannel, fake_provider: FakeProvider
) -> None:
    numbered_sids(fake_provider)
    lines = [f"INV-{n:04d}  12 Nov 2026  ₹{n * 1000:,} baaki" for n in range(1, 81)]
    text = "\n".join(lines)

    result = channel.send(outbound(text))

    bodies = [request.form()["Body"][0] for request in fake_provider.to("POST", MESSAGES_PATH)]
    assert len(bodies) == 2
    assert all(len(body) <= 1600 for body in bodies)
    assert "\n".join(bodies).splitlines() == lines  # cut between lines, nothing lost
    assert result.provider_message_id == f"SM{1:032d}"


def test_template_goes_alone(channel: TwilioWhatsAppChannel, fake_provider: FakeProvider) -> None:
    fake_provider.answer("POST", MESSAGES_PATH, Answer(201, message_resource(SENT_SID)))
    template = Template(
        name="payment_reminder",
        language="hi",
        parameters=("INV-0042", "₹12,500"),
        content_sid="HX3b1c7f0e2d9a4c5b8e6f1a0d2c4b6e8f",
    )
    media = (Media("https://tagada.example.in/files/inv-0042.pdf", "application/pdf", "INV-0042.pdf"),)

    channel.send(outbound("ignored free-form text", media=media, template=template))

    form = fake_provider.requests[0].form()
    assert sorted(form) == ["ContentSid", "ContentVariables", "From", "StatusCallback", "To"]
    assert form["ContentSid"] == [template.content_sid]
    assert json.loads(form["ContentVariables"][0]) == {"1": "INV-0042", "2": "₹12,500"}


def test_template_without_content_sid_is_refused(
    channel: TwilioWhatsAppChannel, fake_provider: FakeProvider
) -> None:
    with pytest.raises(ChannelError, match="payment_reminder"):
        channel.send(outbound(template=Template(name="payment_reminder", language="hi")))
    assert fake_provider.requests == []


def twilio_error(status: int, code: int, message: str) -> Answer:
    return Answer(
        status,
        {
            "code": code,
            "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        },
    )


@pytest.mark.parametrize(
    ("answer", "error", "transient", "code"),
    [
        (twilio_error(503, 20503, "Service Unavailable"), ChannelUnavailable, True, "20503"),
        (twilio_error(500, 20500, "Internal Server Error"), ChannelUnavailable, True, "20500"),
        (twilio_error(429, 20429, "Too Many Requests"), RateLimited, True, "20429"),
        (twilio_error(400, 63018, "Rate limit exceeded for Channel"), RateLimited, True, "63018"),
        (
            twilio_error(400, 21211, "Invalid 'To' Phone Number: +91982201XXXX"),
            ChannelError,
            False,
            "21211",
        ),
        (twilio_error(400, 21610, "Attempt to send to unsubscribed recipient"), ChannelError, False, "21610"),
        (
            twilio_error(
                400, 63016, "Failed to send freeform message because you are outside the allowed window."
            ),
            OutsideWindow,
            False,
            "63016",
        ),
        (Answer(502, b"<html>Bad Gateway</html>"), ChannelUnavailable, True, "502"),
    ],
)
def test_refusals_are_typed(
    channel: TwilioWhatsAppChannel,
    fake_provider: FakeProvider,
    answer: Answer,
    error: type[ChannelError],
    transient: bool,
    code: str,
) -> None:
    fake_provider.answer("POST", MESSAGES_PATH, answer)
    with pytest.raises(ChannelError) as raised:
        channel.send(outbound())
    assert type(raised.value) is error
    assert (raised.value.transient, raised.value.code) == (transient, code)
    assert len(fake_provider.requests) == 1  # no retry behind the outbox's back


def test_unreachable_twilio_is_transient() -> None:
    with pytest.raises(ChannelUnavailable):
        make_channel(closed_port_url()).send(outbound())


# Media


def test_fetch_media_with_basic_auth_through_redirect(
    channel: TwilioWhatsAppChannel, fake_provider: FakeProvider
) -> None:
    audio = b"OggS\x00\x02" + bytes(200)
    stored = "/storage/v1/media/MEc80a71491340ee5525298a49bd8714aa"
    fake_provider.answer("GET", MEDIA_PATH, Answer(307, b"", {"Location": fake_provider.url + stored}))
    fake_provider.answer("GET", stored, Answer(200, audio, {"Content-Type": "audio/ogg"}))

    assert channel.fetch_media(fake_provider.url + MEDIA_PATH) == audio

    assert [request.path for request in fake_provider.requests] == [MEDIA_PATH, stored]
    assert fake_provider.requests[0].headers["authorization"] == basic_auth()


@pytest.mark.parametrize(
    ("status", "error", "transient"),
    [(404, ChannelError, False), (429, RateLimited, True), (500, ChannelUnavailable, True)],
)
def test_fetch_media_refusals(
    channel: TwilioWhatsAppChannel,
    fake_provider: FakeProvider,
    status: int,
    error: type[ChannelError],
    transient: bool,
) -> None:
    fake_provider.answer("GET", MEDIA_PATH, Answer(status, {"code": 20404, "status": status}))
    with pytest.raises(ChannelError) as raised:
        channel.fetch_media(fake_provider.url + MEDIA_PATH)
    assert (type(raised.value), raised.value.transient) == (error, transient)


def test_fetch_media_over_the_cap_is_refused(
    channel: TwilioWhatsAppChannel, fake_provider: FakeProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(twilio_whatsapp, "MAX_MEDIA_BYTES", 100)
    fake_provider.answer("GET", MEDIA_PATH, Answer(200, bytes(101), {"Content-Type": "audio/ogg"}))
    with pytest.raises(ChannelError, match="over 100 bytes"):
        channel.fetch_media(fake_provider.url + MEDIA_PATH)


def test_fetch_media_sends_credentials_only_to_twilio(
    channel: TwilioWhatsAppChannel, fake_provider: FakeProvider
) -> None:
    with pytest.raises(ChannelError, match="not on Twilio"):
        channel.fetch_media("https://media.example.com/steal")
    assert fake_provider.requests == []


def test_fetch_media_unreachable_is_transient() -> None:
    url = closed_port_url()
    with pytest.raises(ChannelUnavailable):
        make_channel(url).fetch_media(url + MEDIA_PATH)
