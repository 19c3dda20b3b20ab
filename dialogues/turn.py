"""One message being handled: who sent it, what it means, and where the conversation stood."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.db import Database
from bot.settings import Settings
from connectors.channels.base import InboundMessage
from nlu.result import ParseResult


class SenderRole(enum.StrEnum):
    OWNER = "owner"
    STAFF = "staff"
    CUSTOMER = "customer"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Sender:
    phone: str
    role: SenderRole
    customer_id: uuid.UUID | None = None
    name: str = ""

    @property
    def runs_the_business(self) -> bool:
        return self.role in (SenderRole.OWNER, SenderRole.STAFF)

    @property
    def nlu_role(self) -> str | None:
        if self.runs_the_business:
            return "owner"
        return "customer" if self.role is SenderRole.CUSTOMER else None


@dataclass(frozen=True)
class BusinessInfo:
    id: uuid.UUID
    name: str
    language: str
    timezone: str
    upi_vpa: str | None
    # Every customer's name, so the NLU finds them however they are written (शर्मा → Sharma Traders).
    customer_names: tuple[str, ...] = ()

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


AWAIT_CONFIRM = "confirm"  # a form's summary was shown; yes submits, no drops it
AWAIT_CLARIFY = "clarify"  # a clarifying question offered intents as buttons


@dataclass
class DialogueState:
    """Conversation memory kept between messages (JSON in conversation.state)."""

    form: str | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    awaiting: str | None = None  # a slot name, AWAIT_CONFIRM or AWAIT_CLARIFY
    options: list[dict[str, str]] = field(default_factory=list)  # buttons offered with the last question
    customer_id: str | None = None  # the customer last talked about ("usko bhi bhejo")
    clarify_text: str | None = None  # the message a clarifying question was about
    chosen_language: str | None = None  # set by "mujhse English mein baat karo"; wins over detection
    asked: bool = False  # the current form is a question someone else put to them (a customer's claim)
    # Questions put to them while they were busy, oldest first: {"form": name, "slots": {...}}.
    queued: list[dict[str, Any]] = field(default_factory=list)
    heard: str | None = None  # a voice note's transcript shown back to them, waiting for "yes, that's it"
    # The "what else?" button of the last answer (its action id): a typed "aur?" taps it.
    more: str | None = None

    def clear_form(self) -> None:
        self.form = None
        self.slots = {}
        self.awaiting = None
        self.options = []
        self.clarify_text = None
        self.asked = False

    def ask(self, form: str, slots: dict[str, Any]) -> None:
        """Put a yes/no question to this person now, or after what they are in the middle of."""
        if self.form is not None or self.awaiting is not None:
            self.queued.append({"form": form, "slots": slots})
            return
        self.clear_form()
        self.form, self.slots, self.awaiting, self.asked = form, dict(slots), AWAIT_CONFIRM, True

    def postpone(self) -> None:
        """They turned to something else: their question waits at the front of the queue."""
        if self.asked and self.form is not None:
            self.queued.insert(0, {"form": self.form, "slots": self.slots})
        self.clear_form()

    def drop_question(self, form: str, slots: dict[str, Any]) -> None:
        """A question answered some other way (its button): neither current nor queued any more."""
        if self.form == form and self.slots == slots:
            self.clear_form()
        self.queued = [q for q in self.queued if (q["form"], q["slots"]) != (form, slots)]

    def after_silence(self) -> DialogueState:
        """What survives a long silence: the language they chose, the questions still open to them, and a
        "what else?" offered (the briefing goes at 9:00; the owner reads it when they can)."""
        waiting = self.queued
        if self.asked and self.form is not None:
            waiting = [{"form": self.form, "slots": self.slots}, *waiting]
        return DialogueState(chosen_language=self.chosen_language, queued=waiting, more=self.more)

    def to_json(self) -> dict[str, Any]:
        return {
            "form": self.form,
            "slots": self.slots,
            "awaiting": self.awaiting,
            "options": self.options,
            "customer_id": self.customer_id,
            "clarify_text": self.clarify_text,
            "chosen_language": self.chosen_language,
            "asked": self.asked,
            "queued": self.queued,
            "heard": self.heard,
            "more": self.more,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DialogueState:
        return cls(
            form=data.get("form"),
            slots=dict(data.get("slots") or {}),
            awaiting=data.get("awaiting"),
            options=list(data.get("options") or []),
            customer_id=data.get("customer_id"),
            clarify_text=data.get("clarify_text"),
            chosen_language=data.get("chosen_language"),
            asked=bool(data.get("asked")),
            queued=list(data.get("queued") or []),
            heard=data.get("heard"),
            more=data.get("more"),
        )


@dataclass
class Turn:
    """Everything a handler may look at. Handlers change the world only through module services."""

    db: Database
    clock: Clock
    settings: Settings
    business: BusinessInfo
    sender: Sender
    message: InboundMessage
    text: str  # what the message said (a voice note's transcript), possibly re-pointed by a clarification
    parse: ParseResult
    state: DialogueState
    language: str  # the language replies to the sender go out in

    @property
    def now(self) -> datetime:
        return self.clock.now()

    @property
    def today(self) -> date:
        return self.now.astimezone(self.business.tz).date()

    @property
    def context_customer(self) -> uuid.UUID | None:
        return uuid.UUID(self.state.customer_id) if self.state.customer_id else None

    def remember_customer(self, customer_id: uuid.UUID) -> None:
        self.state.customer_id = str(customer_id)
