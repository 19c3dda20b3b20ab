"""Reminders on the simulator's clock: on the cadence, once a day, one message for several bills, never at
night, on a holiday of the customer's state, during a promise, a dispute or after an opt-out; each skip
says why; a broken promise is followed up and the owner told; two processes remind once."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from bot.cli import app as cli
from bot.db import Database
from bot.i18n import Locales
from bot.jobs import run_collections
from bot.models import OutboxMessage
from bot.settings import load_settings
from modules.collections.effectiveness import reminder_results
from modules.collections.models import (
    Briefing,
    Reminder,
    ReminderPause,
    ReminderPolicy,
    ReminderStatus,
    Tone,
)
from modules.disputes.models import Dispute, DisputeStatus
from modules.invoicing.models import CreditNote, Invoice, InvoiceStatus
from tests.chat import OWNER, SHARMA, Person, seeded_shop
from tests.conftest import ist, make_business, make_customer, make_invoice, pay


def at(client: TestClient, moment: str) -> list[dict[str, Any]]:
    """Move the simulator's clock; the messages its jobs sent."""
    answer = client.post("/api/simulator/clock", json={"now": moment})
    assert answer.status_code == 200, answer.text
    sent: list[dict[str, Any]] = answer.json()["sent"]
    return sent


def _reminders(db: Database) -> list[tuple[date, str, str]]:
    with db.transaction() as session:
        rows = session.scalars(select(Reminder).order_by(Reminder.day)).all()
        return [(r.day, str(r.status), r.reason) for r in rows]


def _to(sent: list[dict[str, Any]], phone: str) -> list[dict[str, Any]]:
    return [message for message in sent if message["to"] == phone]


def test_two_weeks_of_reminders_go_out_on_the_cadence_by_day_and_once(
    client: TestClient, db: Database
) -> None:
    business, sharma = seeded_shop(client, db)
    bill = make_invoice(db, business, sharma, issue=date(2026, 11, 20), due=date(2026, 12, 5))  # ₹22,420
    assert _to(at(client, "2026-12-01T10:30:00+05:30"), SHARMA) == []  # nothing due yet
    assert _to(at(client, "2026-12-02T07:00:00+05:30"), SHARMA) == []  # three days before, but too early
    (gentle,) = _to(at(client, "2026-12-02T09:05:00+05:30"), SHARMA)
    assert bill.number in gentle["text"] and "₹22,420" in gentle["text"] and "/pay/" in gentle["text"]
    assert gentle["text"].startswith("Namaste Sharma Traders ji") and "{" not in gentle["text"]
    assert [b["id"] for b in gentle["buttons"]] == ["pay_now", "already_paid", "need_time"]
    assert _to(at(client, "2026-12-02T16:00:00+05:30"), SHARMA) == []  # once a day
    assert _to(at(client, "2026-12-04T10:00:00+05:30"), SHARMA) == []  # nothing new to say
    assert len(_to(at(client, "2026-12-05T10:00:00+05:30"), SHARMA)) == 1  # the due date
    assert _to(at(client, "2026-12-11T10:00:00+05:30"), SHARMA) == []
    (late,) = _to(at(client, "2026-12-12T10:00:00+05:30"), SHARMA)  # a week late
    assert "7" in late["text"]
    assert _to(at(client, "2026-12-19T21:00:00+05:30"), SHARMA) == []  # after hours
    assert len(_to(at(client, "2026-12-21T10:00:00+05:30"), SHARMA)) == 1  # the 19th's, made up on Monday
    with db.transaction() as session:
        tones = [r.tone for r in session.scalars(select(Reminder).order_by(Reminder.day))]
    assert tones == [Tone.GENTLE, Tone.GENTLE, Tone.FRIENDLY, Tone.FIRM]


def test_several_bills_make_one_message(client: TestClient, db: Database) -> None:
    business, sharma = seeded_shop(client, db)
    first = make_invoice(db, business, sharma, issue=date(2026, 10, 1), due=date(2026, 10, 31))
    second = make_invoice(db, business, sharma, issue=date(2026, 11, 1), due=date(2026, 12, 1), quantity=10)
    (message,) = _to(at(client, "2026-12-01T11:00:00+05:30"), SHARMA)
    assert first.number in message["text"] and second.number in message["text"]
    assert "₹26,904" in message["text"]  # ₹22,420 + ₹4,484


