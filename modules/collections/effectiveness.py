"""What works in reminders: per variant (its wording, which carries the tone; its language; the channel;
text or an approved template; the hour it went), how many went, how many were answered, how many got their
bills paid, and how fast. Read from the `reminder` rows and their outbox messages; later work chooses
timing, tone and channel per customer on these numbers."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import OutboxMessage, OutboxStatus
from modules.collections.models import Reminder, ReminderStatus
from modules.invoicing.models import Invoice, InvoiceStatus
from modules.invoicing.performance import median_wait
from modules.invoicing.repository import settled_at


@dataclass(frozen=True)
class ReminderVariant:
    wording: str  # reminder.gentle, reminder.firm, reminder.promise_broken...
    language: str
    channel: str
    sent_as: str  # "text", or the WhatsApp template it went as
    hour: int  # when it went, in the business's timezone


@dataclass(frozen=True)
class ReminderResult:
    variant: ReminderVariant
    sent: int
    answered: int  # the customer wrote back within a week
    paid: int  # every bill it named was paid after it
    median_time_to_pay: timedelta | None  # from the reminder to the last of that money


def reminder_results(session: Session, *, business_id: uuid.UUID, tz: ZoneInfo) -> list[ReminderResult]:
    """Every variant the business's reminders went out with, most used first."""
    rows = session.execute(
        select(Reminder, OutboxMessage)
        .join(OutboxMessage, OutboxMessage.subject_id == Reminder.id)
        .where(
            Reminder.business_id == business_id,
            Reminder.status == ReminderStatus.SENT,
            OutboxMessage.status == OutboxStatus.SENT,
        )
    ).all()
    bills = {uuid.UUID(i) for reminder, _ in rows for i in reminder.invoice_ids}
    paid = {
        invoice_id
        for invoice_id in session.scalars(
            select(Invoice.id).where(Invoice.id.in_(bills), Invoice.status == InvoiceStatus.PAID)
        )
    }
    settled = settled_at(session, business_id=business_id, invoice_ids=bills)
    groups: dict[ReminderVariant, list[tuple[Reminder, timedelta | None]]] = defaultdict(list)
    for reminder, message in rows:
        assert message.sent_at is not None
        variant = ReminderVariant(
            wording=str(message.payload.get("key", "")),
            language=str(message.payload.get("language", "")),
            channel=message.channel,
            sent_as=message.sent_as or "text",
            hour=message.sent_at.astimezone(tz).hour,
        )
        named = [uuid.UUID(i) for i in reminder.invoice_ids]
        wait = None
        if named and all(i in paid for i in named):
            last = max(settled[i] for i in named)
            wait = last - message.sent_at if last >= message.sent_at else None
        groups[variant].append((reminder, wait))
    results = [
        ReminderResult(
            variant=variant,
            sent=len(sent),
            answered=sum(1 for reminder, _ in sent if reminder.reply_intent),
            paid=sum(1 for _, wait in sent if wait is not None),
            median_time_to_pay=median_wait([wait for _, wait in sent if wait is not None]),
        )
        for variant, sent in groups.items()
    ]
    return sorted(results, key=lambda r: (-r.sent, r.variant.wording, r.variant.language, r.variant.hour))
