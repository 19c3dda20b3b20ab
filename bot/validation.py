"""Checks on free-text input shared by every module: names, language codes, timezones."""

from __future__ import annotations

from bot.clock import is_timezone
from bot.errors import InvalidInput
from bot.settings import ALL_LANGUAGES


def require_name(raw: str, what: str, max_length: int = 200) -> str:
    """A person's or firm's name: trimmed, single-spaced, not empty, not absurdly long.

    Raises:
        InvalidInput.
    """
    name = " ".join(raw.split())
    if not name or len(name) > max_length:
        raise InvalidInput(f"{what} must be 1-{max_length} characters", field=what)
    return name


def require_language(language: str) -> str:
    """Raises: InvalidInput when not one of the supported language codes."""
    if language not in ALL_LANGUAGES:
        raise InvalidInput(f"unsupported language {language!r}", field="language")
    return language


def require_timezone(name: str) -> str:
    """Raises: InvalidInput when not an IANA timezone name."""
    if not is_timezone(name):
        raise InvalidInput(f"unknown timezone {name!r}", field="timezone")
    return name