def test_no_reminder_on_a_holiday_of_the_customers_state(client: TestClient, db: Database) -> None:
    business, sharma = seeded_shop(client, db)
    gujarat = make_customer(
        db, business, name="Patel Brothers", phone="+919825012345", gstin=None, state_code="24"
    )
    for customer in (sharma, gujarat):
        make_invoice(db, business, customer, issue=date(2026, 12, 16), due=date(2027, 1, 15))
    sent = at(client, "2027-01-15T10:00:00+05:30")  # Uttarayan in Gujarat; a working day in Pune
    assert len(_to(sent, SHARMA)) == 1 and _to(sent, "+919825012345") == []
    with db.transaction() as session:
        skipped = session.scalars(select(Reminder).where(Reminder.customer_id == gujarat.id)).one()
        assert (skipped.status, skipped.reason) == (ReminderStatus.SKIPPED, "holiday: Uttarayan")
    assert len(_to(at(client, "2027-01-16T10:00:00+05:30"), "+919825012345")) == 1  # the day after


def test_no_reminder_on_diwali(client: TestClient, db: Database) -> None:
    business, sharma = seeded_shop(client, db)
    make_invoice(db, business, sharma, issue=date(2027, 9, 29), due=date(2027, 10, 29))
    assert _to(at(client, "2027-10-29T10:00:00+05:30"), SHARMA) == []  # Diwali, a Friday
    assert _to(at(client, "2027-10-30T10:00:00+05:30"), SHARMA) == []  # Bali Pratipada
    assert len(_to(at(client, "2027-11-01T10:00:00+05:30"), SHARMA)) == 1  # Monday
    assert [reason for _, _, reason in _reminders(db)] == [
        "holiday: Diwali",
        "holiday: Diwali (Bali Pratipada)",
        "",
    ]


def test_no_reminder_on_christmas_or_a_sunday(client: TestClient, db: Database) -> None:
    business, sharma = seeded_shop(client, db)
    make_invoice(db, business, sharma, issue=date(2026, 11, 25), due=date(2026, 12, 25))
    assert _to(at(client, "2026-12-25T10:00:00+05:30"), SHARMA) == []
    assert _to(at(client, "2026-12-27T10:00:00+05:30"), SHARMA) == []  # Sunday
    assert len(_to(at(client, "2026-12-28T10:00:00+05:30"), SHARMA)) == 1
    assert _reminders(db) == [
        (date(2026, 12, 25), "skipped", "holiday: Christmas"),
        (date(2026, 12, 27), "skipped", "sunday: Sunday"),
        (date(2026, 12, 28), "sent", ""),
    ]


def test_a_promise_holds_reminders_and_a_broken_one_is_followed_up(client: TestClient, db: Database) -> None:
    business, sharma = seeded_shop(client, db)
    make_invoice(db, business, sharma, issue=date(2026, 11, 1), due=date(2026, 12, 1))
    Person(client, SHARMA).says("15 tarikh ko pakka kar dunga")
    assert _to(at(client, "2026-12-08T10:00:00+05:30"), SHARMA) == []
    assert _reminders(db)[-1] == (date(2026, 12, 8), "skipped", "promise: 2026-12-15")
    sent = at(client, "2026-12-16T10:00:00+05:30")
    (follow_up,) = _to(sent, SHARMA)
    assert "15 Dec 2026" in follow_up["text"] and "₹22,420" in follow_up["text"]
    briefing, told = _to(sent, OWNER)  # the morning's briefing, then the broken promise
    assert "Shree Ganesh Cement Traders, 16 Dec 2026" in briefing["text"]
    assert "Sharma Traders" in told["text"] and "15 Dec 2026" in told["text"]
    assert _to(at(client, "2026-12-16T15:00:00+05:30"), SHARMA) == []  # the follow-up was the day's reminder


def test_a_kept_promise_is_thanked(client: TestClient, db: Database) -> None:
    business, sharma = seeded_shop(client, db)
    make_invoice(db, business, sharma, issue=date(2026, 11, 1), due=date(2026, 12, 1))
    Person(client, SHARMA).says("15 tarikh ko pakka kar dunga")
    pay(db, sharma, 22_420_00, received_at=ist(2026, 12, 14))
    (thanks,) = _to(at(client, "2026-12-16T10:00:00+05:30"), SHARMA)
    assert "Shree Ganesh Cement Traders" in thanks["text"]
    assert _reminders(db) == []  # nothing owed: no reminder


