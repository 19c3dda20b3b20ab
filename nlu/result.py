"""What the NLU returns: the contract's parse result as typed, frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

EntityValue = str | int | float


@dataclass(frozen=True)
class Entity:
    """One entity found in the text; `start`/`end` are character offsets into `ParseResult.text`."""

    entity: str
    value: EntityValue
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "value": self.value,
            "start": self.start,
            "end": self.end,
            "text": self.text,
        }


@dataclass(frozen=True)
class IntentScore:
    name: str
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "confidence": self.confidence}


@dataclass(frozen=True)
class ParseResult:
    """The understanding of one message (shared/spec/nlu-contract.md, "Parse call").

    `language` is None when the text gives no clue (empty, only digits, emoji or names). It is the
    likeliest language even when the words are shared ("payment link" is English or Hinglish);
    `language_sure` says whether the words clearly decided it (not part of the contract's JSON), so a
    conversation keeps its language through such messages. `intent_ranking` is best first, at most
    ten, and starts with `intent`.
    """

    text: str
    language: str | None
    intent: IntentScore
    intent_ranking: tuple[IntentScore, ...]
    entities: tuple[Entity, ...]
    language_sure: bool = True

    def entity(self, name: str) -> Entity | None:
        """The first entity called `name` (in text order), or None."""
        return next((found for found in self.entities if found.entity == name), None)

    def values(self, name: str) -> list[EntityValue]:
        """The values of every entity called `name`, in text order."""
        return [found.value for found in self.entities if found.entity == name]

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON response body."""
        return {
            "text": self.text,
            "language": self.language,
            "intent": self.intent.to_dict(),
            "intent_ranking": [score.to_dict() for score in self.intent_ranking],
            "entities": [found.to_dict() for found in self.entities],
        }
