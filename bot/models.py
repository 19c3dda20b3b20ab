"""The message log and the outbox: every message in and out, and what is still to be sent."""

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
    DEAD = "dead"  # gave up after the last attempt; shown to the owner


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
    provider_message_id: Mapped[str | None] = mapped_column(String(128))
