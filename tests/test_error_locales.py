"""Every typed error can become a reply: its key has a sentence in each locale, with its placeholders."""

import string
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import errors

LOCALES = Path(__file__).resolve().parent.parent / "locales"


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _placeholders(sentence: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(sentence) if name}


def _error_classes() -> list[type[errors.TagadaError]]:
    found = [errors.TagadaError]
    for cls in found:
        found.extend(cls.__subclasses__())
    return found


@pytest.mark.parametrize("locale", ["en", "hi", "hi-Latn"])
def test_every_error_key_has_a_sentence(locale: str) -> None:
    sentences = _flatten(yaml.safe_load((LOCALES / f"{locale}.yml").read_text(encoding="utf-8")))
    english = _flatten(yaml.safe_load((LOCALES / "en.yml").read_text(encoding="utf-8")))
    for cls in _error_classes():
        assert cls.key in sentences, f"{locale} lacks {cls.key}"
    assert sentences.keys() == english.keys()
    for key, sentence in sentences.items():
        assert _placeholders(sentence) == _placeholders(english[key]), key


def test_raised_errors_carry_every_placeholder_their_sentence_needs() -> None:
    english = _flatten(yaml.safe_load((LOCALES / "en.yml").read_text(encoding="utf-8")))
    error = errors.DuplicateInvoiceNumber("dup", number="GC/42", financial_year="2026-27")
    assert (
        english[error.key]
        .format(**error.params)
        .startswith("Invoice GC/42 already exists in financial year 2026-27")
    )
