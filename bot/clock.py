"""Where "now" comes from: the system clock in production, a settable one in tests and the simulator."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...


class SystemClock:
    def __init__(self, tz: tzinfo) -> None:
        self._tz = tz

    def now(self) -> datetime:
        return datetime.now(self._tz)


class FrozenClock:
    """A clock that stands still until told to move, so schedules are tested without sleeping."""

    def __init__(self, now: datetime) -> None:
        self._now = _aware(now)

    def now(self) -> datetime:
        return self._now

    def set(self, now: datetime) -> None:
        self._now = _aware(now)

    def advance(self, delta: timedelta) -> None:
        self._now += delta


class SimulatorClock:
    """Real time shifted by an offset the simulator sets: time keeps flowing, from wherever it was put.

    It only moves forward, so a schedule never sees the same minute twice.
    """

    def __init__(self, tz: tzinfo) -> None:
        self._tz = tz
        self._offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(self._tz) + self._offset

    def set(self, now: datetime) -> None:
        """Raises: ValueError for a naive time or one before the current now."""
        wanted = _aware(now)
        current = self.now()
        if wanted < current:
            raise ValueError(f"the clock only moves forward (now {current.isoformat()})")
        self._offset += wanted - current


@runtime_checkable
class SettableClock(Clock, Protocol):
    def set(self, now: datetime) -> None: ...


def today(clock: Clock, tz: tzinfo) -> date:
    """The calendar date in `tz` (a business's timezone) at the clock's now."""
    return clock.now().astimezone(tz).date()


def is_timezone(name: str) -> bool:
    """Whether `name` is an IANA timezone this machine knows (`Asia/Kolkata`)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def utc_now() -> datetime:
    """Wall-clock time for audit columns (when a row was written), never for business decisions."""
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment.isoformat()}: pass a timezone-aware one")
    return moment
