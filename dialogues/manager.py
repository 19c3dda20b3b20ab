"""The dialogue manager: one message in, the replies out. Forms, confirmations, cancel, clarification."""

from __future__ import annotations

import re

from bot.errors import TagadaError
from dialogues.forms import Form, NeedChoice, Option, Slots
from dialogues.registry import IntentHandler, Registry
from dialogues.reply import BUTTON_INTENTS, CANCEL, NO, YES, Choice, Reply
from dialogues.turn import AWAIT_CLARIFY, AWAIT_CONFIRM, Turn
from nlu.pipeline import Pipeline

# Below this the assistant asks which of its best guesses was meant instead of acting on one.
CLARIFY_BELOW = 0.5
# ...unless it is this many times as likely as the next guess.
CLEAR_LEAD = 2.0
# Inside a form, a message this sure of another intent leaves the form (the owner changed their mind).
SWITCH_AT = 0.8
CLARIFY_OPTIONS = 3
# Intents that never switch away from a form: they are answers to it, or too slight to mean a new task.
_ANSWERS = frozenset({"affirm", "deny", "out_of_scope", "greet", "thanks"})
# "What else?" typed, in the nine languages: it taps the last answer's "more" button.
_MORE = frozenset(
    {
        *("aur", "aur kya", "aur batao", "next", "more", "what else", "what next", "then"),
        *("और", "और क्या", "आणखी", "आणखी काय", "પછી", "બીજું", "બીજું શું", "வேற", "வேற என்ன", "அடுத்து"),
        *("ఇంకా", "ఇంకేంటి", "తర్వాత", "ಇನ್ನೇನು", "ಮುಂದೆ", "ಮತ್ತೆ", "আর", "আর কী", "তারপর"),
    }
)


def asks_for_more(text: str) -> bool:
    return " ".join(re.sub(r"[?!.,।]+", " ", text).lower().split()) in _MORE


_ORDINAL = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")


