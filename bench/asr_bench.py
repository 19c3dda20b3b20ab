"""How fast speech to text is, and how much memory it takes, on this machine.

    python -m bench.asr_bench [--model PATH_OR_SIZE] [--threads 2] [--compute-type int8] [--rounds 3]

Loads the model the way the bot does (connectors.speech.whisper), then transcribes each voice note in
tests/fixtures/voice in the language its name starts with. Prints the load time, the process's resident
memory before and after loading and after transcribing, and per note: its length, the median wall time
(decoding included), the real-time factor (wall time / audio length: below 1 is faster than real time),
the confidence and what was heard. The default model is the offline Whisper base the tests use.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

from bot.settings import SpeechSettings
from connectors.speech.base import SpeechTooLong, SpeechUnclear, Transcript
from connectors.speech.whisper import LANGUAGES, WhisperSpeech
from tests.whisper_model import test_model_dir

VOICE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "voice"


def rss_mb() -> float:
    """This process's resident memory now (Linux /proc), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def language_of(note: Path) -> str:
    """The language a fixture's name starts with (hi_..., en_...); English for the rest (silence)."""
    prefix = note.name.split("_", 1)[0]
    return prefix if prefix in LANGUAGES else "en"


def timed(speech: WhisperSpeech, audio: bytes, language: str) -> tuple[float, Transcript | None]:
    """Wall time of one transcription, and its transcript (None when the note was refused)."""
    started = time.perf_counter()
    try:
        transcript: Transcript | None = speech.transcribe(audio, language=language)
    except (SpeechUnclear, SpeechTooLong):
        transcript = None
    return time.perf_counter() - started, transcript


def measure(settings: SpeechSettings, rounds: int) -> None:
    speech = WhisperSpeech(settings)
    print(f"model {settings.model}, {settings.compute_type}, {settings.cpu_threads} threads")
    print(f"machine {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    before = rss_mb()
    started = time.perf_counter()
    speech.model_for(None)
    print(f"load: {time.perf_counter() - started:.2f} s; RSS {before:.0f} MB before, {rss_mb():.0f} MB after")
    notes = sorted(note for note in VOICE.glob("*.ogg") if not note.name.startswith("garbage"))
    first, _ = timed(speech, notes[0].read_bytes(), language_of(notes[0]))
    print(f"first transcription (also loads the voice-activity model): {first:.2f} s")
    print()
    print(f"{'note':<36} {'lang':<4} {'audio s':>7} {'wall s':>7} {'RTF':>5} {'conf':>5}  heard")
    for note in notes:
        audio, language = note.read_bytes(), language_of(note)
        runs = [timed(speech, audio, language) for _ in range(rounds)]
        wall = statistics.median(seconds for seconds, _ in runs)
        transcript = runs[-1][1]
        if transcript is None:
            print(f"{note.name:<36} {language:<4} {'':>7} {wall:>7.2f} {'':>5} {'':>5}  (refused: unclear)")
            continue
        print(
            f"{note.name:<36} {language:<4} {transcript.seconds:>7.2f} {wall:>7.2f}"
            f" {wall / transcript.seconds:>5.2f} {transcript.confidence:>5.2f}  {transcript.text[:60]}"
        )
    print()
    print(f"RSS after transcribing: {rss_mb():.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--model", help="a Whisper size or CTranslate2 folder (default: the test model)")
    parser.add_argument("--threads", type=int, default=SpeechSettings().cpu_threads, help="CPU threads")
    parser.add_argument("--compute-type", default=SpeechSettings().compute_type, help="int8, float32, ...")
    parser.add_argument("--rounds", type=int, default=3, help="transcriptions of each note (median shown)")
    arguments = parser.parse_args()
    settings = SpeechSettings(
        model=arguments.model or str(test_model_dir()),
        cpu_threads=arguments.threads,
        compute_type=arguments.compute_type,
    )
    measure(settings, arguments.rounds)


if __name__ == "__main__":
    main()
