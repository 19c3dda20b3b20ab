"""Turning a reply key and its values into a sentence in the reader's language (locales/<lang>.yml)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from babel.dates import format_date
from babel.numbers import format_decimal

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
FALLBACK = "en"
# Babel groups some Indian locales the Western way (mr_IN, ta_IN): every language uses the en_IN pattern.
_NUMBER_LOCALE = "en_IN"
# Month names in the reader's script; romanized Hindi reads English month names.
_DATE_LOCALES = {
    "hi": "hi_IN",
    "mr": "mr_IN",
    "gu": "gu_IN",
    "ta": "ta_IN",
    "te": "te_IN",
    "kn": "kn_IN",
    "bn": "bn_IN",
}


@dataclass(frozen=True)
class Money:
    """An amount to show as rupees (₹1,23,456 or ₹1,23,456.50)."""

    paise: int


@dataclass(frozen=True)
class Phrase:
    """A value that is itself a sentence in the reader's language: a payment mode, a status, a finding."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Bullets:
    """Several sentences in the reader's language, one per line."""

    phrases: tuple[Phrase, ...]


def format_inr(paise: int, *, symbol: str = "₹", always_paise: bool = False) -> str:
    """Rupees with Indian digit grouping: ₹22,420 in chat, ₹22,420.00 on documents (`always_paise`)."""
    pattern = "#,##,##0" if paise % 100 == 0 and not always_paise else "#,##,##0.00"
    digits = format_decimal(Decimal(abs(paise)) / 100, format=pattern, locale=_NUMBER_LOCALE)
    return f"{'-' if paise < 0 else ''}{symbol}{digits}"


def format_day(day: date, language: str) -> str:
    return str(format_date(day, "d MMM y", locale=_DATE_LOCALES.get(language, _NUMBER_LOCALE)))


def format_value(value: object, language: str) -> str:
    if isinstance(value, Money):
        return format_inr(value.paise)
    if isinstance(value, date):
        return format_day(value, language)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | Decimal):
        return str(format_decimal(value, locale=_NUMBER_LOCALE))
    return str(value)


class Locales:
    """Every user-facing sentence, by language and dotted key, with English as the fallback."""

    def __init__(self, directory: Path = LOCALES_DIR) -> None:
        self._sentences = {
            path.stem: _flatten(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
            for path in sorted(directory.glob("*.yml"))
        }

    @property
    def languages(self) -> frozenset[str]:
        return frozenset(self._sentences)

    def sentences(self, language: str) -> Mapping[str, str]:
        return self._sentences.get(language, {})

    def render(self, key: str, language: str, params: Mapping[str, object] | None = None) -> str:
        """The sentence for `key` in `language` (else English) with its placeholders filled.

        Raises:
            KeyError: no locale has the key (a programming error the locale test catches).
        """
        sentence = self._sentences.get(language, {}).get(key)
        if sentence is None:
            sentence = self._sentences[FALLBACK][key]
        return sentence.format_map(_Missing(self.values(params or {}, language)))

    def values(self, params: Mapping[str, object], language: str) -> dict[str, str]:
        """Each value as the reader sees it (₹22,420; 2 Dec 2026; a phrase in their language)."""
        return {name: self._value(value, language) for name, value in params.items()}

    def _value(self, value: object, language: str) -> str:
        if isinstance(value, Phrase):
            return self.render(value.key, language, value.params)
        if isinstance(value, Bullets):
            return "\n".join(f"• {self._value(phrase, language)}" for phrase in value.phrases)
        return format_value(value, language)


@cache
def default_locales() -> Locales:
    return Locales()


class _Missing(dict[str, str]):
    """Leaves an unknown placeholder visible rather than failing a reply over it."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat
