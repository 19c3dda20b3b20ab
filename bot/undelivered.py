"""Messages that could not be delivered, told to the owner once: who they were for and how they began."""

from __future__ import annotations

import itertools
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.i18n import Locales
from bot.models import OutboxMessage, OutboxStatus
from bot.outbox import Origin, queue_replies
from bot.phone import mask_phone
from dialogues.reply import Kind, Reply, To
from modules.business.models import Business
from modules.customers.repository import find_customer_by_phone

PREVIEW_CHARS = 60


def queue_undelivered_alerts(session: Session, locales: Locales, now: datetime) -> list[OutboxMessage]:
    """One alert per business listing its dead messages not yet reported. An alert that itself died is
    not reported again: that would loop, and it went to the owner, who cannot be reached that way."""
    dead = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.DEAD, OutboxMessage.reported_at.is_(None))
        .order_by(OutboxMessage.business_id, OutboxMessage.created_at)
        .with_for_update()
    ).all()
    queued: list[OutboxMessage] = []
    for business_id, group in itertools.groupby(dead, key=lambda row: row.business_id):
        rows = list(group)
        for row in rows:
            row.reported_at = now
        report = [row for row in rows if row.kind != Kind.ALERT]
        if not report:
            continue
        business = session.get_one(Business, business_id)
        lines = "\n".join(f"• {_recipient(session, row)}: “{_preview(row)}”" for row in report)
        queued += queue_replies(
            session,
            origin=Origin(
                business.id, business.default_language, report[0].channel, f"undelivered:{report[0].id}"
            ),
            sender=None,
            replies=[Reply("outbox.undelivered", {"count": len(report), "messages": lines}, to=To.OWNER)],
            locales=locales,
            now=now,
        )
    return queued


def _recipient(session: Session, row: OutboxMessage) -> str:
    customer = find_customer_by_phone(session, business_id=row.business_id, phone=row.recipient)
    return customer.name if customer is not None else mask_phone(row.recipient)


def _preview(row: OutboxMessage) -> str:
    text = " ".join(str(row.payload.get("text", "")).split())
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"
