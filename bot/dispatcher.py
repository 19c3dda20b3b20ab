"""Sending the outbox: each row through its channel, retried with backoff, never sent twice."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.clock import Clock
from bot.db import Database
from bot.errors import ChannelError
from bot.models import Direction, Message, OutboxMessage, OutboxStatus
from bot.outbox import outbound
from bot.phone import mask_phone
from connectors.channels.base import Channel, degrade
from modules.business.models import Business

logger = logging.getLogger(__name__)

# After the first try fails: 1 min, 5 min, 30 min, 2 h; then the row is dead and shown to the owner.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_ATTEMPTS = len(BACKOFF) + 1


class Dispatcher:
    def __init__(self, db: Database, channels: Mapping[str, Channel], clock: Clock) -> None:
        self._db = db
        self._channels = channels
        self._clock = clock

    def send(self, outbox_ids: Iterable[uuid.UUID]) -> None:
        """Try each row once now (right after the transaction that queued them)."""
        for outbox_id in outbox_ids:
            self._send_one(outbox_id)

    def send_due(self) -> list[uuid.UUID]:
        """Try every row whose attempt is due (retries, and anything queued by a job). Returns their ids."""
        with self._db.transaction() as session:
            due = list(
                session.scalars(
                    select(OutboxMessage.id)
                    .where(
                        OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.FAILED)),
                        OutboxMessage.next_attempt_at <= self._clock.now(),
                    )
                    .order_by(OutboxMessage.next_attempt_at)
                )
            )
        self.send(due)
        return due

    def _send_one(self, outbox_id: uuid.UUID) -> None:
        with self._db.transaction() as session:
            row = session.get(OutboxMessage, outbox_id, with_for_update=True)
            if row is None or row.status not in (OutboxStatus.PENDING, OutboxStatus.FAILED):
                return  # sent by someone else meanwhile: never twice
            now = self._clock.now()
            channel = self._channels.get(row.channel)
            row.attempts += 1
            try:
                if channel is None:
                    raise ChannelError(f"channel {row.channel!r} is not enabled")
                result = channel.send(degrade(outbound(row), channel.capabilities))
            except ChannelError as error:
                self._failed(row, error, now)
                return
            row.status = OutboxStatus.SENT
            row.sent_at = now
            row.provider_message_id = result.provider_message_id
            row.last_error = None
            session.add(
                Message(
                    business_id=row.business_id,
                    channel=row.channel,
                    direction=Direction.OUTBOUND,
                    provider_message_id=result.provider_message_id,
                    sender=session.get_one(Business, row.business_id).whatsapp_number,
                    recipient=row.recipient,
                    text=str(row.payload.get("text", "")),
                    media=list(row.payload.get("media", [])),
                    delivery_status="sent",
                    received_at=now,
                )
            )

    def _failed(self, row: OutboxMessage, error: ChannelError, now: datetime) -> None:
        row.last_error = str(error)[:1000]
        if error.transient and row.attempts < MAX_ATTEMPTS:
            row.status = OutboxStatus.FAILED
            row.next_attempt_at = now + BACKOFF[row.attempts - 1]
            logger.warning(
                "send to %s failed (attempt %d), will retry", mask_phone(row.recipient), row.attempts
            )
        else:
            row.status = OutboxStatus.DEAD
            logger.error("send to %s failed for good: %s", mask_phone(row.recipient), error)
