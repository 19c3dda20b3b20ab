"""Checks on an invoice before it goes out: what a careful accountant would catch at a glance.

Each check reads the draft, the customer's record and the business's own past invoices, and says what is
worth a second look as a `Finding`: a stable code (its sentence is `invoice.check.<code>` in the locales),
the values for that sentence, and whether the owner may confirm past it (a warning) or must fix something
first (a blocker). Nothing here writes: the caller shows the findings beside the draft's summary.
"""

from __future__ import annotations

import enum
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from statistics import median_low
from typing import Protocol

from sqlalchemy.orm import Session

from bot.i18n import Money
from modules.business.models import Business
from modules.business.repository import get_business
from modules.customers.models import Customer
from modules.customers.repository import get_customer
from modules.invoicing.gst import STATE_NAMES, state_code_of
from modules.invoicing.history import (
    ISSUED_STATUSES,
    PastPrice,
    business_prices,
    customer_invoices,
    invoiced_taxable,
    item_name,
)
from modules.invoicing.models import Invoice
from modules.invoicing.numbering import financial_year
from modules.invoicing.service import LineInput, amounts_of

LOCALE_PREFIX = "invoice.check."

# Rule 46(e), CGST Rules: from ₹50,000 of taxable value an unregistered buyer's address, delivery address
# and state must be on the invoice. A sale that size is also where a buyer's missing GSTIN costs them
# the most input tax credit.
B2C_DETAILS_FROM_PAISE = 50_000_00
# Words only an incorporated buyer may put in its name (Companies Act, LLP Act): such buyers are almost
# always GST-registered, whatever the amount.
_INCORPORATED = re.compile(r"\b(pvt|ltd|limited|llp)\b", re.IGNORECASE)

# Notification 78/2020-CT: HSN/SAC digits on a tax invoice follow the preceding financial year's aggregate
# turnover; up to ₹5 crore, four digits, and none at all for an unregistered (B2C) buyer.
HSN_SIX_DIGITS_ABOVE_PAISE = 5_00_00_000_00
HSN_DIGITS_UP_TO_5_CRORE = 4
HSN_DIGITS_ABOVE_5_CRORE = 6

# MSMED Act s.15: the credit period agreed with a micro or small supplier may in no case exceed 45 days;
# beyond it the buyer owes compound interest at three times the bank rate (s.16).
MSME_MAX_CREDIT_DAYS = 45
# The 56th GST Council's slabs took effect on 22 Sep 2025 (CBIC notifications 9-17/2025-CTR): 12% and 28%
# were removed.
RATES_RATIONALISED_ON = date(2025, 9, 22)
RETIRED_RATES = frozenset({Decimal(12), Decimal(28)})

# A usual value needs a few data points: with one or two, either may itself be the odd one.
MIN_HISTORY = 3
# The most recent prices or totals that make the usual, so it follows a price change within months.
RECENT_SAMPLE = 12
# How far back history counts: long enough for slow-moving items and quarterly rhythms, short enough that
# last year's prices do not set this year's usual.
HISTORY_DAYS = 365
# Market moves and discounts stay well inside 1.5× either way; a slipped or extra digit is 10×.
PRICE_RATIO = Fraction(3, 2)
# A customer's bills vary with the size of the order; only five times more or less is worth a question.
TOTAL_RATIO = Fraction(5)

# A bill entered twice is entered within days of the first; a week also catches a copy made next Monday.
DUPLICATE_WINDOW_DAYS = 7
# Two copies of one bill agree to the rupee; 2% allows a re-typed price or rounding, not a new order.
DUPLICATE_TOTAL_TOLERANCE = Fraction(2, 100)
# A quantity more than a tenth off is another shipment of the same goods, not a copy of the bill.
SHIPMENT_QUANTITY_TOLERANCE = Fraction(1, 10)
# A recurring bill keeps to its period within a fifth of it: a week ±1 day, a month ±6 days.
RHYTHM_TOLERANCE = Fraction(1, 5)
# Earlier look-alikes needed before calling it a rhythm: with the draft they make two even gaps.
RHYTHM_MIN_EARLIER = 2
# The most recent look-alikes that say how the bill recurs now.
RHYTHM_BEATS = 3


class Severity(enum.StrEnum):
    WARNING = "warning"  # worth a look; the owner may confirm past it
    BLOCKER = "blocker"  # the invoice would be wrong as it stands: fix the record first


