"""Token buckets that keep sending within a platform's throughput, on the injectable clock."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.settings import RateLimitSettings


@dataclass
class _Bucket:
    tokens: float
    updated: datetime


class TokenBuckets:
    """One bucket per key: up to `capacity` at once, refilled at `per_second`."""

    def __init__(self, *, capacity: float, per_second: float) -> None:
        self._capacity = capacity
        self._per_second = per_second
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def wait(self, key: str, now: datetime) -> timedelta:
        """How long until `key` may send; zero means go, and the send is counted."""
        with self._lock:
            bucket = self._buckets.setdefault(key, _Bucket(self._capacity, now))
            elapsed = max((now - bucket.updated).total_seconds(), 0.0)
            bucket.tokens = min(self._capacity, bucket.tokens + elapsed * self._per_second)
            bucket.updated = now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return timedelta(0)
            return timedelta(seconds=(1 - bucket.tokens) / self._per_second)


class SendLimits:
    """WhatsApp's two limits: messages a second from one business number, and the pair rate to one person."""

    def __init__(self, settings: RateLimitSettings) -> None:
        rate = settings.per_number_per_second
        self._numbers = TokenBuckets(capacity=max(rate, 1.0), per_second=rate)
        self._recipients = TokenBuckets(
            capacity=settings.per_recipient_burst, per_second=1 / settings.per_recipient_interval_seconds
        )

    def wait(self, *, channel: str, sender: str, recipient: str, now: datetime) -> timedelta:
        """Zero when a message may go now (and counts it), else how long to hold it back."""
        waited = self._numbers.wait(f"{channel}:{sender}", now)
        if waited:
            return waited
        return self._recipients.wait(f"{channel}:{recipient}", now)
