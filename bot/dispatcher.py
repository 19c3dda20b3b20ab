"""Sending the outbox: each row through its channel, within WhatsApp's rules, retried with backoff, never
sent twice.

A row is claimed in a short transaction (status `sending`), handed to the provider outside any transaction
(a provider call must not hold the database), and the outcome recorded in another. A sender that dies in
between leaves the row `sending`; once its lease (`next_attempt_at`) runs out it is tried again.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import Update, func, or_, select, update
from sqlalchemy.orm import Session

from bot.addresses import address_for, is_phone
from bot.clock import Clock
from bot.db import Database
from bot.errors import ChannelError, OutsideWindow
from bot.models import Direction, Message, OutboxMessage, OutboxStatus
from bot.outbox import outbound
from bot.phone import mask_phone
from bot.ratelimit import SendLimits
from bot.settings import TemplateSettings, WhatsAppSettings
from connectors.channels.base import (
    Capability,
    Channel,
    DeliveryState,
    OutboundMessage,
    StatusUpdate,
    Template,
    degrade,
)
from dialogues.reply import Kind
from modules.business.models import Business
from modules.customers.repository import find_customer_by_phone

logger = logging.getLogger(__name__)

# After the first try fails: 1 min, 5 min, 30 min, 2 h; then the row is dead and shown to the owner.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_ATTEMPTS = len(BACKOFF) + 1
# How long a claimed row may stay with a sender before it is presumed dead and the row tried again.
SEND_LEASE = timedelta(minutes=2)
# Media types WhatsApp takes as a document or an image; anything else goes as a link in the text.
WHATSAPP_MEDIA = frozenset({"application/pdf", "image/png", "image/jpeg", "text/csv", "text/plain"})
_PROGRESS = {state: rank for rank, state in enumerate(DeliveryState)}


class Dispatcher:
    def __init__(
        self,
        db: Database,
        channels: Mapping[str, Channel],
        clock: Clock,
        whatsapp: WhatsAppSettings | None = None,
    ) -> None:
        self._db = db
        self._channels = channels
        self._clock = clock
        self._whatsapp = whatsapp or WhatsAppSettings()
        self._limits = SendLimits(self._whatsapp.rate_limits)

    def send(self, outbox_ids: Iterable[uuid.UUID]) -> None:
        """Try each row once now (right after the transaction that queued them)."""
        for outbox_id in outbox_ids:
            self._send_one(outbox_id)

    def send_due(self) -> list[uuid.UUID]:
        """Try every row whose attempt is due: retries, held-back rows, anything queued by a job, and rows a
        dead sender left claimed. Returns their ids."""
        now = self._clock.now()
        with self._db.transaction() as session:
            due = list(
                session.scalars(
                    select(OutboxMessage.id)
                    .where(
                        OutboxMessage.status.in_(
                            (OutboxStatus.PENDING, OutboxStatus.FAILED, OutboxStatus.SENDING)
                        ),
                        OutboxMessage.next_attempt_at <= now,
                    )
                    .order_by(OutboxMessage.next_attempt_at)
                )
            )
        self.send(due)
        return due

    def record(self, update: StatusUpdate) -> None:
        """A provider's delivery status for a message we sent. Statuses arrive out of order and twice: one
        never moves a message backwards, and a failure after sending makes the row dead, for the owner."""
        with self._db.transaction() as session:
            row = session.scalars(
                select(OutboxMessage).where(
                    OutboxMessage.channel == update.channel,
                    OutboxMessage.provider_message_id == update.provider_message_id,
                )
            ).one_or_none()
            if row is None:
                logger.debug("status %s for a message we do not know", update.state)
                return
            current = DeliveryState(row.delivery_status) if row.delivery_status else None
            if current is not None and _PROGRESS[update.state] <= _PROGRESS[current]:
                return
            row.delivery_status = str(update.state)
            row.delivery_updated_at = update.at
            if update.state is DeliveryState.FAILED:
                row.status = OutboxStatus.DEAD
                row.last_error = f"{update.error_code or ''} {update.error or 'failed'}".strip()[:1000]
                logger.warning(
                    "provider could not deliver to %s: %s", mask_phone(row.recipient), row.last_error
                )
            session.execute(
                _outbound_log(update.channel, update.provider_message_id).values(
                    delivery_status=str(update.state)
                )
            )

    # -- one row ----------------------------------------------------------------------------------

    def _send_one(self, outbox_id: uuid.UUID) -> None:
        message = self._claim(outbox_id)
        if message is None:
            return
        channel = self._channels.get(message.channel)
        try:
            if channel is None:
                raise ChannelError(f"channel {message.channel!r} is not enabled")
            result = channel.send(message)
        except ChannelError as error:
            self._failed(outbox_id, error)
            return
        self._sent(
            outbox_id,
            result.provider_message_id,
            sent_as=message.template.name if message.template else "text",
        )

    def _claim(self, outbox_id: uuid.UUID) -> OutboundMessage | None:
        """Take the row and return what to send, or None when there is nothing to send now: sent or taken
        by someone else, not due yet, held back by a rate limit, cancelled, or dead."""
        now = self._clock.now()
        with self._db.transaction() as session:
            claimed = session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.id == outbox_id,
                    or_(
                        # A pending row waits for its time (held for a customer's calling hours).
                        (OutboxMessage.status == OutboxStatus.PENDING)
                        & (OutboxMessage.next_attempt_at <= now),
                        OutboxMessage.status == OutboxStatus.FAILED,
                        (OutboxMessage.status == OutboxStatus.SENDING)
                        & (OutboxMessage.next_attempt_at <= now),
                    ),
                )
                .values(status=OutboxStatus.SENDING, next_attempt_at=now + SEND_LEASE)
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount != 1:  # type: ignore[attr-defined]
                return None  # sent or being sent by someone else: never twice
            row = session.get_one(OutboxMessage, outbox_id, populate_existing=True)
            message = self._prepare(session, row, now)
            if message is not None:
                row.attempts += 1
            return message

    def _prepare(self, session: Session, row: OutboxMessage, now: datetime) -> OutboundMessage | None:
        """The message as this row's channel must carry it now; None, with the row's new status set, when
        it goes nowhere now."""
        channel = self._channels.get(row.channel)
        business = session.get_one(Business, row.business_id)
        message = replace(outbound(row), sender=business.whatsapp_number)
        if row.kind != Kind.REPLY and _opted_out(session, row):
            row.status = OutboxStatus.CANCELLED
            row.last_error = "the customer opted out"
            logger.info("not sending to %s: opted out", mask_phone(row.recipient))
            return None
        if channel is None:
            return message  # fails in _send_one, visibly
        if is_phone(row.recipient) and Capability.PHONE_NUMBERS not in channel.capabilities:
            address = address_for(session, channel=row.channel, phone=row.recipient)
            if address is None:
                self._dead(row, f"{mask_phone(row.recipient)} has not linked a {row.channel} chat")
                return None
            message = replace(message, recipient=address)
        if Capability.TEMPLATES in channel.capabilities:
            if not self._in_window(session, row, now):
                template = self._template(row)
                if template is None:
                    self._dead(row, f"outside WhatsApp's 24-hour window; no approved {row.kind} template")
                    return None
                message = replace(message, template=template, media=(), buttons=())
            message = replace(message, media=tuple(m for m in message.media if m.mime_type in WHATSAPP_MEDIA))
            wait = self._limits.wait(
                channel=row.channel, sender=business.whatsapp_number, recipient=row.recipient, now=now
            )
            if wait:
                row.status = OutboxStatus.PENDING if row.attempts == 0 else OutboxStatus.FAILED
                row.next_attempt_at = now + wait
                return None
        return degrade(_with_dropped_media_as_links(message, row), channel.capabilities)

    def _in_window(self, session: Session, row: OutboxMessage, now: datetime) -> bool:
        """Whether the recipient wrote to this business on this channel within WhatsApp's window."""
        last = session.scalar(
            select(func.max(Message.received_at)).where(
                Message.business_id == row.business_id,
                Message.channel == row.channel,
                Message.direction == Direction.INBOUND,
                Message.sender == row.recipient,
            )
        )
        return last is not None and now - last < timedelta(hours=self._whatsapp.window_hours)

    def _template(self, row: OutboxMessage) -> Template | None:
        configured = self._whatsapp.templates.get(row.kind)
        if configured is None:
            return None
        language = str(row.payload.get("language", ""))
        values = dict(row.payload.get("values", {}))
        return template_for(configured, language=language, values=values)

    def _dead(self, row: OutboxMessage, reason: str) -> None:
        row.status = OutboxStatus.DEAD
        row.last_error = reason[:1000]
        logger.error("not sending to %s: %s", mask_phone(row.recipient), reason)

    # -- outcomes ---------------------------------------------------------------------------------

    def _sent(self, outbox_id: uuid.UUID, provider_message_id: str, *, sent_as: str) -> None:
        now = self._clock.now()
        with self._db.transaction() as session:
            row = session.get_one(OutboxMessage, outbox_id)
            row.status = OutboxStatus.SENT
            row.sent_as = sent_as
            row.sent_at = now
            row.provider_message_id = provider_message_id
            row.last_error = None
            row.delivery_status = row.delivery_status or str(DeliveryState.SENT)
            session.add(
                Message(
                    business_id=row.business_id,
                    channel=row.channel,
                    direction=Direction.OUTBOUND,
                    provider_message_id=provider_message_id,
                    sender=session.get_one(Business, row.business_id).whatsapp_number,
                    recipient=row.recipient,
                    text=str(row.payload.get("text", "")),
                    media=list(row.payload.get("media", [])),
                    delivery_status=str(DeliveryState.SENT),
                    received_at=now,
                    handled_at=now,
                )
            )

    def _failed(self, outbox_id: uuid.UUID, error: ChannelError) -> None:
        now = self._clock.now()
        with self._db.transaction() as session:
            row = session.get_one(OutboxMessage, outbox_id)
            row.last_error = f"{error.code + ': ' if error.code else ''}{error}"[:1000]
            if error.transient and row.attempts < MAX_ATTEMPTS:
                row.status = OutboxStatus.FAILED
                row.next_attempt_at = now + BACKOFF[row.attempts - 1]
                logger.warning(
                    "send to %s failed (attempt %d), will retry", mask_phone(row.recipient), row.attempts
                )
                return
            row.status = OutboxStatus.DEAD
            if isinstance(error, OutsideWindow):
                row.last_error = f"outside WhatsApp's 24-hour window: {row.last_error}"[:1000]
            logger.error("send to %s failed for good: %s", mask_phone(row.recipient), error)


