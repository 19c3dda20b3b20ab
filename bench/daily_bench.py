"""How long the daily collections work takes on a large installation: for every business, plan today's
reminders (modules/collections/reminders.py) and compute the owner's briefing with its top constraint
(modules/collections/briefing.py), as the scheduler does each morning, without sending anything.

    python -m bench.daily_bench [--businesses 1000] [--invoices 1000] [--customers 50] [--url ...]

The book is written with bulk inserts (the services would take hours to seed a million invoices): each
business has `--customers` customers with phone numbers and `--invoices` open invoices spread over the last
six months, some part-paid, some disputed, some promised. Prints the seeding time, then the planning and
briefing times in all and per business, and how many reminders would go and be skipped. --url must name a
throwaway database: it is migrated and written to.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from bot.db import Database
from bot.migrate import upgrade
from bot.settings import CollectionsSettings
from modules.business.models import Business, Role, Staff
from modules.collections.briefing import morning_briefing
from modules.collections.models import PromiseToPay
from modules.collections.reminders import plan_reminders
from modules.customers.models import Customer, CustomerPhone
from modules.disputes.models import Dispute
from modules.invoicing.models import Invoice, InvoiceStatus
from modules.payments.models import Payment, PaymentAllocation, PaymentMode, PaymentSource

TODAY = date(2026, 12, 1)  # a Tuesday, no holiday
NOW = datetime(2026, 12, 1, 4, 30, tzinfo=UTC)  # 10:00 in India
BATCH = 20_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--businesses", type=int, default=1000)
    parser.add_argument("--invoices", type=int, default=1000, help="open invoices per business")
    parser.add_argument("--customers", type=int, default=50, help="customers per business")
    parser.add_argument("--url", default=None, help="database URL; default a fresh SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = Database(args.url or f"sqlite:///{Path(folder) / 'bench.db'}")
        upgrade(database)
        name = database.engine.dialect.name
        size = f"{args.businesses:,} businesses × {args.invoices:,} open invoices"
        print(f"{name}: {size}, {args.customers} customers each")
        start = time.perf_counter()
        businesses = _seed(database, args.businesses, args.customers, args.invoices, random.Random(7))
        print(f"seeded in {time.perf_counter() - start:.1f} s")
        _measure(database, businesses)
        database.dispose()


def _measure(database: Database, business_ids: list[uuid.UUID]) -> None:
    defaults = CollectionsSettings()
    outcomes: Counter[str] = Counter()
    planning = briefing = 0.0
    for business_id in business_ids:
        with database.transaction() as session:
            business = session.get_one(Business, business_id)
            start = time.perf_counter()
            plans = plan_reminders(session, business, defaults, TODAY)
            middle = time.perf_counter()
            facts = morning_briefing(session, business, TODAY)
            planning += middle - start
            briefing += time.perf_counter() - middle
        outcomes.update(str(plan.skip or "send") for plan in plans)
        outcomes["with a top constraint"] += bool(facts.candidates)
    count = len(business_ids)
    print(f"plan reminders:   {planning:6.1f} s  ({planning / count * 1000:.1f} ms a business)")
    print(f"briefings:        {briefing:6.1f} s  ({briefing / count * 1000:.1f} ms a business)")
    print(f"both:             {planning + briefing:6.1f} s  (target: under 60 s)")
    print("plans: " + ", ".join(f"{key} {value:,}" for key, value in sorted(outcomes.items())))


def _seed(
    database: Database, businesses: int, customers: int, invoices: int, rng: random.Random
) -> list[uuid.UUID]:
    rows: dict[type, list[dict[str, Any]]] = {table: [] for table in _ORDER}
    ids = []
    created = NOW - timedelta(days=200)
    for b in range(businesses):
        business_id = uuid.uuid4()
        ids.append(business_id)
        rows[Business].append(
            {
                "id": business_id,
                "display_name": f"Business {b}",
                "legal_name": f"Business {b} LLP",
                "state_code": "27",
                "whatsapp_number": f"+9120{b:08d}",
                "default_language": "hi-Latn",
                "timezone": "Asia/Kolkata",
                "invoice_prefix": "INV",
                "created_at": created,
            }
        )
        rows[Staff].append(
            {
                "id": uuid.uuid4(),
                "business_id": business_id,
                "phone": f"+9198{b:08d}",
                "role": Role.OWNER,
                "created_at": created,
            }
        )
        theirs = [uuid.uuid4() for _ in range(customers)]
        for c, customer_id in enumerate(theirs):
            rows[Customer].append(
                {
                    "id": customer_id,
                    "business_id": business_id,
                    "name": f"Customer {b}-{c}",
                    "state_code": rng.choice(("27", "27", "27", "24", "29")),
                    "language": "hi-Latn",
                    "created_at": created,
                }
            )
            if rng.random() < 0.95:
                rows[CustomerPhone].append(
                    {
                        "id": uuid.uuid4(),
                        "business_id": business_id,
                        "customer_id": customer_id,
                        "phone": f"+917{b:05d}{c:04d}",
                        "created_at": created,
                    }
                )
        for n in range(invoices):
            _invoice(rows, rng, business_id, rng.choice(theirs), n)
        for customer_id in rng.sample(theirs, max(customers // 10, 1)):
            rows[PromiseToPay].append(
                {
                    "id": uuid.uuid4(),
                    "business_id": business_id,
                    "customer_id": customer_id,
                    "promised_date": TODAY + timedelta(days=rng.randint(-3, 10)),
                    "created_at": created,
                }
            )
        if sum(len(batch) for batch in rows.values()) >= BATCH:
            _flush(database, rows)
    _flush(database, rows)
    return ids


def _invoice(
    rows: dict[type, list[dict[str, Any]]],
    rng: random.Random,
    business_id: uuid.UUID,
    customer_id: uuid.UUID,
    n: int,
) -> None:
    invoice_id = uuid.uuid4()
    issued = TODAY - timedelta(days=rng.randint(1, 180))
    total = rng.randint(1_000, 300_000) * 100
    disputed = rng.random() < 0.02
    paid = rng.random() < 0.2
    rows[Invoice].append(
        {
            "id": invoice_id,
            "business_id": business_id,
            "customer_id": customer_id,
            "number": f"INV-2026-27-{n:04d}",
            "financial_year": "2026-27",
            "issue_date": issued,
            "due_date": issued + timedelta(days=30),
            "place_of_supply": "27",
            "status": InvoiceStatus.DISPUTED
            if disputed
            else InvoiceStatus.PARTIALLY_PAID
            if paid
            else InvoiceStatus.SENT,
            "taxable_paise": total * 100 // 118,
            "cgst_paise": 0,
            "sgst_paise": 0,
            "igst_paise": 0,
            "total_paise": total,
            "created_at": datetime.combine(issued, datetime.min.time(), UTC),
        }
    )
    if disputed:
        rows[Dispute].append(
            {
                "id": uuid.uuid4(),
                "business_id": business_id,
                "customer_id": customer_id,
                "invoice_id": invoice_id,
                "reason": "rate galat hai",
                "created_at": NOW - timedelta(days=rng.randint(0, 30)),
            }
        )
    if paid:
        payment_id = uuid.uuid4()
        part = total // 2
        rows[Payment].append(
            {
                "id": payment_id,
                "business_id": business_id,
                "customer_id": customer_id,
                "amount_paise": part,
                "mode": PaymentMode.UPI,
                "received_at": NOW - timedelta(days=rng.randint(0, 30)),
                "confirmed": True,
                "source": PaymentSource.OWNER,
                "created_at": NOW,
            }
        )
        rows[PaymentAllocation].append(
            {
                "id": uuid.uuid4(),
                "business_id": business_id,
                "payment_id": payment_id,
                "invoice_id": invoice_id,
                "amount_paise": part,
                "created_at": NOW,
            }
        )


# Parents before children, for the foreign keys.
_ORDER = (
    Business,
    Staff,
    Customer,
    CustomerPhone,
    Invoice,
    Dispute,
    Payment,
    PaymentAllocation,
    PromiseToPay,
)


def _flush(database: Database, rows: dict[type, list[dict[str, Any]]]) -> None:
    with database.transaction() as session:
        for table in _ORDER:
            if rows[table]:
                session.execute(insert(table), rows[table])
                rows[table].clear()


if __name__ == "__main__":
    main()
