"""The message log, the outbox and channel addresses: every message in and out, what is still to be sent,
and which phone number stands behind a chat that has none (Telegram)."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, Entity


class Direction(enum.StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # failed for now; tried again at next_attempt_at
    DEAD = "dead"  # gave up after the last attempt, or the provider refused it for good; shown to the owner
    SENDING = "sending"  # handed to the provider now; back to failed if the sender died (next_attempt_at)
    CANCELLED = "cancelled"  # not to be sent after all: the customer opted out before it went


class Message(Entity, Base):
    """One message as the provider saw it. A replayed provider id hits the unique key and is handled once."""

    __tablename__ = "message"
    __table_args__ = (UniqueConstraint("channel", "provider_message_id"),)

    # None for a message to a number no business owns: kept, never attached to anyone's data.
    business_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("business.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str] = mapped_column(String(20))
    direction: Mapped[Direction]
    provider_message_id: Mapped[str | None] = mapped_column(String(128))
    sender: Mapped[str] = mapped_column(String(64))
    recipient: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text, default="")
    media: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    delivery_status: Mapped[str | None] = mapped_column(String(20))
    received_at: Mapped[datetime]
    button_id: Mapped[str | None] = mapped_column(String(256))  # the quick reply tapped
    # Set in the transaction that answered it: a message a restart interrupted is still unhandled, and
    # the background loop picks it up; after a few failed tries it is given up on (and apologised for).
    handled_at: Mapped[datetime | None]
    handle_attempts: Mapped[int] = mapped_column(Integer, default=0)


class OutboxMessage(Entity, Base):
    __tablename__ = "outbox"

    business_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("business.id", ondelete="CASCADE"), index=True)
    # The message that caused this one, so a replayed inbound returns the replies it first produced.
    reply_to_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("message.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # text, media, buttons
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    status: Mapped[OutboxStatus] = mapped_column(default=OutboxStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(String(1000))
    sent_at: Mapped[datetime | None]
    provider_message_id: Mapped[str | None] = mapped_column(String(128), index=True)
    # What this message is (a reply, an invoice, a reminder...): outside WhatsApp's 24-hour window it
    # picks the approved template to send instead.
    kind: Mapped[str] = mapped_column(String(20), default="reply")
    # The provider's last word on it after sending: queued, sent, delivered, read, failed.
    delivery_status: Mapped[str | None] = mapped_column(String(20))
    delivery_updated_at: Mapped[datetime | None]
    # When the owner was told it could not be delivered (dead rows only).
    reported_at: Mapped[datetime | None]
    # The record the message is about (an invoice) and how it went out (`text`, or the template's name):
    # with the reply's key and language in the payload, the variant whose results reports compare.
    subject_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    sent_as: Mapped[str | None] = mapped_column(String(64))


class ChannelAddress(Entity, Base):
    """A chat on a channel that gives no phone number (a Telegram chat id), linked to the phone its person
    shared from their own account."""

    __tablename__ = "channel_address"
    __table_args__ = (UniqueConstraint("channel", "address"),)

    channel: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str] = mapped_column(String(20), index=True)