@dataclass(frozen=True)
class Draft:
    """An invoice as `create_invoice` would make it; `exclude_invoice_id` when re-checking a stored one."""

    business_id: uuid.UUID
    customer_id: uuid.UUID
    issue_date: date
    due_date: date | None  # None: issue date + the customer's credit days, as create_invoice does
    lines: Sequence[LineInput]
    exclude_invoice_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Finding:
    """Something about a draft worth a second look; `params` fill the sentence of `key`."""

    code: str
    params: Mapping[str, object]
    severity: Severity = Severity.WARNING

    @property
    def key(self) -> str:
        """The locale key of the sentence that explains it."""
        return LOCALE_PREFIX + self.code


def check_invoice(session: Session, draft: Draft, *, now: datetime) -> list[Finding]:
    """Everything about the draft worth a second look, blockers first.

    Args:
        now: the current time where the business is; usual prices and totals are those of the year up
            to its date, so a post-dated invoice is not yet history.

    Raises:
        UnknownBusiness; UnknownCustomer (also a customer of another business);
        InvalidQuantity, InvalidGstRate: a line that create_invoice would refuse too.
    """
    context = _load(session, draft, today=now.date())
    findings = [finding for check in _CHECKS for finding in check(context)]
    return sorted(findings, key=lambda finding: finding.severity is not Severity.BLOCKER)


@dataclass(frozen=True)
class _Context:
    """What the checks read, loaded once so that no check queries the same thing again."""

    session: Session
    draft: Draft
    today: date
    business: Business
    customer: Customer
    taxable_paise: int
    total_paise: int
    preceding_year_taxable_paise: int
    history: Sequence[Invoice]  # the customer's invoices around the draft and in the past year, newest first


def _load(session: Session, draft: Draft, *, today: date) -> _Context:
    business = get_business(session, draft.business_id)
    customer = get_customer(session, business_id=draft.business_id, customer_id=draft.customer_id)
    intra_state = customer.state_code == business.state_code
    amounts = [amounts_of(line, intra_state=intra_state) for line in draft.lines]
    history = customer_invoices(
        session,
        business_id=draft.business_id,
        customer_id=draft.customer_id,
        issued_from=min(today, draft.issue_date) - timedelta(days=HISTORY_DAYS),
        issued_to=max(today, draft.issue_date + timedelta(days=DUPLICATE_WINDOW_DAYS)),
        exclude_invoice_id=draft.exclude_invoice_id,
    )
    return _Context(
        session=session,
        draft=draft,
        today=today,
        business=business,
        customer=customer,
        taxable_paise=sum(a.taxable_paise for a in amounts),
        total_paise=sum(a.total_paise for a in amounts),
        preceding_year_taxable_paise=invoiced_taxable(
            session, business_id=draft.business_id, financial_year=_preceding_year(draft.issue_date)
        ),
        history=history,
    )


def _preceding_year(day: date) -> str:
    """The financial year before the one `day` falls in: 2026-11-28 → "2025-26"."""
    start = date(day.year if day.month >= 4 else day.year - 1, 4, 1)
    return financial_year(start - timedelta(days=1))


# --- Buyer's registration --------------------------------------------------------------------------------


def _check_missing_gstin(context: _Context) -> Iterator[Finding]:
    """A business-looking sale to a customer with no GSTIN on record.

    It looks like a business sale when the taxable value is ₹50,000 or more (Rule 46(e)'s line) or the
    customer's name says it is a company or LLP (Pvt, Ltd, Limited, LLP). Without its GSTIN on the invoice a
    registered buyer cannot claim the input tax credit, and the sale is reported as B2C. Only a registered
    business issues tax invoices, so only then is it checked.
    """
    customer = context.customer
    if context.business.gstin is None or customer.gstin is not None:
        return
    if context.taxable_paise >= B2C_DETAILS_FROM_PAISE or _INCORPORATED.search(customer.name):
        yield Finding("missing_gstin", {"customer": customer.name, "taxable": Money(context.taxable_paise)})


