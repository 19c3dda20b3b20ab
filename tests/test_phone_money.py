from decimal import Decimal

import pytest

from bot.errors import InvalidAmount, InvalidPhone
from bot.money import paise_to_rupees, rupees_to_paise
from bot.phone import mask_phone, normalize_phone


@pytest.mark.parametrize(
    "raw", ["9822012345", "09822012345", "919822012345", "+91 98220-12345", " +919822012345"]
)
def test_indian_mobiles_normalize_to_e164(raw: str) -> None:
    assert normalize_phone(raw) == "+919822012345"


def test_landline_and_foreign_numbers() -> None:
    assert normalize_phone("+912041234567") == "+912041234567"
    assert normalize_phone("+14155550100") == "+14155550100"


@pytest.mark.parametrize("raw", ["12345", "", "call me", "9" * 40, "+91 00000 00000"])
def test_non_numbers_are_refused(raw: str) -> None:
    with pytest.raises(InvalidPhone):
        normalize_phone(raw)


def test_masking_keeps_only_the_ends() -> None:
    assert mask_phone("+919822012345") == "+91******2345"


def test_rupees_and_paise() -> None:
    assert rupees_to_paise("22,420") == 2242000
    assert rupees_to_paise(Decimal("12.5")) == 1250
    assert paise_to_rupees(2242001) == Decimal("22420.01")
    for bad in ("12.345", "abc", "NaN"):
        with pytest.raises(InvalidAmount):
            rupees_to_paise(bad)
