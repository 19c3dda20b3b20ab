"""When a bill is reminded of, and in what tone. Pure: dates in, decisions out.

A cadence names occasions relative to the due date: some days before it, on it, then every N days while
it is unpaid. A bill needs a reminder when its latest occasion up to today has not been reminded of yet, so
an occasion that fell on a holiday (or during a promise) is made up the next day a reminder may go, and
never twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from modules.collections.models import Tone


@dataclass(frozen=True)
class Cadence:
    before_days: tuple[int, ...] = (3,)
    on_due: bool = True
    every_days_after: int = 7  # 0: no reminders after the due date
    firm_after_days: int = 15
    final_after_days: int = 45


def latest_occasion(cadence: Cadence, due: date, today: date) -> date | None:
    """The last day on or before `today` when the cadence calls for a reminder of a bill due on `due`."""
    occasions = [due - timedelta(days=days) for days in cadence.before_days]
    if cadence.on_due:
        occasions.append(due)
    if cadence.every_days_after and today > due:
        steps = (today - due).days // cadence.every_days_after
        if steps:
            occasions.append(due + timedelta(days=steps * cadence.every_days_after))
    past = [day for day in occasions if day <= today]
    return max(past) if past else None


def needs_reminder(
    cadence: Cadence, *, issued: date, due: date, today: date, last_reminded: date | None
) -> bool:
    """Whether today owes this bill a reminder. The bill itself was the notice on its issue day, so an
    occasion on or before it is none."""
    occasion = latest_occasion(cadence, due, today)
    if occasion is None or occasion <= issued:
        return False
    return last_reminded is None or last_reminded < occasion


def tone_for(cadence: Cadence, days_overdue: int, *, reliable_payer: bool) -> Tone:
    """Escalating with the oldest bill's lateness; a payer who is usually on time gets one step gentler
    (late once is not a habit)."""
    if days_overdue <= 0:
        return Tone.GENTLE
    ladder = (Tone.FRIENDLY, Tone.FIRM, Tone.FINAL)
    step = (
        2 if days_overdue >= cadence.final_after_days else 1 if days_overdue >= cadence.firm_after_days else 0
    )
    if reliable_payer:
        step = max(step - 1, 0)
    return ladder[step]


def is_reliable(days_late: Sequence[int]) -> bool:
    """Three or more bills paid, and at least four in five of them by three days after the due date."""
    if len(days_late) < 3:
        return False
    on_time = sum(1 for days in days_late if days <= 3)
    return on_time * 5 >= len(days_late) * 4
