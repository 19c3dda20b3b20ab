"""The front door: one inbound message in, stored, understood, answered, and the answers sent.

Store first (its own transaction: a message is never lost), then handle it in one transaction — NLU,
dialogue, handler, rendering, outbox — and send what was queued. A failure while handling rolls that
transaction back and queues an apology instead; the stored message stays.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.db import Database
from bot.dispatcher import Dispatcher
from bot.i18n import Locales
from bot.models import Direction, Message, OutboxMessage
from bot.outbox import Addressee, Origin, queue_replies, replies_to
from bot.phone import mask_phone
from bot.settings import Settings
from connectors.channels.base import Channel, InboundMessage
from dialogues.manager import DialogueManager
from dialogues.reply import Reply
from dialogues.state import load_conversation, save_conversation
from dialogues.turn import BusinessInfo, DialogueState, Sender, SenderRole, Turn
from modules.business.models import Business, Role
from modules.business.repository import find_business_by_number, find_staff
from modules.customers.repository import all_customer_names, find_customer_by_phone
from modules.customers.service import remember_language
from nlu.pipeline import Pipeline
from nlu.result import ParseResult

logger = logging.getLogger(__name__)

# Longer messages are kept whole but only their start is read: nobody types an order this long.
MAX_UNDERSTOOD_CHARS = 4000


@dataclass(frozen=True)
class SentReply:
    """An outbox row as the simulator API, the terminal and tests show it."""

    id: uuid.UUID
    to: str
    text: str
    media: list[dict[str, str]]
    buttons: list[dict[str, str]]
    status: str
    sent_at: datetime | None

    @classmethod
    def of(cls, row: OutboxMessage) -> SentReply:
        return cls(
            id=row.id,
            to=row.recipient,
            text=str(row.payload.get("text", "")),
            media=list(row.payload.get("media", [])),
            buttons=list(row.payload.get("buttons", [])),
            status=str(row.status),
            sent_at=row.sent_at,
        )


class Gateway:
    def __init__(
        self,
        *,
        settings: Settings,
        db: Database,
        clock: Clock,
        nlu: Pipeline,
        locales: Locales,
        manager: DialogueManager,
        channels: Mapping[str, Channel],
    ) -> None:
        self.settings = settings
        self.db = db
        self.clock = clock
        self.nlu = nlu
        self.locales = locales
        self.manager = manager
        self.channels = channels
        self.dispatcher = Dispatcher(db, channels, clock)
        self._timeout = timedelta(minutes=settings.conversation.timeout_minutes)

    def receive(self, inbound: InboundMessage) -> list[SentReply]:
        """Handle one message once and return every message it caused, to anyone. A replayed provider
        id returns the replies the first delivery made."""
        inbound = replace(inbound, text=storable_text(inbound.text))
        stored = self._store(inbound)
        if stored is None:
            return []
        message_id, business_id, replayed = stored
        if business_id is None:
            logger.info("message to %s, which no business owns; stored, not answered", inbound.recipient)
            return []
        if not replayed:
            self._handle_and_send(message_id, business_id, inbound)
        with self.db.transaction() as session:
            return [SentReply.of(row) for row in replies_to(session, message_id)]

    def _handle_and_send(
        self, message_id: uuid.UUID, business_id: uuid.UUID, inbound: InboundMessage
    ) -> None:
        try:
            with self.db.transaction() as session:
                queued = [row.id for row in self._handle(session, message_id, business_id, inbound)]
        except Exception:
            logger.exception("handling message %s from %s failed", message_id, mask_phone(inbound.sender))
            queued = self._apologize(message_id, business_id, inbound)
        self.dispatcher.send(queued)

    def run_due_jobs(self) -> list[SentReply]:
        """Everything due at the clock's now: outbox retries (scheduled jobs join in a later issue)."""
        sent = self.dispatcher.send_due()
        with self.db.transaction() as session:
            rows = [session.get_one(OutboxMessage, outbox_id) for outbox_id in sent]
            return [SentReply.of(row) for row in rows]

    def _store(self, inbound: InboundMessage) -> tuple[uuid.UUID, uuid.UUID | None, bool] | None:
        try:
            with self.db.transaction() as session:
                existing = _stored_message(session, inbound)
                if existing is not None:
                    return existing.id, existing.business_id, True
                business = find_business_by_number(session, inbound.recipient)
                message = Message(
                    business_id=business.id if business else None,
                    channel=inbound.channel,
                    direction=Direction.INBOUND,
                    provider_message_id=inbound.provider_message_id,
                    sender=inbound.sender,
                    recipient=inbound.recipient,
                    text=inbound.text,
                    media=[{"mime_type": inbound.audio_mime_type}] if inbound.audio else [],
                    delivery_status=None,
                    received_at=inbound.received_at,
                )
                session.add(message)
                session.flush()
                return message.id, message.business_id, False
        except IntegrityError:
            # The same delivery arrived twice at once: the other request stored it and answers it.
            with self.db.transaction() as session:
                existing = _stored_message(session, inbound)
                return (existing.id, existing.business_id, True) if existing else None

    def _handle(
        self, session: Session, message_id: uuid.UUID, business_id: uuid.UUID, inbound: InboundMessage
    ) -> list[OutboxMessage]:
        now = self.clock.now()
        business = session.get_one(Business, business_id)
        info = BusinessInfo(
            id=business.id,
            name=business.display_name,
            language=business.default_language,
            timezone=business.timezone,
            upi_vpa=business.upi_vpa,
            customer_names=tuple(all_customer_names(session, business_id=business.id).values()),
        )
        origin = Origin(business.id, business.default_language, inbound.channel, str(message_id), message_id)
        sender = _sender(session, business_id, inbound.sender)
        text = inbound.text[:MAX_UNDERSTOOD_CHARS]
        parse = self.nlu.parse(text, role=sender.nlu_role, now=now, customers=info.customer_names)
        if sender.role is SenderRole.UNKNOWN:
            language = self._language(parse, text, previous=None, default=business.default_language)
            reply = Reply("chat.unknown_sender", {"business": business.display_name})
            return queue_replies(
                session,
                origin=origin,
                sender=Addressee(inbound.sender, language),
                replies=[reply],
                locales=self.locales,
                now=now,
            )
        conversation = load_conversation(
            session,
            business_id=business_id,
            phone=inbound.sender,
            channel=inbound.channel,
            role=str(sender.role),
            now=now,
        )
        state = DialogueState.from_json(conversation.state)
        default = self._default_language(session, business, sender)
        language = state.chosen_language or self._language(
            parse, text, previous=conversation.language, default=default
        )
        turn = Turn(
            db=self.db,
            clock=self.clock,
            settings=self.settings,
            business=info,
            sender=sender,
            message=inbound,
            text=text,
            parse=parse,
            state=state,
            language=language,
        )
        replies = [Reply("chat.voice_not_yet")] if inbound.audio and not text else self.manager.handle(turn)
        save_conversation(conversation, turn.state, language=turn.language, now=now, timeout=self._timeout)
        if sender.customer_id is not None and turn.language != default:
            remember_language(
                self.db, business_id=business_id, customer_id=sender.customer_id, language=turn.language
            )
        return queue_replies(
            session,
            origin=origin,
            sender=Addressee(inbound.sender, turn.language),
            replies=replies,
            locales=self.locales,
            now=now,
        )

    def _apologize(
        self, message_id: uuid.UUID, business_id: uuid.UUID, inbound: InboundMessage
    ) -> list[uuid.UUID]:
        with self.db.transaction() as session:
            business = session.get_one(Business, business_id)
            origin = Origin(
                business.id, business.default_language, inbound.channel, str(message_id), message_id
            )
            rows = queue_replies(
                session,
                origin=origin,
                sender=Addressee(inbound.sender, business.default_language),
                replies=[Reply("error.internal")],
                locales=self.locales,
                now=self.clock.now(),
            )
            return [row.id for row in rows]

    def _language(self, parse: ParseResult, text: str, *, previous: str | None, default: str) -> str:
        """The language to answer in: what they wrote in, unless the message is too short to tell
        ("ok", "👍") — then what they wrote in before."""
        detected = parse.language
        telling = parse.language_sure and (len(text.split()) >= 2 or not text.isascii())
        if telling and detected in self.locales.languages and detected in self.settings.languages.enabled:
            return detected
        return previous or default

    def _default_language(self, session: Session, business: Business, sender: Sender) -> str:
        if sender.customer_id is not None:
            customer = find_customer_by_phone(session, business_id=business.id, phone=sender.phone)
            if customer is not None:
                return customer.language
        return business.default_language


def storable_text(text: str) -> str:
    """The text with what no database or JSON can hold replaced: lone surrogates (which JSON escapes
    can carry) and NUL characters."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace").replace("\x00", "\ufffd")


def _stored_message(session: Session, inbound: InboundMessage) -> Message | None:
    return session.scalars(
        select(Message).where(
            Message.channel == inbound.channel,
            Message.direction == Direction.INBOUND,
            Message.provider_message_id == inbound.provider_message_id,
        )
    ).one_or_none()


def _sender(session: Session, business_id: uuid.UUID, phone: str) -> Sender:
    staff = find_staff(session, business_id=business_id, phone=phone)
    if staff is not None:
        role = SenderRole.OWNER if staff.role is Role.OWNER else SenderRole.STAFF
        return Sender(phone=phone, role=role, name=staff.name)
    customer = find_customer_by_phone(session, business_id=business_id, phone=phone)
    if customer is not None:
        return Sender(phone=phone, role=SenderRole.CUSTOMER, customer_id=customer.id, name=customer.name)
    return Sender(phone=phone, role=SenderRole.UNKNOWN)