def _check_missing_address(context: _Context) -> Iterator[Finding]:
    """An unregistered buyer's address is missing on a sale of ₹50,000 or more, which Rule 46(e) requires."""
    customer = context.customer
    if context.business.gstin is None or customer.gstin is not None or customer.address.strip():
        return
    if context.taxable_paise >= B2C_DETAILS_FROM_PAISE:
        yield Finding(
            "missing_address",
            {
                "customer": customer.name,
                "taxable": Money(context.taxable_paise),
                "limit": Money(B2C_DETAILS_FROM_PAISE),
            },
        )


def _check_state_mismatch(context: _Context) -> Iterator[Finding]:
    """The customer's GSTIN is registered in another state than the one on record.

    The recorded state is the place of supply, which decides CGST + SGST against IGST: with the two at
    odds the tax itself would be wrong, so this blocks until the customer's record is corrected.
    """
    customer = context.customer
    if customer.gstin is None or state_code_of(customer.gstin) == customer.state_code:
        return
    gstin_state = state_code_of(customer.gstin)
    yield Finding(
        "state_mismatch",
        {
            "customer": customer.name,
            "gstin": customer.gstin,
            "gstin_state_code": gstin_state,
            "gstin_state": STATE_NAMES.get(gstin_state, gstin_state),
            "state_code": customer.state_code,
            "state": STATE_NAMES.get(customer.state_code, customer.state_code),
        },
        Severity.BLOCKER,
    )


# --- HSN/SAC codes ---------------------------------------------------------------------------------------


def _check_hsn_codes(context: _Context) -> Iterator[Finding]:
    """Each line's HSN/SAC has the digits Notification 78/2020-CT asks of this business.

    Six digits when the business's taxable value in the preceding financial year (April to March, its own
    issued invoices here) exceeds ₹5 crore; four otherwise, and then none is needed for a buyer without a
    GSTIN. Only what was invoiced through us is known: a business that came mid-year is measured low.
    """
    if context.business.gstin is None:
        return
    digits = _hsn_digits_required(context.preceding_year_taxable_paise)
    if context.customer.gstin is None and digits == HSN_DIGITS_UP_TO_5_CRORE:
        return
    for line in context.draft.lines:
        hsn = _hsn(line)
        if hsn is None:
            yield Finding("missing_hsn", {"item": _label(line), "digits": digits})
        elif len(hsn) < digits:
            yield Finding("short_hsn", {"item": _label(line), "hsn": hsn, "digits": digits})


def _hsn_digits_required(preceding_year_taxable_paise: int) -> int:
    if preceding_year_taxable_paise > HSN_SIX_DIGITS_ABOVE_PAISE:
        return HSN_DIGITS_ABOVE_5_CRORE
    return HSN_DIGITS_UP_TO_5_CRORE


# --- Units ----------------------------------------------------------------------------------------------


def _check_price_unit(context: _Context) -> Iterator[Finding]:
    """A price per kilo for a quantity in bags (or in tonnes) makes a bill off by the weight of a bag."""
    for line in context.draft.lines:
        if line.price_unit:
            params = {"item": _label(line), "unit": line.unit, "price_unit": line.price_unit}
            yield Finding("price_unit", params)


# --- Due date --------------------------------------------------------------------------------------------


def _check_late_due_date(context: _Context) -> Iterator[Finding]:
    """Credit longer than the 45 days MSMED Act s.15 allows a buyer of a micro or small enterprise.

    The Act counts from the day the goods are accepted; the issue date stands in for it. Past the cap the
    buyer owes interest at three times the bank rate, so a longer term is usually a slip.
    """
    draft = context.draft
    due = draft.due_date or draft.issue_date + timedelta(days=context.customer.credit_days)
    days = (due - draft.issue_date).days
    if days > MSME_MAX_CREDIT_DAYS:
        yield Finding(
            "late_due_date",
            {"customer": context.customer.name, "days": days, "due": due, "limit": MSME_MAX_CREDIT_DAYS},
        )


def _check_retired_rate(context: _Context) -> Iterator[Finding]:
    """12% or 28% on a bill dated after the slabs were removed (22 Sep 2025: 5, 18 and 40% since).

    Older invoices keep them, and tobacco stays at 28% plus cess for now, so it is a question, not a refusal.
    """
    if context.draft.issue_date < RATES_RATIONALISED_ON:
        return
    for rate in sorted({line.gst_rate for line in context.draft.lines} & RETIRED_RATES):
        yield Finding("retired_rate", {"rate": f"{rate.normalize():f}", "since": RATES_RATIONALISED_ON})


