"""Customer names as written, honorifics removed: "Sharma ji ko" → Sharma, "for X Traders" → X Traders.

The business's own customers are found first, however they are written (शर्मा, ஷர்மாவுக்கு and "sharma"
all find Sharma Traders). Other names are found by what stands next to them: a case ending glued on
(ஷர்மாவுக்கு, ಶರ್ಮಾಗೆ, शर्मांना), a postposition after them (ko, ne, ka, को, కి), an English preposition or
verb before them (for, to, remind), "customer" or "bill" a few words before them, or the start of the
message. A name's words must not be ordinary words: a word the training data uses outside a customer
annotation in the same script, or a pronoun and the like.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import fuzz, process

from nlu.scan import Scan
from nlu.text import Kind, Script, keys, word_key

_NAME_BEFORE = keys("for to from with of against on does")
_VERBS_BEFORE_NAME = keys("remind reminding invoice message ping call chase nudge send save add sue")
# After these a few ordinary words may come before the name: "bill banao Mishra", "customer add karo X".
_WORDS_BEFORE_NAME = keys(
    "customer grahak party client bill ग्राहक कस्टमर पार्टी गिऱ्हाईक ગ્રાહક કસ્ટમર પાર્ટી கஸ்டமர் வாடிக்கையாளர் "
    "కస్టమర్ ಕಸ್ಟಮರ್ ಗ್ರಾಹಕ কাস্টমার গ্রাহক পার্টি"
)
# English verbs that follow a name opening the message: "Verma paid 20000".
_VERBS_AFTER_NAME = keys("paid gave sent transferred has have cleared deposited owes wants said will")
_APOSTROPHES = frozenset({"'", "’"})
_MAX_NAME_WORDS = 4
_MAX_FILLER_WORDS = 4
# How alike (0–100, rapidfuzz ratio of keys) a written word and a known customer's name word must be.
_KNOWN_NAME_SIMILARITY = 84
# Shorter keys must match exactly ("ram" is not "raj").
_MIN_FUZZY_LETTERS = 4
# A word this like a business word ("ट्रेडर्स" and "traders" differ in their keys) is one.
_BUSINESS_WORD_SIMILARITY = 80
_NON_INDIAN = (Script.LATIN, Script.OTHER)
_TAMIL_AI = "\u0bc8"  # ை


def extract_customers(scan: Scan, customers: tuple[str, ...] = ()) -> None:
    """The business's own customers first (however written), then names by their surroundings."""
    if customers:
        _known_customers(scan, customers)
    # Glued case endings first: "bill వెయ్యి మూర్తికి" is మూర్తి, not the word with its ending.
    for index, token in enumerate(scan.tokens):
        if scan.free(index) and token.is_word and token.script not in _NON_INDIAN:
            _suffixed_name(scan, index)
    if any(token.is_word and token.script not in _NON_INDIAN for token in scan.tokens):
        _capitalized_latin_names(scan)
    for index in range(len(scan.tokens)):
        if not scan.free(index):
            continue
        token_key = scan.key(index)
        token = scan.tokens[index]
        possessive = token.text in _APOSTROPHES and scan.key(index + 1) == "s" and scan.glued(index)
        # "கோவை டெக்ஸ் க்கு": a case ending written apart works as a postposition.
        ending = index > 0 and token.text in scan.words.name_suffixes
        if (
            (token_key in scan.words.postpositions and index > 0)
            or possessive
            or ending
            or _hyphenated_ending(scan, index)
        ):
            _name_before(scan, index)
        elif token_key in _NAME_BEFORE or token_key in _VERBS_BEFORE_NAME:
            _name_after(scan, index + 1)
        elif token_key in _WORDS_BEFORE_NAME:
            _name_after_fillers(scan, index + 1)
    _leading_name(scan)


