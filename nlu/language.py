"""Which language a message is written in: the script first, then, for Latin letters, the words.

Script settles Devanagari (Hindi for now; Marathi needs a model, a later issue) and the other Indian
scripts. Latin letters are English or romanized Hindi, told apart by a naive Bayes over word keys learned
from the training data: "kitna baaki hai" is Hindi, "how much is due" English, and a message with no word
either language uses ("Sharma", "12345", "🙏") gets None.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from nlu.message import OPEN_CLASS_ENTITIES, Message
from nlu.text import Script, Token, covered

_SCRIPT_LANGUAGES = {
    Script.DEVANAGARI: "hi",
    Script.BENGALI: "bn",
    Script.GUJARATI: "gu",
    Script.TAMIL: "ta",
    Script.TELUGU: "te",
    Script.KANNADA: "kn",
}
_LATIN_LANGUAGES = ("en", "hi-Latn")
_SMOOTHING = 0.5
# Log-odds below this either way leave the language untold.
_MIN_EVIDENCE = 0.5


class LanguageIdentifier:
    def __init__(self, log_odds: dict[str, float]) -> None:
        # Word key → log P(word | hi-Latn) - log P(word | en).
        self._log_odds = log_odds

    @classmethod
    def train(cls, examples: Iterable[tuple[str, list[str]]]) -> LanguageIdentifier:
        """Learn from (language, Latin word keys) pairs; languages other than en and hi-Latn are skipped."""
        counts = {language: Counter[str]() for language in _LATIN_LANGUAGES}
        for language, words in examples:
            if language in counts:
                counts[language].update(words)
        vocabulary = set(counts["en"]) | set(counts["hi-Latn"])
        totals = {
            language: sum(counts[language].values()) + _SMOOTHING * len(vocabulary) for language in counts
        }
        log_odds = {
            word: math.log((counts["hi-Latn"][word] + _SMOOTHING) / totals["hi-Latn"])
            - math.log((counts["en"][word] + _SMOOTHING) / totals["en"])
            for word in vocabulary
        }
        return cls(log_odds)

    def process(self, message: Message) -> None:
        scripts = Counter(token.script for token in message.tokens if token.is_word)
        scripts.pop(Script.OTHER, None)
        if not scripts:
            message.language = None
            return
        script = scripts.most_common(1)[0][0]
        if script is not Script.LATIN:
            message.language = _SCRIPT_LANGUAGES.get(script)
            return
        spans = [(e.start, e.end) for e in message.entities if e.entity in OPEN_CLASS_ENTITIES]
        evidence = [
            odds
            for word in latin_words(message.tokens, spans)
            if (odds := self._log_odds.get(word)) is not None
        ]
        total = sum(evidence)
        if abs(total) < _MIN_EVIDENCE:
            message.language = None  # "cancel", "payment link", "Sharma": both languages say these
        else:
            message.language = "hi-Latn" if total > 0 else "en"


def latin_words(tokens: list[Token], skip: list[tuple[int, int]]) -> list[str]:
    """Keys of the Latin words outside the `skip` spans (a customer's name says nothing about the
    language; "kal" or "tomorrow" does)."""
    inside = covered(tokens, skip)
    return [
        word
        for token, skipped in zip(tokens, inside, strict=True)
        if token.is_word and token.script is Script.LATIN and not skipped
        for word in token.key.split()
    ]
