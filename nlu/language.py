"""Which language a message is written in: the script first, then, where a script serves several
languages, the words.

Tamil, Telugu, Kannada, Gujarati and Bengali each have a script of their own. Devanagari is Hindi or
Marathi and Latin letters English or romanized Hindi: for those a naive Bayes over word keys, learned from
the training data, decides ("kitna baaki hai" is Hindi, "how much is due" English; "किती बाकी आहे" Marathi,
"कितना बाकी है" Hindi). Customer names and items never count: they are not words of a language.
A Latin message with no word either language uses ("Sharma", "12345", "🙏") gets None, and the dialogue
keeps the conversation's language; a Devanagari one without evidence is Hindi, the commoner of the two.
Latin letters are also how some people type Telugu, Kannada or Bengali ("baaki entha"); where the training
data has such lines, the Latin model learns those languages too.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from nlu.message import Message
from nlu.text import Script, Token

_SCRIPT_LANGUAGES = {
    Script.DEVANAGARI: "hi",
    Script.BENGALI: "bn",
    Script.GUJARATI: "gu",
    Script.TAMIL: "ta",
    Script.TELUGU: "te",
    Script.KANNADA: "kn",
}
_SMOOTHING = 0.5
# Log-odds between the best two languages from which a message clearly says its language.
_CLEAR_MARGIN = 1.0


class WordModel:
    """Multinomial naive Bayes over word keys for the languages of one script, with their priors."""

    def __init__(self, log_probabilities: dict[str, dict[str, float]], log_priors: dict[str, float]) -> None:
        self._log_probabilities = log_probabilities  # language → word → log P(word | language)
        self._log_priors = log_priors  # language → log P(language)
        self._vocabulary = frozenset().union(*log_probabilities.values())

    @classmethod
    def train(cls, counts: dict[str, Counter[str]], examples: Counter[str]) -> WordModel:
        vocabulary = set().union(*counts.values())
        log_probabilities = {}
        for language, counted in counts.items():
            total = sum(counted.values()) + _SMOOTHING * len(vocabulary)
            log_probabilities[language] = {
                word: math.log((counted[word] + _SMOOTHING) / total) for word in vocabulary
            }
        all_examples = sum(examples.values())
        log_priors = {language: math.log(examples[language] / all_examples) for language in counts}
        return cls(log_probabilities, log_priors)

    def decide(self, words: list[str]) -> tuple[str, bool] | None:
        """The likeliest language of the known words and whether it is clearly so, or None when no word
        is known ("Sharma")."""
        known = [word for word in words if word in self._vocabulary]
        if not known:
            return None
        best, second = sorted(
            (
                (self._log_priors[language] + sum(table[word] for word in known), language)
                for language, table in self._log_probabilities.items()
            ),
            reverse=True,
        )[:2]
        return best[1], best[0] - second[0] >= _CLEAR_MARGIN


class LanguageIdentifier:
    def __init__(self, models: dict[Script, WordModel]) -> None:
        self._models = models

    @classmethod
    def train(cls, examples: Iterable[tuple[str, Script | None, list[str]]]) -> LanguageIdentifier:
        """Learn from (language, the script it is written in, its word keys outside names and items), for
        every script that several languages are written in: Devanagari (hi, mr), and Latin, where besides
        English and romanized Hindi people type Telugu or Bengali in Latin letters ("baaki entha")."""
        per_script: dict[Script, dict[str, Counter[str]]] = {}
        examples_per_script: dict[Script, Counter[str]] = {}
        for language, script, words in examples:
            if script is not None and language:
                per_script.setdefault(script, {}).setdefault(language, Counter()).update(words)
                examples_per_script.setdefault(script, Counter())[language] += 1
        return cls(
            {
                script: WordModel.train(counts, examples_per_script[script])
                for script, counts in per_script.items()
                if len(counts) > 1
            }
        )

    def process(self, message: Message) -> None:
        message.language, message.language_sure = self.identify(message.tokens)

    def identify(self, tokens: list[Token]) -> tuple[str | None, bool]:
        """The language and whether the words made it clear."""
        script = main_script(tokens)
        if script is None:
            return None, False
        model = self._models.get(script)
        decided = model.decide(script_words(tokens, script)) if model is not None else None
        if decided is not None:
            return decided
        default = _SCRIPT_LANGUAGES.get(script)
        return default, default is not None and script is not Script.DEVANAGARI


def main_script(tokens: list[Token]) -> Script | None:
    """The Indian script most of the message's words are written in, else Latin.

    Any Indian script wins over Latin: people who write Telugu type English words and names in Latin
    letters ("Sai Ram Textiles కి రేపు reminder"), while people who type in Latin letters seldom switch
    to another script for a word.
    """
    scripts = Counter(token.script for token in tokens if token.is_word)
    scripts.pop(Script.OTHER, None)
    indian = [(count, script) for script, count in scripts.items() if script is not Script.LATIN]
    if indian:
        return max(indian, key=lambda item: item[0])[1]
    return Script.LATIN if scripts else None


def script_words(tokens: list[Token], script: Script) -> list[str]:
    return [
        word for token in tokens if token.is_word and token.script is script for word in token.key.split()
    ]
