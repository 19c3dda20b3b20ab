"""Numbers as people write them about money: 25k, 2.5 lakh, 1,23,456, ₹500, 25000/-, sava do lakh."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from nlu import lexicon as lx
from nlu.scan import Scan
from nlu.text import Kind, Script

# Digits beyond this are ids (phone numbers, references), never amounts or quantities.
MAX_DIGITS = 11


@dataclass(frozen=True)
class Number:
    """A number over tokens first..last (currency words included); `first_value` is its first digit
    or number word."""

    value: Decimal
    first: int
    last: int
    first_value: int
    currency: bool
    multiplier: bool
    in_words: bool


def as_value(number: Decimal) -> int | float:
    """The JSON value: an int when whole (25000), else a float rounded to paise (2.5)."""
    if number == number.to_integral_value():
        return int(number)
    return float(round(number, 2))


def read_number(scan: Scan, index: int) -> Number | None:
    """The number that starts at token `index` (a currency sign or word may come first), or None."""
    if not _may_start(scan, index):
        return None
    start = index
    currency = False
    if _is_currency(scan, index) and scan.free(index + 1):
        currency = True
        index += 1
        if scan.key(index) == "." and scan.is_number(index + 1):  # Rs. 500
            index += 1
    core = _read_core(scan, index)
    if core is None:
        return None
    value, last, multiplier, in_words = core
    if scan.key(last + 1) == "/" and scan.key(last + 2) == "-":  # 25000/-
        currency, last = True, last + 2
    elif not currency and _is_currency(scan, last + 1):
        currency, last = True, last + 1
    return Number(value, start, last, index, currency, multiplier, in_words)


def _may_start(scan: Scan, index: int) -> bool:
    """A cheap first look, since most tokens are plain words."""
    token_key = scan.key(index)
    return (
        scan.is_number(index)
        or _bare_multiplier(scan, index)
        or token_key in scan.words.numbers
        or token_key in scan.words.fractions
        or token_key in scan.words.fraction_shifts
        or token_key in scan.words.currency
        or token_key in lx.CURRENCY_SYMBOLS
    )


def _is_currency(scan: Scan, index: int) -> bool:
    token_key = scan.key(index)
    return scan.free(index) and (token_key in scan.words.currency or token_key in lx.CURRENCY_SYMBOLS)


def _read_core(scan: Scan, index: int) -> tuple[Decimal, int, bool, bool] | None:
    """Digits or number words with their multipliers: (value, last token, had a multiplier, in words).

    Segments add up in falling order (ek lakh pachees hazaar); a number after a finished segment joins
    when a smaller multiplier follows it, or as the last segment when it is at least a hundred and
    counts nothing ("25 hazaar 500" is 25,500; "2.5 lakh 50 bag" stays two numbers).
    """
    total = Decimal(0)
    current: Decimal | None = None
    shift: Decimal | None = None
    last_factor = 0
    # After hundreds a smaller number adds up: do sau pachaas, दोनशे पन्नास = 250.
    multiplier = in_words = hundreds = False
    position = index
    while scan.free(position):
        token, token_key = scan.tokens[position], scan.key(position)
        starts_number = current is None and (
            token.kind is Kind.NUMBER or token_key in scan.words.numbers or token_key in scan.words.fractions
        )
        if (
            starts_number
            and last_factor
            and not 0 < _multiplier(scan, position + 1) < last_factor
            and not _last_segment(scan, position, last_factor)
        ):
            break
        if token.kind is Kind.NUMBER and current is None:
            current = digits_value(token.key)
            if current is None:
                break
        elif token_key in scan.words.fraction_shifts and current is None and shift is None:
            shift, in_words = Decimal(str(scan.words.fraction_shifts[token_key])), True
        elif token_key in scan.words.fractions and current is None:
            current, in_words = Decimal(str(scan.words.fractions[token_key])), True
        elif token_key in scan.words.numbers and (
            current is None
            or _compound(scan, position, current)
            or (
                (hundreds or in_words)
                and current >= 100
                and current % 100 == 0
                and scan.words.numbers[token_key] < 100
            )
        ):
            current = (current or Decimal(0)) + scan.words.numbers[token_key]
            in_words, hundreds = True, False
        elif (factor := _multiplier(scan, position)) and (
            current is not None or shift is not None or (position == index and _bare_multiplier(scan, index))
        ):
            base = (Decimal(1) if current is None else current) + (shift or 0)
            shift, multiplier = None, True
            if factor == 100:
                current, hundreds = base * factor, True
            else:
                total, current, last_factor = total + base * factor, None, factor
        else:
            break
        position += 1
    last = position - 1
    if last < index or (shift is not None and current is None):
        return None
    value = total + (current or 0) + (shift or 0)
    return value, last, multiplier, in_words


def _bare_multiplier(scan: Scan, index: int) -> bool:
    """లక్ష రూపాయలు, லட்சத்து ஐம்பதாயிரம்: a multiplier alone is one lakh, one thousand, in the Indian
    scripts, where people say it that way, when money or more of the number follows (Telugu వెయ్యి is
    also "put": "bill వెయ్యి"). In Latin letters "hazaar" alone is too often "a thousand times"."""
    token = scan.tokens[index] if 0 <= index < len(scan.tokens) else None
    if token is None or not token.is_word or token.script is Script.LATIN:
        return False
    after = scan.key(index + 1)
    more = (
        after in scan.words.currency
        or after in lx.CURRENCY_SYMBOLS
        or after in scan.words.numbers
        or after in scan.words.multipliers
    )
    return more and scan.words.multipliers.get(token.key, 0) >= 1000


def _last_segment(scan: Scan, position: int, last_factor: int) -> bool:
    """Whether the number at `position` ends the amount before it: "25 hazaar 500", "पंचवीस हजार पाचशे"."""
    token = scan.tokens[position]
    value = digits_value(token.key) if token.kind is Kind.NUMBER else scan.words.numbers.get(token.key)
    after = scan.key(position + 1)
    counts_something = after in scan.words.units or after in scan.words.days or after in scan.words.week
    return (
        value is not None
        and 100 <= value < last_factor
        and not counts_something
        and after not in lx.PERCENT_WORDS
        and after not in scan.words.gst
    )


def digits_value(text: str) -> Decimal | None:
    """The value of a number token's key ("25000", "2.5"), or None for "1.2.3" or an id-length run."""
    if len(text.replace(".", "")) > MAX_DIGITS:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _compound(scan: Scan, position: int, current: Decimal) -> bool:
    """twenty five, இருபத்து ஐந்து: a unit word right after a tens word."""
    return (
        scan.key(position - 1) in scan.words.tens
        and current % 10 == 0
        and scan.words.numbers[scan.key(position)] < 10
    )


def _multiplier(scan: Scan, position: int) -> int:
    """The factor token `position` multiplies by, or 0. Glued ones are read from the raw text, since "k"
    alone is "ok" to the key table."""
    if not scan.free(position):
        return 0
    raw = scan.tokens[position].text.casefold()
    if raw in lx.GLUED_MULTIPLIERS and scan.is_number(position - 1) and (scan.glued(position) or raw != "k"):
        return lx.GLUED_MULTIPLIERS[raw]
    return scan.words.multipliers.get(scan.key(position), 0)
