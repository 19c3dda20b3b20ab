"""Training artifacts (built once, named by a hash of what shapes them) and the optional sentence encoder,
tested with a tiny BERT built here from the training data's letters: no download."""

from __future__ import annotations

import importlib.util
import os
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from nlu.pipeline import DATA_DIR, Trained, build, fingerprint, load_pipeline
from tests.conftest import IST

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=IST)
HAS_ENCODER = importlib.util.find_spec("sentence_transformers") is not None


@pytest.fixture
def small_data(tmp_path: Path) -> Path:
    """English and romanized Hindi only: enough to learn from, quick to train."""
    data = tmp_path / "data"
    data.mkdir()
    for name in ("en.yml", "hi-Latn.yml"):
        shutil.copy(DATA_DIR / name, data / name)
    return data


def test_an_artifact_is_built_once_and_then_loaded(small_data: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    trained, path = build(small_data, cache_dir=cache)
    assert path.is_file() and isinstance(trained, Trained)
    written = path.stat().st_mtime_ns
    again, same_path = build(small_data, cache_dir=cache)
    assert same_path == path and path.stat().st_mtime_ns == written  # loaded, not retrained
    result = again.pipeline().parse("Sharma ji ko 25k ka reminder bhejo", role="owner", now=NOW)
    assert result.intent.name == "send_reminder"


def test_changed_data_gets_a_new_artifact(small_data: Path) -> None:
    before = fingerprint(small_data, None)
    with (small_data / "en.yml").open("a", encoding="utf-8") as data:
        data.write("- intent: greet\n  examples: |\n    - good evening boss\n")
    assert fingerprint(small_data, None) != before
    assert fingerprint(small_data, "some-encoder") != fingerprint(small_data, None)


def test_an_unreadable_artifact_is_rebuilt(small_data: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _, path = build(small_data, cache_dir=cache)
    path.write_bytes(b"not a pickle")
    trained, rebuilt = build(small_data, cache_dir=cache)
    assert rebuilt == path and isinstance(trained, Trained)
    assert path.read_bytes() != b"not a pickle"


@pytest.fixture(scope="module")
def tiny_encoder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-layer BERT with random weights and a character vocabulary: a real sentence-transformers
    model, built in a second, that the pipeline loads from a local folder."""
    if not HAS_ENCODER:
        if os.environ.get("TAGADA_TEST_REQUIRE_ENCODER") == "1":
            pytest.fail("TAGADA_TEST_REQUIRE_ENCODER=1 but sentence-transformers is not installed")
        pytest.skip("sentence-transformers not installed (pip install -e '.[encoder]')")
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
    from transformers import BertConfig, BertModel, BertTokenizer

    folder = tmp_path_factory.mktemp("encoder")
    letters = sorted(
        {char.lower() for path in DATA_DIR.glob("*.yml") for char in path.read_text() if char.isalnum()}
    )
    vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *letters, *(f"##{char}" for char in letters)]
    (folder / "vocab.txt").write_text("\n".join(vocabulary) + "\n", encoding="utf-8")
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(vocabulary),
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=128,
    )
    BertModel(config).save_pretrained(folder / "bert")
    BertTokenizer(vocab_file=str(folder / "vocab.txt")).save_pretrained(folder / "bert")
    transformer = Transformer(str(folder / "bert"), max_seq_length=64)
    pooling = Pooling(transformer.get_embedding_dimension())
    SentenceTransformer(modules=[transformer, pooling], device="cpu").save(str(folder / "model"))
    return folder / "model"


def test_an_encoder_is_combined_with_the_ngram_classifier(
    tiny_encoder: Path, small_data: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    plain = load_pipeline(small_data, cache_dir=cache)
    encoded = load_pipeline(small_data, encoder=str(tiny_encoder), cache_dir=cache)
    assert len(list(cache.glob("nlu-*.pkl"))) == 2  # one artifact per encoder
    text = "Sharma ji ko 25k ka reminder bhejo"
    with_encoder = encoded.parse(text, role="owner", now=NOW)
    without = plain.parse(text, role="owner", now=NOW)
    assert with_encoder.intent.name == "send_reminder"
    # The encoder's vote moves the confidences: the two pipelines do not agree to the last digit.
    assert with_encoder.intent.confidence != without.intent.confidence
    assert with_encoder.entities == without.entities


def test_an_encoder_trained_classifier_refuses_to_run_without_it(
    tiny_encoder: Path, small_data: Path, tmp_path: Path
) -> None:
    from nlu.pipeline import load_encoder

    trained, _ = build(
        small_data,
        cache_dir=tmp_path,
        encoder_name=str(tiny_encoder),
        encoder=load_encoder(str(tiny_encoder)),
    )
    with pytest.raises(ValueError, match="encoder"):
        trained.classifier.attach(None)


def test_parse_time_scoring_matches_scikit_learn() -> None:
    """Parsing scores with nlu/linear.py instead of scikit-learn: same n-grams, same weights, same scores."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    from nlu.linear import LinearScores, row_of, stacked

    texts = ["<owner> sarma ko <amount> ka bil bana do", "kal tak kar dunga", "ஷர்மாவுக்கு பில்", "Thank you ji"]
    labels = ["create_invoice", "promise_to_pay", "create_invoice", "thanks"]
    vectorizers = [
        TfidfVectorizer(
            analyzer="word", token_pattern=r"\S+", lowercase=False, ngram_range=(1, 2), sublinear_tf=True
        ),
        TfidfVectorizer(analyzer="char_wb", lowercase=False, ngram_range=(2, 5), sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=2),
    ]
    matrix = hstack([vectorizer.fit_transform(texts) for vectorizer in vectorizers]).tocsr()
    model = LinearSVC(random_state=0).fit(matrix, labels)
    features, linear = stacked(vectorizers), LinearScores.of(model)
    for text in [*texts, "bill  bana do   ji", "zzz", ""]:
        expected = model.decision_function(hstack([v.transform([text]) for v in vectorizers]).tocsr())[0]
        assert linear.scores(row_of(features, (text, text, text))) == pytest.approx(expected, abs=1e-5)
