"""The NLU pipeline: components run in order over one `Message`, then it is frozen into a `ParseResult`.

    tokenizer → language identifier → entity extractor → intent classifier

Like Rasa's, each component has `process(message)`. The trainable parts (the language identifier, the
words of the training data that are never names, the intent classifier) are built from the labelled
examples in nlu/data/ and saved as one artifact named by a hash of everything that shapes them (the data,
the lexicons, the NLU's code, the encoder's name): `tagada nlu train` builds it ahead of time, and
`load_pipeline` loads it, or trains and saves it on first use.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import os
import pickle
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from nlu.classifier import Encoder, IntentClassifier
from nlu.entities import EntityExtractor
from nlu.language import LanguageIdentifier, main_script, script_words
from nlu.message import OPEN_CLASS_ENTITIES, Message
from nlu.names import NameModel
from nlu.result import ParseResult
from nlu.text import Kind, Script, covered, tokenize
from nlu.tokenizer import Tokenizer
from nlu.training import Example, load_directory

logger = logging.getLogger(__name__)

NLU_DIR = Path(__file__).parent
DATA_DIR = NLU_DIR / "data"
# Bump when the artifact's format changes in a way the code hash would not show.
ARTIFACT_VERSION = "2"
# Shorter name words ("da", "ji") are too common to tell a name.
_MIN_NAME_KEY = 3


class Component(Protocol):
    """One step of the pipeline: reads what earlier steps put on the message and adds its own part.

    Components mutate the message in place (tokens, entities, language, ranking) rather than returning
    a new ParseResult, so that working state a later step needs (tokens) never has to be in the result.
    """

    def process(self, message: Message) -> None: ...


class Pipeline:
    def __init__(self, components: Sequence[Component]) -> None:
        self._components = tuple(components)

    def parse(
        self, text: str, *, role: str | None = None, now: datetime, customers: Sequence[str] = ()
    ) -> ParseResult:
        """Understand one message.

        Args:
            text: as received; only its first `MAX_ANALYSED_CHARS` characters are analysed.
            role: "owner", "customer" (or "staff", read as owner); anything else counts as unknown.
            now: timezone-aware reference time for relative dates ("kal" is the day after now in India).
            customers: the business's customer names, found in the text however they are spelled or
                scripted (शर्मा finds Sharma Traders).

        Raises:
            ValueError: `now` is naive.
        """
        message = Message.create(text, role=role, now=now, customers=customers)
        for component in self._components:
            component.process(message)
        return message.result()


@dataclass(frozen=True)
class Trained:
    """What training produces: saved as one artifact, loaded in a fraction of a second."""

    language: LanguageIdentifier
    known_words: Mapping[Script, frozenset[str]]
    items: frozenset[str]
    names: frozenset[str]
    name_model: NameModel
    classifier: IntentClassifier

    def pipeline(self) -> Pipeline:
        return Pipeline(
            [
                Tokenizer(),
                self.language,
                EntityExtractor(self.known_words, self.items, self.names, self.name_model),
                self.classifier,
            ]
        )


def load_pipeline(
    data_dir: Path | None = None, *, encoder: str | None = None, cache_dir: Path | None = None
) -> Pipeline:
    """The default pipeline: the cached artifact for `data_dir` (default nlu/data), trained now if none.

    No network unless `encoder` names a sentence-transformers model that is not on disk. Cached per
    arguments: every caller shares one pipeline, immutable after training and safe across threads.
    """
    return _loaded(data_dir.resolve() if data_dir else DATA_DIR, encoder, cache_dir or default_cache_dir())


@lru_cache(maxsize=4)
def _loaded(data_dir: Path, encoder_name: str | None, cache_dir: Path) -> Pipeline:
    encoder = load_encoder(encoder_name) if encoder_name else None
    trained, _ = build(data_dir, encoder_name=encoder_name, encoder=encoder, cache_dir=cache_dir)
    trained.classifier.attach(encoder)
    return trained.pipeline()


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "tagada" / "nlu"


def build(
    data_dir: Path,
    *,
    cache_dir: Path,
    encoder_name: str | None = None,
    encoder: Encoder | None = None,
    force: bool = False,
) -> tuple[Trained, Path]:
    """Load the artifact for this data and code from `cache_dir`, or train and save it (`force`: always).

    The file is written under a temporary name and renamed, so two processes starting at once never
    read half an artifact.
    """
    path = cache_dir / f"nlu-{fingerprint(data_dir, encoder_name)}.pkl"
    if path.is_file() and not force:
        try:
            with path.open("rb") as saved:
                trained = pickle.load(saved)  # noqa: S301 - our own artifact, named by its content hash
            if isinstance(trained, Trained):
                return trained, path
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
            logger.warning("rebuilding unreadable NLU artifact %s: %s", path, exc)
    started = time.perf_counter()
    trained = train(load_directory(data_dir), encoder=encoder)
    logger.info("trained the NLU on %s in %.1f s", data_dir, time.perf_counter() - started)
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=cache_dir, suffix=".tmp", delete=False) as written:
        pickle.dump(trained, written, protocol=pickle.HIGHEST_PROTOCOL)
    Path(written.name).replace(path)
    return trained, path


def fingerprint(data_dir: Path, encoder_name: str | None) -> str:
    """A hash of everything training depends on: data, lexicons, the NLU's code, library and encoder."""
    library = importlib.metadata.version("scikit-learn")
    digest = hashlib.sha256(f"{ARTIFACT_VERSION}|{library}|{encoder_name or ''}".encode())
    sources = (
        sorted(data_dir.glob("*.yml")) + sorted(NLU_DIR.rglob("*.py")) + sorted(NLU_DIR.glob("lexicon/*.yml"))
    )
    for source in sources:
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:20]


