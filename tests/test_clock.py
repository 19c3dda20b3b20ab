from datetime import UTC, date, datetime, timedelta

import pytest

from bot.clock import FrozenClock, SystemClock, today
from tests.conftest import IST


def test_frozen_clock_moves_only_when_told() -> None:
    clock = FrozenClock(datetime(2026, 12, 1, 10, 0, tzinfo=IST))
    assert clock.now() == clock.now()
    clock.advance(timedelta(days=1))
    assert clock.now() == datetime(2026, 12, 2, 10, 0, tzinfo=IST)
    clock.set(datetime(2026, 12, 5, 9, 0, tzinfo=IST))
    assert clock.now().day == 5


def test_clocks_refuse_naive_times() -> None:
    with pytest.raises(ValueError, match="naive"):
        FrozenClock(datetime(2026, 12, 1, 10, 0))


def test_today_is_the_business_calendar_day() -> None:
    # 20:00 UTC on 1 December is already 01:30 on 2 December in India.
    late = FrozenClock(datetime(2026, 12, 1, 20, 0, tzinfo=UTC))
    assert today(late, IST) == date(2026, 12, 2)
    assert today(late, UTC) == date(2026, 12, 1)


def test_system_clock_is_aware() -> None:
    assert SystemClock(IST).now().utcoffset() == timedelta(hours=5, minutes=30)
