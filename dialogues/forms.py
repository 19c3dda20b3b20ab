"""Forms: the slots an intent needs, asked for one at a time, then (for anything that reaches a customer)
a summary to confirm. The dialogue manager drives them; modules declare them next to their handlers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from dialogues.reply import Reply
from dialogues.turn import Turn

# A slot's value as kept in the conversation state: JSON, so it survives between messages.
SlotValue = Any
Slots = Mapping[str, SlotValue]


@dataclass(frozen=True)
class Option:
    """One answer offered as a button when the person has to choose (which Sharma?)."""

    value: SlotValue
    title: str


class NeedChoice(Exception):
    """Raised by a slot's `fill` when the answer fits several things: ask which, with buttons."""

    def __init__(self, options: list[Option], question: str = "form.which_one") -> None:
        super().__init__(question)
        self.options = options
        self.question = question


@dataclass(frozen=True)
class Slot:
    """One piece of information a form needs.

    `fill(turn, answering)` returns the slot's value found in this message, or None. `answering` is True
    when the message answers this slot's question, so a bare "18" or "Sharma" may count. It raises an
    `InvalidInput` for a value that is there but wrong, or `NeedChoice` when it is ambiguous.
    """

    name: str
    ask: str  # locale key of the question
    fill: Callable[[Turn, bool], SlotValue | None]
    choices: Callable[[Turn], list[Option]] | None = None  # suggested answers shown as buttons
    required: bool = True


@dataclass(frozen=True)
class Form:
    name: str
    slots: tuple[Slot, ...]
    submit: Callable[[Turn, Slots], list[Reply]]
    # The summary shown before submitting; None submits as soon as the slots are filled.
    confirm: Callable[[Turn, Slots], Reply] | None = None
    # What to look at again before saying yes (an invoice's quality findings), shown before the summary.
    checks: Callable[[Turn, Slots], list[Reply]] | None = None
    # What "no" to the summary does beyond dropping the form (a rejected payment claim tells the customer).
    deny: Callable[[Turn, Slots], list[Reply]] | None = None

    def missing(self, slots: Slots) -> Slot | None:
        return next((s for s in self.slots if s.required and slots.get(s.name) is None), None)

    def slot(self, name: str) -> Slot:
        return next(s for s in self.slots if s.name == name)
