"""Checks before an invoice goes out: each finding shows when it should and stays quiet when it should not."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event

from bot.db import Database
from bot.errors import UnknownCustomer
from bot.i18n import Money
from modules.business.models import Business
from modules.customers.models import Customer
from modules.customers.repository import get_customer
from modules.customers.service import NewCustomer, create_customer
from modules.invoicing.models import Invoice, InvoiceStatus
from modules.invoicing.quality import Draft, Finding, Severity, check_invoice
from modules.invoicing.service import LineInput, cancel_invoice, create_invoice
from tests.conftest import cement, ist, make_business, make_customer, make_invoice

TODAY = date(2026, 12, 1)
NOW = ist(2026, 12, 1)
CRORE_PAISE = 1_00_00_000_00


def check(
    db: Database,
    business: Business,
    customer: Customer,
    lines: Sequence[LineInput] = (),
    *,
    issue: date = TODAY,
    due: date | None = None,
    exclude: uuid.UUID | None = None,
    now: datetime = NOW,
) -> list[Finding]:
    draft = Draft(
        business_id=business.id,
        customer_id=customer.id,
        issue_date=issue,
        due_date=due,
        lines=list(lines) or [cement()],
        exclude_invoice_id=exclude,
    )
    with db.transaction() as session:
        return check_invoice(session, draft, now=now)


def codes(findings: Sequence[Finding]) -> list[str]:
    return [finding.code for finding in findings]


def found(findings: Sequence[Finding], code: str) -> Finding:
    matching = [finding for finding in findings if finding.code == code]
    assert len(matching) == 1, codes(findings)
    return matching[0]


def bill(
    db: Database,
    business: Business,
    customer: Customer,
    issue: date,
    *lines: LineInput,
    status: InvoiceStatus = InvoiceStatus.SENT,
) -> Invoice:
    return create_invoice(
        db,
        business_id=business.id,
        customer_id=customer.id,
        lines=list(lines) or [cement()],
        issue_date=issue,
        status=status,
    )


def item(
    description: str, rupees: int, quantity: int = 1, hsn: str | None = None, paise: int = 0
) -> LineInput:
    return LineInput(
        description=description,
        quantity=Decimal(quantity),
        unit_price_paise=rupees * 100 + paise,
        gst_rate=Decimal(18),
        hsn_sac=hsn,
    )


def walk_in(db: Database, business: Business, *, name: str = "Ramesh Patil", address: str = "") -> Customer:
    """A customer without GSTIN (B2C)."""
    return create_customer(
        db,
        business_id=business.id,
        new=NewCustomer(name=name, phones=["+919890011122"], address=address),
    )


def gupta(db: Database, business: Business) -> Customer:
    return make_customer(db, business, name="Gupta Hardware", phone="+919811199900", gstin=None)


def monthly_bills(
    db: Database, business: Business, customer: Customer, *, rupees: int = 380, quantity: int = 50
) -> list[Invoice]:
    return [
        make_invoice(db, business, customer, issue=day, rupees=rupees, quantity=quantity)
        for day in (date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1))
    ]


# --- A clean invoice -------------------------------------------------------------------------------------


def test_a_clean_invoice_has_no_findings(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    assert check(db, business, sharma) == []  # no history at all
    monthly_bills(db, business, sharma)
    assert check(db, business, sharma) == []  # the usual bill, on its usual day


def test_a_finding_names_its_locale_sentence(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    finding = found(check(db, business, sharma, due=TODAY + timedelta(days=60)), "late_due_date")
    assert finding.key == "invoice.check.late_due_date"
    assert finding.severity is Severity.WARNING


# --- Buyer's GSTIN, address and state ---------------------------------------------------------------------


def test_missing_gstin_and_address_from_50000_taxable_to_an_unregistered_buyer(db: Database) -> None:
    business = make_business(db)
    ramesh = walk_in(db, business)
    findings = check(db, business, ramesh, [cement(125, 400)])  # ₹50,000 taxable: Rule 46(e)'s line
    assert codes(findings) == ["missing_gstin", "missing_address"]
    assert found(findings, "missing_gstin").params == {
        "customer": "Ramesh Patil",
        "taxable": Money(50_000_00),
    }
    assert found(findings, "missing_address").params == {
        "customer": "Ramesh Patil",
        "taxable": Money(50_000_00),
        "limit": Money(50_000_00),
    }
    assert check(db, business, ramesh, [cement(124, 400)]) == []  # ₹49,600: an ordinary retail sale


def test_an_unregistered_buyer_with_an_address_is_only_asked_for_a_gstin(db: Database) -> None:
    business = make_business(db)
    ramesh = walk_in(db, business, address="Shop 4, Market Yard, Pune")
    assert codes(check(db, business, ramesh, [cement(200, 380)])) == ["missing_gstin"]


def test_a_company_without_gstin_is_flagged_at_any_amount(db: Database) -> None:
    business = make_business(db)
    builders = walk_in(db, business, name="Kulkarni Builders Pvt. Ltd.")
    findings = check(db, business, builders, [cement(10, 380)])
    assert codes(findings) == ["missing_gstin"]
    assert found(findings, "missing_gstin").params["customer"] == "Kulkarni Builders Pvt. Ltd."


def test_a_registered_buyer_needs_no_gstin_reminder(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    assert check(db, business, sharma, [cement(500, 380)]) == []


def test_an_unregistered_business_is_not_held_to_tax_invoice_rules(db: Database) -> None:
    shop = make_business(db, gstin=None, state_code="27")
    ramesh = walk_in(db, shop)
    sharma = make_customer(db, shop)
    assert check(db, shop, ramesh, [item("Cement", 380, quantity=200)]) == []
    assert check(db, shop, sharma, [item("Cement", 380)]) == []


def test_a_gstin_from_another_state_than_on_record_blocks(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)  # GSTIN 27…: Maharashtra
    assert check(db, business, sharma) == []
    with db.transaction() as session:
        get_customer(session, business_id=business.id, customer_id=sharma.id).state_code = "29"
    findings = check(db, business, sharma, due=TODAY + timedelta(days=60))
    assert codes(findings) == ["state_mismatch", "late_due_date"]
    mismatch = findings[0]
    assert mismatch.severity is Severity.BLOCKER
    assert mismatch.params == {
        "customer": "Sharma Traders",
        "gstin": "27ABCDE1234F1Z0",
        "gstin_state_code": "27",
        "gstin_state": "Maharashtra",
        "state_code": "29",
        "state": "Karnataka",
    }


def test_an_unregistered_buyer_in_another_state_is_no_mismatch(db: Database) -> None:
    business = make_business(db)
    goa = make_customer(db, business, name="Goa Tiles", gstin=None, state_code="30")
    assert check(db, business, goa) == []


# --- HSN/SAC digits --------------------------------------------------------------------------------------


def test_a_b2b_line_needs_a_four_digit_hsn_up_to_5_crore(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    findings = check(db, business, sharma, [item("Cement  OPC", 380), item("Sand", 1900, hsn="2505")])
    assert codes(findings) == ["missing_hsn"]
    assert findings[0].params == {"item": "Cement OPC", "digits": 4}
    assert check(db, business, sharma, [item("Cement", 380, hsn="2523")]) == []


def test_a_b2c_line_needs_no_hsn_up_to_5_crore(db: Database) -> None:
    business = make_business(db)
    ramesh = walk_in(db, business)
    assert check(db, business, ramesh, [item("Cement", 380)]) == []


def big_sale(rupees: int = 5 * 10**7, paise: int = 0) -> LineInput:
    return item("Cement bulk", rupees, hsn="2523", paise=paise)


def test_exactly_5_crore_last_year_still_needs_four_digits(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    contractor = make_customer(db, business, name="Patil Infra", phone="+919822233344")
    bill(db, business, contractor, date(2025, 4, 1), big_sale())  # exactly ₹5 crore in FY 2025-26
    # None of these is last year's turnover: a draft, a cancelled bill, and one of this year.
    bill(db, business, contractor, date(2026, 3, 31), big_sale(), status=InvoiceStatus.DRAFT)
    cancelled = bill(db, business, contractor, date(2026, 3, 31), big_sale())
    cancel_invoice(db, business_id=business.id, invoice_id=cancelled.id, today=date(2026, 3, 31))
    bill(db, business, contractor, date(2026, 4, 1), big_sale())
    assert check(db, business, sharma) == []
    assert check(db, business, walk_in(db, business), [item("Cement", 380)]) == []


def test_above_5_crore_last_year_a_line_needs_six_digits(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    contractor = make_customer(db, business, name="Patil Infra", phone="+919822233344")
    bill(db, business, contractor, date(2025, 4, 1), big_sale())
    bill(db, business, contractor, date(2026, 3, 31), big_sale(0, paise=1))  # one paisa over ₹5 crore
    findings = check(db, business, sharma)
    assert codes(findings) == ["short_hsn"]
    assert findings[0].params == {"item": "Cement OPC 53", "hsn": "2523", "digits": 6}
    assert check(db, business, sharma, [item("Cement OPC 53", 380, hsn="252329")]) == []
    # Above ₹5 crore even a buyer without GSTIN gets the code.
    ramesh = walk_in(db, business)
    assert found(check(db, business, ramesh, [item("Cement", 380)]), "missing_hsn").params == {
        "item": "Cement",
        "digits": 6,
    }


# --- Due date --------------------------------------------------------------------------------------------


def test_credit_beyond_45_days_is_flagged(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    findings = check(db, business, sharma, due=date(2027, 1, 16))
    assert findings[0].params == {
        "customer": "Sharma Traders",
        "days": 46,
        "due": date(2027, 1, 16),
        "limit": 45,
    }
    assert check(db, business, sharma, due=date(2027, 1, 15)) == []  # 45 days: the most s.15 allows


def test_a_customers_long_credit_days_are_flagged_when_no_due_date_is_given(db: Database) -> None:
    business = make_business(db)
    slow = make_customer(db, business, name="Slow Payers", phone="+919811100011", credit_days=60)
    assert found(check(db, business, slow), "late_due_date").params["days"] == 60


# --- Unusual price ---------------------------------------------------------------------------------------


def test_a_price_typo_3800_for_380_is_caught(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    monthly_bills(db, business, sharma)
    findings = check(db, business, sharma, [cement(50, 3800)])
    assert found(findings, "unusual_price").params == {
        "customer": "Sharma Traders",
        "item": "Cement OPC 53",
        "price": Money(3800_00),
        "usual": Money(380_00),
    }
    assert "unusual_price" in codes(check(db, business, sharma, [cement(50, 38)]))


@pytest.mark.parametrize(
    ("rupees", "flagged"),
    [(400, False), (570, False), (571, True), (254, False), (253, True)],
)
def test_a_price_is_unusual_beyond_one_and_a_half_times_either_way(
    db: Database, rupees: int, flagged: bool
) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    monthly_bills(db, business, sharma)
    assert codes(check(db, business, sharma, [cement(50, rupees)])) == (["unusual_price"] if flagged else [])


def test_two_past_prices_are_no_usual_yet(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    make_invoice(db, business, sharma, issue=date(2026, 10, 1))
    make_invoice(db, business, sharma, issue=date(2026, 11, 1))
    make_invoice(
        db, business, sharma, issue=date(2026, 11, 15), status=InvoiceStatus.DRAFT
    )  # not a price yet
    assert check(db, business, sharma, [cement(50, 3800)]) == []


def test_prices_older_than_a_year_or_post_dated_are_no_usual(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    for day in (date(2025, 11, 1), date(2025, 11, 20), date(2026, 12, 20)):
        make_invoice(db, business, sharma, issue=day)
    assert check(db, business, sharma, [cement(50, 3800)]) == []


def test_without_own_history_the_price_other_customers_pay_is_usual(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    monthly_bills(db, business, gupta(db, business))
    findings = check(db, business, sharma, [cement(50, 3800)])
    assert codes(findings) == ["unusual_price"]
    assert findings[0].params["usual"] == Money(380_00)
    assert check(db, business, sharma) == []


def test_a_customers_own_price_comes_before_what_others_pay(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    monthly_bills(db, business, gupta(db, business))
    monthly_bills(db, business, sharma, rupees=200)  # Sharma's special rate
    findings = check(db, business, sharma, [cement(50, 380)])
    assert found(findings, "unusual_price").params["usual"] == Money(200_00)
    assert "unusual_price" not in codes(check(db, business, sharma, [cement(50, 210)]))


def test_an_item_is_matched_by_description_whatever_its_case_and_spacing(db: Database) -> None:
    business = make_business(db)
    ramesh = walk_in(db, business, address="Shop 4, Market Yard, Pune")
    for day in (date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)):
        bill(db, business, ramesh, day, item("River sand", 1900, quantity=10))
    findings = check(db, business, ramesh, [item("river  SAND", 19000, quantity=10)])
    assert found(findings, "unusual_price").params["usual"] == Money(1900_00)
    assert check(db, business, ramesh, [item("River Sand", 2000, quantity=10)]) == []


def test_an_item_with_a_new_description_is_matched_by_its_hsn(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    monthly_bills(db, business, sharma)
    typo = [item("OPC cement", 3800, quantity=50, hsn="2523")]
    assert found(check(db, business, sharma, typo), "unusual_price").params["usual"] == Money(380_00)


def test_an_items_own_description_comes_before_others_under_its_hsn(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    white = item("White cement", 1500, quantity=10, hsn="2523")  # the same HSN heading as grey cement
    for day in (date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)):
        bill(db, business, sharma, day, cement(), white)
    assert check(db, business, sharma, [white]) == []


# --- Unusual total ---------------------------------------------------------------------------------------


def test_a_total_far_from_the_customers_usual_is_flagged(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    monthly_bills(db, business, sharma)  # ₹22,420 each
    findings = check(db, business, sharma, [cement(500)])
    assert codes(findings) == ["unusual_total"]
    assert findings[0].params == {
        "customer": "Sharma Traders",
        "total": Money(224_200_00),
        "usual": Money(22_420_00),
    }
    assert codes(check(db, business, sharma, [cement(5)])) == ["unusual_total"]
    assert check(db, business, sharma, [cement(200)]) == []  # four times: a big order, not a slip
    assert check(db, business, sharma, [cement(15)]) == []


def test_two_past_totals_are_no_usual_yet(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    make_invoice(db, business, sharma, issue=date(2026, 10, 1))
    make_invoice(db, business, sharma, issue=date(2026, 11, 1))
    assert check(db, business, sharma, [cement(5000)]) == []


# --- Duplicates ------------------------------------------------------------------------------------------


def test_the_same_bill_within_a_week_is_a_duplicate(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    earlier = make_invoice(db, business, sharma, issue=date(2026, 11, 24))  # 7 days before
    findings = check(db, business, sharma)
    assert codes(findings) == ["duplicate"]
    assert findings[0].params == {
        "customer": "Sharma Traders",
        "number": earlier.number,
        "date": date(2026, 11, 24),
        "total": Money(22_420_00),
    }


def test_the_closest_copy_is_named(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    make_invoice(db, business, sharma, issue=date(2026, 11, 25))
    closest = make_invoice(db, business, sharma, issue=date(2026, 11, 30))
    assert found(check(db, business, sharma), "duplicate").params["number"] == closest.number


def test_the_same_bill_eight_days_apart_is_no_duplicate(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    make_invoice(db, business, sharma, issue=date(2026, 11, 23))
    make_invoice(db, business, sharma, issue=date(2026, 12, 9))
    assert check(db, business, sharma) == []


def test_a_cancelled_bill_is_no_original(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    earlier = make_invoice(db, business, sharma, issue=date(2026, 11, 30))
    cancel_invoice(db, business_id=business.id, invoice_id=earlier.id, today=date(2026, 11, 30))
    assert check(db, business, sharma) == []


@pytest.mark.parametrize(("paise", "duplicate"), [(387_00, True), (390_00, False)])
def test_a_duplicates_total_is_within_two_percent(db: Database, paise: int, duplicate: bool) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    make_invoice(db, business, sharma, issue=date(2026, 11, 30))  # 50 bags at ₹380
    findings = check(db, business, sharma, [cement(50, paise // 100)])  # 1.8% or 2.6% more
    assert codes(findings) == (["duplicate"] if duplicate else [])


def test_other_items_for_the_same_total_are_no_duplicate(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    bill(db, business, sharma, date(2026, 11, 30), item("TMT bar", 19000, hsn="7214"))
    assert check(db, business, sharma) == []


def test_rechecking_a_stored_invoice_does_not_find_itself(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    stored = make_invoice(db, business, sharma, issue=TODAY)
    assert codes(check(db, business, sharma)) == ["duplicate"]
    assert check(db, business, sharma, exclude=stored.id) == []


def test_a_monthly_bill_on_schedule_is_no_duplicate_but_the_same_bill_two_days_later_is(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    monthly_bills(db, business, sharma)
    assert check(db, business, sharma) == []
    december = make_invoice(db, business, sharma, issue=TODAY)
    again = check(db, business, sharma, issue=date(2026, 12, 3), now=ist(2026, 12, 3))
    assert codes(again) == ["duplicate"]
    assert again[0].params["number"] == december.number


def test_a_weekly_bill_a_week_after_the_last_is_no_duplicate(db: Database) -> None:
    business = make_business(db)
    hotel = make_customer(db, business, name="Hotel Shivneri", phone="+919822100200")
    milk = [item("Milk", 60, quantity=70, hsn="0401")]
    for day in (date(2026, 11, 3), date(2026, 11, 10), date(2026, 11, 17)):
        bill(db, business, hotel, day, *milk)
    on_schedule = date(2026, 11, 24)
    assert check(db, business, hotel, milk, issue=on_schedule, now=ist(2026, 11, 24)) == []
    latest = bill(db, business, hotel, on_schedule, *milk)
    again = check(db, business, hotel, milk, issue=date(2026, 11, 26), now=ist(2026, 11, 26))
    assert codes(again) == ["duplicate"]
    assert again[0].params["number"] == latest.number


def test_one_earlier_bill_a_week_ago_is_no_rhythm_yet(db: Database) -> None:
    business = make_business(db)
    hotel = make_customer(db, business, name="Hotel Shivneri", phone="+919822100200")
    milk = [item("Milk", 60, quantity=70, hsn="0401")]
    bill(db, business, hotel, date(2026, 11, 17), *milk)
    findings = check(db, business, hotel, milk, issue=date(2026, 11, 24), now=ist(2026, 11, 24))
    assert codes(findings) == ["duplicate"]


def test_a_partial_shipment_of_the_same_goods_is_no_duplicate(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    make_invoice(db, business, sharma, issue=date(2026, 11, 30), quantity=50)
    assert check(db, business, sharma, [cement(25)]) == []


def test_other_quantities_of_the_same_items_are_no_duplicate_even_at_the_same_total(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)

    def shipment(bags: int, brass: int) -> list[LineInput]:
        return [cement(bags), item("M-sand", 1900, quantity=brass, hsn="2505")]

    bill(db, business, sharma, date(2026, 11, 30), *shipment(50, 10))  # ₹19,000 + ₹19,000
    assert check(db, business, sharma, shipment(40, 12)) == []  # ₹15,200 + ₹22,800: the same total
    assert codes(check(db, business, sharma, shipment(50, 10))) == ["duplicate"]


# --- Cost ------------------------------------------------------------------------------------------------


def statements_run(db: Database, business: Business, customer: Customer, lines: Sequence[LineInput]) -> int:
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        check(db, business, customer, lines)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])


def test_the_checks_take_a_few_queries_however_long_the_history(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    new_item = [item("Binding wire", 90, quantity=20, hsn="7217")]  # needs the business-wide prices too
    make_invoice(db, business, sharma, issue=date(2026, 11, 1))
    few = statements_run(db, business, sharma, new_item)
    for day in range(2, 30):
        make_invoice(db, business, sharma, issue=date(2026, 10, day))
    # Business, customer and phones, last year's turnover, invoices and their lines, business-wide prices.
    assert statements_run(db, business, sharma, new_item) == few <= 7


# --- Tenancy ---------------------------------------------------------------------------------------------


def test_another_businesss_invoices_never_count(db: Database) -> None:
    pune = make_business(db)
    surat = make_business(db, number="+912612345678", owner="+919825012345", gstin=None, state_code="24")
    sharma_pune = make_customer(db, pune)
    sharma_surat = make_customer(db, surat, gstin=None)
    contractor = make_customer(db, surat, name="Patil Infra", phone="+919822233344", gstin=None)
    bill(db, surat, contractor, date(2025, 6, 1), big_sale(6 * 10**7))  # ₹6 crore last year, in Surat
    monthly_bills(db, surat, sharma_surat, rupees=3800)
    make_invoice(db, surat, sharma_surat, issue=date(2026, 11, 30))

    assert check(db, pune, sharma_pune) == []  # no usual price, no 6-digit HSN, no duplicate
    with pytest.raises(UnknownCustomer):
        check(db, pune, sharma_surat)


def test_a_rate_removed_in_the_2025_rationalisation_is_questioned_on_later_bills(db: Database) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    tiles = LineInput("Vitrified tiles", Decimal(20), 600_00, Decimal(28), hsn_sac="6907", unit="box")
    with db.transaction() as session:
        before = check_invoice(
            session, _retired_draft(business.id, customer.id, tiles, date(2025, 9, 21)), now=NOW
        )
        after = check_invoice(
            session, _retired_draft(business.id, customer.id, tiles, date(2026, 11, 28)), now=NOW
        )
    assert "retired_rate" not in {f.code for f in before}
    (finding,) = [f for f in after if f.code == "retired_rate"]
    assert finding.params == {"rate": "28", "since": date(2025, 9, 22)}


def _retired_draft(business_id: uuid.UUID, customer_id: uuid.UUID, line: LineInput, day: date) -> Draft:
    return Draft(
        business_id=business_id, customer_id=customer_id, issue_date=day, due_date=None, lines=[line]
    )


def test_a_price_said_per_another_weight_than_the_quantity_is_questioned(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    per_kilo = replace(item("Sariya", 65, quantity=20, hsn="7214"), unit="bag", price_unit="kilo")
    assert found(check(db, business, sharma, [per_kilo]), "price_unit").params == {
        "item": "Sariya",
        "unit": "bag",
        "price_unit": "kilo",
    }
    assert "price_unit" not in codes(check(db, business, sharma, [replace(per_kilo, price_unit=None)]))
