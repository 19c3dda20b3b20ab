"""Linear models on tf-idf n-grams, trained with scikit-learn and scored without it.

scikit-learn validates its inputs on every call (about a millisecond for a parse) and costs some 130 MB
to import. Training uses it; what training produces is copied out here (the vocabulary, the idf weights,
the coefficients) so that parsing is a few dictionary lookups and one small matrix product, and a process
that only parses never imports scikit-learn. The n-grams are made exactly as scikit-learn makes them, so
the scores are the same (tests/test_nlu_training.py).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer

_WHITE_SPACES = re.compile(r"\s\s+")


@dataclass(frozen=True)
class Features:
    """A fitted TfidfVectorizer (word or char_wb n-grams, l2 norm) as a function from text to weights."""

    analyzer: str
    ngram_range: tuple[int, int]
    lowercase: bool
    token_pattern: str
    sublinear_tf: bool
    vocabulary: dict[str, int]
    idf: NDArray[np.float64]
    offset: int  # where these columns start when several vectorizers' matrices are stacked

    @classmethod
    def of(cls, vectorizer: TfidfVectorizer, offset: int = 0) -> Features:
        if vectorizer.analyzer not in ("word", "char_wb") or vectorizer.norm != "l2":
            raise ValueError("only word and char_wb analyzers with l2 norm are supported")
        return cls(
            analyzer=vectorizer.analyzer,
            ngram_range=vectorizer.ngram_range,
            lowercase=vectorizer.lowercase,
            token_pattern=vectorizer.token_pattern,
            sublinear_tf=vectorizer.sublinear_tf,
            vocabulary=dict(vectorizer.vocabulary_),
            idf=np.asarray(vectorizer.idf_, dtype=np.float64),
            offset=offset,
        )

    def grams(self, text: str) -> list[str]:
        """The n-grams scikit-learn's analyzer makes of `text` (same order and multiplicity)."""
        if self.lowercase:
            text = text.lower()
        low, high = self.ngram_range
        if self.analyzer == "word":
            tokens = re.findall(self.token_pattern, text)
            return [
                " ".join(tokens[start : start + n])
                for n in range(low, min(high, len(tokens)) + 1)
                for start in range(len(tokens) - n + 1)
            ]
        grams = []
        for word in _WHITE_SPACES.sub(" ", text).split():
            padded = f" {word} "
            for n in range(low, high + 1):
                offset = 0
                grams.append(padded[offset : offset + n])
                while offset + n < len(padded):
                    offset += 1
                    grams.append(padded[offset : offset + n])
                if offset == 0:  # the word is shorter than n: one gram is all there is
                    break
        return grams

    def weights(self, text: str) -> dict[int, float]:
        """Column (counted from `offset`) → tf-idf weight, normalized to unit length."""
        counts = Counter(
            column for gram in self.grams(text) if (column := self.vocabulary.get(gram)) is not None
        )
        raw = {
            column: ((1 + math.log(count)) if self.sublinear_tf else count) * float(self.idf[column])
            for column, count in counts.items()
        }
        norm = math.sqrt(sum(value * value for value in raw.values()))
        return {self.offset + column: value / norm for column, value in raw.items()} if norm else {}


def stacked(vectorizers: Sequence[TfidfVectorizer]) -> list[Features]:
    """Each fitted vectorizer with the offset of its columns when their matrices are stacked."""
    features, offset = [], 0
    for vectorizer in vectorizers:
        features.append(Features.of(vectorizer, offset))
        offset += len(vectorizer.vocabulary_)
    return features


@dataclass(frozen=True)
class LinearScores:
    """A fitted linear model's coefficients: one row of scores per class (one row for a binary model)."""

    classes: tuple[Any, ...]
    coefficients: NDArray[np.float32]
    intercepts: NDArray[np.float32]

    @classmethod
    def of(cls, model: Any) -> LinearScores:
        return cls(
            classes=tuple(model.classes_),
            coefficients=np.asarray(model.coef_, dtype=np.float32),
            intercepts=np.asarray(model.intercept_, dtype=np.float32),
        )

    def scores(self, row: dict[int, float]) -> NDArray[np.float64]:
        """The decision values for one row of stacked features."""
        if not row:
            return self.intercepts.astype(np.float64)
        columns = np.fromiter(row.keys(), dtype=np.intp, count=len(row))
        values = np.fromiter(row.values(), dtype=np.float64, count=len(row))
        result: NDArray[np.float64] = (
            self.coefficients[:, columns].astype(np.float64) @ values + self.intercepts
        )
        return result


def row_of(features: Sequence[Features], texts: Sequence[str]) -> dict[int, float]:
    """One row of stacked features: each vectorizer applied to its text."""
    row: dict[int, float] = {}
    for feature, text in zip(features, texts, strict=True):
        row.update(feature.weights(text))
    return row
