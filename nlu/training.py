"""Labelled examples in Rasa NLU YAML (version "3.1"), for training and for `tagada nlu test`.

Entities are marked inline: `[Sharma ji](customer)`, `[25k]{"entity": "amount", "value": 25000}`, or the
older `[25k](amount:25000)`. `metadata` (language, role, now) may sit on the intent block or on one
example; a file named after a language (en.yml, hi-Latn.yml) gives that language to its examples.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from nlu.message import TIMEZONE

LANGUAGES = frozenset({"en", "hi", "hi-Latn", "mr", "gu", "ta", "te", "kn", "bn"})
# The contract's default reference time for evaluation files.
DEFAULT_NOW = datetime(2026, 12, 1, 10, 0, tzinfo=TIMEZONE)
_ANNOTATION = re.compile(r"\[(?P<text>[^\]]+)\](?:\((?P<short>[^)]+)\)|(?P<json>\{[^}]*\}))")


class TrainingDataError(ValueError):
    """A labelled file that is not valid Rasa NLU YAML as this loader reads it."""


@dataclass(frozen=True)
class Annotation:
    entity: str
    value: Any
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    entities: tuple[Annotation, ...]
    language: str | None
    role: str | None
    now: datetime


def load_directory(directory: Path) -> list[Example]:
    """Every example of every *.yml file directly in `directory`, in file name order."""
    return [example for path in sorted(directory.glob("*.yml")) for example in load_file(path)]


def load_file(path: Path) -> list[Example]:
    """Raises TrainingDataError when the file is not NLU YAML with intents and examples."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TrainingDataError(f"{path}: not YAML: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("nlu"), list):
        raise TrainingDataError(f"{path}: expected a mapping with an 'nlu' list")
    defaults = {"language": path.stem} if path.stem in LANGUAGES else {}
    examples = []
    for block in document["nlu"]:
        if not isinstance(block, dict) or "intent" not in block:
            continue  # synonyms, regexes and lookups: not used by this pipeline
        metadata = {**defaults, **_metadata(block.get("metadata"), path)}
        for text, own in _block_examples(block.get("examples"), path):
            examples.append(parse_example(text, str(block["intent"]), {**metadata, **own}))
    return examples


def parse_example(marked: str, intent: str, metadata: dict[str, Any]) -> Example:
    """One example line with its inline annotations turned into offsets into the plain text."""
    plain: list[str] = []
    annotations = []
    position = 0
    length = 0
    for match in _ANNOTATION.finditer(marked):
        plain.append(marked[position : match.start()])
        length += match.start() - position
        text = match.group("text")
        entity, value = _entity_and_value(match, text)
        annotations.append(Annotation(entity, value, length, length + len(text), text))
        plain.append(text)
        length += len(text)
        position = match.end()
    plain.append(marked[position:])
    now = metadata.get("now")
    return Example(
        text="".join(plain),
        intent=intent,
        entities=tuple(annotations),
        language=metadata.get("language"),
        role=metadata.get("role"),
        now=_as_datetime(now) if now is not None else DEFAULT_NOW,
    )


def _entity_and_value(match: re.Match[str], text: str) -> tuple[str, Any]:
    if match.group("json") is not None:
        try:
            spec = json.loads(match.group("json"))
        except json.JSONDecodeError as exc:
            raise TrainingDataError(f"bad entity annotation {match.group()!r}: {exc}") from exc
        if not isinstance(spec, dict) or "entity" not in spec:
            raise TrainingDataError(f"entity annotation without 'entity': {match.group()!r}")
        return str(spec["entity"]), spec.get("value", text)
    entity, _, value = match.group("short").partition(":")
    return entity, value or text


def _block_examples(examples: Any, path: Path) -> list[tuple[str, dict[str, Any]]]:
    if isinstance(examples, str):
        lines = [line.strip() for line in examples.splitlines()]
        return [(line[2:].strip(), {}) for line in lines if line.startswith("- ")]
    if isinstance(examples, list):
        found = []
        for item in examples:
            if not isinstance(item, dict) or "text" not in item:
                raise TrainingDataError(f"{path}: an example needs 'text': {item!r}")
            found.append((str(item["text"]).strip(), _metadata(item.get("metadata"), path)))
        return found
    raise TrainingDataError(f"{path}: 'examples' must be a block of '- ' lines or a list")


def _metadata(metadata: Any, path: Path) -> dict[str, Any]:
    if metadata is None:
        return {}
    if not isinstance(metadata, dict):
        raise TrainingDataError(f"{path}: metadata must be a mapping, not {metadata!r}")
    return metadata


def _as_datetime(value: Any) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=TIMEZONE)
