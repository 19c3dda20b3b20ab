"""The front door: one inbound message in, stored, understood, answered, and the answers sent.

`accept` stores a message (its own transaction: a message is never lost) and is all a webhook waits for.
`process` answers it later — a voice note transcribed first, outside any transaction — in one transaction:
NLU, dialogue, handler, rendering, outbox, and the mark that it was handled. A failure while handling rolls
that back and queues an apology instead; the stored message stays. A message a restart interrupted is
still unhandled, and `run_due_jobs` picks it up.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.addresses import is_phone, link_address, phone_for
from bot.clock import Clock
from bot.db import Database
from bot.dispatcher import Dispatcher
from bot.errors import TagadaError
from bot.i18n import Locales
from bot.jobs import run_collections
from bot.models import Direction, Message, OutboxMessage, OutboxStatus
from bot.outbox import Addressee, Origin, queue_replies, replies_to
from bot.phone import mask_phone
from bot.settings import Settings
from bot.undelivered import queue_undelivered_alerts
from connectors.channels.base import SHARE_CONTACT, Channel, Document, InboundMessage, StatusUpdate
from connectors.speech.base import SpeechToText, Transcript
from dialogues.manager import DialogueManager
from dialogues.reply import BUTTON_INTENTS, NO, Choice, Reply
from dialogues.state import last_language, load_conversation, save_conversation
from dialogues.turn import BusinessInfo, DialogueState, Sender, SenderRole, Turn
from modules.business.models import Business, Role
from modules.business.repository import find_business_by_number, find_staff
from modules.collections.reminders import note_answer
from modules.customers.repository import all_customer_names, find_customer_by_phone
from modules.customers.service import remember_language
from modules.payments.bank import ImportedLine
from modules.payments.bank_handlers import gateway_money_to_check, statement_sent
from modules.payments.handlers import claim_paid, receipt_replies
from modules.payments.models import Payment
from nlu.pipeline import Pipeline
from nlu.result import ParseResult

logger = logging.getLogger(__name__)

# Longer messages are kept whole but only their start is read: nobody types an order this long.
MAX_UNDERSTOOD_CHARS = 4000
# A message still unhandled this long after it came was dropped by a restart (or is stuck): answer it.
LEFTOVER_AFTER = timedelta(minutes=1)
# A message whose handling killed the process this often is given up on, with an apology.
MAX_HANDLE_ATTEMPTS = 3
RIGHT = Choice("affirm", "button.correct")  # "yes, that is what I said"


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


@dataclass(frozen=True)
class Accepted:
    message_id: uuid.UUID
    replayed: bool  # the provider delivered it before: it is (being) answered already


@dataclass(frozen=True)
class _Heard:
    """What a voice note said, or why it could not be made out."""

    transcript: Transcript | None
    problem: Reply | None = None


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
        speech: SpeechToText | None = None,
    ) -> None:
        self.settings = settings
        self.db = db
        self.clock = clock
        self.nlu = nlu
        self.locales = locales
        self.manager = manager
        self.channels = channels
        self.speech = speech
        self.dispatcher = Dispatcher(db, channels, clock, settings.whatsapp)
        self._timeout = timedelta(minutes=settings.conversation.timeout_minutes)
        self._collections_every = timedelta(minutes=settings.scheduler.collections_minutes)
        self._collections_at: datetime | None = None

    # -- the two halves ---------------------------------------------------------------------------

    def receive(self, inbound: InboundMessage) -> list[SentReply]:
        """Accept and answer one message now (the simulator, the terminal) and return every message it
        caused, to anyone. A replayed provider id returns the replies the first delivery made."""
        accepted = self.accept(inbound)
        if accepted is None:
            return []
        if not accepted.replayed:
            content = inbound.document.content if inbound.document else None
            self.process(accepted.message_id, audio=inbound.audio, document=content)
        with self.db.transaction() as session:
            return [SentReply.of(row) for row in replies_to(session, accepted.message_id)]

    def accept(self, inbound: InboundMessage) -> Accepted | None:
        """Store one message, once per provider id; nothing slow happens here (a webhook waits for it).
        A chat with no phone is linked to the phone its person shared, and stored under that phone."""
        inbound = replace(inbound, text=storable_text(inbound.text))
        try:
            with self.db.transaction() as session:
                existing = _stored_message(session, inbound.channel, inbound.provider_message_id)
                if existing is not None:
                    return Accepted(existing.id, replayed=True)
                message = _message_row(session, inbound)
                session.add(message)
                session.flush()
                if message.business_id is None:
                    logger.info(
                        "message to %s, which no business owns; stored, not answered", inbound.recipient
                    )
                return Accepted(message.id, replayed=False)
        except IntegrityError:
            # The same delivery arrived twice at once: the other request stored it and answers it.
            with self.db.transaction() as session:
                existing = _stored_message(session, inbound.channel, inbound.provider_message_id)
                return Accepted(existing.id, replayed=True) if existing else None

    def process(
        self, message_id: uuid.UUID, *, audio: bytes | None = None, document: bytes | None = None
    ) -> None:
        """Answer a stored message, once: a second call (a replay, the leftover sweep) finds it handled.

        Args:
            audio, document: a voice note's or a file's bytes when the channel delivered them inline (the
                simulator); otherwise they are fetched from the provider by the message's media reference.
        """
        with self.db.transaction() as session:
            message = session.get(Message, message_id)
            if message is None or message.handled_at is not None or message.business_id is None:
                return
            message.handle_attempts += 1
            inbound = _inbound_of(message)
            business_id = message.business_id
            voice = audio is not None or inbound.audio_ref is not None
            # Only a voice note needs a language before it is understood: the one Whisper is told.
            hint = self._known_language(session, business_id, inbound.sender) if voice else ""
            # Only the business's own people send files that are read (bank statements): nobody else's
            # is downloaded.
            reads_file = (
                inbound.document is not None
                and _sender(session, business_id, inbound.sender).runs_the_business
            )
        heard = self._hear(message_id, inbound, audio, hint) if voice else None
        if reads_file:
            inbound = replace(inbound, document=self._fetched(inbound, document))
        try:
            with self.db.transaction() as session:
                rows = self._handle(session, message_id, business_id, inbound, heard)
                queued = [row.id for row in rows]
        except Exception:
            logger.exception("handling message %s from %s failed", message_id, mask_phone(inbound.sender))
            queued = self._apologize(message_id, business_id, inbound)
        self.dispatcher.send(queued)

    def close(self) -> None:
        """Release what the channels hold open (Telegram's event loop, HTTP connections)."""
        for channel in self.channels.values():
            channel.close()

    def announce_payment(self, payment_id: uuid.UUID) -> None:
        """Money a gateway collected: the owner told, the customer thanked, on the channel each last used."""
        with self.db.transaction() as session:
            payment = session.get_one(Payment, payment_id)
            business = session.get_one(Business, payment.business_id)
            # Someone who never wrote is reached on the first channel this server runs.
            fallback = next(iter(self.channels), "simulator")
            origin = Origin(business.id, business.default_language, fallback, f"payment:{payment.id}")
            replies = receipt_replies(
                self.db,
                payment,
                business_name=business.display_name,
                today=self.clock.now().astimezone(ZoneInfo(business.timezone)).date(),
                owner_key="payment.collected",
            )
            rows = queue_replies(
                session,
                origin=origin,
                sender=None,
                replies=replies,
                locales=self.locales,
                now=self.clock.now(),
            )
            queued = [row.id for row in rows]
        self.dispatcher.send(queued)

    def announce_to_check(self, business_id: uuid.UUID, line: ImportedLine) -> None:
        """Money a gateway took that the owner is to place: asked yes/no where a customer is likely."""
        now = self.clock.now()
        with self.db.transaction() as session:
            business = session.get_one(Business, business_id)
            fallback = next(iter(self.channels), "simulator")
            origin = Origin(business.id, business.default_language, fallback, f"bank-line:{line.line_id}")
            replies = gateway_money_to_check(
                self.db,
                session,
                business_id=business_id,
                line=line,
                now=now,
                timeout=timedelta(minutes=self.settings.conversation.timeout_minutes),
                fallback_channel=fallback,
            )
            rows = queue_replies(
                session, origin=origin, sender=None, replies=replies, locales=self.locales, now=now
            )
            queued = [row.id for row in rows]
        self.dispatcher.send(queued)

    def record_statuses(self, statuses: list[StatusUpdate]) -> None:
        for status in statuses:
            self.dispatcher.record(status)

    def run_due_jobs(self, *, collections_now: bool = False) -> list[SentReply]:
        """Everything due at the clock's now: messages a restart left unanswered, the owner's briefing,
        promises and reminders (bot/jobs.py), outbox retries, and the owner told of messages that could not
        be delivered.

        Args:
            collections_now: read every business's ledger now (the simulator's clock moved), not only every
                `scheduler.collections_minutes`; the outbox is looked at on every call either way.
        """
        self.process_leftovers()
        now = self.clock.now()
        last = self._collections_at
        if collections_now or last is None or not last <= now < last + self._collections_every:
            fallback = next(iter(self.channels), "simulator")
            run_collections(self.db, self.settings, self.locales, now=now, channel=fallback)
            self._collections_at = now
        sent = self.dispatcher.send_due()
        sent += self.report_undelivered()
        with self.db.transaction() as session:
            rows = [session.get_one(OutboxMessage, outbox_id) for outbox_id in sent]
            return [SentReply.of(row) for row in rows if row.status is OutboxStatus.SENT]

    def process_leftovers(self, *, older_than: timedelta = LEFTOVER_AFTER) -> int:
        """Answer messages stored but never answered (the server stopped in between). Returns how many."""
        cutoff = self.clock.now() - older_than
        with self.db.transaction() as session:
            leftovers = list(
                session.execute(
                    select(Message.id, Message.handle_attempts)
                    .where(
                        Message.direction == Direction.INBOUND,
                        Message.handled_at.is_(None),
                        Message.business_id.is_not(None),
                        Message.received_at <= cutoff,
                    )
                    .order_by(Message.received_at)
                    .limit(100)
                )
            )
        for message_id, attempts in leftovers:
            if attempts >= MAX_HANDLE_ATTEMPTS:
                self._give_up(message_id)
            else:
                self.process(message_id)
        return len(leftovers)

    def report_undelivered(self) -> list[uuid.UUID]:
        """Tell each owner, once, which messages could not be delivered. Returns the alerts' outbox ids."""
        with self.db.transaction() as session:
            queued = [row.id for row in queue_undelivered_alerts(session, self.locales, self.clock.now())]
        self.dispatcher.send(queued)
        return queued

    # -- answering --------------------------------------------------------------------------------

    def _hear(self, message_id: uuid.UUID, inbound: InboundMessage, audio: bytes | None, hint: str) -> _Heard:
        """Transcribe a voice note (download it first if need be) and keep the transcript with the message."""
        stored = _stored_transcript(self.db, message_id)
        if stored is not None:
            return _Heard(stored)
        channel = self.channels.get(inbound.channel)
        if self.speech is None or (audio is None and channel is None):
            return _Heard(None, Reply("voice.unavailable"))
        try:
            if audio is None:
                assert channel is not None and inbound.audio_ref is not None
                audio = channel.fetch_media(inbound.audio_ref)
            transcript = self.speech.transcribe(audio, language=hint)
        except TagadaError as error:  # not audio, silence, too long, or the provider kept the file
            logger.warning("voice note %s not transcribed: %s", message_id, error)
            return _Heard(None, Reply(error.key, error.params))
        except Exception:  # the engine itself failed (a model that would not load): ask them to type
            logger.exception("speech engine failed on voice note %s", message_id)
            return _Heard(None, Reply("voice.unavailable"))
        with self.db.transaction() as session:
            message = session.get_one(Message, message_id)
            message.text = storable_text(transcript.text)
            message.media = [
                {**item, "transcript": transcript.text, "confidence": round(transcript.confidence, 3)}
                for item in message.media
            ]
        return _Heard(transcript)

    def _fetched(self, inbound: InboundMessage, content: bytes | None) -> Document:
        """The message's file with its bytes; without them when the provider would not give them (the
        handler then says it could not read the file)."""
        assert inbound.document is not None
        channel = self.channels.get(inbound.channel)
        if content is None and channel is not None and inbound.document.ref is not None:
            try:
                content = channel.fetch_media(inbound.document.ref)
            except TagadaError as error:
                logger.warning("file %s not fetched: %s", inbound.document.filename, error)
        return replace(inbound.document, content=content)

    def _handle(
        self,
        session: Session,
        message_id: uuid.UUID,
        business_id: uuid.UUID,
        inbound: InboundMessage,
        heard: _Heard | None,
    ) -> list[OutboxMessage]:
        message = session.get_one(Message, message_id, with_for_update=True)
        if message.handled_at is not None:
            return []  # answered by another worker meanwhile
        now = self.clock.now()
        message.handled_at = now
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
        if heard is not None and heard.transcript is not None:
            inbound = replace(inbound, text=storable_text(heard.transcript.text))
        text = inbound.text[:MAX_UNDERSTOOD_CHARS]
        parse = self.nlu.parse(text, role=sender.nlu_role, now=now, customers=info.customer_names)
        if sender.role is SenderRole.UNKNOWN:
            return self._answer_stranger(session, origin, inbound, parse, business)
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
        if heard is not None:  # speech has no script: answer in the language they were answered in before
            language = state.chosen_language or conversation.language or default
        else:
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
        replies = self._replies(turn, heard)
        if inbound.shared_phone:
            replies = [Reply("chat.phone_linked", {"business": business.display_name}), *replies]
        save_conversation(conversation, turn.state, language=turn.language, now=now, timeout=self._timeout)
        if sender.customer_id is not None:
            answer = BUTTON_INTENTS.get(inbound.button_id or "", parse.intent.name)
            note_answer(
                session, business_id=business_id, customer_id=sender.customer_id, intent=answer, now=now
            )
        if sender.customer_id is not None and turn.language != default:
            remember_language(
                self.db, business_id=business_id, customer_id=sender.customer_id, language=turn.language
            )
        return queue_replies(
            session,
            origin=origin,
            sender=Addressee(inbound.sender, turn.language, inbound.channel),
            replies=replies,
            locales=self.locales,
            now=now,
        )

    def _replies(self, turn: Turn, heard: _Heard | None) -> list[Reply]:
        """A file is read first (an owner's bank statement); a voice note that could not be made out, or
        was made out unsurely, is settled first; a "yes" to "I heard: ... right?" answers what was heard."""
        state = turn.state
        document = turn.message.document
        if document is not None and (turn.sender.runs_the_business or not turn.text.strip()):
            return statement_sent(turn, document)
        screenshot = turn.message.image_ref is not None and not turn.text.strip()
        if screenshot and turn.sender.customer_id is not None:
            return claim_paid(turn)  # a customer's photo and nothing said: a payment screenshot
        if heard is not None:
            if heard.problem is not None:
                return [heard.problem]
            assert heard.transcript is not None
            if not turn.text.strip():
                return [Reply("voice.unclear")]
            if heard.transcript.confidence < self.settings.speech.confirm_below:
                state.heard = turn.text
                return [Reply("voice.heard", {"text": turn.text}, buttons=(RIGHT, NO))]
            return self.manager.handle(turn)
        if state.heard is not None:
            was_heard, state.heard = state.heard, None
            answer = turn.message.button_id or turn.parse.intent.name
            if answer == RIGHT.id:
                turn.text = was_heard
                turn.parse = self.nlu.parse(
                    was_heard, role=turn.sender.nlu_role, now=turn.now, customers=turn.business.customer_names
                )
                turn.message = replace(turn.message, text=was_heard, button_id=None)
                return self.manager.handle(turn)
            if answer == NO.id:
                return [Reply("voice.say_again")]
        return self.manager.handle(turn)

    def _answer_stranger(
        self,
        session: Session,
        origin: Origin,
        inbound: InboundMessage,
        parse: ParseResult,
        business: Business,
    ) -> list[OutboxMessage]:
        """Someone the business does not know: nothing about anyone's account, only how to get known. A chat
        with no phone number is asked to share its own."""
        language = self._language(parse, inbound.text, previous=None, default=business.default_language)
        params = {"business": business.display_name}
        if is_phone(inbound.sender):
            reply = Reply("chat.unknown_sender", params)
        else:
            reply = Reply("chat.share_phone", params, buttons=(Choice(SHARE_CONTACT, "button.share_phone"),))
        return queue_replies(
            session,
            origin=origin,
            sender=Addressee(inbound.sender, language, inbound.channel),
            replies=[reply],
            locales=self.locales,
            now=self.clock.now(),
        )

    def _apologize(
        self, message_id: uuid.UUID, business_id: uuid.UUID, inbound: InboundMessage
    ) -> list[uuid.UUID]:
        with self.db.transaction() as session:
            session.get_one(Message, message_id).handled_at = self.clock.now()
            business = session.get_one(Business, business_id)
            origin = Origin(
                business.id, business.default_language, inbound.channel, str(message_id), message_id
            )
            rows = queue_replies(
                session,
                origin=origin,
                sender=Addressee(inbound.sender, business.default_language, inbound.channel),
                replies=[Reply("error.internal")],
                locales=self.locales,
                now=self.clock.now(),
            )
            return [row.id for row in rows]

    def _give_up(self, message_id: uuid.UUID) -> None:
        with self.db.transaction() as session:
            message = session.get_one(Message, message_id)
            inbound, business_id = _inbound_of(message), message.business_id
        assert business_id is not None
        logger.error("message %s failed %d times; apologising instead", message_id, MAX_HANDLE_ATTEMPTS)
        self.dispatcher.send(self._apologize(message_id, business_id, inbound))

    def _language(self, parse: ParseResult, text: str, *, previous: str | None, default: str) -> str:
        """The language to answer in: what they wrote in, unless the message is too short to tell
        ("ok", "👍") — then what they wrote in before."""
        detected = parse.language
        telling = parse.language_sure and (len(text.split()) >= 2 or not text.isascii())
        if telling and detected in self.locales.languages and detected in self.settings.languages.enabled:
            return detected
        return previous or default

    def _known_language(self, session: Session, business_id: uuid.UUID, phone: str) -> str:
        """The language someone was last answered in (the hint a voice note is transcribed with)."""
        last = last_language(session, business_id=business_id, phone=phone)
        if last is not None:
            return last
        business = session.get_one(Business, business_id)
        return self._default_language(session, business, _sender(session, business_id, phone))

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


def _message_row(session: Session, inbound: InboundMessage) -> Message:
    """The log row for an inbound message, under its person's phone where the chat is linked to one."""
    if inbound.shared_phone:
        link_address(session, channel=inbound.channel, address=inbound.sender, phone=inbound.shared_phone)
    sender = inbound.sender
    if not is_phone(sender):
        sender = phone_for(session, channel=inbound.channel, address=sender) or sender
    business = find_business_by_number(session, inbound.recipient)
    media: list[dict[str, Any]] = []
    if inbound.audio is not None or inbound.audio_ref is not None:
        media.append({"kind": "voice", "ref": inbound.audio_ref, "mime_type": inbound.audio_mime_type})
    if inbound.shared_phone:
        media.append({"kind": "contact"})  # answered with a word that the chat is now linked
    if inbound.image_ref is not None:
        media.append({"kind": "image", "ref": inbound.image_ref})
    if inbound.document is not None:  # its bytes stay with the provider (or the simulator's call)
        document = inbound.document
        media.append(
            {
                "kind": "document",
                "ref": document.ref,
                "filename": document.filename,
                "mime_type": document.mime_type,
            }
        )
    return Message(
        business_id=business.id if business else None,
        channel=inbound.channel,
        direction=Direction.INBOUND,
        provider_message_id=inbound.provider_message_id,
        sender=sender,
        recipient=inbound.recipient,
        text=inbound.text,
        media=media,
        delivery_status=None,
        received_at=inbound.received_at,
        button_id=inbound.button_id,
        handled_at=None,
        handle_attempts=0,
    )


def _inbound_of(message: Message) -> InboundMessage:
    """The stored message as the dialogue sees it (after a restart, all there is of it)."""
    voice = next((item for item in message.media if item.get("kind") == "voice"), None)
    file = next((item for item in message.media if item.get("kind") == "document"), None)
    image = next((item for item in message.media if item.get("kind") == "image"), None)
    document = Document(file["filename"], file.get("mime_type"), file.get("ref")) if file else None
    return InboundMessage(
        channel=message.channel,
        provider_message_id=message.provider_message_id or str(message.id),
        sender=message.sender,
        recipient=message.recipient,
        text=message.text,
        received_at=message.received_at,
        button_id=message.button_id,
        audio_ref=voice.get("ref") if voice else None,
        audio_mime_type=voice.get("mime_type") if voice else None,
        shared_phone=message.sender if any(item.get("kind") == "contact" for item in message.media) else None,
        document=document,
        image_ref=image.get("ref") if image else None,
    )


def _stored_transcript(db: Database, message_id: uuid.UUID) -> Transcript | None:
    """A transcript kept from an earlier try (the process stopped before answering)."""
    with db.transaction() as session:
        message = session.get_one(Message, message_id)
        voice = next((item for item in message.media if "transcript" in item), None)
        if voice is None:
            return None
        return Transcript(
            text=str(voice["transcript"]), language="", confidence=float(voice["confidence"]), seconds=0.0
        )


def _stored_message(session: Session, channel: str, provider_message_id: str) -> Message | None:
    return session.scalars(
        select(Message).where(
            Message.channel == channel,
            Message.direction == Direction.INBOUND,
            Message.provider_message_id == provider_message_id,
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
