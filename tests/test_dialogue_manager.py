"""The dialogue manager's own rules, with the NLU's answer fixed so each rule is tested on purpose."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from nlu.pipeline import Pipeline
from nlu.result import Entity, IntentScore, ParseResult
from tests.chat import OWNER, Person, seed

UNSURE = "sharma bill kuch"


class UnsureNlu:
    """The real pipeline, except that one message comes back as a weak, close call."""

    def __init__(self, real: Pipeline) -> None:
        self._real = real

    def parse(
        self, text: str, *, role: str | None = None, now: datetime, customers: Sequence[str] = ()
    ) -> ParseResult:
        result = self._real.parse(text, role=role, now=now, customers=customers)
        if text != UNSURE:
            return result
        ranking = (
            IntentScore("customer_statement", 0.34),
            IntentScore("create_invoice", 0.31),
            IntentScore("payment_link", 0.2),
        )
        return ParseResult(
            text, "hi-Latn", ranking[0], ranking, (Entity("customer", "Sharma", 0, 6, "sharma"),)
        )


@pytest.fixture
def owner(client: TestClient) -> Person:
    gateway = client.app.state.gateway  # type: ignore[attr-defined]
    unsure = UnsureNlu(gateway.nlu)
    gateway.nlu = unsure
    gateway.manager._nlu = unsure
    seed(client)
    return Person(client, OWNER)


def test_a_weak_close_guess_asks_which_with_buttons(owner: Person) -> None:
    owner.says(UNSURE)
    buttons = [b["id"] for b in owner.replies[-1]["buttons"]]
    assert buttons == ["pick:0", "pick:1", "pick:2", "cancel"]
    owner.taps("pick:0")  # "Statement": the original message's customer is used
    assert "Sharma Traders" in owner.reply


def test_a_clarifying_question_can_be_answered_by_number_or_cancelled(owner: Person) -> None:
    owner.says(UNSURE)
    owner.says("1")
    assert "Sharma Traders" in owner.reply
    owner.says(UNSURE)
    owner.says("cancel")
    owner.says("1")  # the question is gone: a bare number is just a number now
    assert "Sharma Traders" not in owner.reply


def test_a_sure_new_request_leaves_a_form_half_way(owner: Person) -> None:
    owner.says("Sharma Traders ko 25000 ka bill banao")  # asks for the GST rate
    owner.says("kitna baaki hai")  # clearly something else: answered, and the bill dropped
    assert "Sharma Traders" not in owner.reply  # nothing is billed yet, so nothing is owed
    owner.says("18")
    owner.says("haan")
    assert "INV-" not in owner.reply
