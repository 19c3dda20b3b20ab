"""Voice notes through the simulator channel: transcribed with the sender's language as the hint, then
understood like typed text; an unsure transcript is shown back for a yes first."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.assistant import build_gateway
from bot.clock import FrozenClock
from bot.db import Database
from bot.gateway import Gateway, SentReply
from bot.models import Direction, Message
from bot.settings import load_settings
from connectors.channels.base import InboundMessage
from connectors.speech.base import SpeechTooLong, Transcript
from tests.conftest import SECRET, make_business, make_customer

OWNER = "+919822012345"
SHOP = "+912041234567"


@dataclass
class FakeSpeech:
    """Hears what it is told to, as sure as it is told to be, and notes the language it was hinted."""

    text: str
    confidence: float = 0.9
    error: Exception | None = None
    hints: list[str | None] = field(default_factory=list)

    def transcribe(self, audio: bytes, *, language: str | None) -> Transcript:
        self.hints.append(language)
        if self.error is not None:
            raise self.error
        return Transcript(self.text, language or "en", self.confidence, seconds=2.0)


def _gateway(db: Database, clock: FrozenClock, tmp_path: Path, speech: FakeSpeech | None) -> Gateway:
    environ = {"TAGADA_SIMULATOR_ENABLED": "true", "TAGADA_SECRET_KEY": SECRET}
    settings = load_settings(tmp_path / "none.yml", environ=environ)
    gateway = build_gateway(settings, db, clock, speech=speech)
    if speech is None:
        gateway.speech = None  # as when speech.enabled is off
    return gateway


def _send(
    gateway: Gateway, *, text: str = "", audio: bytes | None = None, button: str | None = None
) -> list[SentReply]:
    return gateway.receive(
        InboundMessage(
            channel="simulator",
            provider_message_id=f"sim-{uuid.uuid4().hex}",
            sender=OWNER,
            recipient=SHOP,
            text=text,
            received_at=gateway.clock.now(),
            button_id=button,
            audio=audio,
            audio_mime_type="audio/ogg; codecs=opus" if audio else None,
        )
    )


@pytest.fixture
def shop(db: Database) -> None:
    make_customer(db, make_business(db))


def test_a_clear_voice_note_is_answered_like_the_same_words_typed(
    db: Database, clock: FrozenClock, tmp_path: Path, shop: None
) -> None:
    speech = FakeSpeech("Sharma Traders ka kitna baaki hai?")
    gateway = _gateway(db, clock, tmp_path, speech)
    (reply,) = _send(gateway, audio=b"OggS...")
    typed = _send(gateway, text="Sharma Traders ka kitna baaki hai?")[0]
    assert reply.text == typed.text and "Sharma Traders" in reply.text
    assert speech.hints == ["hi-Latn"]  # the owner's language, so Whisper writes the right script


def test_an_unsure_transcript_is_confirmed_before_it_is_acted_on(
    db: Database, clock: FrozenClock, tmp_path: Path, shop: None
) -> None:
    gateway = _gateway(db, clock, tmp_path, FakeSpeech("Sharma Traders ka kitna baaki hai?", confidence=0.3))
    (question,) = _send(gateway, audio=b"OggS...")
    assert question.text == "Maine suna: “Sharma Traders ka kitna baaki hai?” — sahi hai?"
    assert [b["id"] for b in question.buttons] == ["affirm", "deny"]
    (answer,) = _send(gateway, text="Haan, sahi hai", button="affirm")
    assert "Sharma Traders" in answer.text and "baaki" in answer.text.lower()

    _send(gateway, audio=b"OggS...")
    (again,) = _send(gateway, text="nahi")
    assert again.text.startswith("Theek hai. Kripya dobara boliye")


def test_an_unsure_transcript_is_dropped_when_they_write_something_else(
    db: Database, clock: FrozenClock, tmp_path: Path, shop: None
) -> None:
    gateway = _gateway(db, clock, tmp_path, FakeSpeech("kuch aur", confidence=0.2))
    _send(gateway, audio=b"OggS...")
    (reply,) = _send(gateway, text="Sharma Traders ka kitna baaki hai?")
    assert "Sharma Traders" in reply.text


def test_a_voice_note_that_is_too_long_or_with_speech_off_gets_a_clear_answer(
    db: Database, clock: FrozenClock, tmp_path: Path, shop: None
) -> None:
    too_long = FakeSpeech("", error=SpeechTooLong("long", seconds=180))
    (reply,) = _send(_gateway(db, clock, tmp_path, too_long), audio=b"OggS...")
    assert reply.text == "Yeh voice note 180 second se lamba hai. Kripya chhota bhejiye, ya type kijiye."
    (off,) = _send(_gateway(db, clock, tmp_path, None), audio=b"OggS...")
    assert off.text.startswith("Main abhi voice note nahi sun sakta")


def test_a_voice_note_heard_as_nothing_is_asked_again(
    db: Database, clock: FrozenClock, tmp_path: Path, shop: None
) -> None:
    (reply,) = _send(_gateway(db, clock, tmp_path, FakeSpeech("  ")), audio=b"OggS...")
    assert reply.text.startswith("Yeh voice note mujhe samajh nahi aaya")


def test_the_transcript_is_kept_with_the_message(
    db: Database, clock: FrozenClock, tmp_path: Path, shop: None
) -> None:
    _send(_gateway(db, clock, tmp_path, FakeSpeech("kitna baaki hai", confidence=0.87)), audio=b"OggS...")
    with db.transaction() as session:
        message = session.scalars(select(Message).where(Message.direction == Direction.INBOUND)).one()
        assert message.text == "kitna baaki hai"
        assert message.media == [
            {
                "kind": "voice",
                "ref": None,
                "mime_type": "audio/ogg; codecs=opus",
                "transcript": "kitna baaki hai",
                "confidence": 0.87,
            }
        ]
