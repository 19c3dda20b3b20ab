"""The owner's morning briefing: yesterday's money and reminders, what is expected today, new disputes, and
the day's top constraint (modules/collections/constraint.py), read from the ledger in one pass."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.i18n import Money, Phrase
from bot.models import OutboxMessage, OutboxStatus
from dialogues.reply import Kind as MessageKind
from modules.business.models import Business
from modules.collections.constraint import Candidate, Debtor, Held, Kind, rank
from modules.collections.models import Briefing, PromiseStatus, PromiseToPay, Reminder, ReminderStatus
from modules.collections.reminders import open_bills
from modules.customers.models import Customer, CustomerPhone
from modules.disputes.models import Dispute, DisputeStatus
from modules.invoicing.models import Invoice, InvoiceStatus
from modules.invoicing.repository import paid_by_invoice, unpaid_invoices
from modules.payments.models import Payment

# Broken promises counted against a debtor, and how recent one must be to be its own candidate.
_PROMISES_COUNTED = timedelta(days=90)
_FRESHLY_BROKEN = timedelta(days=7)
_ACTIONS = {
    Kind.CALL: "constraint.call",
    Kind.BROKEN_PROMISE: "constraint.broken_promise",
    Kind.DISPUTE: "constraint.dispute",
    Kind.GST_ERROR: "constraint.gst_error",
    Kind.UNSENT: "constraint.unsent",
    Kind.NO_PHONE: "constraint.no_phone",
    Kind.CONCENTRATION: "constraint.concentration",
}
# A draft this old was meant to go out.
_STALE_DRAFT = timedelta(days=1)


@dataclass(frozen=True)
class BriefingFacts:
    day: date
    collected_paise: int  # yesterday
    payments: int
    expected_paise: int  # promised for today
    promises: int
    reminders_sent: int  # yesterday
    reminders_skipped: int
    new_disputes: int  # opened yesterday
    candidates: tuple[Candidate, ...]  # the top constraint first


def top_constraints(session: Session, business: Business, today: date) -> list[Candidate]:
    """Every action holding money back, the most cash per minute of the owner's first."""
    tz = ZoneInfo(business.timezone)
    start = datetime.combine(today, time(), tz)
    names = {
        customer_id: name
        for customer_id, name in session.execute(
            select(Customer.id, Customer.name).where(Customer.business_id == business.id)
        )
    }
    phones = set(
        session.scalars(select(CustomerPhone.customer_id).where(CustomerPhone.business_id == business.id))
    )
    broken = session.execute(
        select(PromiseToPay.customer_id, PromiseToPay.resolved_at).where(
            PromiseToPay.business_id == business.id,
            PromiseToPay.status == PromiseStatus.BROKEN,
            PromiseToPay.resolved_at >= start - _PROMISES_COUNTED,
        )
    ).all()
    debtors = []
    for customer_id, bills in open_bills(session, business.id).items():
        overdue = [bill for _, bill in bills if bill.due < today]
        theirs = [resolved for cid, resolved in broken if cid == customer_id]
        fresh = any(resolved is not None and resolved >= start - _FRESHLY_BROKEN for resolved in theirs)
        overdue_paise = sum(bill.balance_paise for bill in overdue)
        debtors.append(
            Debtor(
                customer_id=customer_id,
                name=names[customer_id],
                outstanding_paise=sum(bill.balance_paise for _, bill in bills),
                overdue_paise=overdue_paise,
                days_overdue=max((today - bill.due).days for bill in overdue) if overdue else 0,
                has_phone=customer_id in phones,
                broken_promises=len(theirs),
                promise_broken_paise=overdue_paise if fresh else 0,
            )
        )
    return rank(debtors, _disputed(session, business.id, names), _unsent(session, business.id, names, start))


def _disputed(session: Session, business_id: uuid.UUID, names: dict[uuid.UUID, str]) -> list[Held]:
    """Each disputed bill with something still owed, in the words of its (latest) open dispute."""
    reasons = {
        invoice_id: reason
        for invoice_id, reason in session.execute(
            select(Dispute.invoice_id, Dispute.reason)
            .where(Dispute.business_id == business_id, Dispute.status == DisputeStatus.OPEN)
            .order_by(Dispute.created_at)
        )
    }
    disputed = unpaid_invoices(session, business_id=business_id, statuses=(InvoiceStatus.DISPUTED,))
    return [
        Held(
            bill.customer_id, names[bill.customer_id], bill.number, bill.balance_paise, reasons[bill.id][:80]
        )
        for bill in disputed
        if bill.id in reasons
    ]