def _name_word(scan: Scan, index: int) -> bool:
    if not scan.free(index) or scan.tokens[index].kind is not Kind.WORD:
        return False
    if _business_word(scan, index):
        return True
    words = scan.words
    return not scan.ordinary(index) and not any(
        word in words.honorifics
        or word in words.postpositions
        or word in words.name_prefixes
        or word in words.units
        or word in words.numbers
        for word in scan.key(index).split()
    )


def _business_word(scan: Scan, index: int) -> bool:
    return _business_key(scan, scan.key(index))


def _business_key(scan: Scan, word_key: str) -> bool:
    """Traders, Steels, ट्रेडर्स, டிரேடர்ஸ்: a word of a business's name that is also an ordinary word."""
    return word_key in scan.words.business_words or _like_business_word(word_key, scan.words.business_words)


@lru_cache(maxsize=8192)
def _like_business_word(token_key: str, business_words: frozenset[str]) -> bool:
    if len(token_key) < 5:
        return False
    return (
        process.extractOne(
            token_key, business_words, scorer=fuzz.ratio, score_cutoff=_BUSINESS_WORD_SIMILARITY
        )
        is not None
    )


def _proper(scan: Scan, first: int, last: int) -> bool:
    """At least one word of the name is not a business word ("Traders" alone is no one)."""
    return any(not _business_word(scan, i) for i in range(first, last + 1))


def _with_prefix(scan: Scan, first: int) -> int:
    """Mr, Shri, M/s belong to the name as written: "Shri Balaji Traders"."""
    return first - 1 if scan.free(first - 1) and scan.key(first - 1) in scan.words.name_prefixes else first


def _name_before(scan: Scan, index: int) -> None:
    """Sharma ji ko, Sharma Traders ne, Gupta's: the name ends before `index`, honorifics skipped."""
    end = index - 1
    while end >= 0 and scan.free(end) and scan.key(end) in scan.words.honorifics:
        end -= 1
    first = end + 1
    while first > 0 and end - first + 1 < _MAX_NAME_WORDS and _name_word(scan, first - 1):
        first -= 1
    if first <= end and _proper(scan, first, end):
        first = _with_prefix(scan, first)
        _add(scan, first, end, first, index - 1)


def _name_after(scan: Scan, index: int) -> bool:
    """for Sharma Traders, to Mr Gupta, remind Verma ji: the name starts at `index`."""
    first = index + 1 if scan.free(index) and scan.key(index) in scan.words.name_prefixes else index
    last = first - 1
    while last - first + 1 < _MAX_NAME_WORDS and _name_word(scan, last + 1):
        last += 1
    if last < first or not _proper(scan, first, last):
        return False
    span_last = last
    while scan.free(span_last + 1) and scan.key(span_last + 1) in scan.words.honorifics:
        span_last += 1
    if span_last == last and not _name_shaped(scan, first, last):
        return False
    _add(scan, index, last, index, span_last)
    return True


def _name_shaped(scan: Scan, first: int, last: int) -> bool:
    """Words in Latin letters after "for" or "bill" are a name; in an Indian script an unknown word there
    is as often a verb (ಬಿಲ್ ತಯಾರಿಸಿ, "prepare the bill"), so it needs a name's shape or a business word."""
    if any(scan.tokens[i].script in _NON_INDIAN for i in range(first, last + 1)):
        return True
    return any(
        scan.looks_like_name(_stem_key(scan, i)) or _business_word(scan, i) for i in range(first, last + 1)
    )


def _name_after_fillers(scan: Scan, index: int) -> None:
    """naya customer add karo Mehta Steels 9876543210: a few ordinary words may come between."""
    for skipped in range(_MAX_FILLER_WORDS + 1):
        position = index + skipped
        if not scan.free(position) or scan.tokens[position].kind is not Kind.WORD:
            return
        if _name_word(scan, position):
            _name_after(scan, position)
            return


