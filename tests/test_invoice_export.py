"""The accountant's CSV: a row per invoice line, amounts to the paisa, drafts left out, tenants apart."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from bot.db import Database
from modules.invoicing.export import COLUMNS, export_invoices
from modules.invoicing.models import InvoiceStatus
from modules.invoicing.service import LineInput, cancel_invoice, create_invoice
from tests.conftest import cement, make_business, make_customer, make_invoice, pay


def _export(db: Database, business_id: object, **period: date) -> list[dict[str, str]]:
    out = io.StringIO()
    with db.transaction() as session:
        export_invoices(session, out, business_id=business_id, **period)  # type: ignore[arg-type]
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_each_line_is_a_row_with_its_tax_and_the_invoice_balance(db: Database) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    sand = LineInput(
        description="River sand",
        quantity=Decimal("2.5"),
        unit="brass",
        unit_price_paise=450_000,
        gst_rate=Decimal(5),
        hsn_sac="2505",
    )
    invoice = create_invoice(
        db,
        business_id=business.id,
        customer_id=customer.id,
        lines=[cement(50, 380), sand],
        issue_date=date(2026, 11, 2),
        status=InvoiceStatus.SENT,
    )
    pay(db, customer, 10_000_00)
    rows = _export(db, business.id)
    assert tuple(rows[0]) == COLUMNS
    cement_row, sand_row = rows
    assert cement_row["invoice_number"] == sand_row["invoice_number"] == invoice.number
    assert cement_row["taxable_value"] == "19000.00" and cement_row["cgst"] == "1710.00"
    assert cement_row["igst"] == "0.00" and cement_row["place_of_supply"] == "27-Maharashtra"
    assert (
        sand_row["quantity"] == "2.5"
        and sand_row["gst_rate"] == "5"
        and sand_row["taxable_value"] == "11250.00"
    )
    assert cement_row["invoice_total"] == f"{Decimal(invoice.total_paise) / 100:.2f}"
    assert cement_row["paid"] == "10000.00"
    assert Decimal(cement_row["balance"]) == Decimal(invoice.total_paise - 10_000_00) / 100


def test_drafts_are_left_out_cancelled_ones_owe_nothing_and_the_period_filters(db: Database) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    make_invoice(db, business, customer, issue=date(2026, 10, 30))
    make_invoice(db, business, customer, issue=date(2026, 11, 5), status=InvoiceStatus.DRAFT)
    cancelled = make_invoice(db, business, customer, issue=date(2026, 11, 6))
    cancel_invoice(db, business_id=business.id, invoice_id=cancelled.id, today=date(2026, 11, 6))
    rows = _export(db, business.id, start=date(2026, 11, 1))
    assert [(r["invoice_number"], r["status"], r["balance"]) for r in rows] == [
        (cancelled.number, "cancelled", "0.00")
    ]
    assert len(_export(db, business.id)) == 2


def test_another_business_never_appears(db: Database) -> None:
    ours = make_business(db)
    theirs = make_business(db, number="+912241234567", owner="+919833012345")
    make_invoice(db, theirs, make_customer(db, theirs))
    assert _export(db, ours.id) == []
