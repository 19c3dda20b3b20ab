"""Voice notes to text with faster-whisper (CTranslate2 Whisper) on the CPU.

Whisper is always told the sender's language and given a short prompt in that language's script: without
them it writes Hindi in Urdu script and takes accented Hindi for other languages. The prompts also nudge
the vocabulary (bill, rupees, payment) towards what our users say.
"""

from __future__ import annotations

import io
import logging
import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
from faster_whisper import WhisperModel, available_models, decode_audio
from numpy.typing import NDArray

from bot.errors import ConfigError
from bot.settings import SpeechSettings
from connectors.speech.base import SpeechTooLong, SpeechUnclear, Transcript

logger = logging.getLogger(__name__)

SAMPLE_RATE = 16_000  # what Whisper listens at; decode_audio resamples every input to it
# Beam 5 costs within 10 % of greedy on two cores (the encoder pass dominates) and hears better: greedy
# misheard the English names and looped on the Hindi test note.
BEAM_SIZE = 5
# Beam search first, then one sampled retry when the text loops or is improbable. Whisper's default
# ladder of six temperatures can cost six decodes per 30-s window on two cores, for notes that end up
# with low confidence (and confirmed by the person) anyway.
TEMPERATURES = (0.0, 0.5)
# A floor on a segment's weight in the confidence, so zero-length segments still count a little.
_MIN_WEIGHT_SECONDS = 0.01
# Faster than anyone speaks, in any of our scripts (fast English is about 15 characters a second). More
# text than this per second of speech is Whisper repeating itself or its prompt, often with high scores.
_MAX_CHARACTERS_PER_SECOND = 30


@dataclass(frozen=True)
class Language:
    """How Whisper is asked for one of our languages."""

    whisper: str  # Whisper's language code
    prompt: str  # a sentence in the script the transcript must come back in


LANGUAGES: dict[str, Language] = {
    # No names in prompts: Whisper copies a prompt's name over a customer's similar-sounding one.
    "en": Language("en", "Please send the invoice. The payment of ₹5,000 is outstanding."),
    "hi": Language("hi", "नमस्ते, मुझे बिल भेजना है। पाँच हज़ार रुपये बाकी हैं।"),
    # Hindi typed in Latin letters is spoken Hindi: the transcript is Devanagari, which the NLU reads.
    "hi-Latn": Language("hi", "नमस्ते, मुझे बिल भेजना है। पाँच हज़ार रुपये बाकी हैं।"),
    "mr": Language("mr", "नमस्कार, मला बिल पाठवायचे आहे. पाच हजार रुपये बाकी आहेत."),
    "gu": Language("gu", "નમસ્તે, મારે બિલ મોકલવું છે. પાંચ હજાર રૂપિયા બાકી છે."),
    "ta": Language("ta", "வணக்கம், எனக்கு பில் அனுப்ப வேண்டும். ஐந்தாயிரம் ரூபாய் பாக்கி உள்ளது."),
    "te": Language("te", "నమస్కారం, నాకు బిల్లు పంపాలి. ఐదు వేల రూపాయలు బాకీ ఉన్నాయి."),
    "kn": Language("kn", "ನಮಸ್ಕಾರ, ನನಗೆ ಬಿಲ್ ಕಳುಹಿಸಬೇಕು. ಐದು ಸಾವಿರ ರೂಪಾಯಿ ಬಾಕಿ ಇದೆ."),
    "bn": Language("bn", "নমস্কার, আমাকে বিল পাঠাতে হবে। পাঁচ হাজার টাকা বাকি আছে।"),
}
# Whisper's detected language back to ours. Spoken Urdu and Hindi are one language, and Whisper often
# labels Hindi speech as Urdu: it is transcribed as Hindi, in Devanagari.
_FROM_WHISPER = {
    "en": "en",
    "hi": "hi",
    "ur": "hi",
    "mr": "mr",
    "gu": "gu",
    "ta": "ta",
    "te": "te",
    "kn": "kn",
    "bn": "bn",
}

Loader = Callable[[str, SpeechSettings], WhisperModel]


@dataclass(frozen=True)
class HeardSegment:
    """One stretch of a note as Whisper decoded and scored it."""

    text: str
    start: float
    end: float
    avg_logprob: float  # mean log-probability of its tokens
    no_speech_prob: float  # Whisper's estimate that its window held no speech at all


def confidence(segments: Sequence[HeardSegment]) -> float:
    """How sure Whisper was of the whole note, 0-1.

        exp(mean avg_logprob) × (1 − mean no_speech_prob) × min(1, 30 × seconds / characters)

    Both means are weighted by segment duration, and seconds and characters are summed over segments.
    exp of a mean token log-probability is the geometric-mean token probability ("how likely each word
    was"); the no-speech factor pulls down text made up over noise; the last factor pulls down text too
    long for the time it took to say, which is how Whisper's loops show (scored high by the first two).
    Weighting by duration keeps a short doubtful tail from sinking a long clear note. No segments: 0.
    """
    if not segments:
        return 0.0
    weights = [max(segment.end - segment.start, _MIN_WEIGHT_SECONDS) for segment in segments]
    total = sum(weights)
    logprob = sum(w * s.avg_logprob for w, s in zip(weights, segments, strict=True)) / total
    no_speech = sum(w * s.no_speech_prob for w, s in zip(weights, segments, strict=True)) / total
    characters = sum(len(segment.text.strip()) for segment in segments)
    plausible = min(1.0, _MAX_CHARACTERS_PER_SECOND * total / max(characters, 1))
    return min(1.0, max(0.0, math.exp(logprob) * (1.0 - no_speech) * plausible))


