from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from bot.db import Database
from bot.errors import (
    DuplicateInvoiceNumber,
    InvalidAmount,
    InvalidGstin,
    InvalidInput,
    InvalidInvoice,
    InvalidQuantity,
    UnknownCustomer,
)
from modules.business.service import NewBusiness, create_business
from modules.customers.service import NewCustomer, create_customer
from modules.invoicing.models import InvoiceCounter, InvoiceStatus
from modules.invoicing.numbering import financial_year
from modules.invoicing.service import LineInput, cancel_invoice, create_invoice, mark_sent
from modules.invoicing.tax import round_off
from tests.conftest import cement, make_business, make_customer, make_invoice


def test_scenario_invoice_total_is_22420_with_cgst_and_sgst(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    invoice = make_invoice(db, business, sharma, status=InvoiceStatus.DRAFT)
    assert invoice.taxable_paise == 19_000_00
    assert (invoice.cgst_paise, invoice.sgst_paise, invoice.igst_paise) == (1_710_00, 1_710_00, 0)
    assert invoice.total_paise == 22_420_00
    assert invoice.number == "INV-2026-27-0001" and len(invoice.number) == 16
    assert invoice.due_date == date(2026, 12, 1)  # 30 credit days
    assert invoice.place_of_supply == "27"
    assert invoice.status is InvoiceStatus.DRAFT


def test_other_state_customer_pays_igst(db: Database) -> None:
    business = make_business(db)
    bengaluru = make_customer(db, business, name="Reddy Infra", gstin="29AAACG0569P1Z3")
    invoice = make_invoice(db, business, bengaluru)
    assert (invoice.cgst_paise, invoice.sgst_paise, invoice.igst_paise) == (0, 0, 3_420_00)
    assert invoice.place_of_supply == "29"


def test_several_lines_add_up_to_the_paisa(db: Database) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    lines = [
        cement(50, 380),
        LineInput(
            description="TMT bar",
            quantity=Decimal("1234.5"),
            unit_price_paise=6133,
            gst_rate=Decimal(18),
            hsn_sac="7214",
            unit="kg",
        ),
        LineInput(
            description="M-sand",
            quantity=Decimal(3),
            unit_price_paise=5_555_55,
            gst_rate=Decimal(5),
            hsn_sac="2517",
            unit="brass",
        ),
    ]
    invoice = create_invoice(
        db, business_id=business.id, customer_id=customer.id, lines=lines, issue_date=date(2026, 11, 20)
    )
    # TMT: 1234.5 × 61.33 = 75711.885 → 7571189 paise; 9% = 681407.01 → 681407 each.
    # Sand: 3 × 5555.55 = 1666665 paise; 2.5% = 41666.625 → 41667 each.
    assert [line.taxable_paise for line in invoice.lines] == [1900000, 7571189, 1666665]
    assert [line.cgst_paise for line in invoice.lines] == [171000, 681407, 41667]
    assert invoice.taxable_paise == 1900000 + 7571189 + 1666665
    assert invoice.cgst_paise == invoice.sgst_paise == 171000 + 681407 + 41667
    # The lines add up to ₹1,29,260.02; the invoice rounds to the rupee and prints the round-off.
    assert sum(line.total_paise for line in invoice.lines) == invoice.taxable_paise + 2 * invoice.cgst_paise
    assert sum(line.total_paise for line in invoice.lines) == 12_926_002
    assert (invoice.round_off_paise, invoice.total_paise) == (-2, 12_926_000)


def test_the_total_rounds_to_the_nearest_rupee_fifty_paise_up() -> None:
    assert [round_off(p) for p in (12_926_002, 10_049, 10_050, 10_099, 10_000)] == [-2, -49, 50, 1, 0]


def test_invoice_numbers_are_consecutive_per_financial_year(db: Database) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    numbers = [make_invoice(db, business, customer, issue=date(2027, 3, d)).number for d in (29, 30, 31)]
    assert numbers == ["INV-2026-27-0001", "INV-2026-27-0002", "INV-2026-27-0003"]
    # The series starts again on 1 April.
    assert make_invoice(db, business, customer, issue=date(2027, 4, 1)).number == "INV-2027-28-0001"
    assert financial_year(date(2027, 3, 31)) == "2026-27" and financial_year(date(2027, 4, 1)) == "2027-28"


def test_a_number_reused_in_the_same_year_is_refused_but_next_year_may_reuse_it(db: Database) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    make_invoice(db, business, customer, issue=date(2026, 4, 10), number="GC/42")
    with pytest.raises(DuplicateInvoiceNumber) as error:
        make_invoice(db, business, customer, issue=date(2027, 3, 1), number="GC/42")
    assert error.value.params == {"number": "GC/42", "financial_year": "2026-27"}
    assert (
        make_invoice(db, business, customer, issue=date(2027, 4, 1), number="GC/42").financial_year
        == "2027-28"
    )


def test_the_series_skips_numbers_typed_by_hand(db: Database) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    make_invoice(db, business, customer, number="INV-2026-27-0001")
    assert make_invoice(db, business, customer).number == "INV-2026-27-0002"


def test_two_businesses_have_their_own_series(db: Database) -> None:
    first = make_business(db)
    second = make_business(db, number="+912241234567", owner="+919833012345", gstin=None)
    a = make_invoice(db, first, make_customer(db, first))
    b = make_invoice(db, second, make_customer(db, second))
    assert a.number == b.number == "INV-2026-27-0001"


@pytest.mark.parametrize(
    ("line", "error"),
    [
        (cement(quantity=-5), InvalidQuantity),
        (cement(quantity=0), InvalidQuantity),
        (cement(rupees=0), InvalidAmount),
        (
            LineInput(description="  ", quantity=Decimal(1), unit_price_paise=100, gst_rate=Decimal(18)),
            InvalidInput,
        ),
        (
            LineInput(
                description="Cement",
                quantity=Decimal(1),
                unit_price_paise=100,
                gst_rate=Decimal(18),
                hsn_sac="25A3",
            ),
            InvalidInvoice,
        ),
    ],
)
def test_bad_lines_raise_typed_errors(db: Database, line: LineInput, error: type[Exception]) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    with pytest.raises(error):
        create_invoice(
            db, business_id=business.id, customer_id=customer.id, lines=[line], issue_date=date(2026, 11, 1)
        )
    # Nothing half-written: the failed invoice did not take a number.
    assert make_invoice(db, business, customer).number == "INV-2026-27-0001"


def test_invoice_needs_lines_and_a_sane_due_date(db: Database) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    with pytest.raises(InvalidInvoice):
        create_invoice(
            db, business_id=business.id, customer_id=customer.id, lines=[], issue_date=date(2026, 11, 1)
        )
    with pytest.raises(InvalidInvoice):
        make_invoice(db, business, customer, issue=date(2026, 11, 1), due=date(2026, 10, 1))
    with pytest.raises(InvalidInvoice):
        make_invoice(db, business, customer, number="INV 42 with spaces")


def test_unknown_customer_is_refused(db: Database) -> None:
    business = make_business(db)
    other = make_business(db, number="+912241234567", owner="+919833012345")
    stranger = make_customer(db, other)
    with pytest.raises(UnknownCustomer):
        make_invoice(db, business, stranger)


def test_customer_with_a_malformed_gstin_is_refused(db: Database) -> None:
    business = make_business(db)
    with pytest.raises(InvalidGstin):
        create_customer(db, business_id=business.id, new=NewCustomer(name="Bad", gstin="27ABCDE1234F1Z"))


def test_draft_to_sent_and_cancel(db: Database) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    draft = make_invoice(db, business, customer, status=InvoiceStatus.DRAFT)
    assert mark_sent(db, business_id=business.id, invoice_id=draft.id).status is InvoiceStatus.SENT
    with pytest.raises(InvalidInvoice):
        mark_sent(db, business_id=business.id, invoice_id=draft.id)
    never_sent = make_invoice(db, business, customer, status=InvoiceStatus.DRAFT)
    cancelled = cancel_invoice(db, business_id=business.id, invoice_id=never_sent.id, today=date(2026, 11, 2))
    assert cancelled.invoice.status is InvoiceStatus.CANCELLED
    assert cancelled.credit_note is None  # a draft was never issued: nothing to reverse


def test_a_business_chooses_the_form_of_its_series_and_it_restarts_each_financial_year(db: Database) -> None:
    business = create_business(
        db,
        NewBusiness(
            display_name="Ganesh Cement",
            whatsapp_number="+912041234999",
            owner_phone="+919822012999",
            state_code="27",
            invoice_prefix="GC",
            invoice_series="{prefix}/{fy2}/{n:03}",
        ),
    )
    customer = make_customer(db, business)
    numbers = [make_invoice(db, business, customer, issue=day).number for day in (date(2027, 3, 31),) * 2]
    numbers.append(make_invoice(db, business, customer, issue=date(2027, 4, 1)).number)
    assert numbers == ["GC/26-27/001", "GC/26-27/002", "GC/27-28/001"]


@pytest.mark.parametrize(
    "series",
    [
        "{prefix}-{fy}-{fy}-{n:04}",  # longer than 16 characters
        "{prefix}-{fy}",  # no sequence: every invoice would get the same number
        "{prefix}-{year}-{n}",  # no such placeholder
        "/{prefix}{n:04}",  # a number starts with a letter or digit
        "{prefix} {n:04}",  # no spaces in a Rule 46 number
    ],
)
def test_a_series_that_cannot_give_rule_46_numbers_is_refused(db: Database, series: str) -> None:
    with pytest.raises(InvalidInvoice):
        create_business(
            db,
            NewBusiness(
                display_name="Shop",
                whatsapp_number="+912041234998",
                owner_phone="+919822012998",
                state_code="27",
                invoice_series=series,
            ),
        )


def test_a_full_series_refuses_a_number_longer_than_rule_46_allows(db: Database) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    make_invoice(db, business, customer)
    with db.transaction() as session:
        session.scalars(select(InvoiceCounter)).one().last_sequence = 9_999
    with pytest.raises(InvalidInvoice, match="full"):
        make_invoice(db, business, customer)
