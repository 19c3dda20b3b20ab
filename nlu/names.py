"""Whether an unknown word looks like a name: a character n-gram model of name words against ordinary ones.

Indian scripts have no capitals, and any word can carry a case ending (భాజీచా "of vegetables" looks like
ಶರ್ಮಾಗೆ "to Sharma"), so a word with an ending is only taken for a name when it looks like one. Names have
shapes of their own (-swamy, -esh, -appa, -kar, -wala, Bengali surnames in -ik, -der), which letter
groups of their keys capture across scripts: a model trained on the names the training data annotates and
the words it uses otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from nlu.linear import Features, LinearScores, stacked

# How sure the model must be before an unknown word with a case ending becomes a name.
NAME_THRESHOLD = 0.5


class NameModel:
    def __init__(self, letters: Features, model: LinearScores) -> None:
        self._letters = letters
        self._model = model

    @classmethod
    def train(cls, names: Iterable[str], words: Iterable[str]) -> NameModel:
        """Learn from the keys of name words and of ordinary words (both in nlu.text's Latin form)."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        samples = [(name, True) for name in set(names)] + [(word, False) for word in set(words) - set(names)]
        samples.sort()
        letters = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
        matrix = letters.fit_transform([text for text, _ in samples])
        model = LogisticRegression(C=2.0, class_weight="balanced", max_iter=1000)
        model.fit(matrix, [label for _, label in samples])
        (features,) = stacked([letters])
        return cls(features, LinearScores.of(model))

    def likely(self, key: str) -> bool:
        # A binary model has one row of scores, for its second class: True, a name.
        (score,) = self._model.scores(self._letters.weights(key))
        return 1 / (1 + math.exp(-score)) >= NAME_THRESHOLD
