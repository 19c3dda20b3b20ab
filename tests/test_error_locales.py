"""Every typed error can become a reply: its key has a sentence, with the placeholders its params fill."""

from bot import errors
from bot.i18n import Locales


def _error_classes() -> list[type[errors.TagadaError]]:
    found = [errors.TagadaError]
    for cls in found:
        found.extend(cls.__subclasses__())
    return found


def test_every_error_has_a_sentence() -> None:
    english = Locales().sentences("en")
    for cls in _error_classes():
        assert cls.key in english, f"en lacks {cls.key}"


def test_raised_errors_carry_every_placeholder_their_sentence_needs() -> None:
    error = errors.DuplicateInvoiceNumber("dup", number="GC/42", financial_year="2026-27")
    rendered = Locales().render(error.key, "en", error.params)
    assert rendered.startswith("Invoice GC/42 already exists in financial year 2026-27")
