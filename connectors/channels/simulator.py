"""The simulator channel: the web page, `tagada chat` and tests talk to the assistant with no provider.

Sending only records the message: the outbox row is what the simulator API shows the person.
"""

from __future__ import annotations

import base64
import json
import uuid
from datetime import datetime

from bot.errors import ChannelError
from connectors.channels.base import (
    Capability,
    ChannelRequest,
    Document,
    InboundMessage,
    OutboundMessage,
    SendResult,
    WebhookBatch,
)


class SimulatorChannel:
    name = "simulator"
    capabilities = frozenset({Capability.BUTTONS, Capability.MEDIA, Capability.PHONE_NUMBERS})

    def verify(self, request: ChannelRequest) -> None:
        """Nothing to verify: the routes exist only while `simulator.enabled` is on."""

    def parse(self, request: ChannelRequest, *, received_at: datetime) -> WebhookBatch:
        """One message from the simulator API's JSON body (already validated by its route).

        Raises:
            ValueError: the body is not a simulator message.
        """
        body = json.loads(request.body)
        audio = body.get("audio") or {}
        file = body.get("document")
        message = InboundMessage(
            channel=self.name,
            provider_message_id=body.get("id") or f"sim-in-{uuid.uuid4().hex}",
            sender=body["from"],
            recipient=body["to"],
            text=body.get("text") or "",
            received_at=received_at,
            button_id=body.get("button"),
            audio=_decoded(audio.get("content_b64")),
            audio_mime_type=audio.get("mime_type"),
            document=_document(file) if file else None,
            image_ref="simulator-image" if body.get("image") else None,
        )
        return WebhookBatch(messages=[message])

    def send(self, message: OutboundMessage) -> SendResult:
        return SendResult(provider_message_id=f"sim-{uuid.uuid4().hex}")

    def close(self) -> None:
        """Nothing is held open."""

    def fetch_media(self, ref: str) -> bytes:
        """Never needed: a simulator voice note or file comes with its bytes."""
        raise ChannelError("the simulator keeps no media to fetch")


def _decoded(content_b64: str | None) -> bytes | None:
    """Raises: ValueError (binascii.Error) for anything but strict base64."""
    return base64.b64decode(content_b64, validate=True) if content_b64 else None


def _document(file: dict[str, str]) -> Document:
    return Document(
        filename=file.get("filename") or "document",
        mime_type=file.get("mime_type"),
        content=_decoded(file.get("content_b64")) or b"",
    )