def load_encoder(name: str) -> Encoder:
    """A sentence-transformers model by name or local path (imported only here: it costs seconds)."""
    from sentence_transformers import SentenceTransformer

    return SentenceEncoder(SentenceTransformer(name, device="cpu"))


class SentenceEncoder:
    """Normalized sentence embeddings from a sentence-transformers model, as numpy arrays."""

    def __init__(self, model: Any) -> None:
        self._model = model

    def encode(self, sentences: list[str]) -> NDArray[np.float32]:
        embeddings = self._model.encode(sentences, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(embeddings, dtype=np.float32)


def train(examples: Sequence[Example], *, encoder: Encoder | None = None) -> Trained:
    tokenizer = Tokenizer()
    messages = []
    for example in examples:
        message = Message.create(example.text, role=example.role, now=example.now)
        tokenizer.process(message)
        # The labelled language, not a guess: entity rules use the language's own words.
        message.language = example.language
        messages.append(message)
    language = LanguageIdentifier.train(
        _language_words(example, message) for example, message in zip(examples, messages, strict=True)
    )
    known = known_words(examples, messages)
    items = item_words(examples)
    names = name_words(examples)
    name_model = NameModel.train(names, (word for words in known.values() for word in words))
    extractor = EntityExtractor(known, items, names, name_model)
    for message in messages:
        extractor.process(message)
    classifier = IntentClassifier.train(
        [(example.intent, message) for example, message in zip(examples, messages, strict=True)], encoder
    )
    return Trained(language, known, items, names, name_model, classifier)


def known_words(examples: Sequence[Example], messages: Sequence[Message]) -> dict[Script, frozenset[str]]:
    """Per script, the word keys the examples use outside customer and item annotations: never part of
    a name."""
    words: dict[Script, set[str]] = {}
    for example, message in zip(examples, messages, strict=True):
        inside = covered(message.tokens, _open_spans(example))
        for token, skipped in zip(message.tokens, inside, strict=True):
            if token.kind is Kind.WORD and not skipped:
                words.setdefault(token.script, set()).update(token.key.split())
    return {script: frozenset(found) for script, found in words.items()}


def item_words(examples: Sequence[Example]) -> frozenset[str]:
    """The goods the examples name, word by word, as written (lower case)."""
    return frozenset(
        token.text.casefold()
        for example in examples
        for annotation in example.entities
        if annotation.entity == "item"
        for token in tokenize(annotation.text)
        if token.is_word
    )


def name_words(examples: Sequence[Example]) -> frozenset[str]:
    """The keys of the words of the customer names the examples annotate: in one Latin form, so Sharma
    taught in English is recognized as ஷர்மா in Tamil."""
    return frozenset(
        token.key
        for example in examples
        for annotation in example.entities
        if annotation.entity == "customer"
        for token in tokenize(str(annotation.value))
        if token.is_word and len(token.key) >= _MIN_NAME_KEY
    )


def _language_words(example: Example, message: Message) -> tuple[str, Script | None, list[str]]:
    """The example's language, the script it is written in and its words in that script, names and
    items left out (they say nothing about the language)."""
    inside = covered(message.tokens, _open_spans(example))
    tokens = [token for token, skipped in zip(message.tokens, inside, strict=True) if not skipped]
    script = main_script(tokens)
    return example.language or "", script, script_words(tokens, script) if script is not None else []


def _open_spans(example: Example) -> list[tuple[int, int]]:
    return [(a.start, a.end) for a in example.entities if a.entity in OPEN_CLASS_ENTITIES]
