"""Long text cut into messages a provider accepts, at the breaks a reader expects."""

from __future__ import annotations

from collections.abc import Callable


def split_text(text: str, limit: int, *, units: Callable[[str], int] = len) -> list[str]:
    """`text` in parts of at most `limit` units, each cut at the last paragraph, line or word break in its
    second half, else where the limit falls. Empty text gives no parts.

    Args:
        units: how the provider measures text: characters (WhatsApp), or UTF-16 code units (Telegram).
    """
    parts: list[str] = []
    rest = text.strip()
    while units(rest) > limit:
        fit = _longest_prefix(rest, limit, units)
        cut = _break_before(rest, fit)
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


def utf16_units(text: str) -> int:
    """Telegram's measure: an emoji outside the Basic Multilingual Plane counts twice."""
    return len(text.encode("utf-16-le")) // 2


def _longest_prefix(text: str, limit: int, units: Callable[[str], int]) -> int:
    """How many characters of `text` fit in `limit` units (at least one, so splitting always moves on)."""
    if units is len:
        return max(limit, 1)
    used = 0
    for index, character in enumerate(text):
        used += units(character)
        if used > limit:
            return max(index, 1)
    return len(text)


def _break_before(text: str, fit: int) -> int:
    for separator in ("\n\n", "\n", " "):
        at = text.rfind(separator, fit // 2, fit)
        if at > 0:
            return at
    return fit
