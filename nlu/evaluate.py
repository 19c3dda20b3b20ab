"""`tagada nlu test`: intent accuracy, macro-F1, per-language accuracy and per-entity precision/recall/F1."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlu.pipeline import Pipeline
from nlu.result import ParseResult
from nlu.training import Example

MAX_ERRORS = 50
# Held-out examples, one file per language, kept out of training (`tagada nlu test nlu/eval/en.yml`).
EVAL_DIR = Path(__file__).parent / "eval"


@dataclass
class Tally:
    """True positives, false positives and false negatives of one label."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "support": self.true_positives + self.false_negatives,
        }


@dataclass
class Report:
    examples: int = 0
    correct: int = 0
    intents: dict[str, Tally] = field(default_factory=dict)
    entities: dict[str, Tally] = field(default_factory=dict)
    languages: dict[str, list[int]] = field(default_factory=dict)  # language → [correct, examples]
    language_id: list[int] = field(default_factory=lambda: [0, 0])  # [detected right, labelled]
    # Per labelled language: language detected right, entities.
    language_detection: dict[str, list[int]] = field(default_factory=dict)
    language_entities: dict[str, Tally] = field(default_factory=dict)
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)  # (expected, predicted)
    errors: list[dict[str, Any]] = field(default_factory=list)
    entity_errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.examples if self.examples else 0.0

    @property
    def macro_f1(self) -> float:
        """The mean F1 over every intent labelled or predicted (as scikit-learn's macro average)."""
        return sum(tally.f1 for tally in self.intents.values()) / len(self.intents) if self.intents else 0.0

    @property
    def entity_micro(self) -> Tally:
        """All entities pooled: the micro-averaged precision, recall and F1."""
        return _pooled(self.entities.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "examples": self.examples,
            "intent_accuracy": round(self.accuracy, 4),
            "intent_macro_f1": round(self.macro_f1, 4),
            "per_language": {
                language: {
                    "examples": total,
                    "accuracy": round(right / total, 4),
                    "language_detection_accuracy": _share(self.language_detection.get(language)),
                    "entities": self.language_entities.get(language, Tally()).to_dict(),
                }
                for language, (right, total) in sorted(self.languages.items())
            },
            "entity_micro": self.entity_micro.to_dict(),
            "language_detection_accuracy": round(self.language_id[0] / self.language_id[1], 4)
            if self.language_id[1]
            else None,
            "per_intent": {name: tally.to_dict() for name, tally in sorted(self.intents.items())},
            "per_entity": {name: tally.to_dict() for name, tally in sorted(self.entities.items())},
            "confusions": [
                {"expected": expected, "predicted": predicted, "count": count}
                for (expected, predicted), count in self.confusions.most_common()
            ],
            "errors": self.errors,
            "entity_errors": self.entity_errors,
        }


def _share(counts: list[int] | None) -> float | None:
    return round(counts[0] / counts[1], 4) if counts and counts[1] else None


def _pooled(tallies: Iterable[Tally]) -> Tally:
    pooled = Tally()
    for tally in tallies:
        pooled.true_positives += tally.true_positives
        pooled.false_positives += tally.false_positives
        pooled.false_negatives += tally.false_negatives
    return pooled


def evaluate(pipeline: Pipeline, examples: Sequence[Example]) -> Report:
    """Parse every example with its own role and `now`, and compare with its labels."""
    report = Report()
    for example in examples:
        result = pipeline.parse(example.text, role=example.role, now=example.now)
        _score_intent(report, example, result)
        _score_entities(report, example, result)
    return report


def _score_intent(report: Report, example: Example, result: ParseResult) -> None:
    report.examples += 1
    predicted, expected = result.intent.name, example.intent
    right = predicted == expected
    report.correct += right
    language = example.language or "unknown"
    tally = report.languages.setdefault(language, [0, 0])
    tally[0] += right
    tally[1] += 1
    if example.language is not None:
        detected = result.language == example.language
        report.language_id[0] += detected
        report.language_id[1] += 1
        per_language = report.language_detection.setdefault(example.language, [0, 0])
        per_language[0] += detected
        per_language[1] += 1
    if right:
        report.intents.setdefault(expected, Tally()).true_positives += 1
        return
    report.intents.setdefault(expected, Tally()).false_negatives += 1
    report.intents.setdefault(predicted, Tally()).false_positives += 1
    report.confusions[(expected, predicted)] += 1
    if len(report.errors) < MAX_ERRORS:
        report.errors.append(
            {
                "text": example.text,
                "expected": expected,
                "predicted": predicted,
                "confidence": result.intent.confidence,
            }
        )


def _score_entities(report: Report, example: Example, result: ParseResult) -> None:
    expected = Counter((a.entity, _comparable(a.value)) for a in example.entities)
    found = Counter((e.entity, _comparable(e.value)) for e in result.entities)
    language = report.language_entities.setdefault(example.language or "unknown", Tally())
    for name, _ in expected | found:
        report.entities.setdefault(name, Tally())
    for (name, value), count in expected.items():
        matched = min(count, found[(name, value)])
        for tally in (report.entities[name], language):
            tally.true_positives += matched
            tally.false_negatives += count - matched
    for (name, value), count in found.items():
        spurious = count - min(count, expected[(name, value)])
        report.entities[name].false_positives += spurious
        language.false_positives += spurious
    if expected != found and len(report.entity_errors) < MAX_ERRORS:
        report.entity_errors.append(
            {
                "text": example.text,
                "missed": sorted(f"{name}={value}" for name, value in expected - found),
                "spurious": sorted(f"{name}={value}" for name, value in found - expected),
            }
        )


def _comparable(value: Any) -> str:
    """25000, 25000.0 and "25000" are one value; text compares as written, without outer spaces."""
    try:
        number = float(str(value).replace(",", ""))
    except ValueError:
        return str(value).strip()
    return f"{number:g}"


def format_report(report: Report) -> str:
    """A short text summary for the terminal (the JSON has everything)."""
    lines = [
        f"examples: {report.examples}",
        f"intent accuracy: {report.accuracy:.3f}   macro-F1: {report.macro_f1:.3f}",
    ]
    lines += [
        f"  {language:<8} accuracy {right / total:.3f} ({total} examples)"
        for language, (right, total) in sorted(report.languages.items())
    ]
    if report.language_id[1]:
        lines.append(f"language detection accuracy: {report.language_id[0] / report.language_id[1]:.3f}")
    lines.append("entities (precision / recall / F1, support):")
    lines += [
        f"  {name:<15} {tally.precision:.3f} / {tally.recall:.3f} / {tally.f1:.3f}  ({support})"
        for name, tally in sorted(report.entities.items())
        for support in (tally.true_positives + tally.false_negatives,)
    ]
    micro = report.entity_micro
    lines.append(f"  {'micro':<15} {micro.precision:.3f} / {micro.recall:.3f} / {micro.f1:.3f}")
    if report.errors:
        lines.append("intent errors:")
        lines += [
            f"  {error['expected']} → {error['predicted']} ({error['confidence']:.2f}): {error['text']}"
            for error in report.errors
        ]
    if report.entity_errors:
        lines.append("entity errors:")
        lines += [
            f"  missed {', '.join(error['missed']) or '-'}; spurious {', '.join(error['spurious']) or '-'}: "
            f"{error['text']}"
            for error in report.entity_errors
        ]
    return "\n".join(lines)
