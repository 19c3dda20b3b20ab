"""The sentences the NLU must understand (issue list), their language and their key entities."""

from __future__ import annotations

from datetime import datetime

import pytest

from nlu.pipeline import Pipeline, load_pipeline
from nlu.result import ParseResult
from tests.conftest import IST

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=IST)  # a Tuesday
# What the dialogue manager treats as understood; below 0.5 it asks a clarifying question.
CLEAR = 0.8
UNSURE = 0.5


@pytest.fixture(scope="module")
def nlu() -> Pipeline:
    return load_pipeline()


def parse(nlu: Pipeline, text: str, role: str | None = None) -> ParseResult:
    return nlu.parse(text, role=role, now=NOW)


CASES = [
    ("owner", "Sharma Traders ko 50 bag cement ka bill banao 380 per bag 18% GST", "create_invoice"),
    (
        "owner",
        "Create an invoice for Sharma Traders, 50 bags cement at 380 per bag, 18% GST",
        "create_invoice",
    ),
    ("owner", "Sharma ko 25000 ka bill bhejo", "create_invoice"),
    *[
        ("owner", text, "affirm")
        for text in ("haan bhej do", "haan", "yes", "ok", "theek hai", "haan mil gaya", "ha", "confirm")
    ],
    *[("owner", text, "deny") for text in ("nahi", "no", "abhi mat bhejo", "galat hai")],
    *[
        (role, text, "cancel")
        for role in (None, "customer")
        for text in ("cancel", "cancel karo", "rehne do", "chhodo")
    ],
    ("customer", "kal tak kar dunga", "promise_to_pay"),
    ("customer", "I will pay by 15th", "promise_to_pay"),
    ("customer", "payment kar diya UTR 412345678901", "claim_paid"),
    ("customer", "I have paid 22420, UTR 412345678901", "claim_paid"),
    ("owner", "kitna baaki hai", "ask_outstanding"),
    ("owner", "market mein kitna paisa baaki hai?", "ask_outstanding"),
    ("owner", "how much is outstanding?", "ask_outstanding"),
    ("customer", "mera kitna baaki hai?", "ask_outstanding"),
    ("owner", "Sharma ka pura hisaab bhejo", "customer_statement"),
    ("customer", "mera statement bhejo", "customer_statement"),
    ("owner", "Verma ne 20000 cash de diye", "record_payment"),
    ("owner", "received 15000 from Gupta by UPI", "record_payment"),
    ("owner", "Gupta ko 12000 ka payment link bhejo", "payment_link"),
    ("customer", "payment link bhejo", "payment_link"),
    ("owner", "usko payment link bhi bhejo", "payment_link"),
    ("owner", "naya customer add karo Mehta Steels 9876543210", "add_customer"),
    ("customer", "thoda time chahiye, abhi haath tang hai", "request_extension"),
    ("customer", "rate galat lagaya hai, 350 tha", "dispute"),
    ("customer", "maal kharab nikla", "dispute"),
    ("customer", "bill ki copy dobara bhejo", "request_invoice"),
    ("customer", "send the invoice again", "request_invoice"),
    ("customer", "STOP", "opt_out"),
    ("customer", "mujhe message mat bhejo", "opt_out"),
    ("customer", "seth ji se baat karwao", "talk_to_human"),
    ("customer", "I want to talk to a person", "talk_to_human"),
    *[(role, text, "greet") for role in (None, "owner", "customer") for text in ("namaste", "hi", "hello")],
    *[(None, text, "thanks") for text in ("thank you", "dhanyavaad", "shukriya")],
    *[(None, text, "help") for text in ("tum kya kya kar sakte ho?", "help")],
    (None, "aaj mausam kaisa hai?", "out_of_scope"),
    ("owner", "Gupta ji ko payment ka reminder bhejo", "send_reminder"),
    ("owner", "aaj ki report", "report"),
    ("owner", "aaj sabse pehle kya karu?", "top_constraint"),
    ("owner", "kaunse disputes pending hain?", "list_disputes"),
    ("owner", "mujhse English mein baat karo", "set_language"),
    (None, "नमस्ते", "greet"),
    (None, "कितना बाकी है", "ask_outstanding"),
    ("owner", "20000 mil gaye", "record_payment"),
    ("customer", "messages phir se bhejo", "opt_in"),
    ("owner", "Verma ko legal notice bhejo", "legal_notice"),
    ("owner", "Sharma ko 15 tarikh tak reminder mat bhejo", "pause_reminders"),
    ("owner", "agle mahine kitna paisa aayega?", "forecast"),
    ("customer", "15 tarikh ko pakka kar dunga", "promise_to_pay"),
]


