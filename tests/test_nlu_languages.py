"""The nine language varieties: script and language, amounts, dates, names and language names in each,
by the contract's value rules (now = Tuesday 2026-12-01, 10:00 in India)."""

from __future__ import annotations

from datetime import datetime

import pytest

from nlu.pipeline import Pipeline, load_pipeline
from nlu.result import EntityValue
from nlu.text import word_key
from tests.conftest import IST

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=IST)


@pytest.fixture(scope="module")
def nlu() -> Pipeline:
    return load_pipeline()


def values(nlu: Pipeline, text: str, entity: str, customers: tuple[str, ...] = ()) -> list[EntityValue]:
    return nlu.parse(text, role="owner", now=NOW, customers=customers).values(entity)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("how much is pending from Sharma?", "en"),
        ("Sharma ka kitna baaki hai", "hi-Latn"),
        ("कितना बाकी है", "hi"),
        ("किती बाकी आहे", "mr"),  # Devanagari, but Marathi
        ("કેટલું બાકી છે", "gu"),
        ("எவ்வளவு பாக்கி இருக்கு", "ta"),
        ("ఎంత బాకీ ఉంది", "te"),
        ("ಎಷ್ಟು ಬಾಕಿ ಇದೆ", "kn"),
        ("কত বাকি আছে", "bn"),
        ("Sai Ram Textiles కి రేపు reminder పంపు", "te"),  # English words and a Latin name in Telugu
    ],
)
def test_language_of_each_variety(nlu: Pipeline, text: str, language: str) -> None:
    assert nlu.parse(text, now=NOW).language == language


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("२५००० भेजो", 25000),  # Devanagari digits
        ("২৫০০০ টাকা পাঠাও", 25000),  # Bengali digits
        ("૨૫,૦૦૦ રૂપિયા", 25000),  # Gujarati digits with Indian grouping
        ("अडीच लाख रुपये", 250000),
        ("પચ્ચીસ હજાર રૂપિયા", 25000),
        ("पंचवीस हजार पाचशे रुपये", 25500),  # a hundreds word after the thousands
        ("दोनशे पन्नास रुपये", 250),
        ("લાખ રૂપિયા", 100000),  # a lone lakh is one lakh
        ("லட்சம் ரூபாய் அனுப்பு", 100000),
        ("లక్షా యాభై వేలు బాకీ", 150000),
        ("ಎಂಟು ಸಾವಿರ ಐನೂರು ರೂಪಾಯಿ", 8500),
        ("দেড় লাখ টাকা", 150000),
        ("25 hazaar 500 rupaye", 25500),
        ("sava do lakh", 225000),
        ("paune do lakh", 175000),
        ("saade teen hazaar", 3500),
    ],
)
def test_amounts_in_every_language(nlu: Pipeline, text: str, amount: int) -> None:
    assert values(nlu, text, "amount") == [amount]


def test_a_verb_that_sounds_like_a_number_is_no_amount(nlu: Pipeline) -> None:
    # Telugu వెయ్యి is a thousand and also "put": "make the bill".
    assert values(nlu, "కిషోర్ కి బిల్ వెయ్యి", "amount") == []


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("நாளைக்கு கட்டுவேன்", "2026-12-02"),
        ("రేపు కడతాను", "2026-12-02"),
        ("ನಾಳೆ ಕಟ್ಟುತ್ತೇನೆ", "2026-12-02"),
        ("আগামীকাল দেব", "2026-12-02"),
        ("গতকাল টাকা দিয়েছি", "2026-11-30"),
        # Words that mean yesterday or tomorrow by the verb's tense.
        ("કાલે પેમેન્ટ કરી દીધું", "2026-11-30"),
        ("કાલે આપીશ", "2026-12-02"),
        ("कल पेमेंट कर दिया", "2026-11-30"),
        ("कल तक दे दूंगा", "2026-12-02"),
        # Marathi काल is always yesterday, उद्या tomorrow; परवा is two days either way.
        ("काल पैसे दिले", "2026-11-30"),
        ("उद्या देतो", "2026-12-02"),
        ("परवा देतो", "2026-12-03"),
        ("15 தேதி கட்டுவேன்", "2026-12-15"),
        ("१५ तारीख को दूंगा", "2026-12-15"),
        ("సోమవారం కడతాను", "2026-12-07"),
        ("৫ দিনের মধ্যে দেব", "2026-12-06"),
    ],
)
def test_dates_in_every_language(nlu: Pipeline, text: str, date: str) -> None:
    assert values(nlu, text, "date") == [date]


@pytest.mark.parametrize(
    ("text", "customer"),
    [
        ("ஷர்மாவுக்கு ரிமைண்டர் அனுப்பு", "ஷர்மா"),  # the case ending glued on comes off
        ("శర్మ గారికి బిల్ పంపు", "శర్మ"),
        ("ಶರ್ಮಾ ಅವರಿಗೆ ರಿಮೈಂಡರ್ ಕಳಿಸಿ", "ಶರ್ಮಾ"),
        ("शर्मा जी को रिमाइंडर भेजो", "शर्मा"),
    ],
)
def test_names_lose_their_honorifics_and_case_endings(nlu: Pipeline, text: str, customer: str) -> None:
    assert values(nlu, text, "customer") == [customer]


@pytest.mark.parametrize("text", ["शर्मा को रिमाइंडर भेजो", "ஷர்மாவுக்கு ரிமைண்டர் அனுப்பு", "sharma ko reminder"])
def test_a_known_customer_is_found_in_any_script(nlu: Pipeline, text: str) -> None:
    (found,) = values(nlu, text, "customer", customers=("Sharma Traders", "Gupta Hardware"))
    assert word_key(str(found)) == word_key("Sharma")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("தமிழில் பேசுங்கள்", "ta"),
        ("मराठीत बोला", "mr"),
        ("ગુજરાતીમાં વાત કરો", "gu"),
        ("বাংলায় কথা বলো", "bn"),
        ("తెలుగులో మాట్లాడండి", "te"),
        ("ಕನ್ನಡದಲ್ಲಿ ಮಾತಾಡಿ", "kn"),
        ("मुझसे English में बात करो", "en"),
    ],
)
def test_language_names_in_every_language(nlu: Pipeline, text: str, language: str) -> None:
    assert values(nlu, text, "language") == [language]


@pytest.mark.parametrize(
    ("text", "number"),
    [("बिल नंबर 42 की कॉपी भेजो", "42"), ("বিল নম্বর 42 পাঠাও", "42"), ("பில் நம்பர் 42 அனுப்பு", "42")],
)
def test_invoice_numbers_after_the_keyword_in_any_script(nlu: Pipeline, text: str, number: str) -> None:
    assert values(nlu, text, "invoice_number") == [number]


def test_a_gstin_must_carry_its_check_character(nlu: Pipeline) -> None:
    assert values(nlu, "GSTIN 27AAPFU0939F1ZV", "gstin") == ["27AAPFU0939F1ZV"]
    assert values(nlu, "GSTIN 27AAPFU0939F1ZX", "gstin") == []  # a typo in the last character


@pytest.mark.parametrize(
    ("text", "price"),
    [("బస్తాకు 380", 380), ("কেজি প্রতি ৬৫", 65), ("प्रति बैग 380", 380), ("மூட்டைக்கு 395 ரூபாய்", 395)],
)
def test_unit_prices_said_unit_first(nlu: Pipeline, text: str, price: int) -> None:
    assert values(nlu, f"50 bag cement {text}", "unit_price") == [price]
