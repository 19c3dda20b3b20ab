"""The message as it passes through the pipeline's components, each adding what it understood."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from nlu.result import Entity, IntentScore, ParseResult
from nlu.text import Token

TIMEZONE = ZoneInfo("Asia/Kolkata")
# Only this much of a message is analysed: enough for any real chat message, and it bounds the work
# (and the time) a pasted novel can cost. The result still echoes the whole text.
MAX_ANALYSED_CHARS = 1000
ROLES = frozenset({"owner", "customer"})
# Staff write to the business number like the owner does and ask for the same things.
ROLE_ALIASES = {"staff": "owner"}
# Entities whose words are names or goods rather than words of a language.
OPEN_CLASS_ENTITIES = frozenset({"customer", "item"})


@dataclass
class Message:
    """Mutable working state of one parse; `ParseResult` is its frozen outcome."""

    text: str
    role: str | None
    now: datetime
    tokens: list[Token] = field(default_factory=list)
    language: str | None = None
    language_sure: bool = True
    entities: list[Entity] = field(default_factory=list)
    ranking: list[IntentScore] = field(default_factory=list)
    # The business's customer names, looked for in the text however they are written.
    customers: tuple[str, ...] = ()

    @classmethod
    def create(cls, text: str, *, role: str | None, now: datetime, customers: Sequence[str] = ()) -> Message:
        """Raises ValueError for a naive `now`: relative dates need to know which day it is in India."""
        if now.tzinfo is None or now.utcoffset() is None:
            raise ValueError(f"naive datetime {now.isoformat()}: pass a timezone-aware one")
        role = ROLE_ALIASES.get(role or "", role)
        return cls(text=text, role=role if role in ROLES else None, now=now, customers=tuple(customers))

    @property
    def analysed(self) -> str:
        return self.text[:MAX_ANALYSED_CHARS]

    @property
    def today(self) -> date:
        return self.now.astimezone(TIMEZONE).date()

    def result(self) -> ParseResult:
        ranking = tuple(self.ranking) or (IntentScore("out_of_scope", 0.0),)
        return ParseResult(
            text=self.text,
            language=self.language,
            language_sure=self.language_sure,
            intent=ranking[0],
            intent_ranking=ranking,
            entities=tuple(self.entities),
        )
