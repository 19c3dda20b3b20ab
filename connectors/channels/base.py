"""The channel seam: what every channel turns its provider's payloads into, and what it is asked to send."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


class Capability(enum.StrEnum):
    BUTTONS = "buttons"
    MEDIA = "media"


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


@dataclass(frozen=True)
class InboundMessage:
    """One message as a channel parsed it, before anyone looked at what it means."""

    channel: str
    provider_message_id: str
    sender: str  # E.164 phone number (or the channel's user id where there is no phone)
    recipient: str  # the business's number on that channel
    text: str
    received_at: datetime
    button_id: str | None = None  # set when the person tapped a quick reply
    audio: bytes | None = None  # a voice note, still to be transcribed
    audio_mime_type: str | None = None


@dataclass(frozen=True)
class OutboundMessage:
    channel: str
    recipient: str
    text: str
    media: tuple[Media, ...] = ()
    buttons: tuple[Button, ...] = ()
    idempotency_key: str = ""


@dataclass(frozen=True)
class SendResult:
    provider_message_id: str


@dataclass(frozen=True)
class ChannelRequest:
    """What a webhook delivered, before verification: enough to check a signature over the exact bytes."""

    url: str
    headers: dict[str, str]
    body: bytes
    form: dict[str, str] = field(default_factory=dict)


class Channel(Protocol):
    """One messaging channel. `name` is its URL segment, its config.yml key and its locale variant."""

    name: str
    capabilities: frozenset[Capability]

    def verify(self, request: ChannelRequest) -> None:
        """Raise `UnverifiedRequest` unless the request provably comes from the provider."""
        ...

    def parse(self, request: ChannelRequest, *, received_at: datetime) -> list[InboundMessage]:
        """The messages in a verified request (status callbacks and the like give none).

        Raises:
            ValueError: the payload is not this provider's (answered 400).
        """
        ...

    def send(self, message: OutboundMessage) -> SendResult:
        """Deliver one message. Raises `ChannelError` (with `transient`) when the provider refuses."""
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
    return OutboundMessage(message.channel, message.recipient, text, media, buttons, message.idempotency_key)
