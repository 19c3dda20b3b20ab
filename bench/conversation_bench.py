"""Messages through the whole path (store, NLU, dialogue, services, outbox, send) on the demo business.

    python -m bench.conversation_bench [--rounds 50] [--url sqlite:///...|postgresql://...]

Prints, per kind of message, the median and 95th-percentile time a message takes end to end, and the
overall messages per second on one thread.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.assistant import build_gateway
from bot.clock import FrozenClock
from bot.db import Database
from bot.demo import seed_demo
from bot.gateway import Gateway
from bot.migrate import upgrade
from bot.settings import load_settings
from connectors.channels.base import InboundMessage

SHOP, OWNER, SHARMA = "+912041234567", "+919822012345", "+919811122233"
SCRIPT = (
    ("owner: outstanding (200 invoices)", OWNER, "kitna baaki hai"),
    ("customer: own balance", SHARMA, "mera kitna baaki hai?"),
    ("owner: draft an invoice", OWNER, "Sharma Traders ko 50 bag cement ka bill banao 380 per bag 18% GST"),
    ("owner: confirm (invoice + link out)", OWNER, "haan bhej do"),
    ("customer: promise to pay", SHARMA, "kal tak kar dunga"),
    ("owner: statement", OWNER, "Sharma ka pura hisaab bhejo"),
)


def say(gateway: Gateway, sender: str, text: str) -> float:
    message = InboundMessage(
        "simulator", f"bench-{uuid.uuid4().hex}", sender, SHOP, text, gateway.clock.now()
    )
    start = time.perf_counter()
    gateway.receive(message)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--url", default=None, help="database URL; default a fresh SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = Database(args.url or f"sqlite:///{Path(folder) / 'bench.db'}")
        upgrade(database)
        seed_demo(database, today=date(2026, 11, 28))
        settings = load_settings(Path(folder) / "none.yml", environ={"TAGADA_SIMULATOR_ENABLED": "1"})
        clock = FrozenClock(datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Kolkata")))
        gateway = build_gateway(settings, database, clock)
        timings: dict[str, list[float]] = {label: [] for label, _, _ in SCRIPT}
        start = time.perf_counter()
        for _ in range(args.rounds):
            for label, sender, text in SCRIPT:
                timings[label].append(say(gateway, sender, text))
        elapsed = time.perf_counter() - start
        database.dispose()
    print(f"{'message':<40} {'median ms':>10} {'p95 ms':>8}")
    for label, samples in timings.items():
        p95 = statistics.quantiles(samples, n=20)[-1]
        print(f"{label:<40} {statistics.median(samples) * 1000:10.1f} {p95 * 1000:8.1f}")
    count = args.rounds * len(SCRIPT)
    print(f"{count} messages in {elapsed:.2f} s: {count / elapsed:.0f} messages/s on one thread")


if __name__ == "__main__":
    main()
