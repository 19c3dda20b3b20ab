"""Demo data: a Pune cement and building-material trader with six months of realistic receivables.

Everything goes through the same services as real use, so the GST maths, numbering and allocations are
the real ones. The same seed and day give the same data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.db import Database
from bot.gstin import gstin_check_character
from modules.business.models import Business, Role
from modules.business.repository import find_business_by_number
from modules.business.service import NewBusiness, add_staff, create_business
from modules.collections.service import record_promise
from modules.customers.models import Customer
from modules.customers.service import NewCustomer, create_customer
from modules.disputes.service import open_dispute
from modules.invoicing.models import Invoice, InvoiceStatus
from modules.invoicing.service import LineInput, create_invoice
from modules.payments.models import PaymentMode
from modules.payments.service import record_payment
from modules.payments.transfer import bank_account

DEMO_WHATSAPP_NUMBER = "+912041234567"
DEMO_OWNER_PHONE = "+919822012345"
DEMO_STAFF_PHONE = "+919822054321"
# The customer the simulator scenario (shared/spec/simulator-api.md) talks about, on the number it uses.
SCENARIO_CUSTOMER = ("Sharma Traders", "+919811122233")
HISTORY_DAYS = 182
INVOICE_COUNT = 200

# name, city, state code, registered for GST, language, credit days, payer profile
CUSTOMERS: tuple[tuple[str, str, str, bool, str, int, str], ...] = (
    ("Sharma Traders", "Pune", "27", True, "hi-Latn", 30, "slow"),
    ("Gupta Hardware", "Pimpri-Chinchwad", "27", True, "hi-Latn", 30, "prompt"),
    ("Verma Constructions", "Pune", "27", True, "hi-Latn", 45, "chronic"),
    ("Patil Builders", "Hadapsar, Pune", "27", True, "mr", 30, "slow"),
    ("Deshmukh Infra Projects", "Nashik", "27", True, "mr", 45, "slow"),
    ("Kulkarni Developers", "Satara", "27", True, "mr", 30, "prompt"),
    ("Jadhav Brothers Contractors", "Baramati", "27", False, "mr", 15, "slow"),
    ("Shinde Cement Agency", "Kolhapur", "27", True, "mr", 30, "prompt"),
    ("Pawar Home Builders", "Wagholi, Pune", "27", False, "mr", 15, "chronic"),
    ("More Construction Co.", "Chakan", "27", True, "mr", 30, "slow"),
    ("Joshi Realty", "Kothrud, Pune", "27", True, "en", 45, "prompt"),
    ("Mehta Steels", "Bhiwandi", "27", True, "hi-Latn", 30, "slow"),
    ("Agarwal Enterprises", "Mumbai", "27", True, "hi", 30, "prompt"),
    ("Khan Brothers", "Pune", "27", False, "hi-Latn", 15, "slow"),
    ("Yadav Contractors", "Talegaon", "27", False, "hi-Latn", 15, "chronic"),
    ("Sai Krupa Developers", "Ahmednagar", "27", True, "mr", 30, "disputer"),
    ("Om Sai Hardware", "Lonavala", "27", False, "hi-Latn", 15, "prompt"),
    ("Lakshmi Tiles & Sanitary", "Solapur", "27", True, "mr", 30, "slow"),
    ("Ganesh Infrastructure", "Aurangabad", "27", True, "mr", 45, "slow"),
    ("Raut Civil Works", "Pune", "27", False, "mr", 15, "prompt"),
    ("Bhosale Housing", "Sangli", "27", True, "mr", 30, "chronic"),
    ("Fernandes Interiors", "Pune", "27", False, "en", 15, "prompt"),
    ("Sheth Builders", "Surat", "24", True, "gu", 30, "slow"),
    ("Patel Traders", "Vapi", "24", True, "gu", 30, "prompt"),
    ("Desai Constructions", "Valsad", "24", True, "gu", 45, "disputer"),
    ("Shah Cement Depot", "Ahmedabad", "24", False, "gu", 15, "slow"),
    ("Hegde Constructions", "Belagavi", "29", True, "kn", 30, "slow"),
    ("Kamath Developers", "Hubballi", "29", True, "kn", 45, "prompt"),
    ("Naik Building Materials", "Dharwad", "29", False, "kn", 15, "chronic"),
    ("Reddy Infra", "Bengaluru", "29", True, "en", 45, "slow"),
)

# description, HSN, unit, price range in rupees, quantity range, GST rate (after the Sept 2025 reform)
ITEMS: tuple[tuple[str, str, str, tuple[int, int], tuple[int, int], str], ...] = (
    ("Cement OPC 53 grade", "2523", "bag", (360, 395), (50, 400), "18"),
    ("Cement PPC", "2523", "bag", (340, 370), (50, 300), "18"),
    ("TMT bar Fe 550D", "7214", "kg", (58, 66), (500, 4000), "18"),
    ("Binding wire", "7217", "kg", (75, 90), (20, 100), "18"),
    ("M-sand", "2517", "brass", (5200, 6400), (2, 12), "5"),
    ("Fly ash bricks", "6815", "nos", (7, 9), (2000, 10000), "5"),
    ("AAC blocks", "6810", "cum", (3800, 4400), (5, 30), "18"),
    ("Vitrified tiles 600x600", "6907", "box", (520, 780), (20, 120), "18"),
)

DISPUTE_REASONS = (
    "rate galat lagaya hai, 350 tha",
    "20 bag cement geeli nikli, uska paisa nahi dunga",
    "TMT ka weight kam aaya, 120 kg short",
    "tiles ka box tuta hua tha",
)
PAYMENT_MODES = (
    PaymentMode.UPI,
    PaymentMode.UPI,
    PaymentMode.NEFT,
    PaymentMode.RTGS,
    PaymentMode.CHEQUE,
    PaymentMode.CASH,
)  # UPI twice: it is the most common way small traders are paid
ELECTRONIC_MODES = (PaymentMode.UPI, PaymentMode.NEFT, PaymentMode.RTGS)
# Customers with more than this count of overdue invoices are given a pending promise to pay.
PROMISE_AFTER_OVERDUE = 2


@dataclass(frozen=True)
class DemoSummary:
    business_id: str
    customers: int
    invoices: int
    payments: int
    promises: int
    disputes: int


def seed_demo(db: Database, *, today: date, seed: int = 42) -> DemoSummary | None:
    """Create the demo business unless it exists already (then None). One transaction: all or nothing."""
    rng = random.Random(seed)
    with db.transaction() as session:
        if find_business_by_number(session, DEMO_WHATSAPP_NUMBER) is not None:
            return None
        business = create_business(db, _demo_business())
        add_staff(
            db, business_id=business.id, phone=DEMO_STAFF_PHONE, name="Suresh (accounts)", role=Role.STAFF
        )
        customers = [_demo_customer(db, business, row, index, rng) for index, row in enumerate(CUSTOMERS)]
        counts = {"invoices": 0, "payments": 0, "promises": 0, "disputes": 0}
        overdue_by_customer: dict[Customer, int] = {}
        for issue_day in sorted(
            today - timedelta(days=rng.randint(0, HISTORY_DAYS)) for _ in range(INVOICE_COUNT)
        ):
            index = rng.randrange(len(customers))
            customer, profile = customers[index], CUSTOMERS[index][6]
            invoice = create_invoice(
                db,
                business_id=business.id,
                customer_id=customer.id,
                lines=_lines(rng),
                issue_date=issue_day,
                status=InvoiceStatus.DRAFT if issue_day == today else InvoiceStatus.SENT,
            )
            counts["invoices"] += 1
            counts["payments"] += _settle(db, invoice, profile, today, business, rng)
            if profile == "disputer" and invoice.status is not InvoiceStatus.PAID and rng.random() < 0.5:
                open_dispute(
                    db,
                    business_id=business.id,
                    customer_id=customer.id,
                    invoice_id=invoice.id,
                    reason=rng.choice(DISPUTE_REASONS),
                )
                counts["disputes"] += 1
            elif (
                invoice.status in (InvoiceStatus.SENT, InvoiceStatus.PARTIALLY_PAID)
                and invoice.due_date < today
            ):
                overdue_by_customer[customer] = overdue_by_customer.get(customer, 0) + 1
        for customer, overdue in overdue_by_customer.items():
            if overdue > PROMISE_AFTER_OVERDUE:
                record_promise(
                    db,
                    business_id=business.id,
                    customer_id=customer.id,
                    promised_date=today + timedelta(days=rng.randint(-5, 10)),
                )
                counts["promises"] += 1
    return DemoSummary(business_id=str(business.id), customers=len(customers), **counts)


def _demo_business() -> NewBusiness:
    return NewBusiness(
        display_name="Shree Ganesh Cement Traders",
        legal_name="Shree Ganesh Cement Traders LLP",
        whatsapp_number=DEMO_WHATSAPP_NUMBER,
        owner_phone=DEMO_OWNER_PHONE,
        owner_name="Ganesh Patil",
        gstin="27AAPFS1234C1ZD",
        address="Shop 12, Market Yard, Gultekdi, Pune 411037, Maharashtra",
        upi_vpa="ganeshcement@okhdfcbank",
        language="hi-Latn",
        bank_account=bank_account(
            holder="Shree Ganesh Cement Traders LLP",
            number="50200012345678",
            ifsc="HDFC0000123",
            bank="HDFC Bank, Market Yard",
        ),
    )


def _demo_customer(
    db: Database,
    business: Business,
    row: tuple[str, str, str, bool, str, int, str],
    index: int,
    rng: random.Random,
) -> Customer:
    name, city, state, registered, language, credit_days, profile = row
    return create_customer(
        db,
        business_id=business.id,
        new=NewCustomer(
            name=name,
            phones=[_phone(name, rng)],
            gstin=_fake_gstin(state, name, index) if registered else None,
            state_code=state,
            address=city,
            language=language,
            tags=[profile],
            credit_days=credit_days,
        ),
    )


def _phone(name: str, rng: random.Random) -> str:
    random_mobile = f"+91{rng.choice('6789')}{rng.randrange(10**8, 10**9):09d}"
    return SCENARIO_CUSTOMER[1] if name == SCENARIO_CUSTOMER[0] else random_mobile


def _fake_gstin(state: str, name: str, index: int) -> str:
    """A GSTIN with a valid check character, its PAN letters from the name (fictional numbers)."""
    letters = "".join(c for c in name.upper() if c.isalpha())
    pan = f"{letters[:3]}F{letters[0]}{1000 + index * 37:04d}{letters[-1]}"  # F: a firm, as in real PANs
    first14 = f"{state}{pan}1Z"
    return first14 + gstin_check_character(first14)


def _lines(rng: random.Random) -> list[LineInput]:
    lines = []
    for description, hsn, unit, (low, high), (qty_low, qty_high), rate in rng.sample(
        ITEMS, rng.choice((1, 1, 2, 3))
    ):
        quantity = rng.randint(qty_low, qty_high)
        if unit in ("bag", "nos", "box"):  # sold in round lots
            quantity = max(qty_low, quantity - quantity % 10)
        lines.append(
            LineInput(
                description=description,
                hsn_sac=hsn,
                unit=unit,
                quantity=Decimal(quantity),
                unit_price_paise=rng.randint(low, high) * 100,
                gst_rate=Decimal(rate),
            )
        )
    return lines


def _settle(
    db: Database, invoice: Invoice, profile: str, today: date, business: Business, rng: random.Random
) -> int:
    """Pay the invoice as a customer of this profile would have by today; returns payments made."""
    if invoice.status is InvoiceStatus.DRAFT:
        return 0
    delay = {
        "prompt": rng.randint(-10, 5),
        "slow": rng.randint(10, 75),
        "chronic": rng.randint(60, 200),
        "disputer": rng.randint(20, 90),
    }[profile]
    pay_day = invoice.due_date + timedelta(days=delay)
    if pay_day > today:
        return 0
    partial = rng.random() < 0.2
    amount = invoice.total_paise // 2 // 100 * 100 if partial else invoice.total_paise
    mode = rng.choice(PAYMENT_MODES)
    record_payment(
        db,
        business_id=business.id,
        customer_id=invoice.customer_id,
        amount_paise=amount,
        mode=mode,
        received_at=datetime.combine(pay_day, time(11, 30), tzinfo=ZoneInfo(business.timezone)),
        utr=f"{rng.randrange(10**11, 10**12)}" if mode in ELECTRONIC_MODES else None,
        invoice_ids=[invoice.id],
    )
    return 1
