"""Dates resolved against today in Asia/Kolkata, by the contract's rules ("Date rules")."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from nlu import lexicon as lx
from nlu.numbers import read_number
from nlu.scan import Scan
from nlu.text import key

# Day first. Without a year only "/" counts: "2.5" and "1-2" are numbers, not dates.
_NUMERIC_DATE = re.compile(
    r"(?<![\d/.-])(?P<day>\d{1,2})(?P<sep>[/.-])(?P<month>\d{1,2})"
    r"(?:(?P=sep)(?P<year>\d{4}|\d{2}))?(?![\d/-]|[.,]\d)"
)
_MAX_DAY_COUNT = 366


def extract_dates(scan: Scan) -> None:
    """Every date the message names, most specific patterns first."""
    _numeric_dates(scan)
    for index in range(len(scan.tokens)):
        if scan.free(index):
            _date_at(scan, index)


def _numeric_dates(scan: Scan) -> None:
    for match in _NUMERIC_DATE.finditer(scan.text):
        year = match.group("year")
        if year is None and match.group("sep") != "/":
            continue
        day, month = int(match.group("day")), int(match.group("month"))
        if year is not None:
            found = _valid(int(year) + (2000 if len(year) == 2 else 0), month, day)
        else:
            found = _without_year(scan, month, day, past=scan.past(scan.token_at(match.start())))
        if found is not None:
            scan.add_match("date", found.isoformat(), match)
        else:
            scan.take_match(match)


def _date_at(scan: Scan, index: int) -> None:
    today, past = scan.today, scan.past(index)
    words = scan.words
    token_key = scan.key(index)
    for phrase, meaning in words.phrases.get(token_key, ()):
        if _phrase_at(scan, index, phrase):
            scan.add("date", _resolve(meaning, today, past=past).isoformat(), index, index + len(phrase) - 1)
            return
    if (relative := words.relative_days.get(token_key)) is not None:
        scan.add("date", _resolve(relative, today, past=past).isoformat(), index, index)
    elif token_key in words.next and scan.key(index + 1) in words.week:
        scan.add("date", _resolve(lx.NEXT_WEEK, today, past=past).isoformat(), index, index + 1)
    elif token_key in words.next and _weekday(scan, index + 1) is not None:
        _add_weekday(scan, index + 1, first=index, past=past)
    elif _weekday(scan, index) is not None:
        _add_weekday(scan, index, first=index, past=past)
    elif token_key in words.within and scan.free(index + 1):
        _in_days(scan, index + 1, first=index)
    elif scan.is_number(index) or token_key in words.numbers:
        if not _day_of_month(scan, index, past=past):
            _in_days(scan, index, first=index)
    elif token_key in words.months and scan.is_number(index + 1):
        _month_then_day(scan, index, past=past)


def _resolve(meaning: lx.DateWord, today: date, *, past: bool) -> date:
    if meaning == lx.MONTH_END:
        return today.replace(day=calendar.monthrange(today.year, today.month)[1])
    if meaning == lx.NEXT_WEEK:
        return today + timedelta(days=7 - today.weekday())
    assert isinstance(meaning, lx.RelativeDay)
    sign = -1 if past and meaning.by_tense else 1
    return today + timedelta(days=sign * meaning.days)


def _phrase_at(scan: Scan, index: int, phrase: tuple[str, ...]) -> bool:
    return all(scan.free(index + i) and scan.key(index + i) == word for i, word in enumerate(phrase))


def _weekday(scan: Scan, index: int) -> int | None:
    token_key = scan.key(index)
    if token_key not in scan.words.weekdays or not scan.free(index):
        return None
    if token_key in lx.SHORT_WEEKDAYS and not scan.tokens[index].text[0].isupper():
        return None
    return scan.words.weekdays[token_key]


def _add_weekday(scan: Scan, index: int, *, first: int, past: bool) -> None:
    weekday = _weekday(scan, index)
    assert weekday is not None
    ahead = (weekday - scan.today.weekday()) % 7 or 7
    behind = (scan.today.weekday() - weekday) % 7 or 7
    days = -behind if past else ahead
    scan.add("date", (scan.today + timedelta(days=days)).isoformat(), first, index)


def _in_days(scan: Scan, index: int, *, first: int) -> bool:
    """`3 din mein`, `ek hafte mein`, `in 3 days`, `in a week`: today + N days."""
    count, last = _count_at(scan, index)
    unit_key = scan.key(last + 1)
    if unit_key in scan.words.days:
        days = count
    elif unit_key in scan.words.week:
        days = 7 * count
    else:
        return False
    last += 1
    # The "mein" / "baad" comes after: "3 din mein". Many languages glue it on (5 நாளில், 5 దినాల్లో,
    # 5 दिवसांत): a day or week word of the language's own lexicon may stand alone.
    if first == index and scan.key(last + 1) in scan.words.within:
        last += 1
    elif first == index and (unit_key in lx.DAY_WORDS or unit_key in lx.WEEK_WORDS):
        return False
    if not 0 < days <= _MAX_DAY_COUNT:
        return False
    scan.add("date", (scan.today + timedelta(days=days)).isoformat(), first, last)
    return True


def _count_at(scan: Scan, index: int) -> tuple[int, int]:
    """A small count at token `index` ("3", "teen", "a", "one"), with its last token; 0 if none."""
    if scan.key(index) in (key("a"), key("an")):
        return 1, index
    number = read_number(scan, index)
    if number is None or number.currency or number.multiplier or number.value != int(number.value):
        return 0, index
    return int(number.value), number.last


def _day_of_month(scan: Scan, index: int, *, past: bool) -> bool:
    """`15 tarikh`, `15th`, `15 Dec`, `15th December 2026`, `१५ तारीख`."""
    if not _is_day(scan, index):
        return False
    day, last = int(scan.tokens[index].key), index
    if scan.key(last + 1) in lx.ORDINAL_SUFFIXES and scan.glued(last + 1):
        last += 1
    elif _ordinal_ending(scan, last + 1) and scan.key(last + 2) in scan.words.day_of_month:
        last += 1  # 15వ తేదీ, 15ஆம் தேதி
    month = scan.words.months.get(scan.key(last + 1)) if scan.free(last + 1) else None
    if month is not None:
        last += 1
        year = _year_at(scan, last + 1)
        found = _valid(year, month, day) if year else _without_year(scan, month, day, past=past)
        last += 1 if year else 0
    elif last > index or scan.key(last + 1) in scan.words.day_of_month:
        last += 1 if last == index else 0
        found = _day_this_or_other_month(scan, day, past=past)
    else:
        return False
    if found is None:
        return False
    scan.add("date", found.isoformat(), index, last)
    return True


def _ordinal_ending(scan: Scan, index: int) -> bool:
    """A short word after a day number that makes it an ordinal in an Indian language (వ, ஆம், ನೇ)."""
    return scan.free(index) and scan.tokens[index].is_word and len(scan.tokens[index].text) <= 3


def _month_then_day(scan: Scan, index: int, *, past: bool) -> None:
    """`Dec 15`, `December 15th 2026`."""
    day_index = index + 1
    if not _is_day(scan, day_index):
        return
    day, last = int(scan.tokens[day_index].key), day_index
    if scan.key(last + 1) in lx.ORDINAL_SUFFIXES and scan.glued(last + 1):
        last += 1
    year = _year_at(scan, last + 1)
    found = _valid(year, scan.words.months[scan.key(index)], day) if year else None
    if found is None and not year:
        found = _without_year(scan, scan.words.months[scan.key(index)], day, past=past)
    if found is not None:
        scan.add("date", found.isoformat(), index, last + (1 if year else 0))


def _is_day(scan: Scan, index: int) -> bool:
    """A one- or two-digit number (which `_valid` then checks against the month)."""
    return scan.is_number(index) and scan.tokens[index].key.isdigit() and len(scan.tokens[index].key) <= 2


def _year_at(scan: Scan, index: int) -> int:
    text = scan.tokens[index].key if scan.is_number(index) and scan.free(index) else ""
    return int(text) if text.isdigit() and len(text) == 4 and 2000 <= int(text) <= 2100 else 0


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except (ValueError, OverflowError):
        return None


def _without_year(scan: Scan, month: int, day: int, *, past: bool) -> date | None:
    """Next occurrence on or after today, or the last on or before it when the verb is past."""
    today = scan.today
    for year in (today.year, today.year - 1) if past else (today.year, today.year + 1):
        found = _valid(year, month, day)
        if found is not None and (found <= today if past else found >= today):
            return found
    return None


def _day_this_or_other_month(scan: Scan, day: int, *, past: bool) -> date | None:
    """A bare day of month: this month or the next one with that day (the previous when past)."""
    year, month = scan.today.year, scan.today.month
    step = -1 if past else 1
    for _ in range(3):
        found = _valid(year, month, day)
        if found is not None and (found <= scan.today if past else found >= scan.today):
            return found
        month += step
        year, month = (year + 1, 1) if month > 12 else (year - 1, 12) if month < 1 else (year, month)
    return None
