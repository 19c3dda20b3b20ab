"""The entity extractor: every contract entity, found by rules in a fixed order (nlu/README.md)."""

from __future__ import annotations

from nlu import lexicon as lx
from nlu.customers import extract_customers
from nlu.dates import extract_dates
from nlu.goods import extract_goods
from nlu.ids import extract_ids
from nlu.message import Message
from nlu.scan import Scan
from nlu.text import NATIVE_DIGITS, Token, keys

_CLAUSE_PUNCTUATION = frozenset(",.;!?|।")
_CLAUSE_WORDS = keys("aur baaki baki lekin magar par but and then phir")


class EntityExtractor:
    """Finds entities; each extractor takes its tokens, so one number is never two entities.

    Order: ids (GSTIN, UTR, phone, invoice number), dates, money and goods, language names, customers
    last, since a customer's name is whatever is left that sits where a name sits.
    """

    def __init__(self, known_words: frozenset[str]) -> None:
        # Word keys the training data uses outside customer and item annotations: never part of a name.
        self._known_words = known_words

    def process(self, message: Message) -> None:
        scan = Scan(
            original=message.analysed,
            text=message.analysed.translate(NATIVE_DIGITS),
            tokens=message.tokens,
            today=message.today,
            past_tense=past_tense(message.tokens),
        )
        extract_ids(scan)
        extract_dates(scan)
        extract_goods(scan, self._known_words)
        for index, token in enumerate(scan.tokens):
            if scan.free(index) and token.key in lx.LANGUAGE_NAMES:
                scan.add("language", lx.LANGUAGE_NAMES[token.key], index, index)
        extract_customers(scan, self._known_words)
        message.entities = sorted(scan.found, key=lambda entity: (entity.start, entity.end))


def past_tense(tokens: list[Token]) -> list[bool]:
    """For each token, whether its clause speaks of the past: a past marker and no future one.

    Clauses end at punctuation and at "aur", "baaki", "but"...: in "sorry late ho gaya, kal bhejta hu"
    the "kal" is tomorrow. A clause without any tense word takes the whole message's tense.
    """
    clauses: list[list[int]] = [[]]
    for index, token in enumerate(tokens):
        if token.text in _CLAUSE_PUNCTUATION or token.key in _CLAUSE_WORDS:
            clauses.append([])
        else:
            clauses[-1].append(index)
    overall = _tense({word for token in tokens for word in token.key.split()})
    tenses = [overall] * len(tokens)
    for clause in clauses:
        clause_tense = _tense({word for index in clause for word in tokens[index].key.split()})
        for index in clause:
            tenses[index] = overall if clause_tense is None else clause_tense
    return [bool(tense) for tense in tenses]


def _tense(words: set[str]) -> bool | None:
    """True for past, False for future, None when no word says."""
    if words & lx.FUTURE_MARKERS:
        return False
    return True if words & lx.PAST_MARKERS else None
