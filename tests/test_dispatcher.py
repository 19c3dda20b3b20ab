"""The outbox is either sent or visibly waiting to be retried; nothing is sent twice."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.addresses import link_address
from bot.clock import FrozenClock
from bot.db import Database
from bot.dispatcher import MAX_ATTEMPTS, SEND_LEASE, Dispatcher
from bot.errors import ChannelError, ChannelUnavailable
from bot.i18n import default_locales
from bot.models import Direction, Message, OutboxMessage, OutboxStatus
from bot.settings import TemplateSettings, WhatsAppSettings
from bot.undelivered import queue_undelivered_alerts
from connectors.channels.base import (
    Capability,
    ChannelRequest,
    DeliveryState,
    OutboundMessage,
    SendResult,
    StatusUpdate,
    Template,
    WebhookBatch,
)
from modules.business.models import Business
from tests.conftest import make_business, make_customer


class FlakyChannel:
    """Fails the first `failures` sends with `error`, then delivers; remembers what it delivered."""

    name = "flaky"

    def __init__(
        self,
        failures: int,
        error: ChannelError,
        capabilities: frozenset[Capability] = frozenset({Capability.MEDIA, Capability.PHONE_NUMBERS}),
    ) -> None:
        self.failures = failures
        self.error = error
        self.capabilities = capabilities
        self.delivered: list[OutboundMessage] = []

    def verify(self, request: ChannelRequest) -> None: ...

    def parse(self, request: ChannelRequest, *, received_at: datetime) -> WebhookBatch:
        return WebhookBatch()

    def fetch_media(self, ref: str) -> bytes:
        raise ChannelError("no media here")

    def close(self) -> None: ...

    def send(self, message: OutboundMessage) -> SendResult:
        if self.failures > 0:
            self.failures -= 1
            raise self.error
        self.delivered.append(message)
        return SendResult(f"p-{len(self.delivered)}")


def _queue(
    db: Database,
    clock: FrozenClock,
    buttons: list[dict[str, str]] | None = None,
    *,
    kind: str = "reply",
    recipient: str = "+919811122233",
    values: dict[str, str] | None = None,
) -> uuid.UUID:
    with db.transaction() as session:
        business = session.scalars(select(Business)).first()
    business = business or make_business(db)
    with db.transaction() as session:
        row = OutboxMessage(
            business_id=business.id,
            channel="flaky",
            recipient=recipient,
            payload={
                "text": "Pay here",
                "media": [],
                "buttons": buttons or [],
                "language": "hi-Latn",
                "values": values or {},
            },
            idempotency_key=f"k-{uuid.uuid4()}",
            kind=kind,
            status=OutboxStatus.PENDING,
            attempts=0,
            next_attempt_at=clock.now(),
        )
        session.add(row)
        session.flush()
        return row.id


def _row(db: Database, row_id: uuid.UUID) -> OutboxMessage:
    with db.transaction() as session:
        return session.get_one(OutboxMessage, row_id)


def test_a_transient_failure_is_retried_with_backoff(db: Database, clock: FrozenClock) -> None:
    channel = FlakyChannel(1, ChannelUnavailable("timeout"))
    dispatcher = Dispatcher(db, {"flaky": channel}, clock)
    row_id = _queue(db, clock)
    dispatcher.send([row_id])
    failed = _row(db, row_id)
    assert failed.status is OutboxStatus.FAILED and failed.attempts == 1
    assert failed.next_attempt_at == clock.now() + timedelta(minutes=1)
    assert dispatcher.send_due() == []  # not due yet
    clock.advance(timedelta(minutes=1))
    assert dispatcher.send_due() == [row_id]
    sent = _row(db, row_id)
    assert sent.status is OutboxStatus.SENT and sent.provider_message_id == "p-1"
    with db.transaction() as session:
        logged = session.query(Message).filter_by(direction=Direction.OUTBOUND).one()
        assert logged.sender == "+912041234567" and logged.recipient == "+919811122233"


def test_a_sent_message_is_never_sent_again(db: Database, clock: FrozenClock) -> None:
    channel = FlakyChannel(0, ChannelUnavailable("unused"))
    dispatcher = Dispatcher(db, {"flaky": channel}, clock)
    row_id = _queue(db, clock)
    dispatcher.send([row_id])
    dispatcher.send([row_id])
    clock.advance(timedelta(days=1))
    dispatcher.send_due()
    assert len(channel.delivered) == 1


def test_a_permanent_failure_or_the_last_attempt_marks_it_dead(db: Database, clock: FrozenClock) -> None:
    refused = Dispatcher(db, {"flaky": FlakyChannel(1, ChannelError("blocked"))}, clock)
    row_id = _queue(db, clock)
    refused.send([row_id])
    assert _row(db, row_id).status is OutboxStatus.DEAD
    assert _row(db, row_id).last_error == "blocked"

    always_down = Dispatcher(db, {"flaky": FlakyChannel(99, ChannelUnavailable("down"))}, clock)
    with db.transaction() as session:
        retry = session.get_one(OutboxMessage, row_id)
        retry.status, retry.attempts, retry.next_attempt_at = OutboxStatus.PENDING, 0, clock.now()
    for _ in range(MAX_ATTEMPTS):
        always_down.send([row_id])
        clock.advance(timedelta(hours=3))
    assert _row(db, row_id).status is OutboxStatus.DEAD and _row(db, row_id).attempts == MAX_ATTEMPTS


def test_buttons_become_numbered_text_on_a_channel_without_them(db: Database, clock: FrozenClock) -> None:
    channel = FlakyChannel(0, ChannelUnavailable("unused"))
    row_id = _queue(db, clock, buttons=[{"id": "affirm", "title": "Yes"}, {"id": "deny", "title": "No"}])
    Dispatcher(db, {"flaky": channel}, clock).send([row_id])
    (delivered,) = channel.delivered
    assert delivered.buttons == () and delivered.text.endswith("1. Yes\n2. No")


WHATSAPP = frozenset({Capability.MEDIA, Capability.BUTTONS, Capability.TEMPLATES, Capability.PHONE_NUMBERS})
INVOICE_TEMPLATE = TemplateSettings(
    name="tagada_invoice",
    parameters=["customer", "number", "total"],
    languages={"en": "en", "hi": "hi"},
    twilio_content_sids={"en": "HX0001"},
)


def _whatsapp(db: Database, clock: FrozenClock, **rules: object) -> tuple[Dispatcher, FlakyChannel]:
    channel = FlakyChannel(0, ChannelUnavailable("unused"), capabilities=WHATSAPP)
    settings = WhatsAppSettings.model_validate({"templates": {"invoice": INVOICE_TEMPLATE}, **rules})
    return Dispatcher(db, {"flaky": channel}, clock, settings), channel


def _wrote(db: Database, clock: FrozenClock, phone: str, hours_ago: float) -> None:
    """`phone` wrote to the business on the flaky channel that long ago."""
    with db.transaction() as session:
        business = session.scalars(select(Business)).one()
        session.add(
            Message(
                business_id=business.id,
                channel="flaky",
                direction=Direction.INBOUND,
                provider_message_id=f"in-{uuid.uuid4()}",
                sender=phone,
                recipient=business.whatsapp_number,
                text="hi",
                media=[],
                received_at=clock.now() - timedelta(hours=hours_ago),
                handled_at=clock.now(),
            )
        )


def test_outside_the_24_hour_window_an_invoice_goes_as_its_approved_template(
    db: Database, clock: FrozenClock
) -> None:
    dispatcher, channel = _whatsapp(db, clock)
    values = {
        "customer": "Sharma Traders",
        "number": "GC/2026-27/0001",
        "total": "₹22,420\nonly",
        "text": "...",
    }
    row_id = _queue(db, clock, kind="invoice", values=values)
    _wrote(db, clock, "+919811122233", hours_ago=30)
    dispatcher.send([row_id])
    (delivered,) = channel.delivered
    # Romanized Hindi has no template of its own: Hindi's is the nearest; Twilio's SID falls back to English.
    assert delivered.template == Template(
        name="tagada_invoice",
        language="hi",
        parameters=("Sharma Traders", "GC/2026-27/0001", "₹22,420 only"),  # on one line, as WhatsApp wants
        content_sid="",
    )
    assert delivered.media == () and delivered.buttons == ()


def test_inside_the_window_the_message_goes_as_written(db: Database, clock: FrozenClock) -> None:
    dispatcher, channel = _whatsapp(db, clock)
    row_id = _queue(db, clock, kind="invoice")
    _wrote(db, clock, "+919811122233", hours_ago=23.5)
    dispatcher.send([row_id])
    (delivered,) = channel.delivered
    assert delivered.template is None and delivered.text == "Pay here"


def test_outside_the_window_with_no_template_for_the_kind_it_is_dead_not_sent(
    db: Database, clock: FrozenClock
) -> None:
    dispatcher, channel = _whatsapp(db, clock)
    row_id = _queue(db, clock, kind="notice")
    dispatcher.send([row_id])
    assert channel.delivered == []
    row = _row(db, row_id)
    assert row.status is OutboxStatus.DEAD and "no approved notice template" in (row.last_error or "")


def test_an_opted_out_customer_gets_no_proactive_message_even_on_a_retry(
    db: Database, clock: FrozenClock
) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    dispatcher, channel = _whatsapp(db, clock)
    _wrote(db, clock, customer.phone or "", hours_ago=1)
    reminder = _queue(db, clock, kind="reminder")
    answer = _queue(db, clock, kind="reply")
    with db.transaction() as session:
        session.get_one(type(customer), customer.id).opted_out_at = clock.now()
    dispatcher.send([reminder, answer])
    assert _row(db, reminder).status is OutboxStatus.CANCELLED
    assert _row(db, answer).status is OutboxStatus.SENT  # answering their own message is no intrusion
    assert [m.text for m in channel.delivered] == ["Pay here"]


def test_the_pair_rate_limit_holds_back_a_burst_and_sends_it_later(db: Database, clock: FrozenClock) -> None:
    dispatcher, channel = _whatsapp(
        db, clock, rate_limits={"per_recipient_burst": 2, "per_recipient_interval_seconds": 6}
    )
    make_business(db)
    _wrote(db, clock, "+919811122233", hours_ago=0)
    rows = [_queue(db, clock) for _ in range(3)]
    dispatcher.send(rows)
    assert len(channel.delivered) == 2
    held = _row(db, rows[2])
    assert held.status is OutboxStatus.PENDING and held.attempts == 0
    assert held.next_attempt_at == clock.now() + timedelta(seconds=6)
    clock.advance(timedelta(seconds=6))
    assert dispatcher.send_due() == [rows[2]]
    assert len(channel.delivered) == 3


def test_delivery_statuses_move_forward_only_and_a_failure_is_dead(db: Database, clock: FrozenClock) -> None:
    dispatcher = Dispatcher(db, {"flaky": FlakyChannel(0, ChannelUnavailable("unused"))}, clock)
    row_id = _queue(db, clock)
    dispatcher.send([row_id])

    def status(state: DeliveryState, **error: str) -> None:
        dispatcher.record(StatusUpdate("flaky", "p-1", state, clock.now(), **error))

    status(DeliveryState.READ)
    status(DeliveryState.DELIVERED)  # late and out of order
    assert _row(db, row_id).delivery_status == "read"
    status(DeliveryState.FAILED, error_code="131026", error="Message undeliverable")
    row = _row(db, row_id)
    assert row.status is OutboxStatus.DEAD and row.last_error == "131026 Message undeliverable"
    with db.transaction() as session:
        logged = session.scalars(select(Message).where(Message.direction == Direction.OUTBOUND)).one()
        assert logged.delivery_status == "failed"


def test_a_row_left_claimed_by_a_dead_sender_is_sent_once_its_lease_runs_out(
    db: Database, clock: FrozenClock
) -> None:
    channel = FlakyChannel(0, ChannelUnavailable("unused"))
    dispatcher = Dispatcher(db, {"flaky": channel}, clock)
    row_id = _queue(db, clock)
    with db.transaction() as session:  # a sender claimed it, then the process died
        row = session.get_one(OutboxMessage, row_id)
        row.status, row.next_attempt_at = OutboxStatus.SENDING, clock.now() + SEND_LEASE
    assert dispatcher.send_due() == []
    clock.advance(SEND_LEASE)
    assert dispatcher.send_due() == [row_id]
    assert _row(db, row_id).status is OutboxStatus.SENT and len(channel.delivered) == 1


def test_a_chat_channel_writes_to_the_chat_a_phone_linked(db: Database, clock: FrozenClock) -> None:
    chat = FlakyChannel(0, ChannelUnavailable("unused"), capabilities=frozenset({Capability.BUTTONS}))
    dispatcher = Dispatcher(db, {"flaky": chat}, clock)
    unlinked = _queue(db, clock)
    dispatcher.send([unlinked])
    assert _row(db, unlinked).status is OutboxStatus.DEAD
    with db.transaction() as session:
        link_address(session, channel="flaky", address="tg:4242", phone="+919811122233")
    linked = _queue(db, clock)
    dispatcher.send([linked])
    assert [m.recipient for m in chat.delivered] == ["tg:4242"]


def test_the_owner_hears_once_about_undelivered_messages(db: Database, clock: FrozenClock) -> None:
    business = make_business(db)
    make_customer(db, business)
    dispatcher = Dispatcher(db, {"flaky": FlakyChannel(9, ChannelError("blocked"))}, clock)
    dead = [_queue(db, clock, kind="invoice"), _queue(db, clock, kind="reminder")]
    dispatcher.send(dead)
    with db.transaction() as session:
        (alert,) = queue_undelivered_alerts(session, default_locales(), clock.now())
        assert alert.recipient == "+919822012345" and alert.kind == "alert"
        assert "2" in alert.payload["text"] and "Sharma Traders: “Pay here”" in alert.payload["text"]
    with db.transaction() as session:
        assert queue_undelivered_alerts(session, default_locales(), clock.now()) == []
    dispatcher.send([alert.id])  # the alert dies too: reported to nobody, and no loop
    with db.transaction() as session:
        assert queue_undelivered_alerts(session, default_locales(), clock.now()) == []
