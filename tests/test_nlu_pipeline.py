"""The pipeline around the models: robustness, result shape, training data, HTTP, CLI and evaluation."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from bot.api import nlu as nlu_api
from bot.cli import app as cli
from bot.clock import FrozenClock
from nlu.evaluate import EVAL_DIR, evaluate
from nlu.intents import INTENTS
from nlu.message import MAX_ANALYSED_CHARS
from nlu.pipeline import DATA_DIR, Pipeline, load_pipeline
from nlu.result import IntentScore, ParseResult
from nlu.text import devanagari_to_latin, word_key
from nlu.tokenizer import Tokenizer
from nlu.training import TrainingDataError, load_directory, load_file
from tests.conftest import IST

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=IST)
CONTRACT_INTENTS = set(INTENTS) - {"opt_in"}


@pytest.fixture(scope="module")
def nlu() -> Pipeline:
    return load_pipeline()


@pytest.mark.parametrize(
    "text",
    [
        "",
        " \n\t ",
        "😀😀😀",
        "12345",
        "<script>alert(1)</script>",
        "a" * 10_000,
        "Sharma ko 25000 ka bill bhejo " * 400,
        "9" * 500,
        "₹" * 300 + "25k",
        "\u200d\u200c\u0000\ufeff",
        "ला" * 3000,
        "مرحبا كيف حالك",
        "1/1/1 31/31/31 99.99.9999 0/0",
        "@@@ %%% /-/-/- k k k L cr",
    ],
)
def test_any_text_gets_a_result(nlu: Pipeline, text: str) -> None:
    result = nlu.parse(text, now=NOW)
    assert isinstance(result, ParseResult)
    assert result.text == text
    json.dumps(result.to_dict())
    assert all(
        0 <= e.start < e.end <= MAX_ANALYSED_CHARS and text[e.start : e.end] == e.text
        for e in result.entities
    )


def test_only_the_start_of_a_huge_message_is_analysed(nlu: Pipeline) -> None:
    text = "x " * MAX_ANALYSED_CHARS + "UTR 412345678901"
    result = nlu.parse(text, role="customer", now=NOW)
    assert result.text == text
    assert result.entity("utr") is None


def test_result_has_the_contract_shape(nlu: Pipeline) -> None:
    body = nlu.parse("Gupta ko 12000 ka payment link bhejo", role="owner", now=NOW).to_dict()
    assert set(body) == {"text", "language", "intent", "intent_ranking", "entities"}
    assert set(body["intent"]) == {"name", "confidence"}
    assert body["intent_ranking"][0] == body["intent"]
    assert all(set(entity) == {"entity", "value", "start", "end", "text"} for entity in body["entities"])


def test_result_helpers() -> None:
    result = ParseResult("x", None, IntentScore("greet", 1.0), (IntentScore("greet", 1.0),), ())
    assert result.entity("amount") is None
    assert result.values("amount") == []


def test_parsing_is_deterministic_and_training_repeatable(nlu: Pipeline, tmp_path: Path) -> None:
    shutil.copytree(DATA_DIR, tmp_path / "data")
    again = load_pipeline(tmp_path / "data")
    assert again is not nlu
    for text in ("Sharma ko 25000 ka bill bhejo", "kal tak kar dunga", "asdkjh", "haan"):
        assert again.parse(text, now=NOW) == nlu.parse(text, now=NOW) == nlu.parse(text, now=NOW)


def test_a_pipeline_without_a_classifier_still_answers() -> None:
    result = Pipeline([Tokenizer()]).parse("haan", now=NOW)
    assert result.intent == IntentScore("out_of_scope", 0.0)
    assert result.language is None and result.entities == ()


# --- training data -------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "hi-Latn"])
def test_every_intent_has_examples_in_each_language(language: str) -> None:
    examples = load_file(DATA_DIR / f"{language}.yml")
    counts = {intent: sum(example.intent == intent for example in examples) for intent in INTENTS}
    assert {intent for intent, count in counts.items() if count < 5} == set()
    assert {example.language for example in examples} == {language}
    assert set(counts) >= CONTRACT_INTENTS


def test_devanagari_data_covers_every_intent() -> None:
    assert {example.intent for example in load_file(DATA_DIR / "hi.yml")} == set(INTENTS)


def test_training_annotations_are_found_by_the_extractors(nlu: Pipeline) -> None:
    report = evaluate(nlu, load_directory(DATA_DIR))
    assert report.accuracy > 0.98
    for name, tally in report.entities.items():
        assert tally.recall > 0.9, name
        assert tally.precision > 0.6, name


@pytest.mark.parametrize("language", ["en", "hi-Latn", "hi"])
def test_held_out_examples_are_understood(nlu: Pipeline, language: str) -> None:
    report = evaluate(nlu, load_file(EVAL_DIR / f"{language}.yml"))
    assert report.examples >= 15
    assert report.accuracy >= 0.9, report.errors
    assert report.language_id[0] >= 0.9 * report.language_id[1]
    for name, tally in report.entities.items():
        assert tally.f1 >= 0.9, name


def test_loader_reads_rasa_annotations_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "mixed.yml"
    path.write_text(
        """version: "3.1"
