"""Every sentence exists in every language with the same placeholders, and amounts read the Indian way."""

from __future__ import annotations

import ast
import string
from datetime import date
from pathlib import Path

import pytest

from bot.i18n import LOCALES_DIR, Locales, Money, Phrase, format_inr
from modules.payments.models import PaymentMode

ROOT = Path(__file__).resolve().parent.parent
CODE = ("bot", "dialogues", "modules", "connectors")
SECTIONS = (
    "chat",
    "ask",
    "form",
    "invoice",
    "ledger",
    "payment",
    "collections",
    "dispute",
    "customer",
    "owner",
    "page",
    "button",
    "intent",
    "error",
    "reminder",
    "constraint",
    "briefing",
    "pay",
    "flag",
    "bank",
)


NOT_SENTENCES = frozenset({"payment.captured"})


def _placeholders(sentence: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(sentence) if name}


@pytest.mark.parametrize("language", sorted(p.stem for p in LOCALES_DIR.glob("*.yml")))
def test_every_locale_has_every_key_with_the_same_placeholders(language: str) -> None:
    locales = Locales()
    english, other = locales.sentences("en"), locales.sentences(language)
    assert other.keys() == english.keys()
    for key, sentence in other.items():
        assert _placeholders(sentence) == _placeholders(english[key]), key


def test_every_key_the_code_uses_has_a_sentence() -> None:
    english = Locales().sentences("en")
    used = set()
    for package in CODE:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    head, _, rest = node.value.partition(".")
                    # "customer.id" is a foreign key and "payment.captured" Razorpay's event, not sentences.
                    if node.value in NOT_SENTENCES:
                        continue
                    if head in SECTIONS and rest != "id" and rest.replace("_", "").isalpha():
                        used.add(node.value)
    assert used, "the scan found no keys at all"
    assert sorted(used - english.keys()) == []


@pytest.mark.parametrize(
    ("paise", "shown"),
    [
        (2242000, "₹22,420"),
        (12345600, "₹1,23,456"),
        (250000000, "₹25,00,000"),
        (2242050, "₹22,420.50"),
        (5, "₹0.05"),
        (0, "₹0"),
        (-50000, "-₹500"),
    ],
)
def test_amounts_use_indian_grouping(paise: int, shown: str) -> None:
    assert format_inr(paise) == shown


def test_rendering_formats_money_and_dates_for_the_reader() -> None:
    locales = Locales()
    english = locales.render("collections.promise_noted", "en", {"date": date(2026, 12, 2)})
    assert "2 Dec 2026" in english
    hindi = locales.render("payment.link_confirm", "hi", {"customer": "शर्मा", "amount": Money(2242000)})
    assert "₹22,420" in hindi and "शर्मा" in hindi


def test_every_payment_mode_has_a_name() -> None:
    english = Locales().sentences("en")
    assert all(f"mode.{mode}" in english for mode in PaymentMode)
    assert Locales().render("payment.recorded", "hi", {"mode": Phrase("mode.cash")}).count("नकद") == 1


def test_a_language_without_the_key_falls_back_to_english(tmp_path: Path) -> None:
    (tmp_path / "en.yml").write_text("a:\n  b: 'Hello {name}'\n", encoding="utf-8")
    (tmp_path / "mr.yml").write_text("a: {}\n", encoding="utf-8")
    assert Locales(tmp_path).render("a.b", "mr", {"name": "Ganesh"}) == "Hello Ganesh"
