"""Which way of sending an invoice gets it paid: per variant (the message's wording, its language, the
channel, text or an approved template), how many invoices went out, how many were paid and how fast, how
many were disputed. Later work compares variants on these numbers before choosing one."""

from __future__ import annotations

import statistics
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import OutboxMessage, OutboxStatus
from dialogues.reply import Kind
from modules.disputes.models import Dispute
from modules.invoicing.models import Invoice, InvoiceStatus
from modules.invoicing.repository import settled_at


@dataclass(frozen=True)
class Variant:
    wording: str  # the locale key of the message (invoice.to_customer, ...)
    language: str
    channel: str
    sent_as: str  # "text", or the name of the WhatsApp template it went as


@dataclass(frozen=True)
class VariantResult:
    variant: Variant
    invoices: int
    paid: int
    disputed: int
    median_time_to_pay: timedelta | None  # from the invoice reaching the customer to its last payment

    @property
    def dispute_rate(self) -> float:
        return self.disputed / self.invoices


def variant_results(session: Session, *, business_id: uuid.UUID) -> list[VariantResult]:
    """Every variant the business's invoices went out with, most used first. An invoice counts once, for
    the first message that carried it to the customer."""
    first_sends = _first_sends(session, business_id=business_id)
    invoice_ids = list(first_sends)
    statuses: dict[uuid.UUID, InvoiceStatus] = {
        invoice_id: status
        for invoice_id, status in session.execute(
            select(Invoice.id, Invoice.status).where(
                Invoice.business_id == business_id, Invoice.id.in_(invoice_ids)
            )
        )
    }
    paid_at = settled_at(session, business_id=business_id, invoice_ids=invoice_ids)
    disputed = _disputed(session, business_id=business_id, invoice_ids=invoice_ids)
    groups: dict[Variant, list[uuid.UUID]] = defaultdict(list)
    for invoice_id, (variant, _) in first_sends.items():
        if invoice_id in statuses and statuses[invoice_id] is not InvoiceStatus.CANCELLED:
            groups[variant].append(invoice_id)
    results = []
    for variant, ids in groups.items():
        waits = [
            paid_at[i] - first_sends[i][1] for i in ids if statuses[i] is InvoiceStatus.PAID and i in paid_at
        ]
        results.append(
            VariantResult(
                variant=variant,
                invoices=len(ids),
                paid=len(waits),
                disputed=sum(1 for i in ids if i in disputed or statuses[i] is InvoiceStatus.DISPUTED),
                median_time_to_pay=median_wait(waits),
            )
        )
    return sorted(results, key=lambda r: (-r.invoices, r.variant.wording, r.variant.language))


def median_wait(waits: list[timedelta]) -> timedelta | None:
    if not waits:
        return None
    return timedelta(seconds=statistics.median(wait.total_seconds() for wait in waits))


def _first_sends(session: Session, *, business_id: uuid.UUID) -> dict[uuid.UUID, tuple[Variant, datetime]]:
    rows = session.execute(
        select(OutboxMessage)
        .where(
            OutboxMessage.business_id == business_id,
            OutboxMessage.kind == Kind.INVOICE,
            OutboxMessage.status == OutboxStatus.SENT,
            OutboxMessage.subject_id.is_not(None),
        )
        .order_by(OutboxMessage.sent_at)
    ).scalars()
    first: dict[uuid.UUID, tuple[Variant, datetime]] = {}
    for row in rows:
        assert row.subject_id is not None and row.sent_at is not None
        variant = Variant(
            wording=str(row.payload.get("key", "")),
            language=str(row.payload.get("language", "")),
            channel=row.channel,
            sent_as=row.sent_as or "text",
        )
        first.setdefault(row.subject_id, (variant, row.sent_at))
    return first


def _disputed(session: Session, *, business_id: uuid.UUID, invoice_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Invoices ever disputed (a dispute settled since still counts against the variant)."""
    rows = session.scalars(
        select(Dispute.invoice_id).where(
            Dispute.business_id == business_id, Dispute.invoice_id.in_(invoice_ids)
        )
    )
    return {invoice_id for invoice_id in rows if invoice_id is not None}
