"""Intent classification: naive Bayes log-count ratios over words, word pairs and letter groups.

Each intent gets, for every feature, log(share of its examples that have the feature / share of the
other intents' examples that have it). A message scores the weighted mean of its features' ratios, so
words every intent uses ("ko", "bhejo") count for little, words one intent owns count for a lot, and
words never seen count as zero: a message of unknown words comes out flat, with a low top confidence.
Entities are replaced by their names first ("Sharma ko 25000 ka bill" → "<customer> ko <amount> ka
bill"), so the examples teach sentence shapes rather than particular names and sums.

Counting alone lets frequent words drown a decisive pair, so a few perceptron passes then nudge the
ratios of any training example that does not win by a margin. Training takes a fraction of a second
for a thousand examples, the result is deterministic, and scoring a message is a few dozen vector
additions.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable

from nlu.intents import INTENTS, unusual_for
from nlu.message import Message
from nlu.result import IntentScore
from nlu.text import Kind

MAX_RANKING = 10
# Pseudo-count that keeps a feature seen once from deciding alone.
_SMOOTHING = 0.5
# Turns mean log-ratios into confidences; set so clear messages land above 0.8 and vague ones below 0.5.
_SHARPNESS = 2.5
# Intents the other role says are kept possible but need this much more evidence.
_ROLE_PENALTY = 0.15
# Margin corrections: logit gap each training example should win by, step size, passes at most.
_MARGIN = 2.0
_STEP = 0.25
_EPOCHS = 10
_CHAR_NGRAMS = (3, 4)
_CHAR_WEIGHT = 1.0  # shared by all of one word's letter groups
_OTHER_TOKENS = {"?": "?", "👍": "ok", "👎": "no"}


class IntentClassifier:
    def __init__(self, intents: tuple[str, ...], ratios: dict[str, tuple[float, ...]]) -> None:
        self._intents = intents
        self._ratios = ratios

    @classmethod
    def train(cls, examples: Iterable[tuple[str, Message]]) -> IntentClassifier:
        """Learn from (intent, tokenized and extracted message) pairs: count, then correct by margin."""
        with_features = [(intent, features(words(message))) for intent, message in examples]
        known = {intent for intent, _ in with_features}
        intents = tuple(intent for intent in INTENTS if intent in known) + tuple(sorted(known - set(INTENTS)))
        ratios = _count_ratios(intents, with_features)
        _correct_by_margin(intents, with_features, ratios)
        return cls(intents, {feature: tuple(values) for feature, values in ratios.items()})

    def process(self, message: Message) -> None:
        sequence = words(message)
        found = features(sequence)
        weight = sum(found.values())
        scores = [0.0] * len(self._intents)
        for feature, feature_weight in found.items():
            ratios = self._ratios.get(feature)
            if ratios is not None:
                scores = [score + feature_weight * ratio for score, ratio in zip(scores, ratios, strict=True)]
        # Unknown words flatten the distribution: "asdkjh qwe" or "Sharma 🙏" should not sound sure.
        scale = _SHARPNESS * self._coverage(sequence) / weight if weight else 0.0
        confidences = _softmax([scale * score for score in scores])
        unusual = unusual_for(message.role)
        confidences = [
            confidence * (_ROLE_PENALTY if intent in unusual else 1.0)
            for intent, confidence in zip(self._intents, confidences, strict=True)
        ]
        norm = sum(confidences)
        # Ties (a message of unknown words) go to the earliest intent, out_of_scope.
        order = sorted(range(len(self._intents)), key=lambda i: -confidences[i])
        message.ranking = [
            IntentScore(self._intents[i], round(confidences[i] / norm, 4)) for i in order[:MAX_RANKING]
        ]

    def _coverage(self, sequence: list[str]) -> float:
        """The share of the message's words (not entities, not punctuation) that training has seen."""
        plain = [word for word in sequence if word[0].isalpha()]
        if not plain:
            return 0.0
        return sum(f"w {word}" in self._ratios for word in plain) / len(plain)