@pytest.mark.parametrize(("role", "text", "intent"), CASES)
def test_intent_is_understood_clearly(nlu: Pipeline, role: str | None, text: str, intent: str) -> None:
    result = parse(nlu, text, role)
    assert result.intent.name == intent, result.intent_ranking[:3]
    assert result.intent.confidence >= CLEAR, result.intent_ranking[:3]
    assert result.intent_ranking[0] == result.intent
    assert len(result.intent_ranking) <= 10


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Sharma Traders ko 50 bag cement ka bill banao 380 per bag 18% GST", "hi-Latn"),
        ("Create an invoice for Sharma Traders, 50 bags cement at 380 per bag, 18% GST", "en"),
        ("kal tak kar dunga", "hi-Latn"),
        ("how much is outstanding?", "en"),
        ("नमस्ते", "hi"),
        ("कितना बाकी है", "hi"),
        ("mujhse English mein baat karo", "hi-Latn"),
        ("I want to talk to a person", "en"),
        ("ચુકવણી ક્યારે કરશો", "gu"),
        ("பணம் எப்போது", "ta"),
    ],
)
def test_language_is_told_from_script_and_words(nlu: Pipeline, text: str, language: str) -> None:
    assert parse(nlu, text).language == language


@pytest.mark.parametrize("text", ["", "   ", "😀😀😀", "12345", "🙏🙏", "???", "Sharma"])
def test_language_is_none_without_words_to_tell(nlu: Pipeline, text: str) -> None:
    assert parse(nlu, text).language is None


@pytest.mark.parametrize("text", ["asdkjh qwe", "🙏🙏", "???", "", "😀😀😀", "12345", "qwerty uiop", "zxcv"])
def test_gibberish_is_out_of_scope_with_low_confidence(nlu: Pipeline, text: str) -> None:
    result = parse(nlu, text)
    assert result.intent.name == "out_of_scope"
    assert result.intent.confidence < UNSURE


@pytest.mark.parametrize("text", ["what is the time in London", "Sharma", "zxcv qwerty"])
def test_unclear_messages_are_not_confidently_misread(nlu: Pipeline, text: str) -> None:
    result = parse(nlu, text)
    assert result.intent.name == "out_of_scope" or result.intent.confidence < UNSURE


def test_role_decides_between_what_each_side_says(nlu: Pipeline) -> None:
    # An owner who says money came is recording it; a customer saying "bill bhejo" wants the copy.
    assert parse(nlu, "payment aa gaya", "owner").intent.name == "record_payment"
    assert parse(nlu, "bill bhejo", "customer").intent.name == "request_invoice"
    assert parse(nlu, "bill bhejo Sharma ko", "owner").intent.name == "create_invoice"
    assert parse(nlu, "stop all reminders", "customer").intent.name == "opt_out"
    assert parse(nlu, "pause all reminders", "owner").intent.name == "pause_reminders"


def test_unknown_roles_count_as_unknown_and_staff_as_owner(nlu: Pipeline) -> None:
    as_owner = parse(nlu, "payment aa gaya", "owner")
    assert parse(nlu, "payment aa gaya", "staff") == as_owner
    assert parse(nlu, "payment aa gaya", "martian") == parse(nlu, "payment aa gaya", None)


def test_confidences_form_a_ranking(nlu: Pipeline) -> None:
    result = parse(nlu, "Sharma ko 25000 ka bill bhejo", "owner")
    confidences = [score.confidence for score in result.intent_ranking]
    assert confidences == sorted(confidences, reverse=True)
    assert len({score.name for score in result.intent_ranking}) == len(result.intent_ranking) == 10
    assert 0.95 <= sum(confidences) <= 1.0 + 1e-6