def test_a_disputed_bill_an_opt_out_and_a_customer_without_a_number_are_not_reminded(
    client: TestClient, db: Database
) -> None:
    business, sharma = seeded_shop(client, db)
    make_invoice(db, business, sharma, issue=date(2026, 11, 1), due=date(2026, 12, 1))
    Person(client, SHARMA).says("rate galat lagaya hai, 350 tha")
    gupta = make_customer(db, business, name="Gupta Hardware", phone="+919811100011", gstin=None)
    make_invoice(db, business, gupta, issue=date(2026, 11, 1), due=date(2026, 12, 1))
    Person(client, "+919811100011").says("STOP")
    sent = at(client, "2026-12-02T10:00:00+05:30")
    assert _to(sent, SHARMA) == [] and _to(sent, "+919811100011") == []
    with db.transaction() as session:
        reasons = {r.customer_id: r.reason for r in session.scalars(select(Reminder))}
    assert reasons == {sharma.id: "dispute", gupta.id: "opted_out"}


def test_an_answer_to_a_reminder_is_kept_with_it(client: TestClient, db: Database) -> None:
    business, sharma = seeded_shop(client, db)
    make_invoice(db, business, sharma, issue=date(2026, 11, 1), due=date(2026, 12, 1))
    at(client, "2026-12-01T10:00:00+05:30")
    Person(client, SHARMA).taps("need_time")
    with db.transaction() as session:
        reminder = session.scalars(select(Reminder)).one()
        assert reminder.reply_intent == "request_extension" and reminder.replied_at is not None
        message = session.scalars(select(OutboxMessage).where(OutboxMessage.subject_id == reminder.id)).one()
        assert (message.kind, message.payload["language"]) == ("reminder", "hi-Latn")


def test_two_scheduler_processes_remind_each_customer_once(db: Database, tmp_path: Path) -> None:
    business = make_business(db)
    customers = [
        make_customer(db, business, name=f"Customer {n}", phone=f"+9198110000{n:02d}", gstin=None)
        for n in range(12)
    ]
    for customer in customers:
        make_invoice(db, business, customer, issue=date(2026, 11, 1), due=date(2026, 12, 1))
    settings = load_settings(tmp_path / "none.yml", environ={})
    locales = Locales()

    def run(_: int) -> int:
        return len(run_collections(db, settings, locales, now=ist(2026, 12, 1, 10), channel="simulator"))

    with ThreadPoolExecutor(4) as pool:
        queued = list(pool.map(run, range(4)))
    assert sum(queued) == len(customers) + 1  # and the owner's briefing
    with db.transaction() as session:
        assert session.scalar(select(func.count(Reminder.id))) == len(customers)
        kinds = session.execute(select(OutboxMessage.kind, func.count()).group_by(OutboxMessage.kind)).all()
        assert sorted(kinds) == [("briefing", 1), ("reminder", len(customers))]
        assert session.scalar(select(func.count(Briefing.id))) == 1


def test_the_owner_reminds_a_customer_now_once_a_day(client: TestClient, db: Database) -> None:
    business, sharma = seeded_shop(client, db)
    bill = make_invoice(db, business, sharma, issue=date(2026, 11, 1), due=date(2026, 11, 25))
    owner = Person(client, OWNER)
    owner.says("Sharma Traders ko payment ka reminder bhejo")
    assert "₹22,420" in owner.reply
    caused = owner.taps("affirm")
    (reminder,) = _to(caused, SHARMA)
    assert bill.number in reminder["text"] and reminder["buttons"]
    assert "Sharma Traders" in owner.reply and "₹22,420" in owner.reply
    assert _to(at(client, "2026-12-01T15:00:00+05:30"), SHARMA) == []  # the cadence's is the same reminder
    owner.says("Sharma Traders ko reminder bhejo")
    owner.taps("affirm")
    assert _reminders(db) == [(date(2026, 12, 1), "sent", "")]
    with db.transaction() as session:
        assert session.scalars(select(Reminder.by_owner)).one() is True


def test_at_night_the_owners_reminder_waits_for_the_morning(client: TestClient, db: Database) -> None:
    business, sharma = seeded_shop(client, db)
    make_invoice(db, business, sharma, issue=date(2026, 11, 1), due=date(2026, 11, 25))
    at(client, "2026-12-01T22:30:00+05:30")
    owner = Person(client, OWNER)
    owner.says("Sharma Traders ko payment ka reminder bhejo")
    caused = owner.taps("affirm")
    assert [message["status"] for message in _to(caused, SHARMA)] == ["pending"]  # held, not sent
    assert "09:00" in owner.reply and "2 Dec 2026" in owner.reply
    assert len(_to(at(client, "2026-12-02T09:00:00+05:30"), SHARMA)) == 1