def _count_ratios(
    intents: tuple[str, ...], with_features: list[tuple[str, dict[str, float]]]
) -> dict[str, list[float]]:
    """log(share of the intent's examples with the feature / share of the other examples with it)."""
    index = {intent: i for i, intent in enumerate(intents)}
    per_intent = [0] * len(intents)
    present: dict[str, list[int]] = {}
    for intent, found in with_features:
        per_intent[index[intent]] += 1
        for feature in found:
            present.setdefault(feature, [0] * len(intents))[index[intent]] += 1
    total = len(with_features)
    # Every count is a small integer, so the logarithms come from one table.
    log_count = [math.log(count + _SMOOTHING) for count in range(total + 1)]
    log_in = [math.log(n + 2 * _SMOOTHING) for n in per_intent]
    log_out = [math.log(total - n + 2 * _SMOOTHING) for n in per_intent]
    ratios = {}
    for feature, counts in present.items():
        everywhere = sum(counts)
        ratios[feature] = [
            log_count[count] - log_in[i] - log_count[everywhere - count] + log_out[i]
            for i, count in enumerate(counts)
        ]
    return ratios


def _correct_by_margin(
    intents: tuple[str, ...],
    with_features: list[tuple[str, dict[str, float]]],
    ratios: dict[str, list[float]],
) -> None:
    """Perceptron passes over the examples: where an example's own intent does not win by `_MARGIN`,
    move its features' ratios toward it and away from the runner-up.

    Counting alone lets frequent words drown a decisive pair ("abhi mat bhejo" is deny, not
    pause_reminders, because of "abhi mat"); these few corrections fix that. The counted scores are
    computed once and the corrections kept sparse, so a pass costs milliseconds. Fixed order, so
    deterministic.
    """
    index = {intent: i for i, intent in enumerate(intents)}
    prepared = [
        (
            index[intent],
            _scores(found, ratios, len(intents)),
            _SHARPNESS / sum(found.values()),
            # Only words and word pairs are corrected: they carry the decisions, and letter groups
            # would triple the work.
            [feature for feature in found if not feature.startswith("c ")],
        )
        for intent, found in with_features
    ]
    corrections: dict[str, dict[int, float]] = {}
    others = [[i for i in range(len(intents)) if i != gold] for gold in range(len(intents))]
    for _ in range(_EPOCHS):
        changed = False
        for gold, base, scale, correctable in prepared:
            scores = list(base)
            for feature in correctable:
                for i, delta in corrections.get(feature, {}).items():
                    scores[i] += delta
            rival = max(others[gold], key=scores.__getitem__)
            if scale * (scores[gold] - scores[rival]) >= _MARGIN:
                continue
            changed = True
            for feature in correctable:
                moved = corrections.setdefault(feature, {})
                moved[gold] = moved.get(gold, 0.0) + _STEP
                moved[rival] = moved.get(rival, 0.0) - _STEP
        if not changed:
            break
    for feature, moved in corrections.items():
        for i, delta in moved.items():
            ratios[feature][i] += delta


def _scores(found: dict[str, float], ratios: dict[str, list[float]], size: int) -> list[float]:
    scores = [0.0] * size
    for feature, feature_weight in found.items():
        scores = [score + feature_weight * r for score, r in zip(scores, ratios[feature], strict=True)]
    return scores


def _softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp(score - top) for score in scores]
    total = sum(exps)
    return [value / total for value in exps]


def words(message: Message) -> list[str]:
    """The message as keys, each entity replaced by `<name>` and other numbers by `<number>`."""
    spans = sorted((entity.start, entity.end, entity.entity) for entity in message.entities)
    sequence: list[str] = []
    span_index = 0
    for token in message.tokens:
        while span_index < len(spans) and spans[span_index][1] <= token.start:
            span_index += 1
        if span_index < len(spans) and spans[span_index][0] <= token.start:
            placeholder = f"<{spans[span_index][2]}>"
            if not sequence or sequence[-1] != placeholder:
                sequence.append(placeholder)
        elif token.kind is Kind.WORD:
            sequence.extend(token.key.split())
        elif token.kind is Kind.NUMBER:
            sequence.append("<number>")
        elif token.text in _OTHER_TOKENS:
            sequence.append(_OTHER_TOKENS[token.text])
    return sequence


def features(sequence: list[str]) -> dict[str, float]:
    """Words, neighbouring pairs (with the message's ends) and letter groups of each word."""
    found: dict[str, float] = {}
    for word in sequence:
        found[f"w {word}"] = 1.0
        if not word.startswith("<"):
            grams = [
                f"c {padded[i : i + n]}"
                for padded in (f"<{word}>",)
                for n in _CHAR_NGRAMS
                for i in range(len(padded) - n + 1)
            ]
            for gram in grams:
                found[gram] = max(found.get(gram, 0.0), _CHAR_WEIGHT / len(grams))
    padded_sequence = ["^", *sequence, "$"]
    for left, right in itertools.pairwise(padded_sequence):
        found[f"b {left} {right}"] = 1.0
    return found
