"""The speech-to-text seam: audio bytes in, what was heard out, with how sure the engine is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.errors import TagadaError


class SpeechUnclear(TagadaError):
    """The note could not be understood: not audio at all, or silence. Asking again may help."""

    key = "voice.unclear"


class SpeechTooLong(TagadaError):
    """The note is longer than `speech.max_seconds`; `seconds` is that limit, for the reply."""

    key = "voice.too_long"


@dataclass(frozen=True)
class Transcript:
    """What a voice note said. Below `speech.confirm_below` confidence the sender confirms it first."""

    text: str
    language: str  # our language code (en, hi, hi-Latn, mr, ...): the hint, or what the engine detected
    confidence: float  # 0-1
    seconds: float  # the audio's duration


class SpeechToText(Protocol):
    """One speech engine. Safe to call from several threads."""

    def transcribe(self, audio: bytes, *, language: str | None) -> Transcript:
        """Transcribe one voice note (OGG/Opus, WAV, MP3, M4A...) in `language`, or detect it when None.

        Raises:
            SpeechUnclear: the bytes are not audio, or nothing was said.
            SpeechTooLong: the note is longer than the configured limit.
        """
        ...
