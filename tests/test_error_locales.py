"""Every typed error can become a reply: its key has a sentence in each locale, with its placeholders."""

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


def _error_classes() -> list[type[errors.TagadaError]]:
    found = [errors.TagadaError]
    for cls in found:
        found.extend(cls.__subclasses__())
    return found


def test_every_error_has_a_sentence() -> None:
    english = _flatten(yaml.safe_load((LOCALES / "en.yml").read_text(encoding="utf-8")))
    for cls in _error_classes():
        assert cls.key in english, f"en lacks {cls.key}"


def test_raised_errors_carry_every_placeholder_their_sentence_needs() -> None:
    english = _flatten(yaml.safe_load((LOCALES / "en.yml").read_text(encoding="utf-8")))
    error = errors.DuplicateInvoiceNumber("dup", number="GC/42", financial_year="2026-27")
    assert (
        english[error.key]
        .format(**error.params)
        .startswith("Invoice GC/42 already exists in financial year 2026-27")
    )
