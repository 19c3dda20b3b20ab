"""How long one invoice PDF takes: read from the database and rendered, as the media route serves it.

    python -m bench.pdf_bench [--runs 30] [--url sqlite:///...|postgresql://...]

Prints milliseconds per PDF (median and worst) for an English invoice, a Hindi one (Devanagari shaped in
Noto) and a 20-line one, plus the render alone, and each PDF's size. --url must name a throwaway
database: it is migrated and written to.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

from bot.db import Database
from bot.migrate import upgrade
from bot.pdf import NOTO_DIR
from modules.business.models import Business
from modules.business.service import NewBusiness, create_business
from modules.customers.service import NewCustomer, create_customer
from modules.invoicing.documents import invoice_pdf, load_invoice_document, render_invoice
from modules.invoicing.models import Invoice, InvoiceStatus
from modules.invoicing.service import LineInput, create_invoice


def measure(label: str, runs: int, action: Callable[[], bytes]) -> None:
    action()  # warm: imports, font files in the page cache
    times = []
    size = 0
    for _ in range(runs):
        start = time.perf_counter()
        size = len(action())
        times.append((time.perf_counter() - start) * 1000)
    print(
        f"{label:<42} median {statistics.median(times):7.1f} ms   max {max(times):7.1f} ms   {size:>7,} bytes"
    )


def seed_invoice(database: Database, business: Business, name: str, phone: str, lines: int) -> Invoice:
    customer = create_customer(
        database,
        business_id=business.id,
        new=NewCustomer(name=name, phones=[phone], gstin="27ABCDE1234F1Z0", language="hi"),
    )
    items = [
        LineInput(
            f"Item {n} सीमेंट OPC 53" if n % 2 else f"Item {n} TMT bar 12mm",
            Decimal(n + 1),
            38_000,
            Decimal(18),
            "2523",
            "bag",
        )
        for n in range(lines)
    ]
    return create_invoice(
        database,
        business_id=business.id,
        customer_id=customer.id,
        lines=items,
        issue_date=date(2026, 11, 1),
        status=InvoiceStatus.SENT,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--url", default=None, help="database URL; default a fresh SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = Database(args.url or f"sqlite:///{Path(folder) / 'bench.db'}")
        upgrade(database)
        business = create_business(
            database,
            NewBusiness(
                display_name="Shree Ganesh Cement Traders",
                whatsapp_number="+912041230000",
                owner_phone="+919822000000",
                gstin="27AAPFS1234C1ZD",
                address="Shop 4, Market Yard, Gultekdi, Pune 411037",
                upi_vpa="ganeshcement@okhdfcbank",
            ),
        )
        english = seed_invoice(database, business, "Sharma Traders", "+919811100001", 1)
        hindi = seed_invoice(database, business, "शर्मा ट्रेडर्स", "+919811100002", 3)
        long = seed_invoice(database, business, "Gupta Hardware", "+919811100003", 20)
        print(f"{database.engine.dialect.name}, fonts from {NOTO_DIR}, {args.runs} runs each")
        for label, invoice in (("English, 1 line", english), ("Hindi, 3 lines", hindi), ("20 lines", long)):
            pdf = functools.partial(invoice_pdf, database, business_id=business.id, invoice_id=invoice.id)
            measure(f"invoice_pdf: {label}", args.runs, pdf)
        document = load_invoice_document(database, business_id=business.id, invoice_id=hindi.id)
        measure("render only: Hindi, 3 lines", args.runs, lambda: render_invoice(document))
        measure(
            "render only: core-font fallback",
            args.runs,
            lambda: render_invoice(document, font_dir=Path(folder) / "no-fonts"),
        )
        database.dispose()


if __name__ == "__main__":
    main()