def _unsent(
    session: Session, business_id: uuid.UUID, names: dict[uuid.UUID, str], start: datetime
) -> list[Held]:
    """Drafts left since yesterday, and bills whose message was given up on (never delivered)."""
    bounced = select(OutboxMessage.subject_id).where(
        OutboxMessage.business_id == business_id,
        OutboxMessage.kind == str(MessageKind.INVOICE),
        OutboxMessage.status == OutboxStatus.DEAD,
    )
    rows = session.execute(
        select(Invoice.id, Invoice.customer_id, Invoice.number, Invoice.total_paise).where(
            Invoice.business_id == business_id,
            (
                (Invoice.status == InvoiceStatus.DRAFT) & (Invoice.created_at < start - _STALE_DRAFT)
                | (
                    Invoice.status.in_((InvoiceStatus.SENT, InvoiceStatus.PARTIALLY_PAID))
                    & Invoice.id.in_(bounced)
                )
            ),
        )
    ).all()
    paid = paid_by_invoice(session, business_id=business_id, invoice_ids=[row[0] for row in rows])
    return [
        Held(customer_id, names[customer_id], number, total - paid.get(invoice_id, 0))
        for invoice_id, customer_id, number, total in rows
    ]


def briefed(session: Session, *, business_id: uuid.UUID, day: date) -> bool:
    return (
        session.scalar(
            select(func.count(Briefing.id)).where(Briefing.business_id == business_id, Briefing.day == day)
        )
        or 0
    ) > 0


def morning_briefing(session: Session, business: Business, today: date) -> BriefingFacts:
    tz = ZoneInfo(business.timezone)
    start, yesterday = datetime.combine(today, time(), tz), today - timedelta(days=1)
    collected, payments = session.execute(
        select(func.coalesce(func.sum(Payment.amount_paise), 0), func.count(Payment.id)).where(
            Payment.business_id == business.id,
            Payment.confirmed.is_(True),
            Payment.received_at >= start - timedelta(days=1),
            Payment.received_at < start,
        )
    ).one()
    promised = session.execute(
        select(PromiseToPay.amount_paise).where(
            PromiseToPay.business_id == business.id,
            PromiseToPay.status == PromiseStatus.PENDING,
            PromiseToPay.promised_date == today,
        )
    ).all()
    reminders = {
        status: count
        for status, count in session.execute(
            select(Reminder.status, func.count(Reminder.id))
            .where(Reminder.business_id == business.id, Reminder.day == yesterday)
            .group_by(Reminder.status)
        )
    }
    disputes = session.scalar(
        select(func.count(Dispute.id)).where(
            Dispute.business_id == business.id,
            Dispute.created_at >= start - timedelta(days=1),
            Dispute.created_at < start,
        )
    )
    return BriefingFacts(
        day=today,
        collected_paise=int(collected),
        payments=int(payments),
        expected_paise=sum(amount or 0 for (amount,) in promised),
        promises=len(promised),
        reminders_sent=reminders.get(ReminderStatus.SENT, 0),
        reminders_skipped=reminders.get(ReminderStatus.SKIPPED, 0),
        new_disputes=int(disputes or 0),
        candidates=tuple(top_constraints(session, business, today)),
    )


def action(candidate: Candidate) -> Phrase:
    """The one concrete thing to do, with the money at stake, in the owner's words."""
    params: dict[str, object] = {
        "customer": candidate.name,
        "amount": Money(candidate.amount_paise),
        "days": candidate.days_overdue,
        "broken": candidate.broken_promises,
        "number": candidate.number,
        "detail": candidate.detail,
        "share": candidate.share_pct,
    }
    if candidate.kind is Kind.CALL and candidate.broken_promises:
        return Phrase("constraint.call_broken", params)
    return Phrase(_ACTIONS[candidate.kind], params)


def briefing_params(briefing: BriefingFacts, business_name: str) -> dict[str, object]:
    top = briefing.candidates[0] if briefing.candidates else None
    return {
        "business": business_name,
        "day": briefing.day,
        "collected": Money(briefing.collected_paise),
        "payments": briefing.payments,
        "expected": Money(briefing.expected_paise),
        "promises": briefing.promises,
        "sent": briefing.reminders_sent,
        "skipped": briefing.reminders_skipped,
        "disputes": briefing.new_disputes,
        "constraint": action(top) if top else Phrase("constraint.none"),
    }
