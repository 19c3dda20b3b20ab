"""Which customers are reminded today, of which bills, in what tone, and who is not and why.

`plan_reminders` reads one business's ledger once (open bills and their balances, disputes, promises,
pauses, what was reminded when, how each customer has paid) and returns one plan per customer that the
cadence (modules/collections/cadence.py) says is due: several bills make one message. A plan that must not
go today carries its reason; the caller records it, so every skipped reminder says why.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db import Database
from bot.i18n import Bullets, Money, Phrase
from bot.settings import CollectionsSettings, Settings
from dialogues.reply import ALREADY_PAID, NEED_TIME, PAY_NOW, Kind, Reply, To
from modules.business.models import Business
from modules.collections.cadence import Cadence, is_reliable, needs_reminder, tone_for
from modules.collections.calendar import day_off
from modules.collections.models import (
    PromiseStatus,
    PromiseToPay,
    Reminder,
    ReminderPause,
    ReminderPolicy,
    ReminderStatus,
    SkipReason,
    Tone,
)
from modules.customers.models import Customer, CustomerPhone
from modules.invoicing.models import Invoice, InvoiceStatus
from modules.invoicing.repository import unpaid_invoices
from modules.payments.methods import request_payment
from modules.payments.models import Payment, PaymentAllocation

# Bills reminded of: awaiting payment. A disputed bill waits for the owner to settle the dispute.
_REMINDED_STATUSES = (InvoiceStatus.SENT, InvoiceStatus.PARTIALLY_PAID)
# How far back reminders are read to know when each bill was last reminded of: longer than any cadence step.
_LOOKBACK = timedelta(days=120)


@dataclass(frozen=True)
class Bill:
    id: uuid.UUID
    number: str
    due: date
    balance_paise: int

    def days_overdue(self, today: date) -> int:
        return (today - self.due).days


@dataclass(frozen=True)
class ReminderPlan:
    customer_id: uuid.UUID
    bills: tuple[Bill, ...]  # everything overdue or coming due that the message lists, oldest due first
    tone: Tone
    skip: SkipReason | None = None
    detail: str = ""  # a holiday's name, a promise's date

    @property
    def total_paise(self) -> int:
        return sum(bill.balance_paise for bill in self.bills)


def plan_reminders(
    session: Session,
    business: Business,
    defaults: CollectionsSettings,
    today: date,
    *,
    forced: frozenset[uuid.UUID] = frozenset(),
) -> list[ReminderPlan]:
    """Today's plans for the business's customers who owe a reminder and have none yet today.

    Args:
        forced: customers reminded today whatever the cadence says (the owner asked; a promise was broken),
            of everything they owe that is overdue or coming due; the reasons not to send still hold.
    """
    cadences = _cadences(session, business.id, defaults)
    bills = open_bills(session, business.id)
    if not bills:
        return []
    last = _last_reminded(session, business.id, today)
    done_today = set(
        session.scalars(
            select(Reminder.customer_id).where(Reminder.business_id == business.id, Reminder.day == today)
        )
    )
    disputed = _disputed_customers(session, business.id, cadences, today, last)
    promises = _promises_pending(session, business.id, today)
    paused_customers, paused_bills = _pauses(session, business.id, today)
    customers = {
        c.id: c for c in session.scalars(select(Customer).where(Customer.business_id == business.id))
    }
    phones = set(
        session.scalars(select(CustomerPhone.customer_id).where(CustomerPhone.business_id == business.id))
    )
    lateness = _days_late(session, business.id, ZoneInfo(business.timezone))
    plans = []
    for customer_id, theirs in bills.items():
        if customer_id in done_today:
            continue
        cadence = cadences.get(customer_id, cadences[None])
        due_now = [
            bill
            for issued, bill in theirs
            if needs_reminder(
                cadence, issued=issued, due=bill.due, today=today, last_reminded=last.get(bill.id)
            )
        ]
        if not due_now and customer_id not in forced:
            continue
        soon = today + timedelta(days=max(cadence.before_days, default=0))
        horizon = date.max if customer_id in forced else soon
        listed = tuple(b for _, b in theirs if b.due <= horizon and b.id not in paused_bills)
        overdue = max(listed[0].days_overdue(today), 0) if listed else 0
        tone = tone_for(cadence, overdue, reliable_payer=is_reliable(lateness.get(customer_id, [])))
        skip, detail = _reason_not_to_send(
            customers[customer_id],
            has_phone=customer_id in phones,
            today=today,
            skip_sundays=defaults.skip_sundays,
            promise=promises.get(customer_id),
            paused=customer_id in paused_customers or not listed,
        )
        plans.append(ReminderPlan(customer_id, listed, tone, skip, detail))
    for customer_id in disputed - {plan.customer_id for plan in plans} - done_today:
        plans.append(ReminderPlan(customer_id, (), Tone.GENTLE, SkipReason.DISPUTE))
    return plans


def _reason_not_to_send(
    customer: Customer,
    *,
    has_phone: bool,
    today: date,
    skip_sundays: bool,
    promise: date | None,
    paused: bool,
) -> tuple[SkipReason | None, str]:
    if customer.opted_out_at is not None:
        return SkipReason.OPTED_OUT, ""
    if not has_phone:
        return SkipReason.NO_PHONE, ""
    if paused:
        return SkipReason.PAUSED, ""
    if promise is not None:
        return SkipReason.PROMISE, promise.isoformat()
    off = day_off(today, customer.state_code, skip_sundays=skip_sundays)
    if off is not None:
        return (SkipReason.SUNDAY if off == "Sunday" else SkipReason.HOLIDAY), off
    return None, ""


def _cadences(
    session: Session, business_id: uuid.UUID, defaults: CollectionsSettings
) -> dict[uuid.UUID | None, Cadence]:
    """The business's cadence under None, and each customer's own where they have one."""
    base = Cadence(
        tuple(defaults.before_days),
        defaults.on_due,
        defaults.every_days_after,
        defaults.firm_after_days,
        defaults.final_after_days,
    )
    policies = list(session.scalars(select(ReminderPolicy).where(ReminderPolicy.business_id == business_id)))
    own = next((p for p in policies if p.customer_id is None), None)
    if own is not None:
        base = _with(base, own)
    cadences: dict[uuid.UUID | None, Cadence] = {None: base}
    for policy in policies:
        if policy.customer_id is not None:
            cadences[policy.customer_id] = _with(base, policy)
    return cadences


def _with(base: Cadence, policy: ReminderPolicy) -> Cadence:
    return Cadence(
        tuple(policy.before_days),
        policy.on_due,
        policy.every_days_after,
        base.firm_after_days,
        base.final_after_days,
    )


def open_bills(session: Session, business_id: uuid.UUID) -> dict[uuid.UUID, list[tuple[date, Bill]]]:
    """Each customer's bills awaiting payment with their balance, oldest due first, with the issue day."""
    bills: dict[uuid.UUID, list[tuple[date, Bill]]] = defaultdict(list)
    for unpaid in unpaid_invoices(session, business_id=business_id, statuses=_REMINDED_STATUSES):
        bill = Bill(unpaid.id, unpaid.number, unpaid.due_date, unpaid.balance_paise)
        bills[unpaid.customer_id].append((unpaid.issue_date, bill))
    return bills