def template_for(
    configured: TemplateSettings, *, language: str, values: Mapping[str, str]
) -> Template | None:
    """The approved template for a message in `language`, its placeholders filled from the reply's values.
    Romanized Hindi falls back to Hindi's template, and any language to English's, before giving up."""
    for candidate in (language, language.split("-")[0], "en"):
        code = configured.languages.get(candidate)
        if code is not None:
            return Template(
                name=configured.name,
                language=code,
                parameters=tuple(_parameter(values.get(name, "")) for name in configured.parameters),
                content_sid=configured.twilio_content_sids.get(candidate, ""),
            )
    return None


def _parameter(value: str) -> str:
    """A value as WhatsApp takes it in a template: one line, no runs of spaces, never empty (a dash)."""
    return " ".join(value.split())[:1024] or "-"


def _outbound_log(channel: str, provider_message_id: str) -> Update:
    """The outbound log row of a sent message."""
    return update(Message).where(
        Message.channel == channel,
        Message.direction == Direction.OUTBOUND,
        Message.provider_message_id == provider_message_id,
    )


def _opted_out(session: Session, row: OutboxMessage) -> bool:
    customer = find_customer_by_phone(session, business_id=row.business_id, phone=row.recipient)
    return customer is not None and customer.opted_out_at is not None


def _with_dropped_media_as_links(message: OutboundMessage, row: OutboxMessage) -> OutboundMessage:
    """Media the channel filtered out (a type WhatsApp refuses) still reach the reader as links."""
    kept = {m.url for m in message.media}
    dropped = [m for m in outbound(row).media if m.url not in kept]
    if not dropped or message.template is not None:
        return message
    links = "\n".join(f"{m.filename}: {m.url}" for m in dropped)
    return replace(message, text=f"{message.text}\n{links}")
