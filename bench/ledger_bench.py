"""How long the ledger takes on a large book: seeding invoices through the service, then balances.

    python -m bench.ledger_bench [--customers 500] [--invoices 20000] [--url sqlite:///...|postgresql://...]

Prints the time to create the invoices (with GST maths and numbering) and to compute the business's
outstanding, a customer's outstanding and a customer's statement.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from bot.db import Database
from bot.migrate import upgrade
from bot.money import paise_to_rupees
from modules.business.service import NewBusiness, create_business
from modules.customers.models import Customer
from modules.customers.service import NewCustomer, create_customer
from modules.invoicing.models import InvoiceStatus
from modules.invoicing.service import LineInput, create_invoice
from modules.ledger.service import business_outstanding, customer_outstanding, customer_statement

T = TypeVar("T")
TODAY = date(2026, 11, 28)


def timed(label: str, action: Callable[[], T]) -> T:
    start = time.perf_counter()
    result = action()
    print(f"{label:<45} {time.perf_counter() - start:8.3f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=500)
    parser.add_argument("--invoices", type=int, default=20_000)
    parser.add_argument("--url", default=None, help="database URL; default a fresh SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = Database(args.url or f"sqlite:///{Path(folder) / 'bench.db'}")
        upgrade(database)
        print(f"{database.engine.dialect.name}: {args.customers} customers, {args.invoices} invoices")
        rng = random.Random(1)
        business = create_business(
            database,
            NewBusiness(
                display_name="Bench Traders",
                whatsapp_number="+912041230000",
                owner_phone="+919822000000",
                state_code="27",
            ),
        )

        def seed() -> list[Customer]:
            customers = []
            with database.transaction():
                for n in range(args.customers):
                    customers.append(
                        create_customer(
                            database,
                            business_id=business.id,
                            new=NewCustomer(name=f"Customer {n}", state_code="27"),
                        )
                    )
                for _ in range(args.invoices):
                    create_invoice(
                        database,
                        business_id=business.id,
                        customer_id=rng.choice(customers).id,
                        lines=[
                            LineInput(
                                description="Cement",
                                quantity=Decimal(rng.randint(10, 500)),
                                unit_price_paise=38000,
                                gst_rate=Decimal(18),
                            )
                        ],
                        issue_date=TODAY - timedelta(days=rng.randint(0, 365)),
                        status=InvoiceStatus.SENT,
                    )
            return customers

        customers = timed("create customers and invoices (one transaction)", seed)
        total = timed(
            "business outstanding",
            lambda: business_outstanding(database, business_id=business.id, today=TODAY),
        )
        first = customers[0]
        timed(
            "one customer's outstanding",
            lambda: customer_outstanding(
                database, business_id=business.id, customer_id=first.id, today=TODAY
            ),
        )
        statement = timed(
            "one customer's statement",
            lambda: customer_statement(database, business_id=business.id, customer_id=first.id),
        )
        print(
            f"outstanding ₹{paise_to_rupees(total.outstanding_paise)} "
            f"across {len(total.customers)} customers; statement of {len(statement.entries)} entries"
        )
        database.dispose()


if __name__ == "__main__":
    main()
