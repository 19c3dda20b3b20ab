from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, BusinessOwned


class PromiseStatus(enum.StrEnum):
    PENDING = "pending"
    KEPT = "kept"
    BROKEN = "broken"


class PromiseToPay(BusinessOwned, Base):
    __tablename__ = "promise_to_pay"

    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    # None: the promise covers everything the customer owes.
    invoice_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("invoice.id"), index=True)
    promised_date: Mapped[date] = mapped_column(index=True)
    amount_paise: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[PromiseStatus] = mapped_column(default=PromiseStatus.PENDING)
    resolved_at: Mapped[datetime | None]


class ReminderStatus(enum.StrEnum):
    SENT = "sent"  # queued in the outbox (its delivery is the outbox row's)
    SKIPPED = "skipped"  # due, but not sent that day: `reason` says why


class SkipReason(enum.StrEnum):
    OPTED_OUT = "opted_out"
    NO_PHONE = "no_phone"
    SUNDAY = "sunday"
    HOLIDAY = "holiday"
    PROMISE = "promise"  # a promise to pay whose date has not passed
    DISPUTE = "dispute"  # every bill due for a reminder is disputed
    PAUSED = "paused"  # the owner paused reminders to this customer (or to every bill due)


class Tone(enum.StrEnum):
    """How a reminder speaks, escalating with how late the money is."""

    GENTLE = "gentle"  # before or on the due date
    FRIENDLY = "friendly"
    FIRM = "firm"
    FINAL = "final"  # names the MSMED Act's interest


class Reminder(BusinessOwned, Base):
    """One customer's reminder on one day, sent or skipped: at most one a day (the unique key is what makes
    two scheduler processes send it once), and the record of what worked."""

    __tablename__ = "reminder"
    __table_args__ = (UniqueConstraint("business_id", "customer_id", "day"),)

    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(index=True)  # in the business's timezone
    status: Mapped[ReminderStatus]
    reason: Mapped[str] = mapped_column(
        String(80), default=""
    )  # why skipped: a SkipReason, and a holiday's name
    tone: Mapped[Tone | None]
    invoice_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    amount_paise: Mapped[int] = mapped_column(BigInteger, default=0)
    # Who asked: the cadence, or the owner ("Sharma ko reminder bhejo").
    by_owner: Mapped[bool] = mapped_column(default=False)
    # Its message is the outbox row whose subject_id is this reminder's id: channel, language, template
    # (sent_as) and delivery status are read there.
    sent_at: Mapped[datetime | None]
    # The customer's first answer after it (promise_to_pay, claim_paid, dispute...), and when.
    reply_intent: Mapped[str | None] = mapped_column(String(40))
    replied_at: Mapped[datetime | None]


class Briefing(BusinessOwned, Base):
    """The owner's morning briefing, once a day (the unique key keeps two processes from sending two), with
    the top constraint it named: what the owner was told to do, for what was done about it later."""

    __tablename__ = "briefing"
    __table_args__ = (UniqueConstraint("business_id", "day"),)

    day: Mapped[date]
    sent_at: Mapped[datetime]
    top_kind: Mapped[str | None] = mapped_column(String(20))
    top_customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customer.id", ondelete="SET NULL"))
    top_amount_paise: Mapped[int] = mapped_column(BigInteger, default=0)


class ReminderPause(BusinessOwned, Base):
    """No reminders to a customer (or about one bill) until a day: "Sharma ko 15 tarikh tak mat bhejo"."""

    __tablename__ = "reminder_pause"

    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    invoice_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("invoice.id", ondelete="CASCADE"))
    until: Mapped[date]  # the last day without reminders


class ReminderPolicy(BusinessOwned, Base):
    """A business's reminder cadence (customer_id None), or one customer's own; config.yml's otherwise."""

    __tablename__ = "reminder_policy"
    __table_args__ = (UniqueConstraint("business_id", "customer_id"),)

    customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    before_days: Mapped[list[int]] = mapped_column(JSON, default=list)  # days before the due date
    on_due: Mapped[bool] = mapped_column(default=True)
    every_days_after: Mapped[int] = mapped_column(default=7)  # 0: none after the due date
