"""Whether an unknown word looks like a name: a character n-gram model of name words against ordinary ones.

Indian scripts have no capitals, and any word can carry a case ending (భాజీచా "of vegetables" looks like
ಶರ್ಮಾಗೆ "to Sharma"), so a word with an ending is only taken for a name when it looks like one. Names have
shapes of their own (-swamy, -esh, -appa, -kar, -wala, Bengali surnames in -ik, -der), which letter
groups of their keys capture across scripts: a model trained on the names the training data annotates and
the words it uses otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

# How sure the model must be before an unknown word with a case ending becomes a name.
NAME_THRESHOLD = 0.5


class NameModel:
    def __init__(self, letters: TfidfVectorizer, model: LogisticRegression) -> None:
        self._letters = letters
        self._model = model
        self._name_column = list(model.classes_).index(True)

    @classmethod
    def train(cls, names: Iterable[str], words: Iterable[str]) -> NameModel:
        """Learn from the keys of name words and of ordinary words (both in nlu.text's Latin form)."""
        samples = [(name, True) for name in set(names)] + [(word, False) for word in set(words) - set(names)]
        samples.sort()
        letters = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
        matrix = letters.fit_transform([text for text, _ in samples])
        model = LogisticRegression(C=2.0, class_weight="balanced", max_iter=1000)
        model.fit(matrix, [label for _, label in samples])
        return cls(letters, model)

    def likely(self, key: str) -> bool:
        probability = self._model.predict_proba(self._letters.transform([key]))[0][self._name_column]
        return bool(probability >= NAME_THRESHOLD)