def _last_reminded(session: Session, business_id: uuid.UUID, today: date) -> dict[uuid.UUID, date]:
    last: dict[uuid.UUID, date] = {}
    rows = session.execute(
        select(Reminder.day, Reminder.invoice_ids).where(
            Reminder.business_id == business_id,
            Reminder.status == ReminderStatus.SENT,
            Reminder.day >= today - _LOOKBACK,
        )
    )
    for day, invoice_ids in rows:
        for invoice_id in invoice_ids:
            key = uuid.UUID(invoice_id)
            if last.get(key, date.min) < day:
                last[key] = day
    return last


def _disputed_customers(
    session: Session,
    business_id: uuid.UUID,
    cadences: dict[uuid.UUID | None, Cadence],
    today: date,
    last: dict[uuid.UUID, date],
) -> set[uuid.UUID]:
    """Customers whose only reminder due today is about a disputed bill: recorded as skipped for it."""
    rows = session.execute(
        select(Invoice.id, Invoice.customer_id, Invoice.issue_date, Invoice.due_date).where(
            Invoice.business_id == business_id, Invoice.status == InvoiceStatus.DISPUTED
        )
    )
    return {
        customer_id
        for invoice_id, customer_id, issued, due in rows
        if needs_reminder(
            cadences.get(customer_id, cadences[None]),
            issued=issued,
            due=due,
            today=today,
            last_reminded=last.get(invoice_id),
        )
    }