# --- Unusual amounts -------------------------------------------------------------------------------------


def _check_unusual_price(context: _Context) -> Iterator[Finding]:
    """A unit price far from what the item usually sells for: 3800 typed for 380.

    The usual price is the median of the most recent prices (at least MIN_HISTORY, at most RECENT_SAMPLE,
    over the past year) this customer paid for the item, else that any customer paid. The same item is the
    same description first, else the same HSN code: one HSN heading may cover items at very different
    prices, so it only speaks for an item whose description has no history. Flagged beyond PRICE_RATIO
    either way.
    """
    for line, usual in zip(context.draft.lines, _usual_prices(context), strict=True):
        if usual is not None and _outside(line.unit_price_paise, usual, PRICE_RATIO):
            yield Finding(
                "unusual_price",
                {
                    "customer": context.customer.name,
                    "item": _label(line),
                    "price": Money(line.unit_price_paise),
                    "usual": Money(usual),
                },
            )


def _usual_prices(context: _Context) -> list[int | None]:
    """Each line's usual price: the customer's own, else the business's (one query, only if needed)."""
    lines = context.draft.lines
    own = _customer_prices(context)
    usual = [_usual_price(line, own) for line in lines]
    unknown = [line for line, price in zip(lines, usual, strict=True) if price is None]
    if not unknown:
        return usual
    everyone = business_prices(
        context.session,
        business_id=context.draft.business_id,
        hsn_codes={hsn for line in unknown if (hsn := _hsn(line)) is not None},
        item_names={item_name(line.description) for line in unknown},
        issued_from=context.today - timedelta(days=HISTORY_DAYS),
        issued_to=context.today,
        exclude_invoice_id=context.draft.exclude_invoice_id,
    )
    return [
        price if price is not None else _usual_price(line, everyone)
        for line, price in zip(lines, usual, strict=True)
    ]


def _customer_prices(context: _Context) -> list[PastPrice]:
    return [
        PastPrice(
            issue_date=invoice.issue_date,
            description=line.description,
            hsn_sac=line.hsn_sac,
            unit_price_paise=line.unit_price_paise,
        )
        for invoice in _usual_history(context)
        for line in invoice.lines
    ]


def _usual_price(line: LineInput, newest_first: Sequence[PastPrice]) -> int | None:
    for same_item in (_same_name, _same_hsn):
        prices = [past.unit_price_paise for past in newest_first if same_item(line, past)][:RECENT_SAMPLE]
        if len(prices) >= MIN_HISTORY:
            return median_low(prices)
    return None


def _same_name(line: LineInput, past: PastPrice) -> bool:
    return item_name(line.description) == item_name(past.description)


def _same_hsn(line: LineInput, past: PastPrice) -> bool:
    hsn = _hsn(line)
    return hsn is not None and hsn == past.hsn_sac


def _check_unusual_total(context: _Context) -> Iterator[Finding]:
    """A total far from this customer's usual bill: the median of their recent totals (at least
    MIN_HISTORY, at most RECENT_SAMPLE, over the past year), flagged beyond TOTAL_RATIO either way."""
    totals = [invoice.total_paise for invoice in _usual_history(context)][:RECENT_SAMPLE]
    if len(totals) < MIN_HISTORY:
        return
    usual = median_low(totals)
    if _outside(context.total_paise, usual, TOTAL_RATIO):
        yield Finding(
            "unusual_total",
            {"customer": context.customer.name, "total": Money(context.total_paise), "usual": Money(usual)},
        )


def _usual_history(context: _Context) -> list[Invoice]:
    """The customer's issued invoices of the past year up to today, newest first: what usual is made of."""
    since = context.today - timedelta(days=HISTORY_DAYS)
    return [
        invoice
        for invoice in context.history
        if invoice.status in ISSUED_STATUSES and since <= invoice.issue_date <= context.today
    ]


def _outside(value: int, usual: int, ratio: Fraction) -> bool:
    return not 1 / ratio <= Fraction(value, usual) <= ratio


# --- Duplicates ------------------------------------------------------------------------------------------


