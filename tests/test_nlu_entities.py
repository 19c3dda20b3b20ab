"""Entities by the contract's rules: numbers as money, goods, dates against now in India, ids, names."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from nlu.pipeline import Pipeline, load_pipeline
from nlu.result import EntityValue, ParseResult
from tests.conftest import IST

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=IST)  # a Tuesday


@pytest.fixture(scope="module")
def nlu() -> Pipeline:
    return load_pipeline()


def parse(nlu: Pipeline, text: str, role: str | None = None, now: datetime = NOW) -> ParseResult:
    return nlu.parse(text, role=role, now=now)


def found(result: ParseResult) -> list[tuple[str, EntityValue]]:
    return [(entity.entity, entity.value) for entity in result.entities]


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("25k ka bill", 25000),
        ("2.5 lakh", 250000),
        ("2.5L bhejo", 250000),
        ("ढाई लाख", 250000),
        ("1,23,456 baaki", 123456),
        ("25000/- mil gaye", 25000),
        ("₹25,000 de diye", 25000),
        ("Rs 500", 500),
        ("Rs. 500 diye", 500),
        ("25000 rupaye", 25000),
        ("dedh lakh", 150000),
        ("dhai hazaar", 2500),
        ("sava lakh", 125000),
        ("sava do lakh", 225000),
        ("saade teen hazaar", 3500),
        ("paune do lakh", 175000),
        ("२५००० मिल गए", 25000),
        ("২৫০০০", 25000),
        ("૨૫૦૦૦", 25000),
        ("twenty five thousand", 25000),
        ("1 lakh 25 hazaar", 125000),
        ("₹1,500.50", 1500.5),
    ],
)
def test_amounts(nlu: Pipeline, text: str, amount: EntityValue) -> None:
    assert found(parse(nlu, text)) == [("amount", amount)]
    value = parse(nlu, text).values("amount")[0]
    assert type(value) is type(amount)  # whole rupees are ints in the JSON, not 25000.0


def test_amount_keeps_offsets_and_text(nlu: Pipeline) -> None:
    result = parse(nlu, "Sharma ji ko 25k ka reminder bhejo", "owner")
    assert result.to_dict()["entities"] == [
        {"entity": "customer", "value": "Sharma", "start": 0, "end": 9, "text": "Sharma ji"},
        {"entity": "amount", "value": 25000, "start": 13, "end": 16, "text": "25k"},
    ]


def test_invoice_line_numbers_are_not_an_amount(nlu: Pipeline) -> None:
    result = parse(nlu, "Sharma Traders ko 50 bag cement ka bill banao 380 per bag 18% GST", "owner")
    assert found(result) == [
        ("customer", "Sharma Traders"),
        ("quantity", 50),
        ("item", "cement"),
        ("unit_price", 380),
        ("gst_rate", 18),
    ]
    english = parse(
        nlu, "Create an invoice for Sharma Traders, 50 bags cement at 380 per bag, 18% GST", "owner"
    )
    assert found(english) == found(result)
    quantity = result.entity("quantity")
    assert quantity is not None and quantity.text == "50 bag"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("380 rupaye bag", [("unit_price", 380)]),
        ("50 bag @ 380", [("quantity", 50), ("unit_price", 380)]),
        ("100 bags of ACC cement", [("quantity", 100), ("item", "ACC cement")]),
        ("2 ton TMT sariya 52000 per ton", [("quantity", 2), ("item", "TMT sariya"), ("unit_price", 52000)]),
        ("2.5 lakh 50 bag", [("amount", 250000), ("quantity", 50)]),
        ("18 percent gst", [("gst_rate", 18)]),
        ("gst 18", [("gst_rate", 18)]),
        ("GST @ 12%", [("gst_rate", 12)]),
        ("18% ka GST", [("gst_rate", 18)]),
        ("5% discount", []),
        ("call me at 5", []),
        ("rate 380 hai", [("unit_price", 380)]),
    ],
)
def test_goods_prices_and_rates(nlu: Pipeline, text: str, expected: list[tuple[str, EntityValue]]) -> None:
    assert found(parse(nlu, text, "owner")) == expected


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("aaj", "2026-12-01"),
        ("kal tak kar dunga", "2026-12-02"),
        ("parso de dunga", "2026-12-03"),
        ("today", "2026-12-01"),
        ("I'll pay tomorrow", "2026-12-02"),
        ("day after tomorrow", "2026-12-03"),
        ("kal payment kar diya", "2026-11-30"),  # past tense: yesterday
        ("parso bheja tha", "2026-11-29"),
        ("paid yesterday", "2026-11-30"),
        ("kal tak de diya jayega", "2026-12-02"),  # a future word wins
        ("sorry late ho gaya, kal bhejta hu", "2026-12-02"),  # the tense of the date's own clause
        ("somvar ko payment kar diya tha", "2026-11-30"),  # past: the last Monday
        ("15 tarikh ko pakka", "2026-12-15"),
        ("1 tarikh ko", "2026-12-01"),  # on or after today
        ("I will pay by 15th", "2026-12-15"),
        ("१५ तारीख", "2026-12-15"),
        ("परसों", "2026-12-03"),
        ("somvar ko", "2026-12-07"),
        ("on Monday", "2026-12-07"),
        ("Tuesday", "2026-12-08"),  # strictly after today, a Tuesday
        ("agle hafte", "2026-12-07"),
        ("next week", "2026-12-07"),
        ("month end tak", "2026-12-31"),
        ("mahine ke end tak", "2026-12-31"),
        ("3 din mein", "2026-12-04"),
        ("in 3 days", "2026-12-04"),
        ("ek hafte mein", "2026-12-08"),
        ("05/01/2027", "2027-01-05"),  # day first
        ("28/11 ko payment kiya", "2026-11-28"),  # past: last occurrence
        ("28/11 tak de dunga", "2027-11-28"),  # otherwise: next occurrence
        ("15 Dec", "2026-12-15"),
        ("Dec 15", "2026-12-15"),
    ],
)
def test_dates(nlu: Pipeline, text: str, day: str) -> None:
    assert parse(nlu, text).values("date") == [day]


def test_each_clause_has_its_own_tense(nlu: Pipeline) -> None:
    result = parse(nlu, "5000 kal bhej diye, baaki 15 tarikh ko dunga", "customer")
    assert result.values("date") == ["2026-11-30", "2026-12-15"]


@pytest.mark.parametrize("text", ["3 din ka time chahiye", "30/2/2027", "agle mahine", "this month"])
def test_periods_and_impossible_days_are_not_dates(nlu: Pipeline, text: str) -> None:
    assert found(parse(nlu, text)) == []


def test_today_is_the_day_in_india(nlu: Pipeline) -> None:
    # 20:00 UTC on 1 December is already 2 December in India.
    late = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
    assert parse(nlu, "aaj", now=late).values("date") == ["2026-12-02"]
    assert parse(nlu, "kal", now=late).values("date") == ["2026-12-03"]


def test_naive_now_is_refused(nlu: Pipeline) -> None:
    with pytest.raises(ValueError, match="naive"):
        nlu.parse("kal", now=datetime(2026, 12, 1, 10, 0))


@pytest.mark.parametrize(
    ("text", "customer", "span"),
    [
        ("Sharma ji ko 25000 ka bill bhejo", "Sharma", "Sharma ji"),
        ("Sharma Traders ko 50 bag cement ka bill banao", "Sharma Traders", "Sharma Traders"),
        ("Verma ne 20000 cash de diye", "Verma", "Verma"),
        ("Gupta ko 12000 ka payment link bhejo", "Gupta", "Gupta"),
        ("Gupta bhai ko link bhejo", "Gupta", "Gupta bhai"),
        ("naya customer add karo Mehta Steels 9876543210", "Mehta Steels", "Mehta Steels"),
        ("Sharma ka pura hisaab bhejo", "Sharma", "Sharma"),
        ("शर्मा जी को रिमाइंडर भेजो", "शर्मा", "शर्मा जी"),
        ("received 15000 from Gupta by UPI", "Gupta", "Gupta"),
        ("send a reminder to sharma traders", "sharma traders", "sharma traders"),
        ("Create an invoice for Sharma Traders, 50 bags", "Sharma Traders", "Sharma Traders"),
        ("Gupta's statement", "Gupta", "Gupta"),
        ("Verma paid 20000 in cash", "Verma", "Verma"),
        ("Kal Sharma ko bill bhejo", "Sharma", "Sharma"),
    ],
)
def test_customer_is_the_name_as_written(nlu: Pipeline, text: str, customer: str, span: str) -> None:
    result = parse(nlu, text, "owner")
    assert result.values("customer") == [customer]
    entity = result.entity("customer")
    assert entity is not None and entity.text == span and text[entity.start : entity.end] == span


@pytest.mark.parametrize(
    "text",
    [
        "mera bill bhejo",
        "usko payment link bhi bhejo",
        "Gupta ko payment ka reminder",  # only Gupta
        "seth ji se baat karwao",
        "bill ki copy dobara bhejo",
        "market mein kitna paisa baaki hai?",
        "mujhse English mein baat karo",
        "aaj ki report",
        "I want to talk to a person",
        "50 bag cement ka bill banao",
    ],
)
def test_ordinary_words_are_never_customers(nlu: Pipeline, text: str) -> None:
    assert parse(nlu, text, "owner").values("customer") in ([], ["Gupta"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+91 98765 43210", ("phone", "+919876543210")),
        ("09876543210", ("phone", "+919876543210")),
        ("919876543210", ("phone", "+919876543210")),
        ("payment kar diya UTR 412345678901", ("utr", "412345678901")),
        ("UTR: 4123 4567 8901", ("utr", "412345678901")),
        ("utr 612345678901", ("utr", "612345678901")),  # a reference keyword beats a phone shape
        ("ref no HDFCN52026112812345", ("utr", "HDFCN52026112812345")),
        ("412345678901 se bhej diya", ("utr", "412345678901")),
        ("GSTIN 27abcde1234f1z0", ("gstin", "27ABCDE1234F1Z0")),
        ("INV-2026-0042 ki copy bhejo", ("invoice_number", "INV-2026-0042")),
        ("bill number 42 bhejo", ("invoice_number", "42")),
        ("mujhse Marathi mein baat karo", ("language", "mr")),
        ("talk to me in English", ("language", "en")),
    ],
)
def test_identifiers_and_languages(nlu: Pipeline, text: str, expected: tuple[str, EntityValue]) -> None:
    assert found(parse(nlu, text)) == [expected]


def test_claim_with_amount_and_reference(nlu: Pipeline) -> None:
    result = parse(nlu, "I have paid 22420, UTR 412345678901", "customer")
    assert found(result) == [("amount", 22420), ("utr", "412345678901")]


def test_entities_are_in_text_order_and_never_overlap(nlu: Pipeline) -> None:
    result = parse(nlu, "Sharma ko kal 25000 ka bill bhejo 18% GST, 9876543210 pe UTR 412345678901", "owner")
    spans = [(entity.start, entity.end) for entity in result.entities]
    assert spans == sorted(spans)
    assert all(end <= next_start for (_, end), (next_start, _) in itertools.pairwise(spans))
    assert {entity.entity for entity in result.entities} == {
        "customer",
        "date",
        "amount",
        "gst_rate",
        "phone",
        "utr",
    }