def _promises_pending(session: Session, business_id: uuid.UUID, today: date) -> dict[uuid.UUID, date]:
    """Each customer's latest promised day that has not passed."""
    rows = session.execute(
        select(PromiseToPay.customer_id, func.max(PromiseToPay.promised_date))
        .where(
            PromiseToPay.business_id == business_id,
            PromiseToPay.status == PromiseStatus.PENDING,
            PromiseToPay.promised_date >= today,
        )
        .group_by(PromiseToPay.customer_id)
    )
    return {customer_id: promised for customer_id, promised in rows}


def _pauses(session: Session, business_id: uuid.UUID, today: date) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
    """Customers paused as a whole, and single bills paused, as of today."""
    rows = session.execute(
        select(ReminderPause.customer_id, ReminderPause.invoice_id).where(
            ReminderPause.business_id == business_id, ReminderPause.until >= today
        )
    )
    customers, bills = set(), set()
    for customer_id, invoice_id in rows:
        if invoice_id is None:
            customers.add(customer_id)
        else:
            bills.add(invoice_id)
    return customers, bills


def _days_late(session: Session, business_id: uuid.UUID, tz: ZoneInfo) -> dict[uuid.UUID, list[int]]:
    """For each customer, how many days after its due date each paid bill was settled (by its last money)."""
    rows = session.execute(
        select(Invoice.customer_id, Invoice.due_date, func.max(Payment.received_at))
        .join(PaymentAllocation, PaymentAllocation.invoice_id == Invoice.id)
        .join(Payment, Payment.id == PaymentAllocation.payment_id)
        .where(Invoice.business_id == business_id, Invoice.status == InvoiceStatus.PAID)
        .group_by(Invoice.id, Invoice.customer_id, Invoice.due_date)
    )
    late: dict[uuid.UUID, list[int]] = defaultdict(list)
    for customer_id, due, settled in rows:
        late[customer_id].append((settled.astimezone(tz).date() - due).days)
    return late


