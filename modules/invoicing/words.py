"""Amounts in words for invoices, the Indian way (lakh, crore), in each reader's language.

Indian tax invoices print the total in words: ₹22,42,050.50 is "Rupees Twenty-Two Lakh Forty-Two Thousand
Fifty and Fifty Paise Only", "बाईस लाख बयालीस हज़ार पचास रुपये और पचास पैसे मात्र". One composer serves every
language; the words and the ways they combine live in `locales/numbers/<language>.yml`:

    numbers:   0..99, each written out (most Indian languages have an irregular word for every one of them)
    hundreds:  N×100 for N = 1..9, by slot (below): {alone: {1: ..., 9: ...}, joined: ..., before_noun: ...}
    thousand, lakh, crore:
               the word for a count of them, by slot: {alone: FORM, joined: FORM, before_noun: FORM}
    rupees, paise:
               FORM for the rupee and paise parts of an amount
    and:       joins the rupee and paise parts
    only:      closes the amount (Only, मात्र, फक्त, પૂરા, மட்டும், మాత్రమే, ಮಾತ್ರ, মাত্র)
    sandhi:    optional [regex, replacement] pairs applied in order to the finished words, for the fusions a
               language makes across words (Tamil இரண்டு + ஆயிரம் → இரண்டாயிரம்)

A FORM is a template where {n} stands for the count in words ('{n} हज़ार'), or {one: ..., other: ...} when a
count of one reads differently ('Rupee {n}' / 'Rupees {n}', Tamil ஆயிரம் alone for 1,000).

The slot is what follows a word, since Dravidian languages inflect for it: `alone` ends the number, `joined`
is followed by more of the number (Tamil நூற்று, Kannada ಸಾವಿರದ), `before_noun` is followed by the word it
counts, a scale word or the currency (Telugu రెండు వేల రూపాయలు, where a number alone ends in వేలు).
`joined` and `before_noun` default to `alone`.

A number splits into crore, lakh, thousand, hundred and the rest below 100; a count of crores above 99 is
itself written out, as Indian amounts are ("एक सौ पच्चीस करोड़" rather than "एक अरब पच्चीस करोड़").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml

from bot.i18n import FALLBACK, LOCALES_DIR
from bot.money import PAISE_PER_RUPEE

NUMBERS_DIR = LOCALES_DIR / "numbers"
_T = TypeVar("_T")
_HUNDRED = 100
_THOUSAND = 1_000
_LAKH = 1_00_000
_CRORE = 1_00_00_000
_SCALES = {"thousand": _THOUSAND, "lakh": _LAKH, "crore": _CRORE}


class _Slot(StrEnum):
    """What follows a word, which decides its form."""

    ALONE = "alone"
    JOINED = "joined"
    BEFORE_NOUN = "before_noun"


@dataclass(frozen=True)
class _Form:
    """A word for a count: `one` when the count is 1, else `other`; {n} in either is the count in words."""

    one: str
    other: str

    def fill(self, count: int, count_words: str) -> str:
        return (self.one if count == 1 else self.other).replace("{n}", count_words)


@dataclass(frozen=True)
class _Vocabulary:
    """One language's number words and how they combine (the schema in the module docstring)."""

    numbers: tuple[str, ...]
    hundreds: Mapping[_Slot, Mapping[int, str]]
    scales: Mapping[int, Mapping[_Slot, _Form]]
    rupees: _Form
    paise: _Form
    and_word: str
    only: str
    sandhi: tuple[tuple[re.Pattern[str], str], ...]

    def finish(self, words: str) -> str:
        """The words with this language's fusions across word boundaries made (its sandhi rules)."""
        for pattern, replacement in self.sandhi:
            words = pattern.sub(replacement, words)
        return words


def number_in_words(n: int, language: str) -> str:
    """`n` in words in `language` (else English), Indian grouping: 1,01,000 → "One Lakh One Thousand".

    Raises:
        ValueError: `n` is negative.
    """
    _require_non_negative(n)
    vocabulary = _vocabulary(language)
    return vocabulary.finish(_spell(n, vocabulary, _Slot.ALONE))