def _check_duplicate(context: _Context) -> Iterator[Finding]:
    """The same bill already made for this customer within DUPLICATE_WINDOW_DAYS of the draft's date.

    The same bill: not cancelled, the same set of items (by HSN code, else description), each quantity
    within SHIPMENT_QUANTITY_TOLERANCE, and the total within DUPLICATE_TOTAL_TOLERANCE. Two exceptions:
    - a partial shipment (the same items in clearly different quantities) is another bill, which the
      quantity rule already says;
    - a recurring bill: when at least RHYTHM_MIN_EARLIER earlier look-alikes are evenly spaced (each gap
      within RHYTHM_TOLERANCE of their period) and the draft keeps that spacing, a look-alike one period
      away is the previous beat. A weekly bill is thus no copy of last week's; the same bill again two
      days later still is.
    Two equal shipments of one order look exactly like a copy: that is why this is only a warning.
    """
    draft = context.draft
    items = _items(draft.lines)
    look_alikes = [
        invoice for invoice in context.history if _looks_alike(items, context.total_paise, invoice)
    ]
    period = _rhythm(draft.issue_date, [i.issue_date for i in look_alikes if i.issue_date < draft.issue_date])
    copies = [
        invoice
        for invoice in look_alikes
        if _days_apart(invoice, draft.issue_date) <= DUPLICATE_WINDOW_DAYS
        and (period is None or not _on_beat(_days_apart(invoice, draft.issue_date), period))
    ]
    if copies:
        closest = min(copies, key=lambda invoice: _days_apart(invoice, draft.issue_date))
        yield Finding(
            "duplicate",
            {
                "customer": context.customer.name,
                "number": closest.number,
                "date": closest.issue_date,
                "total": Money(closest.total_paise),
            },
        )


class _ItemLine(Protocol):
    @property
    def description(self) -> str: ...

    @property
    def hsn_sac(self) -> str | None: ...

    @property
    def quantity(self) -> Decimal: ...


def _items(lines: Iterable[_ItemLine]) -> dict[str, Decimal]:
    """Quantity by item, an item being its HSN code, else its description."""
    items: dict[str, Decimal] = {}
    for line in lines:
        hsn = _hsn(line)
        key = f"hsn:{hsn}" if hsn else f"name:{item_name(line.description)}"
        items[key] = items.get(key, Decimal(0)) + line.quantity
    return items


def _looks_alike(items: Mapping[str, Decimal], total_paise: int, invoice: Invoice) -> bool:
    theirs = _items(invoice.lines)
    return (
        theirs.keys() == items.keys()
        and _close(Decimal(total_paise), Decimal(invoice.total_paise), DUPLICATE_TOTAL_TOLERANCE)
        and all(_close(quantity, theirs[key], SHIPMENT_QUANTITY_TOLERANCE) for key, quantity in items.items())
    )


def _close(a: Decimal, b: Decimal, tolerance: Fraction) -> bool:
    return Fraction(abs(a - b)) <= tolerance * Fraction(max(a, b))


def _rhythm(issue_date: date, earlier_newest_first: Sequence[date]) -> int | None:
    """The period in days of the bill's rhythm if the draft keeps it; None when there is none."""
    beats = sorted(earlier_newest_first[:RHYTHM_BEATS])
    if len(beats) < RHYTHM_MIN_EARLIER:
        return None
    gaps = [(later - earlier).days for earlier, later in pairwise(beats)]
    period = median_low(gaps)
    if period < 1:
        return None
    gaps.append((issue_date - beats[-1]).days)
    return period if all(_on_beat(gap, period) for gap in gaps) else None


def _on_beat(gap_days: int, period_days: int) -> bool:
    return Fraction(abs(gap_days - period_days), period_days) <= RHYTHM_TOLERANCE


def _days_apart(invoice: Invoice, day: date) -> int:
    return abs((invoice.issue_date - day).days)


# --- Line helpers ----------------------------------------------------------------------------------------


def _hsn(line: _ItemLine) -> str | None:
    return (line.hsn_sac or "").strip() or None


def _label(line: LineInput) -> str:
    return " ".join(line.description.split())


_CHECKS: tuple[Callable[[_Context], Iterable[Finding]], ...] = (
    _check_state_mismatch,
    _check_missing_gstin,
    _check_missing_address,
    _check_hsn_codes,
    _check_price_unit,
    _check_late_due_date,
    _check_retired_rate,
    _check_unusual_price,
    _check_unusual_total,
    _check_duplicate,
)