def _capitalized_latin_names(scan: Scan) -> None:
    """In a message written in an Indian script, capitalized words in Latin letters are a name: "Sai Ram
    Textiles కి రేపు reminder" (one such word alone only when it is no ordinary word: "Payment வந்தது")."""
    index = 0
    while index < len(scan.tokens):
        if not _title_word(scan, index):
            index += 1
            continue
        last = index
        while last + 1 - index < _MAX_NAME_WORDS and _title_word(scan, last + 1):
            last += 1
        if (last > index or not scan.ordinary(index)) and _proper(scan, index, last):
            span_last = last
            while scan.free(span_last + 1) and scan.key(span_last + 1) in scan.words.honorifics:
                span_last += 1
            _add(scan, index, last, index, span_last)
        index = last + 1


def _title_word(scan: Scan, index: int) -> bool:
    """A free word in Latin letters with a capital first letter, not an acronym (UPI, GST)."""
    if not scan.free(index) or not scan.tokens[index].is_word:
        return False
    text = scan.tokens[index].text
    return (
        scan.tokens[index].script is Script.LATIN
        and len(text) > 1
        and text[0].isupper()
        and not text.isupper()
    )


def _leading_name(scan: Scan) -> None:
    """Sharma 20000 de gaya, Verma paid 20000, శర్మ బాకీ ఎంత: name words that open the message. In Latin
    letters they need a capital and an entity or an English verb after them; Indian scripts have no
    capitals, so there a word the training data knows from names will do."""
    last = -1
    while last + 1 < min(len(scan.tokens), _MAX_NAME_WORDS) and _name_word(scan, last + 1):
        token = scan.tokens[last + 1]
        if token.script is Script.LATIN and not token.text[0].isupper():
            return
        last += 1
    if last < 0 or not _proper(scan, 0, last):
        return
    followed_by = last + 1
    span_last = last
    while scan.free(span_last + 1) and scan.key(span_last + 1) in scan.words.honorifics:
        span_last += 1
    before_entity = followed_by < len(scan.tokens) and not scan.free(followed_by)
    native = scan.tokens[0].script not in _NON_INDIAN and any(
        scan.looks_like_name(_stem_key(scan, i)) for i in range(last + 1)
    )
    if before_entity or native or scan.key(followed_by) in _VERBS_AFTER_NAME or span_last > last:
        _add(scan, 0, last, 0, span_last)


def _known_name(scan: Scan, index: int) -> bool:
    """A word the training data uses in a customer's name, in any script (ஷர்மா is the Sharma of the
    English examples)."""
    return scan.key(index) in scan.names


def _hyphenated_ending(scan: Scan, index: int) -> bool:
    """ "Balaji Cements-க்கு": a case ending hyphenated to a name in Latin letters."""
    return (
        index > 0
        and scan.tokens[index].text == "-"
        and index + 1 < len(scan.tokens)
        and scan.tokens[index + 1].text in scan.words.name_suffixes
    )


def _add(scan: Scan, first: int, last: int, span_first: int, span_last: int) -> None:
    """Value: the name words as written, without a case ending glued to the last; span: with the
    honorifics around them."""
    token = scan.tokens[last]
    stem = scan.stem(last)
    if stem is None:
        name = token.text
    elif token.text[len(stem) - 1] == _TAMIL_AI:
        # துரை is a name as much as துர் + the accusative ை: keep the letters as written.
        name = token.text[: len(stem)]
    else:
        name = stem  # ராஜேஷுக்கு → ராஜேஷ், whose virama the ending's vowel replaced
    before = scan.original[scan.tokens[first].start : token.start]
    scan.add("customer", before + name, span_first, span_last)


def _stem_key(scan: Scan, index: int) -> str:
    stem = scan.stem(index)
    return word_key(stem) if stem is not None else scan.key(index)


