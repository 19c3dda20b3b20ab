"""The day's top constraint on constructed ledgers whose right answer is known, and the owner's morning
briefing that names it."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from bot.cli import app as cli
from bot.db import Database
from modules.collections.constraint import Debtor, Held, Kind, rank
from modules.collections.models import Briefing
from tests.chat import OWNER, SHARMA, Person, seeded_shop
from tests.conftest import ist, make_business, make_customer, make_invoice, pay

LAKH = 100_000_00


def debtor(name: str, overdue_paise: int, days: int, **details: Any) -> Debtor:
    fields: dict[str, Any] = {
        "customer_id": uuid.uuid5(uuid.NAMESPACE_DNS, name),
        "name": name,
        "outstanding_paise": overdue_paise,
        "overdue_paise": overdue_paise,
        "days_overdue": days,
        "has_phone": True,
        "broken_promises": 0,
    }
    return Debtor(**(fields | details))


def test_the_biggest_collectable_debt_is_the_call_to_make() -> None:
    ledger = [
        debtor("Sharma Traders", 184_000_00, 67),
        debtor("Gupta Hardware", 90_000_00, 20),
        debtor("Mehta Cement", 5_000_00, 200),  # too small to be worth a call
    ]
    top, *rest = rank(ledger, [], [])
    assert (top.kind, top.name, top.amount_paise) == (Kind.CALL, "Sharma Traders", 184_000_00)
    assert [c.name for c in rest if c.kind is Kind.CALL] == ["Gupta Hardware"]


def test_a_young_debt_beats_an_old_one_of_the_same_size() -> None:
    top, second = rank([debtor("Old Debts", 2 * LAKH, 150), debtor("Fresh Debts", 2 * LAKH, 20)], [], [])
    assert (top.name, second.name) == ("Fresh Debts", "Old Debts")  # a call collects less the older the debt


def test_a_bill_that_never_reached_the_customer_is_two_minutes_well_spent() -> None:
    unsent = [Held(uuid.uuid4(), "Verma Constructions", "INV-2026-27-0099", 60_000_00)]
    top, _ = rank([debtor("Sharma Traders", 184_000_00, 67)], [], unsent)
    assert (top.kind, top.number) == (Kind.UNSENT, "INV-2026-27-0099")


def test_an_open_dispute_on_a_large_bill_comes_before_a_call_about_a_smaller_debt() -> None:
    disputes = [Held(uuid.uuid4(), "Desai Constructions", "INV-2026-27-0083", 3 * LAKH, "rate galat hai")]
    top, second = rank([debtor("Sharma Traders", 1 * LAKH, 40)], disputes, [])
    assert (top.kind, top.detail, second.kind) == (Kind.DISPUTE, "rate galat hai", Kind.CALL)


def test_a_dispute_about_the_gst_itself_is_a_bill_to_reissue() -> None:
    wrong_tax = Held(
        uuid.uuid4(), "Desai Constructions", "INV-2026-27-0083", 2 * LAKH, "IGST laga diya, CGST chahiye"
    )
    (only,) = rank([], [wrong_tax], [])
    assert (only.kind, only.number) == (Kind.GST_ERROR, "INV-2026-27-0083")
    (rate,) = rank([], [Held(uuid.uuid4(), "Mehta", "INV-2026-27-0090", 2 * LAKH, "rate galat hai")], [])
    assert rate.kind is Kind.DISPUTE and only.score > rate.score


def test_a_debtor_without_a_number_is_to_be_given_one_not_called() -> None:
    (only,) = rank([debtor("Joshi Builders", 3 * LAKH, 30, has_phone=False)], [], [])
    assert only.kind is Kind.NO_PHONE


def test_a_fresh_broken_promise_is_its_own_call() -> None:
    ledger = [debtor("Sharma Traders", 1 * LAKH, 45, broken_promises=2, promise_broken_paise=1 * LAKH)]
    (only,) = rank(ledger, [], [])
    assert (only.kind, only.broken_promises) == (Kind.BROKEN_PROMISE, 2)


def test_one_customer_owing_most_of_the_book_is_a_risk_named_after_the_urgent() -> None:
    ledger = [
        debtor("Big Buyer", 9 * LAKH, 5, outstanding_paise=30 * LAKH),
        debtor("Small One", 1 * LAKH, 10, outstanding_paise=2 * LAKH),
        debtor("Smaller One", 50_000_00, 10),
    ]
    kinds = [(c.kind, c.name) for c in rank(ledger, [], [])]
    assert kinds[0] == (Kind.CALL, "Big Buyer")
    assert (Kind.CONCENTRATION, "Big Buyer") in kinds
    (risk,) = [c for c in rank(ledger, [], []) if c.kind is Kind.CONCENTRATION]
    assert risk.share_pct == 92  # ₹30 lakh of ₹32.5 lakh


# -- on the simulator: the briefing and "what first?" ------------------------------------------------


def test_the_morning_briefing_goes_once_and_names_the_top_constraint(
    client: TestClient, db: Database
) -> None:
    business, sharma = seeded_shop(client, db)
    for issued in (date(2026, 8, 1), date(2026, 9, 1), date(2026, 9, 20)):
        make_invoice(db, business, sharma, issue=issued, due=issued.replace(day=28), quantity=200)
    gupta = make_customer(db, business, name="Gupta Hardware", phone="+919811100011", gstin=None)
    make_invoice(db, business, gupta, issue=date(2026, 11, 1), due=date(2026, 11, 20), quantity=100)
    pay(db, gupta, 1_000_00, received_at=ist(2026, 12, 1, 15))
    answer = client.post("/api/simulator/clock", json={"now": "2026-12-02T08:00:00+05:30"})
    assert [m for m in answer.json()["sent"] if m["to"] == OWNER] == []  # not before the owner's hour
    answer = client.post("/api/simulator/clock", json={"now": "2026-12-02T09:00:00+05:30"})
    (briefing,) = [m for m in answer.json()["sent"] if m["to"] == OWNER]
    assert "₹1,000" in briefing["text"]  # yesterday's money
    assert "Sharma Traders" in briefing["text"] and "₹2,69,040" in briefing["text"]  # 3 × ₹89,680
    assert [b["id"] for b in briefing["buttons"]] == ["more_constraints:1"]
    again = client.post("/api/simulator/clock", json={"now": "2026-12-02T12:00:00+05:30"})
    assert [m for m in again.json()["sent"] if m["to"] == OWNER] == []
    with db.transaction() as session:
        (row,) = session.scalars(select(Briefing)).all()
        assert (row.top_kind, row.top_customer_id) == ("call", sharma.id)
    owner = Person(client, OWNER)
    owner.says("aur kya?")  # typed after the briefing, as its button says
    assert "Gupta Hardware" in owner.reply and "₹43,840" in owner.reply


def test_what_first_gives_the_top_constraint_and_what_else_the_next(client: TestClient, db: Database) -> None:
    business, sharma = seeded_shop(client, db)
    make_invoice(db, business, sharma, issue=date(2026, 9, 1), due=date(2026, 9, 30), quantity=200)
    gupta = make_customer(db, business, name="Gupta Hardware", phone="+919811100011", gstin=None)
    make_invoice(db, business, gupta, issue=date(2026, 10, 1), due=date(2026, 10, 30), quantity=100)
    owner = Person(client, OWNER)
    owner.says("aaj sabse pehle kya karu?")
    assert "Sharma Traders" in owner.reply and "₹89,680" in owner.reply
    owner.says("aur?")  # typed, as the button says
    assert "Gupta Hardware" in owner.reply and "₹44,840" in owner.reply
    assert owner.replies[-1]["buttons"] == []  # nothing more after the last
    owner.says("aur?")  # nothing offered now: "aur" is just a word again
    assert "Gupta Hardware" not in owner.reply
    assert Person(client, SHARMA).inbox() == []  # nothing to the customers


def test_the_cli_sets_the_briefing_hour(cli_database: Database) -> None:
    make_business(cli_database)
    cli_database.dispose()
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["business", "briefing"]).output.strip() == "The morning briefing goes at 09:00."
    )
    changed = runner.invoke(cli, ["business", "briefing", "--hour", "7"])
    assert changed.exit_code == 0 and changed.output.strip() == "The morning briefing goes at 07:00."
    assert runner.invoke(cli, ["business", "briefing", "--hour", "25"]).exit_code == 2
