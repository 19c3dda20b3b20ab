"""The GSTIN check character (Luhn mod 36), shared by invoicing (validation) and the NLU (extraction)."""

from __future__ import annotations

_CHECK_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def gstin_check_character(first14: str) -> str:
    """The 15th character of a GSTIN: Luhn mod 36 over the first 14, weights 1, 2, 1, 2, ..."""
    total = 0
    for position, char in enumerate(first14):
        product = _CHECK_ALPHABET.index(char) * (1 if position % 2 == 0 else 2)
        total += product // 36 + product % 36
    return _CHECK_ALPHABET[(36 - total % 36) % 36]


def has_valid_check_character(gstin: str) -> bool:
    """Whether 15 upper-case letters and digits end with their check character."""
    return (
        len(gstin) == 15
        and all(char in _CHECK_ALPHABET for char in gstin)
        and gstin_check_character(gstin[:14]) == gstin[14]
    )