def model_key(name: str) -> str:
    """One cache key per model: a folder by its absolute path (however it was spelled), else the size."""
    folder = Path(name).expanduser()
    return str(folder.resolve()) if folder.is_dir() else name


def load_model(key: str, settings: SpeechSettings) -> WhisperModel:
    """Load a CTranslate2 Whisper folder, or a size downloaded once into `download_root`.

    Raises:
        ConfigError: `key` is neither a folder nor a Whisper size. faster-whisper would take it for a
            Hugging Face repository and go to the network, which would only fail later and less clearly.
    """
    if not Path(key).is_dir() and key not in available_models():
        raise ConfigError(f"speech model {key!r} is neither a folder nor a Whisper size")
    root = str(settings.download_root) if settings.download_root is not None else None
    return WhisperModel(
        key,
        device="cpu",
        compute_type=settings.compute_type,
        cpu_threads=settings.cpu_threads,
        download_root=root,
    )


def decode(audio: bytes, *, max_seconds: int) -> NDArray[np.float32]:
    """The note as 16 kHz mono samples.

    The container's declared duration is checked before decoding, so an hour-long file is refused
    without being decoded into memory; the decoded length is checked too, for containers that don't say.

    Raises:
        SpeechUnclear: not audio, no audio stream in it, or no samples.
        SpeechTooLong: longer than `max_seconds`.
    """
    try:
        with av.open(io.BytesIO(audio), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise SpeechUnclear("no audio stream in the note")
            declared = container.duration
        if declared is not None and declared / av.time_base > max_seconds:
            raise SpeechTooLong(f"note of {declared / av.time_base:.0f} s", seconds=max_seconds)
        samples: NDArray[np.float32] = decode_audio(io.BytesIO(audio), sampling_rate=SAMPLE_RATE)
    except av.FFmpegError as error:
        raise SpeechUnclear(f"undecodable note: {error}") from error
    if len(samples) > max_seconds * SAMPLE_RATE:
        raise SpeechTooLong(f"note of {len(samples) / SAMPLE_RATE:.0f} s", seconds=max_seconds)
    if not len(samples):
        raise SpeechUnclear("a note without a single sample")
    return samples


def listen(model: WhisperModel, samples: NDArray[np.float32], language: Language) -> list[HeardSegment]:
    """Run Whisper over the samples: the typed edge of faster-whisper's untyped API.

    The voice-activity filter drops silence before decoding, so a silent note yields no segments (and
    costs no decoding) instead of Whisper's hallucinated "Thank you.". Conditioning on previous text stays
    on: it carries the prompt's script into a long note's later 30-s windows.
    """
    segments, _info = model.transcribe(
        samples,
        language=language.whisper,
        initial_prompt=language.prompt,
        beam_size=BEAM_SIZE,
        temperature=list(TEMPERATURES),
        vad_filter=True,
    )
    return [
        HeardSegment(
            text=segment.text,
            start=segment.start,
            end=segment.end,
            avg_logprob=segment.avg_logprob,
            no_speech_prob=segment.no_speech_prob,
        )
        for segment in segments
    ]


class WhisperSpeech:
    """faster-whisper on the CPU, one model per name, loaded on first use and shared by all threads.

    Concurrent calls on one model run one at a time inside CTranslate2 (one worker), each on
    `speech.cpu_threads` threads: voice notes queue rather than overload a small server.
    """

    def __init__(self, settings: SpeechSettings, *, load: Loader = load_model) -> None:
        self._settings = settings
        self._load = load
        self._models: dict[str, WhisperModel] = {}
        self._lock = threading.Lock()

    def model_for(self, language: str | None) -> WhisperModel:
        """The model for one of our languages, loaded on first use.

        `speech.language_models` is looked up by our code, then by Whisper's, so a Hindi fine-tune under
        "hi" also hears hi-Latn senders; otherwise `speech.model`.
        """
        key = model_key(self._model_name(language))
        with self._lock:  # one load per model even when the first notes arrive together
            if key not in self._models:
                started = time.perf_counter()
                self._models[key] = self._load(key, self._settings)
                logger.info("speech model %s loaded in %.1f s", key, time.perf_counter() - started)
            return self._models[key]

    def _model_name(self, language: str | None) -> str:
        if language in LANGUAGES:
            for code in (language, LANGUAGES[language].whisper):
                if code in self._settings.language_models:
                    return self._settings.language_models[code]
        return self._settings.model

    def transcribe(self, audio: bytes, *, language: str | None) -> Transcript:
        """Transcribe one note in `language`; detect the language when None (or not one of ours).

        Raises:
            SpeechUnclear: not audio, or nothing was said.
            SpeechTooLong: longer than `speech.max_seconds`.
        """
        samples = decode(audio, max_seconds=self._settings.max_seconds)
        if language not in LANGUAGES:
            language = self.detect(samples)
        segments = listen(self.model_for(language), samples, LANGUAGES[language])
        text = "".join(segment.text for segment in segments).strip()
        if not text:
            raise SpeechUnclear("nothing was said")
        return Transcript(
            text=text,
            language=language,
            confidence=confidence(segments),
            seconds=len(samples) / SAMPLE_RATE,
        )

    def detect(self, samples: NDArray[np.float32]) -> str:
        """Our language for the note: Whisper's most probable among those we serve.

        Restricted to ours because Whisper's overall guess for accented Indian speech is often a
        language we don't serve (Spanish, say). English if the model ranks none of ours.
        """
        _language, _probability, ranked = self.model_for(None).detect_language(audio=samples)
        return next((_FROM_WHISPER[code] for code, _ in ranked if code in _FROM_WHISPER), "en")
