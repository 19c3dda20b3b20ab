"""Proactive work at the clock's now, run by the scheduler (and by the simulator's clock): promises whose
day has passed, then the reminders due. Each writes its record and its outbox rows in one transaction and
sends nothing itself; the dispatcher delivers.

Two scheduler processes may run this at once: a customer's reminder for a day is one row (unique on
business, customer and day), so the second process's insert fails and it moves on; a promise is settled
under a row lock that the other process skips.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.db import Database
from bot.i18n import Locales, Money
from bot.outbox import Origin, queue_replies
from bot.settings import Settings
from dialogues.reply import Kind, Reply, To
from dialogues.state import offer_more
from modules.business.models import Business
from modules.collections.briefing import briefed, briefing_params, morning_briefing
from modules.collections.handlers import MORE_CONSTRAINTS
from modules.collections.models import Briefing
from modules.collections.promises import PromiseOutcome, promises_due, settle_promises
from modules.collections.reminders import ReminderPlan, plan_reminders, record_reminder
from modules.customers.repository import get_customer
from modules.ledger.service import business_outstanding

logger = logging.getLogger(__name__)


def run_collections(
    db: Database, settings: Settings, locales: Locales, *, now: datetime, channel: str
) -> list[uuid.UUID]:
    """Everything due for every business whose customers may be written to now; the outbox rows queued.

    Args:
        channel: where someone who never wrote is reached (the first channel this server runs).
    """
    queued: list[uuid.UUID] = []
    with db.transaction() as session:
        businesses = list(session.scalars(select(Business)))
    hours = settings.collections
    for business in businesses:
        local = now.astimezone(ZoneInfo(business.timezone))
        try:
            if local.hour >= business.briefing_hour:
                timeout = timedelta(minutes=settings.conversation.timeout_minutes)
                queued += _brief(db, locales, business, local, channel, timeout)
            if hours.send_from_hour <= local.hour < hours.send_until_hour:  # nothing to customers at night
                queued += _follow_up_promises(db, settings, locales, business, local, channel)
                queued += _remind(db, settings, locales, business, local, channel)
        except Exception:  # one business's bad data must not stop the others' reminders
            logger.exception("collections for business %s failed; the next run tries again", business.id)
    return queued


def _brief(
    db: Database, locales: Locales, business: Business, now: datetime, channel: str, timeout: timedelta
) -> list[uuid.UUID]:
    """The owner's morning briefing, once a day: the day's row is the lock."""
    try:
        with db.transaction() as session:
            if briefed(session, business_id=business.id, day=now.date()):
                return []
            facts = morning_briefing(session, business, now.date())
            top = facts.candidates[0] if facts.candidates else None
            session.add(
                Briefing(
                    business_id=business.id,
                    day=now.date(),
                    sent_at=now,
                    top_kind=str(top.kind) if top else None,
                    top_customer_id=top.customer_id if top else None,
                    top_amount_paise=top.amount_paise if top else 0,
                )
            )
            session.flush()
            reply = Reply(
                "briefing.morning",
                briefing_params(facts, business.display_name),
                to=To.OWNER,
                kind=Kind.BRIEFING,
                buttons=(MORE_CONSTRAINTS,) if len(facts.candidates) > 1 else (),
            )
            origin = Origin(business.id, business.default_language, channel, f"briefing:{now.date()}")
            rows = queue_replies(
                session, origin=origin, sender=None, replies=[reply], locales=locales, now=now
            )
            for row in rows if reply.buttons else []:  # a typed "aur?" asks for the next one too
                offer_more(
                    session,
                    business_id=business.id,
                    phone=row.recipient,
                    channel=row.channel,
                    action=MORE_CONSTRAINTS.id,
                    now=now,
                    timeout=timeout,
                )
            return [row.id for row in rows]
    except IntegrityError:
        return []  # another process briefed this business today


def _remind(
    db: Database, settings: Settings, locales: Locales, business: Business, now: datetime, channel: str
) -> list[uuid.UUID]:
    with db.transaction() as session:
        plans = plan_reminders(session, business, settings.collections, now.date())
    queued = []
    for plan in plans:
        queued += _send_or_skip(db, settings, locales, business, plan, now, channel)
    return queued


def _send_or_skip(
    db: Database,
    settings: Settings,
    locales: Locales,
    business: Business,
    plan: ReminderPlan,
    now: datetime,
    channel: str,
    *,
    key: str | None = None,
    promised: date | None = None,
) -> list[uuid.UUID]:
    """Record the day's reminder for the customer and queue it, unless there is one already (another
    process's, or the owner's own) or it must be skipped, which is recorded with why."""
    try:
        with db.transaction() as session:
            reply = record_reminder(
                db, settings, business=business, plan=plan, now=now, key=key, promised=promised
            )
            if reply is None:
                return []
            origin = Origin(
                business.id, business.default_language, channel, f"reminder:{plan.customer_id}:{now.date()}"
            )
            rows = queue_replies(
                session, origin=origin, sender=None, replies=[reply], locales=locales, now=now
            )
            return [row.id for row in rows]
    except IntegrityError:
        logger.info("customer %s already has a reminder on %s", plan.customer_id, now.date())
        return []


def _follow_up_promises(
    db: Database, settings: Settings, locales: Locales, business: Business, now: datetime, channel: str
) -> list[uuid.UUID]:
    today = now.date()
    with db.transaction() as session:
        if not promises_due(session, business_id=business.id, today=today):
            return []
    overdue = {
        balance.customer_id: balance.overdue_paise
        for balance in business_outstanding(db, business_id=business.id, today=today).customers
    }
    with db.transaction() as session:
        outcomes = settle_promises(session, business_id=business.id, today=today, now=now, overdue_by=overdue)
        thanks = [_kept(business, outcome) for outcome in outcomes if outcome.kept]
        origin = Origin(business.id, business.default_language, channel, f"promises:{today}")
        rows = queue_replies(session, origin=origin, sender=None, replies=thanks, locales=locales, now=now)
        queued = [row.id for row in rows]
    broken = [outcome for outcome in outcomes if not outcome.kept]
    if not broken:
        return queued
    with db.transaction() as session:
        forced = frozenset(outcome.customer_id for outcome in broken)
        found = plan_reminders(session, business, settings.collections, today, forced=forced)
        plans = {plan.customer_id: plan for plan in found}
    for outcome in broken:
        plan = plans.get(outcome.customer_id)
        queued += _tell_owner_broken(db, locales, business, outcome, plan, now, channel)
        if plan is not None and plan.skip is None:
            queued += _send_or_skip(
                db,
                settings,
                locales,
                business,
                plan,
                now,
                channel,
                key="reminder.promise_broken",
                promised=outcome.promised_date,
            )
    return queued


def _kept(business: Business, outcome: PromiseOutcome) -> Reply:
    return Reply(
        "collections.promise_kept",
        {"business": business.display_name, "date": outcome.promised_date},
        to=To.CUSTOMER,
        customer_id=outcome.customer_id,
    )


def _tell_owner_broken(
    db: Database,
    locales: Locales,
    business: Business,
    outcome: PromiseOutcome,
    plan: ReminderPlan | None,
    now: datetime,
    channel: str,
) -> list[uuid.UUID]:
    with db.transaction() as session:
        name = get_customer(session, business_id=business.id, customer_id=outcome.customer_id).name
        params = {
            "customer": name,
            "date": outcome.promised_date,
            "amount": Money(plan.total_paise if plan else 0),
        }
        origin = Origin(business.id, business.default_language, channel, f"promise:{outcome.promise_id}")
        rows = queue_replies(
            session,
            origin=origin,
            sender=None,
            replies=[Reply("collections.owner_promise_broken", params, to=To.OWNER)],
            locales=locales,
            now=now,
        )
        return [row.id for row in rows]