def _suffixed_name(scan: Scan, index: int) -> None:
    """ஷர்மாவுக்கு, ಶರ್ಮಾಗೆ, शर्मांना: a name with its case ending glued on; or the ending glued to an
    honorific (ஷர்மா சாருக்கு), which puts the name before it."""
    if scan.ordinary(index):
        return
    stem = scan.stem(index)
    if stem is None:
        return
    stem_key = word_key(stem)
    if stem_key in scan.words.honorifics:
        _name_before(scan, index)
        return
    if stem_key in scan.known_words(scan.tokens[index].script) or stem_key in scan.words.never_names:
        return
    if stem_key in scan.words.units or stem_key in scan.words.numbers:
        return
    first = index
    while first > 0 and index - first + 1 < _MAX_NAME_WORDS and _name_word(scan, first - 1):
        first -= 1
    # Any unknown word can carry a case ending (भाजीचा, கோல்ஹாபூருக்கு): it is a name only when it looks
    # like one (nlu/names.py) or follows name words (மதுரை ஸ்டீல் ஹவுஸுக்கு).
    looks_named = scan.looks_like_name(stem_key) or any(_known_name(scan, i) for i in range(first, index))
    if not (looks_named or (_business_key(scan, stem_key) and first < index)):
        return
    first = _with_prefix(scan, first)
    _add(scan, first, index, first, index)


def _known_customers(scan: Scan, customers: tuple[str, ...]) -> None:
    """Where the text names one of the business's customers, in any script or spelling: शर्मा जी and
    ஷர்மாவுக்கு both find "Sharma Traders". Keys put every script in one Latin form; rapidfuzz forgives
    the spelling. The value is the name as written, honorifics and case endings removed."""
    # Each customer's distinctive word (sarma for Sharma Traders) → the keys of all its name's words.
    known: dict[str, list[str]] = {}
    for name in customers:
        words = [word_key(word) for word in name.split()]
        distinctive = [word for word in words if word not in scan.words.business_words] or words
        if distinctive:
            known.setdefault(distinctive[0], words)
    fuzzy = [word for word in known if len(word) >= _MIN_FUZZY_LETTERS]
    for index, token in enumerate(scan.tokens):
        if not scan.free(index) or not token.is_word:
            continue
        stem = scan.stem(index) if token.script not in _NON_INDIAN else None
        for written in (scan.key(index), word_key(stem or "")):
            match = _closest(written, known, fuzzy)
            if match is not None:
                _add_known(scan, index, match, known[match], whole_word=written == scan.key(index))
                break


def _closest(written: str, known: dict[str, list[str]], fuzzy: list[str]) -> str | None:
    """The known distinctive word `written` is: exactly, or (from `fuzzy`, the ones long enough to be
    compared by rapidfuzz over keys) closely."""
    if written in known or len(written) < _MIN_FUZZY_LETTERS:
        return written if written in known else None
    found = process.extractOne(written, fuzzy, scorer=fuzz.ratio, score_cutoff=_KNOWN_NAME_SIMILARITY)
    return None if found is None else str(found[0])


def _add_known(scan: Scan, index: int, distinctive: str, words: list[str], *, whole_word: bool) -> None:
    """The known name from token `index` on: its following words too (Sharma Traders) unless a case
    ending ended it (ஷர்மாவுக்கு); honorifics in the span but not the value."""
    last = index
    if whole_word:
        rest = words[words.index(distinctive) + 1 :]
        while rest and scan.free(last + 1) and _alike(scan.key(last + 1), rest[0]):
            last, rest = last + 1, rest[1:]
    span_last = last
    while scan.free(span_last + 1) and scan.key(span_last + 1) in scan.words.honorifics:
        span_last += 1
    _add(scan, index, last, index, span_last)


def _alike(written: str, known: str) -> bool:
    if not written or not known:
        return False
    if min(len(written), len(known)) < _MIN_FUZZY_LETTERS:
        return written == known
    return fuzz.ratio(written, known) >= _KNOWN_NAME_SIMILARITY
