"""The NLU pipeline: components run in order over one `Message`, then it is frozen into a `ParseResult`.

    tokenizer → entity extractor → language identifier → intent classifier

Like Rasa's, each component has `process(message)`; the trainable ones are built from the labelled
examples in nlu/data/ by `load_pipeline`, which takes about a second and is cached.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from nlu.classifier import IntentClassifier
from nlu.entities import EntityExtractor
from nlu.language import LanguageIdentifier, latin_words
from nlu.message import OPEN_CLASS_ENTITIES, Message
from nlu.result import ParseResult
from nlu.text import Kind, Script, covered
from nlu.tokenizer import Tokenizer
from nlu.training import Example, load_directory

DATA_DIR = Path(__file__).parent / "data"


class Component(Protocol):
    """One step of the pipeline: reads what earlier steps put on the message and adds its own part.

    Components mutate the message in place (tokens, entities, language, ranking) rather than returning
    a new ParseResult, so that working state a later step needs (tokens) never has to be in the result.
    """

    def process(self, message: Message) -> None: ...


class Pipeline:
    def __init__(self, components: Sequence[Component]) -> None:
        self._components = tuple(components)

    def parse(self, text: str, *, role: str | None = None, now: datetime) -> ParseResult:
        """Understand one message.

        Args:
            text: as received; only its first `MAX_ANALYSED_CHARS` characters are analysed.
            role: "owner", "customer" (or "staff", read as owner); anything else counts as unknown.
            now: timezone-aware reference time for relative dates ("kal" is the day after now in India).

        Raises:
            ValueError: `now` is naive.
        """
        message = Message.create(text, role=role, now=now)
        for component in self._components:
            component.process(message)
        return message.result()


def load_pipeline(data_dir: Path | None = None) -> Pipeline:
    """The default pipeline, trained on the examples in `data_dir` (default nlu/data) in about a second.

    No network, no downloads. Cached per directory: every caller shares one pipeline, which is
    immutable after training and safe to use from several threads.
    """
    return _trained(data_dir.resolve() if data_dir is not None else DATA_DIR)


@lru_cache(maxsize=4)
def _trained(data_dir: Path) -> Pipeline:
    examples = load_directory(data_dir)
    tokenizer = Tokenizer()
    messages = []
    for example in examples:
        message = Message.create(example.text, role=example.role, now=example.now)
        tokenizer.process(message)
        messages.append(message)
    extractor = EntityExtractor(known_words(examples, messages))
    for message in messages:
        extractor.process(message)
    language = LanguageIdentifier.train(
        (example.language or "", latin_words(message.tokens, _open_spans(example)))
        for example, message in zip(examples, messages, strict=True)
    )
    classifier = IntentClassifier.train(
        (example.intent, message) for example, message in zip(examples, messages, strict=True)
    )
    return Pipeline([tokenizer, extractor, language, classifier])


def known_words(examples: Sequence[Example], messages: Sequence[Message]) -> frozenset[str]:
    """Latin and Devanagari word keys the examples use outside customer and item annotations."""
    words: set[str] = set()
    for example, message in zip(examples, messages, strict=True):
        inside = covered(message.tokens, _open_spans(example))
        for token, skipped in zip(message.tokens, inside, strict=True):
            if token.kind is Kind.WORD and token.script in (Script.LATIN, Script.DEVANAGARI) and not skipped:
                words.update(token.key.split())
    return frozenset(words)


def _open_spans(example: Example) -> list[tuple[int, int]]:
    return [(a.start, a.end) for a in example.entities if a.entity in OPEN_CLASS_ENTITIES]
