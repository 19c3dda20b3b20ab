"""The outbox is either sent or visibly waiting to be retried; nothing is sent twice."""

from __future__ import annotations

import uuid
from datetime import timedelta

from bot.clock import FrozenClock
from bot.db import Database
from bot.dispatcher import MAX_ATTEMPTS, Dispatcher
from bot.errors import ChannelError, ChannelUnavailable
from bot.models import Direction, Message, OutboxMessage, OutboxStatus
from connectors.channels.base import Capability, ChannelRequest, InboundMessage, OutboundMessage, SendResult
from tests.conftest import make_business


class FlakyChannel:
    """Fails the first `failures` sends with `error`, then delivers; remembers what it delivered."""

    name = "flaky"
    capabilities = frozenset({Capability.MEDIA})

    def __init__(self, failures: int, error: ChannelError) -> None:
        self.failures = failures
        self.error = error
        self.delivered: list[OutboundMessage] = []

    def verify(self, request: ChannelRequest) -> None: ...

    def parse(self, request: ChannelRequest, *, received_at: object) -> list[InboundMessage]:
        return []

    def send(self, message: OutboundMessage) -> SendResult:
        if self.failures > 0:
            self.failures -= 1
            raise self.error
        self.delivered.append(message)
        return SendResult(f"p-{len(self.delivered)}")


def _queue(db: Database, clock: FrozenClock, buttons: list[dict[str, str]] | None = None) -> uuid.UUID:
    business = make_business(db)
    with db.transaction() as session:
        row = OutboxMessage(
            business_id=business.id,
            channel="flaky",
            recipient="+919811122233",
            payload={"text": "Pay here", "media": [], "buttons": buttons or []},
            idempotency_key=f"k-{uuid.uuid4()}",
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
        retry.status, retry.attempts = OutboxStatus.PENDING, 0
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
