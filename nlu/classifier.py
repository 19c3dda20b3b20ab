"""Intent classification: word and character n-grams of the message's keys with a linear SVM, optionally
combined with a sentence encoder.

Entities are replaced by their names first ("Sharma ko 25000 ka bill" → "<customer> ko <amount> ka bill"),
so the examples teach sentence shapes rather than particular names and sums. The features are the keys
(one Latin form for every script and spelling, nlu/text.py): word unigrams and bigrams, and character
2–5-grams inside words, which carry the meaning of inflected and misspelled words (bhejdo, கட்டிட்டேன்);
plus character 2–4-grams of the text as written, which keep what the keys fold away (ழ and ள, long
vowels).

Confidences are a softmax of the SVM's scores (its sharpness fitted on the held-out files), flattened
when the message is mostly words training never saw ("asdkjh qwe" comes out flat: out_of_scope with a low
confidence); then intents the other role says are kept possible but need more evidence (an owner rarely
claims to have paid; a customer never bills).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np
from numpy.typing import NDArray

from nlu.intents import INTENTS, unusual_for
from nlu.linear import Features, LinearScores, row_of, stacked
from nlu.message import ROLES, Message
from nlu.result import IntentScore
from nlu.text import Kind

if TYPE_CHECKING:
    from sklearn.linear_model import LogisticRegression

MAX_RANKING = 10
# The SVM's regularization, and the factor that turns its scores into confidences: both chosen on the
# held-out files (the factor by log loss: clear messages score 0.9+, most errors well under 0.8). An SVM
# trains in seconds where a logistic regression over the same features took a minute.
_C = 1.0
_SHARPNESS = 5.0
# The encoder's regression (few, dense features).
_ENCODED_C = 20.0
# Intents the other role says are kept possible but need this much more evidence.
_ROLE_PENALTY = 0.15
_OTHER_TOKENS = {"?": "?", "👍": "ok", "👎": "no"}


class Encoder(Protocol):
    """A sentence encoder: one embedding row per sentence (nlu.pipeline.SentenceEncoder wraps
    sentence-transformers)."""

    def encode(self, sentences: list[str]) -> NDArray[np.float32]: ...


class IntentClassifier:
    def __init__(
        self,
        intents: tuple[str, ...],
        features: list[Features],
        model: LinearScores,
        vocabulary: frozenset[str],
        encoded_model: LogisticRegression | None = None,
    ) -> None:
        # features: word n-grams and letter n-grams of the keys, letter n-grams of the written text.
        self._intents = intents
        self._features = features
        self._model = model
        self._vocabulary = vocabulary
        self._encoded_model = encoded_model
        self._encoder: Encoder | None = None
        # The model's classes in our intent order (out_of_scope first, so ties go to it).
        self._order = np.array([model.classes.index(intent) for intent in intents])

    @classmethod
    def train(
        cls, examples: Sequence[tuple[str, Message]], encoder: Encoder | None = None
    ) -> IntentClassifier:
        """Learn from (intent, tokenized and extracted message) pairs; with an `encoder`, a second
        regression over its sentence embeddings is trained too."""
        # Imported here: a process that only parses never loads scikit-learn (see nlu/linear.py).
        from scipy.sparse import hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.svm import LinearSVC

        # Each example is learnt without a role (for messages from unknown senders) and with its role; an
        # example said by anyone is learnt with either role too.
        samples = [
            (intent, message, role)
            for intent, message in examples
            for role in (None, *((message.role,) if message.role else sorted(ROLES)))
        ]
        labels = [intent for intent, _, _ in samples]
        documents = [" ".join(words(message, role)) for _, message, role in samples]
        written = [message.analysed for _, message, _ in samples]
        vectorizers = [
            TfidfVectorizer(
                analyzer="word",
                token_pattern=r"\S+",  # noqa: S106 - a regex, not a password
                lowercase=False,
                ngram_range=(1, 2),
                sublinear_tf=True,
            ),
            TfidfVectorizer(
                analyzer="char_wb", lowercase=False, ngram_range=(2, 5), sublinear_tf=True, min_df=2
            ),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=2),
        ]
        matrix = hstack(
            [
                vectorizer.fit_transform(texts)
                for vectorizer, texts in zip(vectorizers, (documents, documents, written), strict=True)
            ]
        ).tocsr()
        model = LinearSVC(C=_C, random_state=0).fit(matrix, labels)
        known = set(labels)
        intents = tuple(intent for intent in INTENTS if intent in known) + tuple(sorted(known - set(INTENTS)))
        vocabulary = frozenset(word for document in documents for word in document.split())
        encoded_model = None
        if encoder is not None:
            embeddings = encoder.encode([message.analysed for _, message in examples])
            encoded_model = LogisticRegression(C=_ENCODED_C, max_iter=2000).fit(
                embeddings, [intent for intent, _ in examples]
            )
        classifier = cls(intents, stacked(vectorizers), LinearScores.of(model), vocabulary, encoded_model)
        classifier.attach(encoder)
        return classifier

    def attach(self, encoder: Encoder | None) -> None:
        """Use `encoder` at parse time (it is not stored with the trained classifier)."""
        if (encoder is None) != (self._encoded_model is None):
            raise ValueError("the encoder must be the one the classifier was trained with")
        self._encoder = encoder

    def __getstate__(self) -> dict[str, object]:
        # The encoder is loaded by name when the pipeline starts.
        return {**self.__dict__, "_encoder": None}

    def process(self, message: Message) -> None:
        sequence = words(message, message.role)
        document = " ".join(sequence)
        row = row_of(self._features, (document, document, message.analysed))
        probabilities = _softmax(_SHARPNESS * self._model.scores(row))
        if self._encoder is not None and self._encoded_model is not None:
            embedding = self._encoder.encode([message.analysed])
            probabilities = (probabilities + self._encoded_model.predict_proba(embedding)[0]) / 2
        confidences = probabilities[self._order] ** self._coverage(sequence)
        unusual = unusual_for(message.role)
        confidences = confidences * np.array([_ROLE_PENALTY if i in unusual else 1.0 for i in self._intents])
        confidences = confidences / confidences.sum()
        # A stable sort keeps intent order on ties: a message of unknown words goes to out_of_scope.
        order = np.argsort(-confidences, kind="stable")[:MAX_RANKING]
        message.ranking = [IntentScore(self._intents[i], round(float(confidences[i]), 4)) for i in order]

    def _coverage(self, sequence: list[str]) -> float:
        """The share of the message's words (not entities, not punctuation) that training has seen."""
        plain = [word for word in sequence if word[0].isalpha()]
        if not plain:
            return 0.0
        return sum(word in self._vocabulary for word in plain) / len(plain)


def words(message: Message, role: str | None = None) -> list[str]:
    """The message as keys, each entity replaced by `<name>` and other numbers by `<number>`, after the
    writer's role when known (`<owner>`: "bill bhejo" from an owner bills, from a customer asks for a
    copy; the word pairs with the role learn that)."""
    spans = sorted((entity.start, entity.end, entity.entity) for entity in message.entities)
    sequence: list[str] = [f"<{role}>"] if role else []
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


def _softmax(scores: NDArray[np.float64]) -> NDArray[np.float64]:
    exponentials = np.exp(scores - scores.max())
    result: NDArray[np.float64] = exponentials / exponentials.sum()
    return result
