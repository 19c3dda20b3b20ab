"""The entity extractor: every contract entity, found by rules in a fixed order (nlu/README.md)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from nlu import lexicon as lx
from nlu.customers import extract_customers
from nlu.dates import extract_dates
from nlu.goods import extract_goods
from nlu.ids import extract_ids
from nlu.message import Message
from nlu.names import NameModel
from nlu.scan import Scan
from nlu.text import NATIVE_DIGITS, Script, Token, keys

_CLAUSE_PUNCTUATION = frozenset(",.;!?|।")
_CLAUSE_WORDS = keys("aur baaki baki lekin magar par but and then phir")


class EntityExtractor:
    """Finds entities; each extractor takes its tokens, so one number is never two entities.

    Order: ids (GSTIN, UTR, phone, invoice number), dates, money and goods, language names, customers
    last, since a customer's name is whatever is left that sits where a name sits.
    """

    def __init__(
        self,
        known_words: Mapping[Script, frozenset[str]],
        items: frozenset[str] = frozenset(),
        names: frozenset[str] = frozenset(),
        name_model: NameModel | None = None,
    ) -> None:
        # Per script, word keys the training data uses outside customer and item annotations: never
        # part of a name. Per script, because one Latin key can be a word in one language and a name in
        # another (खन्ना and खाना share one).
        self._known_words = known_words
        # Goods the training data names (see Scan.items).
        self._items = items
        # Keys of name words the training data annotates (see Scan.names).
        self._names = names
        self._name_model = name_model

    def process(self, message: Message) -> None:
        words = lx.words_for(message.language)
        scan = Scan(
            original=message.analysed,
            text=message.analysed.translate(NATIVE_DIGITS),
            tokens=message.tokens,
            today=message.today,
            past_tense=past_tense(message.tokens, words),
            words=words,
            known=self._known_words,
            items=self._items,
            names=self._names,
            name_model=self._name_model,
        )
        extract_ids(scan)
        extract_dates(scan)
        extract_goods(scan)
        for index, token in enumerate(scan.tokens):
            if scan.free(index) and token.key in scan.words.language_names:
                scan.add("language", scan.words.language_names[token.key], index, index)
        extract_customers(scan, message.customers)
        message.entities = sorted(scan.found, key=lambda entity: (entity.start, entity.end))


def past_tense(tokens: list[Token], words: lx.Words) -> list[bool]:
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
    overall = _tense(tokens, range(len(tokens)), words)
    tenses = [overall] * len(tokens)
    for clause in clauses:
        clause_tense = _tense(tokens, clause, words)
        for index in clause:
            tenses[index] = overall if clause_tense is None else clause_tense
    return [bool(tense) for tense in tenses]


def _tense(tokens: list[Token], indexes: Sequence[int], words: lx.Words) -> bool | None:
    """True for past, False for future, None when no word says. Verbs that inflect (கட்டினேன், ભર્યા)
    are told by their endings."""
    keys_found = {word for index in indexes for word in tokens[index].key.split()}
    texts = [tokens[index].text for index in indexes if tokens[index].is_word]
    if keys_found & words.future or _ends_with(texts, words.future_endings):
        return False
    if keys_found & words.past or _ends_with(texts, words.past_endings):
        return True
    return None


def _ends_with(texts: list[str], endings: tuple[str, ...]) -> bool:
    return bool(endings) and any(text.endswith(endings) for text in texts)