def record_reminder(
    db: Database,
    settings: Settings,
    *,
    business: Business,
    plan: ReminderPlan,
    now: datetime,
    by_owner: bool = False,
    key: str | None = None,
    promised: date | None = None,
) -> Reply | None:
    """Record the customer's reminder for today (sent, or skipped with why) and make its message, with a
    payment link for the total; None for a skipped one.

    Raises: IntegrityError when the customer has a reminder today already (another scheduler process's, or
    the owner's own): at most one a day.
    """
    with db.transaction() as session:
        # The owner's word overrides a skip recorded earlier today (a holiday, a promise): that row is it.
        skipped = (
            session.scalars(
                select(Reminder).where(
                    Reminder.business_id == business.id,
                    Reminder.customer_id == plan.customer_id,
                    Reminder.day == now.date(),
                    Reminder.status == ReminderStatus.SKIPPED,
                )
            ).first()
            if by_owner
            else None
        )
        reminder = skipped or Reminder(business_id=business.id, customer_id=plan.customer_id, day=now.date())
        reminder.status = ReminderStatus.SKIPPED if plan.skip else ReminderStatus.SENT
        reminder.reason = f"{plan.skip}: {plan.detail}"[:80].rstrip(": ") if plan.skip else ""
        reminder.tone = plan.tone
        reminder.invoice_ids = [str(bill.id) for bill in plan.bills]
        reminder.amount_paise = plan.total_paise
        reminder.by_owner = by_owner
        reminder.sent_at = None if plan.skip else now
        session.add(reminder)
        session.flush()  # the unique key: a second reminder for this customer today fails here
    if plan.skip:
        return None
    request = request_payment(
        db,
        settings,
        business_id=business.id,
        customer_id=plan.customer_id,
        amount_paise=plan.total_paise,
        invoice_id=plan.bills[0].id if len(plan.bills) == 1 else None,
        now=now,
    )
    with db.transaction() as session:
        name = session.get_one(Customer, plan.customer_id).name
    reply = reminder_reply(
        plan,
        customer_name=name,
        business_name=business.display_name,
        today=now.date(),
        offer=request.offer,
        link=request.link.page_url if request.link else None,
        key=key,
        promised=promised,
    )
    return replace(reply, about=reminder.id)


def reminder_reply(
    plan: ReminderPlan,
    *,
    customer_name: str,
    business_name: str,
    today: date,
    offer: Phrase | None,
    link: str | None,
    key: str | None = None,
    promised: date | None = None,
) -> Reply:
    """The customer's message: every bill listed, the total, how late, how to pay, and the answers.

    Args:
        key: another sentence than the tone's (a broken promise's follow-up), with the same values;
        promised: the day a broken promise named.
    """
    oldest = plan.bills[0]
    params: dict[str, object] = {
        "customer": customer_name,
        "business": business_name,
        "amount": Money(plan.total_paise),
        "due": oldest.due,
        "days": max(oldest.days_overdue(today), 0),
        "bills": Bullets(tuple(_bill_line(bill) for bill in plan.bills)),
        "pay": offer or Phrase("reminder.pay_directly", {"business": business_name}),
        "link": link or "",
        "promised": promised or oldest.due,
    }
    return Reply(
        key or f"reminder.{plan.tone}",
        params,
        to=To.CUSTOMER,
        customer_id=plan.customer_id,
        buttons=(PAY_NOW, ALREADY_PAID, NEED_TIME),
        kind=Kind.REMINDER,
    )


def _bill_line(bill: Bill) -> Phrase:
    return Phrase(
        "reminder.bill", {"number": bill.number, "amount": Money(bill.balance_paise), "due": bill.due}
    )


# A customer's answer within this many days of a reminder is counted as its answer.
_ANSWER_WITHIN = timedelta(days=7)


def note_answer(
    session: Session, *, business_id: uuid.UUID, customer_id: uuid.UUID, intent: str, now: datetime
) -> None:
    """Keep the customer's first answer to their latest reminder (what worked: reports read it)."""
    reminder = session.scalars(
        select(Reminder)
        .where(
            Reminder.business_id == business_id,
            Reminder.customer_id == customer_id,
            Reminder.status == ReminderStatus.SENT,
            Reminder.sent_at >= now - _ANSWER_WITHIN,
        )
        .order_by(Reminder.sent_at.desc())
        .limit(1)
    ).first()
    if reminder is not None and reminder.reply_intent is None:
        reminder.reply_intent, reminder.replied_at = intent[:40], now


def reminder_on(session: Session, *, business_id: uuid.UUID, customer_id: uuid.UUID, day: date) -> bool:
    """Whether the customer had a reminder sent that day."""
    return (
        session.scalar(
            select(func.count(Reminder.id)).where(
                Reminder.business_id == business_id,
                Reminder.customer_id == customer_id,
                Reminder.day == day,
                Reminder.status == ReminderStatus.SENT,
            )
        )
        or 0
    ) > 0
