"""The reminder cadence and calendar, on their own: which day owes a bill a reminder, in what tone, and which
days no reminder goes out."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from modules.collections.cadence import Cadence, is_reliable, latest_occasion, needs_reminder, tone_for
from modules.collections.calendar import day_off
from modules.collections.models import Tone

CADENCE = Cadence(before_days=(3,), on_due=True, every_days_after=7, firm_after_days=15, final_after_days=45)
DUE = date(2026, 12, 10)
ISSUED = date(2026, 11, 10)


@pytest.mark.parametrize(
    ("today", "occasion"),
    [
        (date(2026, 12, 6), None),
        (date(2026, 12, 7), date(2026, 12, 7)),  # three days before
        (date(2026, 12, 9), date(2026, 12, 7)),
        (date(2026, 12, 10), DUE),
        (date(2026, 12, 16), DUE),
        (date(2026, 12, 17), date(2026, 12, 17)),  # a week after
        (date(2027, 1, 8), date(2027, 1, 7)),
    ],
)
def test_the_latest_occasion_up_to_today(today: date, occasion: date | None) -> None:
    assert latest_occasion(CADENCE, DUE, today) == occasion


def test_a_missed_occasion_is_made_up_once() -> None:
    # The 7th was a holiday: nothing went out. The 8th still owes it; then nothing until the due date.
    assert needs_reminder(CADENCE, issued=ISSUED, due=DUE, today=date(2026, 12, 8), last_reminded=None)
    reminded = date(2026, 12, 8)
    assert not needs_reminder(
        CADENCE, issued=ISSUED, due=DUE, today=date(2026, 12, 9), last_reminded=reminded
    )
    assert needs_reminder(CADENCE, issued=ISSUED, due=DUE, today=DUE, last_reminded=reminded)


def test_a_bill_sent_after_an_occasion_is_not_reminded_of_it() -> None:
    issued = date(2026, 12, 8)  # after the "three days before" occasion: the bill itself was the notice
    assert not needs_reminder(CADENCE, issued=issued, due=DUE, today=date(2026, 12, 9), last_reminded=None)
    assert needs_reminder(CADENCE, issued=issued, due=DUE, today=DUE, last_reminded=None)


def test_without_reminders_after_the_due_date_an_overdue_bill_is_left_alone() -> None:
    quiet = Cadence(before_days=(), on_due=True, every_days_after=0)
    assert not needs_reminder(
        quiet, issued=ISSUED, due=DUE, today=DUE + timedelta(days=30), last_reminded=DUE
    )


@pytest.mark.parametrize(
    ("days", "reliable", "tone"),
    [
        (-2, False, Tone.GENTLE),
        (0, False, Tone.GENTLE),
        (1, False, Tone.FRIENDLY),
        (15, False, Tone.FIRM),
        (45, False, Tone.FINAL),
        (15, True, Tone.FRIENDLY),  # usually on time: one step gentler
        (60, True, Tone.FIRM),
    ],
)
def test_the_tone_escalates_with_lateness(days: int, reliable: bool, tone: Tone) -> None:
    assert tone_for(CADENCE, days, reliable_payer=reliable) is tone


def test_a_reliable_payer_pays_four_in_five_bills_on_time() -> None:
    assert is_reliable([0, -2, 3, 1, 20])
    assert not is_reliable([0, 1])  # too few to tell
    assert not is_reliable([0, 10, 12, 1])


def test_no_reminders_on_sundays_national_or_the_customers_state_holidays() -> None:
    assert day_off(date(2026, 12, 6), "27", skip_sundays=True) == "Sunday"
    assert day_off(date(2026, 12, 6), "27", skip_sundays=False) is None
    assert day_off(date(2026, 12, 25), "27", skip_sundays=True) == "Christmas"
    assert day_off(date(2027, 1, 15), "24", skip_sundays=True) == "Uttarayan"  # Gujarat's kite festival
    assert day_off(date(2027, 1, 15), "27", skip_sundays=True) is None  # not Maharashtra's
    assert day_off(date(2026, 11, 11), "33", skip_sundays=True) == "Bhai Duj"  # the Diwali days, everywhere
    assert day_off(date(2026, 12, 1), "99", skip_sundays=True) is None  # a code with no state calendar