def test_a_pause_holds_reminders_until_its_day(client: TestClient, db: Database) -> None:
    business, sharma = seeded_shop(client, db)
    make_invoice(db, business, sharma, issue=date(2026, 11, 1), due=date(2026, 12, 2))
    owner = Person(client, OWNER)
    owner.says("Sharma ko 15 tarikh tak reminder mat bhejo")
    assert "15 Dec 2026" in owner.reply
    assert _to(at(client, "2026-12-02T10:00:00+05:30"), SHARMA) == []
    assert _to(at(client, "2026-12-15T10:00:00+05:30"), SHARMA) == []
    assert len(_to(at(client, "2026-12-16T10:00:00+05:30"), SHARMA)) == 1
    assert [reason for _, _, reason in _reminders(db)] == ["paused", "paused", ""]


def test_the_owner_cannot_remind_a_customer_who_opted_out(client: TestClient, db: Database) -> None:
    business, sharma = seeded_shop(client, db)
    make_invoice(db, business, sharma, issue=date(2026, 11, 1), due=date(2026, 11, 25))
    Person(client, SHARMA).says("STOP")
    owner = Person(client, OWNER)
    owner.says("Sharma Traders ko payment ka reminder bhejo")
    caused = owner.taps("affirm")
    assert _to(caused, SHARMA) == [] and _reminders(db) == []


def test_need_time_lets_the_owner_give_days_without_reminders(client: TestClient, db: Database) -> None:
    business, sharma = seeded_shop(client, db)
    make_invoice(db, business, sharma, issue=date(2026, 11, 1), due=date(2026, 11, 24))
    at(client, "2026-12-01T10:00:00+05:30")
    customer = Person(client, SHARMA)
    caused = customer.taps("need_time")
    (asked,) = [m for m in _to(caused, OWNER) if m["buttons"]]
    kinds = [b["id"].split(":")[0] for b in asked["buttons"]]
    assert kinds == ["grant_time", "grant_time", "instalments", "refuse_time"]
    owner = Person(client, OWNER)
    caused = owner.taps("grant_time")  # the first: 7 days
    (told,) = _to(caused, SHARMA)
    assert "8 Dec 2026" in told["text"]
    assert _to(at(client, "2026-12-08T10:00:00+05:30"), SHARMA) == []
    assert _reminders(db)[-1] == (date(2026, 12, 8), "skipped", "paused")
    assert len(_to(at(client, "2026-12-09T10:00:00+05:30"), SHARMA)) == 1


def test_a_forged_grant_for_another_business_customer_does_nothing(client: TestClient, db: Database) -> None:
    seeded_shop(client, db)
    owner = Person(client, OWNER)
    owner.says("Give 7 days", button=f"grant_time:{uuid.uuid4()}:7")
    owner.says("Give 99 days", button=f"grant_time:{uuid.uuid4()}:99")
    with db.transaction() as session:
        assert session.scalar(select(func.count(ReminderPause.id))) == 0


def test_the_owner_sets_the_reminder_schedule_in_chat(client: TestClient, db: Database) -> None:
    business, sharma = seeded_shop(client, db)
    make_invoice(db, business, sharma, issue=date(2026, 11, 1), due=date(2026, 12, 10))
    owner = Person(client, OWNER)
    owner.says("reminder 5 din pehle aur har 3 din due ke baad bhejo")
    assert "5" in owner.reply and "3" in owner.reply
    owner.taps("affirm")
    with db.transaction() as session:
        policy = session.scalars(select(ReminderPolicy)).one()
        assert (policy.customer_id, policy.before_days, policy.every_days_after) == (None, [5], 3)
    assert len(_to(at(client, "2026-12-05T10:00:00+05:30"), SHARMA)) == 1  # five days before
    assert _to(at(client, "2026-12-07T10:00:00+05:30"), SHARMA) == []  # not the default's three
    assert len(_to(at(client, "2026-12-14T10:00:00+05:30"), SHARMA)) == 1  # 10th, then every 3 days (13th)


def test_a_schedule_not_said_is_asked_with_buttons_for_one_customer(client: TestClient, db: Database) -> None:
    _, sharma = seeded_shop(client, db)
    owner = Person(client, OWNER)
    owner.says("Sharma Traders ke reminder ka schedule badlo")
    assert [b["id"] for b in owner.replies[-1]["buttons"]][:4] == ["pick:0", "pick:1", "pick:2", "pick:3"]
    owner.says("0")  # none before the due date
    owner.taps("pick:2")  # every 7 days
    owner.taps("affirm")
    with db.transaction() as session:
        policy = session.scalars(select(ReminderPolicy)).one()
        assert (policy.customer_id, policy.before_days, policy.every_days_after) == (sharma.id, [], 7)