class DialogueManager:
    def __init__(self, registry: Registry, nlu: Pipeline) -> None:
        self._registry = registry
        self._nlu = nlu

    def handle(self, turn: Turn) -> list[Reply]:
        """The replies to one message; state changes are left in `turn.state` for the caller to save."""
        return self._answer_message(turn) + self._next_question(turn)

    def _answer_message(self, turn: Turn) -> list[Reply]:
        button = turn.message.button_id
        more, turn.state.more = turn.state.more, None  # offered with the last answer only
        if more is not None and not button and asks_for_more(turn.text):
            button = more
        if button and button.partition(":")[0] in self._registry.actions:
            return self._action(turn, button)
        intent = BUTTON_INTENTS.get(button or "", turn.parse.intent.name)
        if not turn.text.strip() and not button:
            return [Reply("chat.empty")]
        if intent == "cancel":
            return self._cancel(turn)
        if turn.state.awaiting == AWAIT_CLARIFY:
            chosen = self._clarified(turn)
            if chosen is not None:
                return self._route(turn, chosen)
            turn.state.clear_form()
        if turn.state.form is not None:
            form = self._registry.forms.get(turn.state.form)
            if form is not None:
                return self._continue(turn, form, intent)
            turn.state.clear_form()  # a form from an older version of the code: start afresh
        if button is None and intent != "out_of_scope" and _unsure(turn):
            return self._clarify(turn)
        return self._route(turn, intent)

    # -- routing -------------------------------------------------------------------------------

    def _route(self, turn: Turn, intent: str) -> list[Reply]:
        role = turn.sender.nlu_role or "unknown"
        handler = self._registry.handler(intent, role)
        if handler is None:
            if intent in self._registry.handlers:
                return [Reply("chat.not_for_you", {"business": turn.business.name})]
            handler = self._registry.handler("out_of_scope", role)
            assert handler is not None

        if handler.form is not None:
            return self._start(turn, handler.form)
        return _answer(turn, handler)

    def _action(self, turn: Turn, button: str) -> list[Reply]:
        name, _, argument = button.partition(":")
        action = self._registry.actions[name]
        if (turn.sender.nlu_role or "unknown") not in action.roles:
            return [Reply("chat.not_for_you", {"business": turn.business.name})]
        try:
            return action.run(turn, argument)
        except TagadaError as error:
            return [Reply(error.key, error.params)]

    def _cancel(self, turn: Turn) -> list[Reply]:
        if turn.state.form is None and turn.state.awaiting is None:
            return [Reply("chat.nothing_to_cancel")]
        turn.state.clear_form()
        return [Reply("chat.cancelled")]

    # -- clarification -------------------------------------------------------------------------

    def _clarify(self, turn: Turn) -> list[Reply]:
        role = turn.sender.nlu_role or "unknown"
        candidates = [
            score.name
            for score in turn.parse.intent_ranking
            if self._registry.serves(score.name, role) and score.name not in _ANSWERS | {"cancel", "help"}
        ][:CLARIFY_OPTIONS]
        if not candidates:
            return self._route(turn, "out_of_scope")
        turn.state.clear_form()
        turn.state.awaiting = AWAIT_CLARIFY
        turn.state.clarify_text = turn.text[:1000]
        turn.state.options = [{"value": name, "title": f"intent.{name}"} for name in candidates]
        buttons = tuple(Choice(f"pick:{n}", f"intent.{name}") for n, name in enumerate(candidates))
        return [Reply("chat.clarify", buttons=(*buttons, CANCEL))]

    def _clarified(self, turn: Turn) -> str | None:
        picked = _picked(turn, [Option(o["value"], o["title"]) for o in turn.state.options])
        if picked is None:
            return None
        original = turn.state.clarify_text or ""
        turn.state.clear_form()
        # The details were in the message the question was about, not in the tap that answered it.
        turn.text = original
        turn.parse = self._nlu.parse(
            original, role=turn.sender.nlu_role, now=turn.now, customers=turn.business.customer_names
        )
        return str(picked)

    # -- forms ---------------------------------------------------------------------------------

    def _start(self, turn: Turn, form: Form) -> list[Reply]:
        turn.state.clear_form()
        turn.state.form = form.name
        slots: dict[str, object] = {}
        errors: list[Reply] = []
        for slot in form.slots:
            try:
                value = slot.fill(turn, False)
            except NeedChoice as choice:
                return self._ask_choice(turn, slot.name, slots, choice)
            except TagadaError as error:
                errors.append(Reply(error.key, error.params))
                continue
            if value is not None:
                slots[slot.name] = value
        turn.state.slots = slots
        return errors + self._next_step(turn, form)

    def _continue(self, turn: Turn, form: Form, intent: str) -> list[Reply]:
        state = turn.state
        if state.awaiting == AWAIT_CONFIRM:
            if intent == "affirm":
                return self._submit(turn, form)
            if intent == "deny":
                slots = dict(state.slots)
                state.clear_form()
                return form.deny(turn, slots) if form.deny else [Reply("chat.dropped")]
        answering = state.awaiting if state.awaiting != AWAIT_CONFIRM else None
        picked = (
            _picked(turn, [Option(o["value"], o["title"]) for o in state.options])
            if answering is not None and state.options
            else None
        )
        # A clear request for something else leaves the form, before its slots misread the message.
        if picked is None and self._switches(turn, intent):
            state.postpone()
            return self._route(turn, intent)
        replies: list[Reply] = []
        changed = False
        if answering is not None and picked is not None:
            state.slots[answering] = picked
            state.options = []
            changed = True
        for slot in form.slots:
            if changed and slot.name == answering:
                continue
            try:
                value = slot.fill(turn, slot.name == answering)
            except NeedChoice as choice:
                return self._ask_choice(turn, slot.name, dict(state.slots), choice)
            except TagadaError as error:
                replies.append(Reply(error.key, error.params))
                continue
            if value is not None and value != state.slots.get(slot.name):
                state.slots[slot.name] = value
                changed = True
        if not changed and not replies:
            replies.append(Reply("chat.not_understood_in_form"))
        return replies + self._next_step(turn, form)

    def _switches(self, turn: Turn, intent: str) -> bool:
        return (
            intent not in _ANSWERS
            and intent != turn.state.form
            and turn.parse.intent.confidence >= SWITCH_AT
            and self._registry.serves(intent, turn.sender.nlu_role or "unknown")
        )

    def _next_step(self, turn: Turn, form: Form) -> list[Reply]:
        state = turn.state
        missing = form.missing(state.slots)
        if missing is not None:
            options = missing.choices(turn) if missing.choices else []
            return [self._ask(turn, missing.name, options, missing.ask)]
        if form.confirm is None:
            return self._submit(turn, form)
        state.awaiting = AWAIT_CONFIRM
        try:
            summary = form.confirm(turn, state.slots)
            checks = form.checks(turn, state.slots) if form.checks is not None else []
        except TagadaError as error:
            state.clear_form()
            return [Reply(error.key, error.params)]
        return [*checks, Reply(summary.key, summary.params, media=summary.media, buttons=(YES, NO))]

    def _submit(self, turn: Turn, form: Form) -> list[Reply]:
        slots: Slots = dict(turn.state.slots)
        turn.state.clear_form()
        try:
            return form.submit(turn, slots)
        except TagadaError as error:
            return [Reply(error.key, error.params)]

    def _next_question(self, turn: Turn) -> list[Reply]:
        """Once they are free, the oldest question others put to them (a claim to confirm) is asked again;
        ones settled meanwhile (by their buttons) are skipped."""
        state = turn.state
        while state.form is None and state.awaiting is None and state.queued:
            waiting = state.queued.pop(0)
            form = self._registry.forms.get(waiting["form"])
            if form is None or form.confirm is None:
                continue
            state.ask(form.name, waiting["slots"])
            try:
                summary = form.confirm(turn, state.slots)
            except TagadaError:
                state.clear_form()
                continue
            return [Reply(summary.key, summary.params, media=summary.media, buttons=(YES, NO))]
        return []

    def _ask_choice(self, turn: Turn, slot: str, slots: dict[str, object], choice: NeedChoice) -> list[Reply]:
        turn.state.slots = slots
        return [self._ask(turn, slot, choice.options, choice.question)]

    def _ask(self, turn: Turn, slot: str, options: list[Option], question: str) -> Reply:
        turn.state.awaiting = slot
        turn.state.options = [{"value": o.value, "title": o.title} for o in options]
        buttons = tuple(Choice(f"pick:{n}", "chat.option", {"title": o.title}) for n, o in enumerate(options))
        return Reply(question, buttons=(*buttons, CANCEL))


def _unsure(turn: Turn) -> bool:
    """Too unsure to act: a weak best guess that is not clearly ahead of the next one."""
    ranking = turn.parse.intent_ranking
    best = turn.parse.intent.confidence
    runner_up = ranking[1].confidence if len(ranking) > 1 else 0.0
    return best < CLARIFY_BELOW and best < CLEAR_LEAD * runner_up


def _answer(turn: Turn, handler: IntentHandler) -> list[Reply]:
    assert handler.handle is not None
    try:
        return handler.handle(turn)
    except TagadaError as error:
        return [Reply(error.key, error.params)]


def _picked(turn: Turn, options: list[Option]) -> object | None:
    """Which offered option the person chose: a tapped button, its number, or its title typed out."""
    button = turn.message.button_id or ""
    index: int | None = None
    if button.startswith("pick:") and button[5:].isdigit():
        index = int(button[5:])
    elif (match := _ORDINAL.match(turn.text)) is not None:
        index = int(match.group(1)) - 1
    if index is not None:
        return options[index].value if 0 <= index < len(options) else None
    typed = turn.text.strip().casefold()
    exact = [o for o in options if o.title.casefold() == typed]
    return exact[0].value if len(exact) == 1 else None
