"""Replies become outbox rows, in the reader's language, in the same transaction as the change they report."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.i18n import Locales
from bot.models import OutboxMessage, OutboxStatus
from connectors.channels.base import Button, Media, OutboundMessage
from dialogues.reply import Reply, To
from dialogues.state import conversation_language, preferred_channel
from modules.business.repository import owner_phones
from modules.customers.repository import get_customer

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Addressee:
    phone: str
    language: str
    channel: str  # where they are reached: the channel they last wrote on


@dataclass(frozen=True)
class Origin:
    """Where a batch of replies comes from: the business, the channel, and the message that caused them."""

    business_id: uuid.UUID
    business_language: str
    channel: str  # of the message being handled; reaches anyone who never wrote on another
    key_prefix: str  # makes each row's idempotency key: the inbound message id, or a job's run id
    reply_to_id: uuid.UUID | None = None


def queue_replies(
    session: Session,
    *,
    origin: Origin,
    sender: Addressee | None,
    replies: Sequence[Reply],
    locales: Locales,
    now: datetime,
) -> list[OutboxMessage]:
    """Render each reply for each of its readers and add it to the outbox, pending."""
    rows: list[OutboxMessage] = []
    for reply in replies:
        for addressee in _addressees(session, origin, sender, reply):
            payload = render(reply, addressee.language, locales)
            row = OutboxMessage(
                business_id=origin.business_id,
                reply_to_id=origin.reply_to_id,
                channel=addressee.channel,
                recipient=addressee.phone,
                payload=payload,
                idempotency_key=f"{origin.key_prefix}:{len(rows):03d}",
                kind=str(reply.message_kind),
                subject_id=reply.about,
                status=OutboxStatus.PENDING,
                attempts=0,
                next_attempt_at=max(now, reply.not_before) if reply.not_before else now,
            )
            session.add(row)
            rows.append(row)
    session.flush()
    return rows


def render(reply: Reply, language: str, locales: Locales) -> dict[str, object]:
    """The message as sent: text, media and buttons, plus the language and its values as the reader sees
    them, which fill a WhatsApp template when the message has to go as one."""
    text = locales.render(reply.key, language, reply.params)
    return {
        "key": reply.key,
        "text": text,
        "media": [{"url": m.url, "mime_type": m.mime_type, "filename": m.filename} for m in reply.media],
        "buttons": [{"id": b.id, "title": locales.render(b.key, language, b.params)} for b in reply.buttons],
        "language": language,
        # A template may carry the whole sentence as one value (`text`) or the reply's values one by one.
        "values": {"text": text, **locales.values(reply.params, language)},
    }


def outbound(row: OutboxMessage) -> OutboundMessage:
    payload = row.payload
    return OutboundMessage(
        channel=row.channel,
        recipient=row.recipient,
        text=str(payload.get("text", "")),
        media=tuple(Media(**m) for m in payload.get("media", [])),
        buttons=tuple(Button(**b) for b in payload.get("buttons", [])),
        idempotency_key=row.idempotency_key,
    )


def replies_to(session: Session, message_id: uuid.UUID) -> list[OutboxMessage]:
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.reply_to_id == message_id)
            .order_by(OutboxMessage.idempotency_key)
        )
    )


def sent_to(
    session: Session, *, channel: str, recipient: str, since: datetime | None = None
) -> list[OutboxMessage]:
    """Everything sent to one number on one channel (replies and proactive messages), oldest first."""
    query = (
        select(OutboxMessage)
        .where(
            OutboxMessage.channel == channel,
            OutboxMessage.recipient == recipient,
            OutboxMessage.status == OutboxStatus.SENT,
        )
        .order_by(OutboxMessage.sent_at, OutboxMessage.created_at, OutboxMessage.idempotency_key)
    )
    if since is not None:
        query = query.where(OutboxMessage.sent_at >= since)
    return list(session.scalars(query))


def _addressees(session: Session, origin: Origin, sender: Addressee | None, reply: Reply) -> list[Addressee]:
    if reply.to is To.SENDER:
        return [sender] if sender else []
    if reply.to is To.OWNER:
        return [
            _owner(session, origin, phone) for phone in owner_phones(session, business_id=origin.business_id)
        ]
    assert reply.customer_id is not None
    customer = get_customer(session, business_id=origin.business_id, customer_id=reply.customer_id)
    if customer.phone is None:
        return []
    wrote_this = sender is not None and sender.phone in {p.phone for p in customer.phones}
    if customer.opted_out_at is not None and not wrote_this:  # answering their own message is no intrusion
        logger.info("not messaging customer %s: they opted out", customer.id)
        return []
    channel = (
        sender.channel
        if wrote_this and sender is not None
        else preferred_channel(
            session, business_id=origin.business_id, phone=customer.phone, fallback=origin.channel
        )
    )
    return [Addressee(customer.phone, customer.language, channel)]


def _owner(session: Session, origin: Origin, phone: str) -> Addressee:
    channel = preferred_channel(session, business_id=origin.business_id, phone=phone, fallback=origin.channel)
    language = conversation_language(session, business_id=origin.business_id, phone=phone, channel=channel)
    return Addressee(phone, language or origin.business_language, channel)


def undelivered(session: Session) -> list[OutboxMessage]:
    """Messages given up on, oldest first."""
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.DEAD)
            .order_by(OutboxMessage.created_at)
        )
    )


def retry_undelivered(session: Session, *, now: datetime) -> int:
    """Give every dead message a fresh set of attempts (after the number or template was fixed)."""
    rows = undelivered(session)
    for row in rows:
        row.status = OutboxStatus.FAILED
        row.attempts = 0
        row.next_attempt_at = now
        row.reported_at = None
    return len(rows)
