"""Greetings, help, thanks, bare yes/no, chit-chat, language choice, and what is not built yet."""

from __future__ import annotations

from dialogues.registry import ANYONE, OWNER, IntentHandler
from dialogues.reply import Reply
from dialogues.turn import Turn

# Contract intents whose modules come in later issues: answered honestly instead of guessed at.
NOT_YET = ("report", "legal_notice", "forecast")


def greet(turn: Turn) -> list[Reply]:
    if not turn.sender.runs_the_business:
        key = "chat.greet_customer"
    else:  # staff numbers may be registered without a name
        key = "chat.greet_owner" if turn.sender.name else "chat.greet_owner_unnamed"
    return [Reply(key, {"name": turn.sender.name, "business": turn.business.name})]


def help_(turn: Turn) -> list[Reply]:
    key = "chat.help_owner" if turn.sender.runs_the_business else "chat.help_customer"
    return [Reply(key, {"business": turn.business.name})]


def thanks(turn: Turn) -> list[Reply]:
    return [Reply("chat.welcome")]


def affirm(turn: Turn) -> list[Reply]:
    return [Reply("chat.nothing_pending")]


def deny(turn: Turn) -> list[Reply]:
    return [Reply("chat.ok")]


def out_of_scope(turn: Turn) -> list[Reply]:
    key = "chat.out_of_scope_owner" if turn.sender.runs_the_business else "chat.out_of_scope_customer"
    return [Reply(key, {"business": turn.business.name})]


def set_language(turn: Turn) -> list[Reply]:
    entity = turn.parse.entity("language")
    wanted = str(entity.value) if entity is not None else None
    if wanted not in turn.settings.languages.enabled:
        return [Reply("chat.language_unknown")]
    turn.state.chosen_language = wanted
    turn.language = wanted
    return [Reply("chat.language_set")]


def not_yet(turn: Turn) -> list[Reply]:
    return [Reply("chat.not_yet")]


HANDLERS = (
    IntentHandler("greet", ANYONE, handle=greet),
    IntentHandler("help", ANYONE, handle=help_),
    IntentHandler("thanks", ANYONE, handle=thanks),
    IntentHandler("affirm", ANYONE, handle=affirm),
    IntentHandler("deny", ANYONE, handle=deny),
    IntentHandler("out_of_scope", ANYONE, handle=out_of_scope),
    IntentHandler("set_language", ANYONE, handle=set_language),
    *(IntentHandler(intent, OWNER, handle=not_yet) for intent in NOT_YET),
)