def test_the_owner_settles_a_dispute_and_reminders_resume(client: TestClient, db: Database) -> None:
    business, sharma = seeded_shop(client, db)
    bill = make_invoice(db, business, sharma, issue=date(2026, 11, 1), due=date(2026, 11, 20))
    customer = Person(client, SHARMA)
    customer.says("rate galat lagaya hai, 350 tha")
    assert _to(at(client, "2026-12-01T10:00:00+05:30"), SHARMA) == []  # disputed: no reminder
    owner = Person(client, OWNER)
    owner.says("Sharma ka dispute resolve karo, bill sahi hai")
    caused = owner.taps("pick:0")  # the bill is right
    (told,) = _to(caused, SHARMA)
    assert bill.number in told["text"] and "₹22,420" in told["text"]
    with db.transaction() as session:
        assert session.get_one(Invoice, bill.id).status is InvoiceStatus.SENT
    assert len(_to(at(client, "2026-12-02T10:00:00+05:30"), SHARMA)) == 1  # reminders resume


def test_a_dispute_settled_by_cancelling_the_bill_issues_a_credit_note(
    client: TestClient, db: Database
) -> None:
    business, sharma = seeded_shop(client, db)
    bill = make_invoice(db, business, sharma, issue=date(2026, 11, 1), due=date(2026, 11, 20))
    Person(client, SHARMA).says("maal kharab nikla, ye bill galat hai")
    owner = Person(client, OWNER)
    owner.says(f"bill {bill.number} ka dispute maan lo, bill cancel kar do")
    with db.transaction() as session:
        assert session.get_one(Invoice, bill.id).status is InvoiceStatus.CANCELLED
        assert session.scalar(select(func.count(CreditNote.id))) == 1
        assert session.scalars(select(Dispute.status)).one() is DisputeStatus.RESOLVED


def test_what_works_is_read_from_the_reminders_and_their_messages(client: TestClient, db: Database) -> None:
    business, sharma = seeded_shop(client, db)
    bill = make_invoice(db, business, sharma, issue=date(2026, 11, 1), due=date(2026, 11, 24))
    gupta = make_customer(db, business, name="Gupta Hardware", phone="+919811100011", gstin=None)
    make_invoice(db, business, gupta, issue=date(2026, 11, 1), due=date(2026, 11, 24))
    at(client, "2026-12-01T10:00:00+05:30")
    Person(client, SHARMA).says("kal tak kar dunga")
    pay(db, sharma, bill.total_paise, received_at=ist(2026, 12, 3, 16))
    with db.transaction() as session:
        (result,) = reminder_results(session, business_id=business.id, tz=ZoneInfo("Asia/Kolkata"))
    variant = result.variant
    assert (variant.wording, variant.language, variant.channel, variant.sent_as, variant.hour) == (
        "reminder.friendly",
        "hi-Latn",
        "simulator",
        "text",
        10,
    )
    assert (result.sent, result.answered, result.paid) == (2, 1, 1)
    assert result.median_time_to_pay == timedelta(days=2, hours=6)


def test_the_cli_prints_the_reminder_report(cli_database: Database) -> None:
    make_business(cli_database)
    cli_database.dispose()
    result = CliRunner().invoke(cli, ["reminders", "report"])
    assert result.exit_code == 0, result.output
    assert result.output.split()[:4] == ["wording", "lang", "channel", "sent"]


def test_need_time_can_be_two_parts_each_followed_up(client: TestClient, db: Database) -> None:
    business, sharma = seeded_shop(client, db)
    make_invoice(db, business, sharma, issue=date(2026, 11, 1), due=date(2026, 11, 24))  # ₹22,420
    Person(client, SHARMA).says("thoda time chahiye, abhi haath tang hai")
    caused = Person(client, OWNER).taps("instalments")
    (told,) = _to(caused, SHARMA)
    assert "₹11,210" in told["text"] and "16 Dec 2026" in told["text"] and "31 Dec 2026" in told["text"]
    assert _to(at(client, "2026-12-08T10:00:00+05:30"), SHARMA) == []  # waiting for the first part
    pay(db, sharma, 11_210_00, received_at=ist(2026, 12, 15))
    sent = at(client, "2026-12-17T10:00:00+05:30")
    (thanks,) = _to(sent, SHARMA)  # the first part came: thanks, and no reminder
    assert thanks["buttons"] == [] and "Shree Ganesh Cement Traders" in thanks["text"]
    assert _to(at(client, "2026-12-24T10:00:00+05:30"), SHARMA) == []  # the second part is still awaited
    (follow_up,) = _to(at(client, "2027-01-01T10:00:00+05:30"), SHARMA)  # the second part was missed
    assert "31 Dec 2026" in follow_up["text"] and "₹11,210" in follow_up["text"]
