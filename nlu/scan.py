"""The working state of entity extraction: tokens, which of them an entity already took, what was found."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from nlu.lexicon import Words
from nlu.names import NameModel
from nlu.result import Entity, EntityValue
from nlu.text import Kind, Script, Token

_MIN_STEM_LETTERS = 2
_TAMIL_VIRAMA = "\u0bcd"


@dataclass
class Scan:
    """One message under extraction. `text` has native digits folded to ASCII, same length as `original`.

    Extractors run in order and each takes tokens, so a number read as a quantity is not an amount too.
    """

    original: str
    text: str
    tokens: list[Token]
    today: date
    # Per token: whether the verb of its clause is past tense ("kal payment kar diya" → yesterday).
    past_tense: list[bool]
    # The shared words plus those of the message's language.
    words: Words
    # Per script, the word keys the training data uses outside names and items: never part of a name.
    known: Mapping[Script, frozenset[str]]
    # Goods the training data names, word by word in lower case.
    items: frozenset[str] = frozenset()
    # Keys of the name words the training data annotates, and a model of what names look like: a word
    # with a case ending glued on is a name only if it looks like one (any word can carry an ending).
    names: frozenset[str] = frozenset()
    name_model: NameModel | None = None
    found: list[Entity] = field(default_factory=list)
    taken: list[bool] = field(init=False)

    def __post_init__(self) -> None:
        self.taken = [False] * len(self.tokens)

    def known_words(self, script: Script) -> frozenset[str]:
        return self.known.get(script, frozenset())

    def ordinary(self, index: int) -> bool:
        """Whether token `index` holds a word of the language rather than a name: one the training data
        uses in that script outside names and items, or one on the never-a-name list."""
        token = self.tokens[index]
        known = self.known_words(token.script)
        return any(word in known or word in self.words.never_names for word in token.key.split())

    def stem(self, index: int) -> str | None:
        """A native-script word without the case ending glued to it (ஷர்மாவுக்கு → ஷர்மா, బస్తాకు →
        బస్తా), or None when it has none."""
        token = self.tokens[index]
        if token.script in (Script.LATIN, Script.OTHER):
            return None
        for suffix in self.words.name_suffixes:
            if token.text.endswith(suffix) and len(token.text) - len(suffix) >= _MIN_STEM_LETTERS:
                stem = token.text[: -len(suffix)]
                # Tamil words end in a consonant the ending's vowel joins: முருகன் + உக்கு → முருகனுக்கு.
                if token.script is Script.TAMIL and unicodedata.category(suffix[0]) in ("Mn", "Mc"):
                    stem += _TAMIL_VIRAMA
                return stem
        return None

    def looks_like_name(self, word_key: str) -> bool:
        """A name word of the training data, or a word shaped like one (nlu/names.py)."""
        if word_key in self.names:
            return True
        return self.name_model is not None and self.name_model.likely(word_key)

    def free(self, index: int) -> bool:
        return 0 <= index < len(self.tokens) and not self.taken[index]

    def past(self, index: int) -> bool:
        return self.past_tense[index] if 0 <= index < len(self.tokens) else False

    def token_at(self, offset: int) -> int:
        """The index of the token that covers character `offset`, or -1."""
        return next((i for i, token in enumerate(self.tokens) if token.start <= offset < token.end), -1)

    def key(self, index: int) -> str:
        """The key of token `index`, or "" past either end (so rules can look around without checks)."""
        return self.tokens[index].key if 0 <= index < len(self.tokens) else ""

    def is_number(self, index: int) -> bool:
        return 0 <= index < len(self.tokens) and self.tokens[index].kind is Kind.NUMBER

    def glued(self, index: int) -> bool:
        """Whether token `index` touches the one before it (25k, 18%)."""
        return 0 < index < len(self.tokens) and self.tokens[index - 1].end == self.tokens[index].start

    def add(self, entity: str, value: EntityValue, first: int, last: int) -> None:
        """Record an entity over tokens first..last (inclusive) and take them."""
        start, end = self.tokens[first].start, self.tokens[last].end
        self.found.append(Entity(entity, value, start, end, self.original[start:end]))
        for index in range(first, last + 1):
            self.taken[index] = True

    def add_match(self, entity: str, value: EntityValue, match: re.Match[str], group: int | str = 0) -> bool:
        """Record a regex match over `text` if none of its tokens is taken yet; say whether it was."""
        start, end = match.span(group)
        if not self.take_match(match, group):
            return False
        self.found.append(Entity(entity, value, start, end, self.original[start:end]))
        return True

    def take_match(self, match: re.Match[str], group: int | str = 0) -> bool:
        """Take the tokens of a regex match without recording an entity (30/2/2027 is no date, and no
        amount either); False when one of them was already taken."""
        start, end = match.span(group)
        covered = [i for i, token in enumerate(self.tokens) if token.start < end and token.end > start]
        if not covered or any(self.taken[i] for i in covered):
            return False
        for index in covered:
            self.taken[index] = True
        return True