def amount_in_words(paise: int, language: str) -> str:
    """Paise as invoices print the amount: 2242050 → "Rupees Twenty-Two Thousand ... and Fifty Paise Only".

    The paise part is left out when there are no paise, and the rupee part when there are no rupees but
    some paise ("Fifty Paise Only"). A negative amount has no form on an Indian document: a credit note prints
    the amount credited, so the caller passes its absolute value.

    Raises:
        ValueError: `paise` is negative.
    """
    _require_non_negative(paise)
    vocabulary = _vocabulary(language)
    rupees, rest = divmod(paise, PAISE_PER_RUPEE)
    parts: list[str] = []
    if rupees or not rest:
        parts.append(vocabulary.rupees.fill(rupees, _spell(rupees, vocabulary, _Slot.BEFORE_NOUN)))
    if rest:
        parts.append(vocabulary.paise.fill(rest, _spell(rest, vocabulary, _Slot.BEFORE_NOUN)))
    return vocabulary.finish(f" {vocabulary.and_word} ".join(parts) + f" {vocabulary.only}")


def _require_non_negative(n: int) -> None:
    if n < 0:
        raise ValueError(f"no words for a negative amount: {n}")


def _spell(n: int, vocabulary: _Vocabulary, slot: _Slot) -> str:
    """`n` in words before sandhi, its last term in the form `slot` asks for."""
    if n < _HUNDRED:
        return vocabulary.numbers[n]
    terms = _terms(n)
    last = len(terms) - 1
    return " ".join(
        _term(unit, count, vocabulary, slot if index == last else _Slot.JOINED)
        for index, (unit, count) in enumerate(terms)
    )


def _terms(n: int) -> list[tuple[int, int]]:
    """`n` as (unit, count) pairs, largest first, zeros left out: 22,42,050 → lakh 22, thousand 42, one 50."""
    crores, rest = divmod(n, _CRORE)
    lakhs, rest = divmod(rest, _LAKH)
    thousands, rest = divmod(rest, _THOUSAND)
    hundreds, ones = divmod(rest, _HUNDRED)
    pairs = ((_CRORE, crores), (_LAKH, lakhs), (_THOUSAND, thousands), (_HUNDRED, hundreds), (1, ones))
    return [(unit, count) for unit, count in pairs if count]


def _term(unit: int, count: int, vocabulary: _Vocabulary, slot: _Slot) -> str:
    if unit == 1:
        return vocabulary.numbers[count]
    if unit == _HUNDRED:
        return vocabulary.hundreds[slot][count]
    # The count is followed by the scale word, so it takes the form a number takes before what it counts.
    count_words = _spell(count, vocabulary, _Slot.BEFORE_NOUN)
    return vocabulary.scales[unit][slot].fill(count, count_words)


def _vocabulary(language: str) -> _Vocabulary:
    return _load(language if language in _languages() else FALLBACK)


@cache
def _languages() -> frozenset[str]:
    return frozenset(path.stem for path in NUMBERS_DIR.glob("*.yml"))


@cache
def _load(language: str) -> _Vocabulary:
    """The vocabulary in a locale file, checked whole so a missing word fails here and not on an invoice.

    Raises:
        KeyError: a section (numbers, hundreds.alone, thousand.alone ...) is missing.
        ValueError: a number or a hundred is missing, or a word is not text.
    """
    path = NUMBERS_DIR / f"{language}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return _Vocabulary(
        numbers=tuple(_words(data["numbers"], range(100), path).values()),
        hundreds=_by_slot(data["hundreds"], lambda table: _words(table, range(1, 10), path)),
        scales={unit: _by_slot(data[name], lambda form: _form(form, path)) for name, unit in _SCALES.items()},
        rupees=_form(data["rupees"], path),
        paise=_form(data["paise"], path),
        and_word=_text(data["and"], path),
        only=_text(data["only"], path),
        sandhi=tuple((re.compile(pattern), replacement) for pattern, replacement in data.get("sandhi", [])),
    )


def _by_slot(by_slot: Mapping[str, Any], parse: Callable[[Any], _T]) -> dict[_Slot, _T]:
    """Each slot's words; a slot the file leaves out reads as `alone`."""
    alone = parse(by_slot[_Slot.ALONE])
    return {slot: parse(by_slot[slot]) if slot in by_slot else alone for slot in _Slot}


def _words(table: Mapping[int, Any], keys: range, path: Path) -> dict[int, str]:
    missing = [key for key in keys if key not in table]
    if missing:
        raise ValueError(f"{path.name}: no words for {missing}")
    return {key: _text(table[key], path) for key in keys}


def _form(value: Any, path: Path) -> _Form:
    if isinstance(value, Mapping):
        return _Form(one=_text(value["one"], path), other=_text(value["other"], path))
    return _Form(one=_text(value, path), other=_text(value, path))


def _text(value: Any, path: Path) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{path.name}: {value!r} is not a word")
    return value
