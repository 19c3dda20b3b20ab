"""The channel seam: what every channel turns its provider's payloads into, and what it is asked to send."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Protocol


class Capability(enum.StrEnum):
    BUTTONS = "buttons"
    MEDIA = "media"
    # Business-initiated messages outside the 24-hour customer-service window need an approved template.
    TEMPLATES = "templates"
    # People are addressed by phone number; without it, by a chat they opened and linked to their phone.
    PHONE_NUMBERS = "phone_numbers"


@dataclass(frozen=True)
class Media:
    """A file the recipient can open: served over HTTP by this app (invoice PDF, QR code PNG)."""

    url: str
    mime_type: str
    filename: str


@dataclass(frozen=True)
class Button:
    """A quick reply. `id` comes back in the inbound message when it is tapped."""

    id: str
    title: str


# A button with this id asks the person to share their own phone number (Telegram's contact request).
SHARE_CONTACT = "share_contact"


@dataclass(frozen=True)
class Document:
    """A file that came with a message (an owner's bank statement): `content` when the channel delivered it
    inline (the simulator), else fetched with `fetch_media(ref)`, in the background."""

    filename: str
    mime_type: str | None = None
    ref: str | None = None
    content: bytes | None = None


@dataclass(frozen=True)
class InboundMessage:
    """One message as a channel parsed it, before anyone looked at what it means."""

    channel: str
    provider_message_id: str
    sender: str  # E.164 phone number, or the channel's own address where it gives no phone ("tg:42")
    recipient: str  # the business's number on that channel
    text: str
    received_at: datetime
    button_id: str | None = None  # set when the person tapped a quick reply
    audio: bytes | None = None  # a voice note that came with the message (the simulator)
    audio_mime_type: str | None = None
    # A voice note still at the provider: `fetch_media(audio_ref)` downloads it (Twilio media URL,
    # Meta media id, Telegram file id). Fetched in the background, never inside the webhook call.
    audio_ref: str | None = None
    profile_name: str | None = None  # the name the person gave the messaging app
    # Their own phone number, shared with the app's contact button (Telegram): links `sender` to it.
    shared_phone: str | None = None
    document: Document | None = None
    # A photo still at the provider (a customer's payment screenshot). Only its coming is used so far.
    image_ref: str | None = None


class DeliveryState(enum.StrEnum):
    """What the provider last said about a message we sent, in the order it normally moves."""

    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"


@dataclass(frozen=True)
class StatusUpdate:
    """A provider's word on a message we sent (a Twilio status callback, a Cloud API `statuses[]` entry)."""

    channel: str
    provider_message_id: str
    state: DeliveryState
    at: datetime
    error_code: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class WebhookBatch:
    """Everything one verified webhook call carried: providers batch messages and statuses together."""

    messages: list[InboundMessage] = field(default_factory=list)
    statuses: list[StatusUpdate] = field(default_factory=list)


@dataclass(frozen=True)
class Template:
    """An approved WhatsApp template, the only thing a business may send outside the 24-hour window.

    `name` and `language` name it on the Cloud API; `content_sid` (HX...) names it on Twilio.
    `parameters` fill its body placeholders {{1}}, {{2}}... in order.
    """

    name: str
    language: str
    parameters: tuple[str, ...] = ()
    content_sid: str = ""


@dataclass(frozen=True)
class OutboundMessage:
    channel: str
    recipient: str  # a phone number, or the channel's own address ("tg:42")
    text: str
    sender: str = ""  # the business's number it goes out from (Twilio's `From`)
    media: tuple[Media, ...] = ()
    buttons: tuple[Button, ...] = ()
    idempotency_key: str = ""
    template: Template | None = None  # set: send this template instead of text, media and buttons


@dataclass(frozen=True)
class SendResult:
    provider_message_id: str


@dataclass(frozen=True)
class ChannelRequest:
    """What a webhook delivered, before verification: enough to check a signature over the exact bytes."""

    url: str
    headers: dict[str, str]  # names lower-cased
    body: bytes
    form: dict[str, str] = field(default_factory=dict)


class Channel(Protocol):
    """One messaging channel. `name` is its URL segment, its config.yml key and its locale variant."""

    name: str
    capabilities: frozenset[Capability]

    def verify(self, request: ChannelRequest) -> None:
        """Raise `MissingSignature` (401) or `BadSignature` (403) unless the request provably comes from
        the provider."""
        ...

    def parse(self, request: ChannelRequest, *, received_at: datetime) -> WebhookBatch:
        """The messages and delivery statuses in a verified request.

        Raises:
            ValueError: the payload is not this provider's (answered 400).
        """
        ...

    def send(self, message: OutboundMessage) -> SendResult:
        """Deliver one message. Raises `ChannelError` (with `transient`) when the provider refuses."""
        ...

    def fetch_media(self, ref: str) -> bytes:
        """The bytes of an inbound file (`InboundMessage.audio_ref`). Raises `ChannelError`."""
        ...

    def close(self) -> None:
        """Release connections (and Telegram's event loop) when the app stops."""
        ...


def degrade(message: OutboundMessage, capabilities: frozenset[Capability]) -> OutboundMessage:
    """Fold what a channel cannot show into the text: buttons become numbered choices, media become links."""
    text = message.text
    media = message.media
    buttons = message.buttons
    if buttons and Capability.BUTTONS not in capabilities:
        text += "\n" + "\n".join(f"{n}. {button.title}" for n, button in enumerate(buttons, start=1))
        buttons = ()
    if media and Capability.MEDIA not in capabilities:
        text += "\n" + "\n".join(f"{item.filename}: {item.url}" for item in media)
        media = ()
    return replace(message, text=text, media=media, buttons=buttons)
