"""Customer names as written, honorifics removed: "Sharma ji ko" → Sharma, "for X Traders" → X Traders.

A name is found by what stands next to it (a Hindi postposition after it, an English preposition or
verb before it, "customer" or "bill" a few words before it), and its words must not be ordinary words:
anything the training data uses outside a customer annotation, or a pronoun and the like, is never part
of a name.
"""

from __future__ import annotations

from nlu import lexicon as lx
from nlu.scan import Scan
from nlu.text import Kind, keys

_NAME_BEFORE = keys("for to from with of against on does")
_VERBS_BEFORE_NAME = keys("remind reminding invoice message ping call chase nudge send save add sue")
# After these a few ordinary words may come before the name: "bill banao Mishra", "customer add karo X".
_WORDS_BEFORE_NAME = keys("customer grahak party client bill ग्राहक")
# English verbs that follow a name opening the message: "Verma paid 20000".
_VERBS_AFTER_NAME = keys("paid gave sent transferred has have cleared deposited owes wants said will")
_APOSTROPHES = frozenset({"'", "’"})
_MAX_NAME_WORDS = 4
_MAX_FILLER_WORDS = 4


def extract_customers(scan: Scan, known_words: frozenset[str]) -> None:
    ordinary = known_words | lx.NEVER_NAMES
    for index, token in enumerate(scan.tokens):
        if not scan.free(index):
            continue
        token_key = scan.key(index)
        possessive = token.text in _APOSTROPHES and scan.key(index + 1) == "s" and scan.glued(index)
        if (token_key in lx.POSTPOSITIONS and index > 0) or possessive:
            _name_before(scan, index, ordinary)
        elif token_key in _NAME_BEFORE or token_key in _VERBS_BEFORE_NAME:
            _name_after(scan, index + 1, ordinary)
        elif token_key in _WORDS_BEFORE_NAME:
            _name_after_fillers(scan, index + 1, ordinary)
    _leading_name(scan, ordinary)


def _name_word(scan: Scan, index: int, ordinary: frozenset[str]) -> bool:
    if not scan.free(index) or scan.tokens[index].kind is not Kind.WORD:
        return False
    token_key = scan.key(index)
    if token_key in lx.BUSINESS_WORDS:
        return True
    return not any(
        word in ordinary
        or word in lx.HONORIFICS
        or word in lx.POSTPOSITIONS
        or word in lx.NAME_PREFIXES
        or word in lx.UNITS
        or word in lx.NUMBER_WORDS
        for word in token_key.split()
    )


def _proper(scan: Scan, first: int, last: int) -> bool:
    """At least one word of the name is not a business word ("Traders" alone is no one)."""
    return any(scan.key(i) not in lx.BUSINESS_WORDS for i in range(first, last + 1))


def _name_before(scan: Scan, index: int, ordinary: frozenset[str]) -> None:
    """Sharma ji ko, Sharma Traders ne, Gupta's: the name ends before `index`, honorifics skipped."""
    end = index - 1
    while end >= 0 and scan.free(end) and scan.key(end) in lx.HONORIFICS:
        end -= 1
    first = end + 1
    while first > 0 and end - first + 1 < _MAX_NAME_WORDS and _name_word(scan, first - 1, ordinary):
        first -= 1
    if first <= end and _proper(scan, first, end):
        span_first = first - 1 if scan.free(first - 1) and scan.key(first - 1) in lx.NAME_PREFIXES else first
        _add(scan, first, end, span_first, index - 1)


def _name_after(scan: Scan, index: int, ordinary: frozenset[str]) -> bool:
    """for Sharma Traders, to Mr Gupta, remind Verma ji: the name starts at `index`."""
    first = index + 1 if scan.free(index) and scan.key(index) in lx.NAME_PREFIXES else index
    last = first - 1
    while last - first + 1 < _MAX_NAME_WORDS and _name_word(scan, last + 1, ordinary):
        last += 1
    if last < first or not _proper(scan, first, last):
        return False
    span_last = last
    while scan.free(span_last + 1) and scan.key(span_last + 1) in lx.HONORIFICS:
        span_last += 1
    _add(scan, first, last, index, span_last)
    return True


def _name_after_fillers(scan: Scan, index: int, ordinary: frozenset[str]) -> None:
    """naya customer add karo Mehta Steels 9876543210: a few ordinary words may come between."""
    for skipped in range(_MAX_FILLER_WORDS + 1):
        position = index + skipped
        if not scan.free(position) or scan.tokens[position].kind is not Kind.WORD:
            return
        if _name_word(scan, position, ordinary):
            _name_after(scan, position, ordinary)
            return


def _leading_name(scan: Scan, ordinary: frozenset[str]) -> None:
    """Sharma 20000 de gaya, Verma paid 20000: capitalized name words that open the message, right before
    an entity or an English verb."""
    last = -1
    while last + 1 < min(len(scan.tokens), _MAX_NAME_WORDS) and _name_word(scan, last + 1, ordinary):
        if not scan.tokens[last + 1].text[0].isupper():
            return
        last += 1
    followed_by = last + 1
    before_entity = followed_by < len(scan.tokens) and not scan.free(followed_by)
    if last >= 0 and (before_entity or scan.key(followed_by) in _VERBS_AFTER_NAME) and _proper(scan, 0, last):
        _add(scan, 0, last, 0, last)


def _add(scan: Scan, first: int, last: int, span_first: int, span_last: int) -> None:
    """Value: the name words as written; span: with the honorifics around them."""
    value = scan.original[scan.tokens[first].start : scan.tokens[last].end]
    scan.add("customer", value, span_first, span_last)