nlu:
- intent: promise_to_pay
  metadata: {language: hi-Latn, role: customer, now: "2026-11-01T09:00:00+05:30"}
  examples: |
    - [15 tarikh]{"entity": "date", "value": "2026-11-15"} ko [Sharma ji](customer:Sharma) dega
    - [25000](amount) kal
- intent: greet
  examples:
  - text: hello
    metadata: {language: en}
- synonym: bhejo
  examples: |
    - bhej do
""",
        encoding="utf-8",
    )
    first, second, third = load_file(path)
    assert first.text == "15 tarikh ko Sharma ji dega"
    assert [(a.entity, a.value, first.text[a.start : a.end]) for a in first.entities] == [
        ("date", "2026-11-15", "15 tarikh"),
        ("customer", "Sharma", "Sharma ji"),
    ]
    assert (first.language, first.role, first.now.day) == ("hi-Latn", "customer", 1)
    assert second.entities[0].value == "25000"
    assert (third.intent, third.language, third.role, third.now) == ("greet", "en", None, NOW)


@pytest.mark.parametrize(
    "content",
    [
        "nlu: [unclosed",
        "just text",
        "nlu:\n- intent: x\n  examples: 5\n",
        'nlu:\n- intent: x\n  examples: |\n    - [a]{"e": }\n',
    ],
)
def test_loader_refuses_malformed_files(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.yml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TrainingDataError):
        load_file(path)


# --- normalization -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spellings", "same"),
    [
        (["bhejo", "bhejdo", "Bhej do", "bhejiye"], "bhej do"),
        (["baaki", "baki", "baqi", "बाकी"], "baaki"),
        (["nahi", "nahin", "nhi", "नहीं", "nahiii"], "nahi"),
        (["haan", "haaan", "ha", "हाँ"], "haan"),
        (["kitna", "kitne", "कितना"], "kitna"),
        (["hisaab", "hisab", "हिसाब"], "hisaab"),
    ],
)
def test_spellings_share_one_key(spellings: list[str], same: str) -> None:
    assert {word_key(spelling) for spelling in spellings} == {" ".join(word_key(w) for w in same.split())}


@pytest.mark.parametrize(
    ("devanagari", "latin"),
    [("कितना", "kitnaa"), ("करना", "karnaa"), ("समझ", "samajh"), ("नमस्ते", "namaste"), ("अगले", "agle")],
)
def test_devanagari_is_romanized_as_people_type_it(devanagari: str, latin: str) -> None:
    assert devanagari_to_latin(devanagari) == latin


# --- HTTP ----------------------------------------------------------------------------------------------


@pytest.fixture
def client(nlu: Pipeline) -> TestClient:
    app = FastAPI()
    app.state.nlu = nlu
    app.state.clock = FrozenClock(NOW)
    app.include_router(nlu_api.router)
    return TestClient(app)


def test_http_parse_matches_the_pipeline(client: TestClient, nlu: Pipeline) -> None:
    body = {"text": "Sharma ji ko 25k ka reminder bhejo", "role": "owner", "now": "2026-12-01T10:00:00+05:30"}
    response = client.post("/model/parse", json=body)
    assert response.status_code == 200
    assert response.json() == nlu.parse(body["text"], role="owner", now=NOW).to_dict()
    assert response.json()["intent"]["name"] == "send_reminder"


def test_http_now_defaults_to_the_app_clock_and_naive_means_india(client: TestClient) -> None:
    assert client.post("/model/parse", json={"text": "kal"}).json()["entities"][0]["value"] == "2026-12-02"
    naive = client.post("/model/parse", json={"text": "kal", "now": "2027-01-10T23:00:00"})
    assert naive.json()["entities"][0]["value"] == "2027-01-11"


@pytest.mark.parametrize("text", ["", "x" * 20_000])
def test_http_answers_any_text(client: TestClient, text: str) -> None:
    response = client.post("/model/parse", json={"text": text})
    assert response.status_code == 200
    assert response.json()["text"] == text


@pytest.mark.parametrize(
    "body",
    [{}, {"text": 5}, {"text": "hi", "role": "boss"}, {"text": "hi", "now": "tomorrow"}, {"role": "owner"}],
)
def test_http_refuses_malformed_bodies(client: TestClient, body: dict[str, object]) -> None:
    assert client.post("/model/parse", json=body).status_code == 422


def test_http_answers_text_with_lone_surrogates(client: TestClient) -> None:
    body = b'{"text": "\\ud800 kal"}'
    response = client.post("/model/parse", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 200
    assert response.json()["text"] == "\ufffd kal"
    assert response.json()["entities"][0]["start"] == 2


def test_http_refuses_a_body_that_is_not_json(client: TestClient) -> None:
    response = client.post("/model/parse", content=b"text=hi", headers={"content-type": "application/json"})
    assert response.status_code == 422


# --- CLI -----------------------------------------------------------------------------------------------


def test_cli_parse_prints_the_json(nlu: Pipeline) -> None:
    result = CliRunner().invoke(
        cli, ["nlu", "parse", "kal tak kar dunga", "--role", "customer", "--now", "2026-12-01T10:00:00"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == nlu.parse("kal tak kar dunga", role="customer", now=NOW).to_dict()


def test_cli_parse_refuses_a_bad_now() -> None:
    result = CliRunner().invoke(cli, ["nlu", "parse", "kal", "--now", "someday"])
    assert result.exit_code == 2


def test_cli_test_reports_and_writes_json(tmp_path: Path) -> None:
    labelled = tmp_path / "eval.yml"
    labelled.write_text(
        yaml.safe_dump(
            {
                "version": "3.1",
                "nlu": [
                    {
                        "intent": "ask_outstanding",
                        "metadata": {"language": "hi-Latn", "role": "owner"},
                        "examples": "- kitna baaki hai\n- [Sharma](customer) ka kitna baaki hai\n",
                    },
                    # Labelled wrong on purpose: an error the report must show.
                    {"intent": "greet", "metadata": {"language": "en"}, "examples": "- thank you\n"},
                ],
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "report.json"
    result = CliRunner().invoke(cli, ["nlu", "test", str(labelled), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "intent accuracy: 0.667" in result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["examples"] == 3
    no_entities = {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    one_found = {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1}
    assert report["per_language"] == {
        "en": {"examples": 1, "accuracy": 0.0, "language_detection_accuracy": 1.0, "entities": no_entities},
        "hi-Latn": {
            "examples": 2,
            "accuracy": 1.0,
            "language_detection_accuracy": 1.0,
            "entities": one_found,
        },
    }
    assert report["per_entity"]["customer"] == one_found
    assert report["entity_micro"] == one_found
    assert report["per_intent"]["greet"]["recall"] == 0.0
    assert report["confusions"] == [{"expected": "greet", "predicted": "thanks", "count": 1}]
    # ask_outstanding 1.0, greet 0.0 (missed), thanks 0.0 (predicted, never labelled)
    assert report["intent_macro_f1"] == pytest.approx(1 / 3, abs=1e-4)
    assert report["errors"] == [
        {
            "text": "thank you",
            "expected": "greet",
            "predicted": "thanks",
            "confidence": pytest.approx(0.9, abs=0.1),
        }
    ]


def test_cli_test_refuses_a_malformed_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("nothing here", encoding="utf-8")
    result = CliRunner().invoke(cli, ["nlu", "test", str(bad)])
    assert result.exit_code == 2
