from decimal import Decimal

import pytest

from bot.errors import InvalidGstin, InvalidGstRate, InvalidQuantity, InvalidStateCode
from modules.invoicing.gst import normalize_gstin, normalize_state_code, resolve_state_code
from modules.invoicing.tax import compute_line


@pytest.mark.parametrize(
    "gstin", ["27AAPFU0939F1ZV", "29AAACG0569P1Z3", "08AAAAD1307N1ZW", "27ABCDE1234F1Z0"]
)
def test_real_gstins_pass(gstin: str) -> None:
    assert normalize_gstin(gstin) == gstin


def test_gstin_is_upper_cased_and_unspaced() -> None:
    assert normalize_gstin(" 27aapfu0939f1zv ") == "27AAPFU0939F1ZV"


@pytest.mark.parametrize(
    ("gstin", "reason"),
    [
        ("27AAPFU0939F1ZW", "checksum"),
        ("27AAPFU0939F1Z", "shape"),
        ("ABCDEFGHIJKLMNO", "shape"),
        ("27AAPFU0939F0ZV", "shape"),
        ("", "shape"),
        ("98AAPFU0939F1ZV", "state_code"),
    ],
)
def test_bad_gstins_say_why(gstin: str, reason: str) -> None:
    with pytest.raises(InvalidGstin) as error:
        normalize_gstin(gstin)
    assert error.value.params["reason"] == reason
    assert error.value.key == "error.invalid_gstin"


def test_state_codes() -> None:
    assert normalize_state_code("7") == "07"
    with pytest.raises(InvalidStateCode):
        normalize_state_code("42")
    assert resolve_state_code("29AAACG0569P1Z3", None) == "29"
    assert resolve_state_code(None, None, default="27") == "27"
    with pytest.raises(InvalidStateCode):
        resolve_state_code("29AAACG0569P1Z3", "27")


def test_intra_state_splits_cgst_and_sgst() -> None:
    line = compute_line(quantity=Decimal(50), unit_price_paise=38000, gst_rate=Decimal(18), intra_state=True)
    assert (line.taxable_paise, line.cgst_paise, line.sgst_paise, line.igst_paise) == (
        1900000,
        171000,
        171000,
        0,
    )
    assert line.total_paise == 2242000


def test_inter_state_is_igst() -> None:
    line = compute_line(quantity=Decimal(50), unit_price_paise=38000, gst_rate=Decimal(18), intra_state=False)
    assert (line.cgst_paise, line.sgst_paise, line.igst_paise, line.total_paise) == (0, 0, 342000, 2242000)


def test_rounding_is_half_up_to_the_paisa_per_line() -> None:
    # 3 × ₹33.33 = ₹99.99; 9% of it is 899.91 paise → 900 each way; 18% IGST 1799.82 → 1800.
    intra = compute_line(quantity=Decimal(3), unit_price_paise=3333, gst_rate=Decimal(18), intra_state=True)
    assert (intra.taxable_paise, intra.cgst_paise, intra.sgst_paise) == (9999, 900, 900)
    inter = compute_line(quantity=Decimal(3), unit_price_paise=3333, gst_rate=Decimal(18), intra_state=False)
    assert inter.igst_paise == 1800
    # 2.5 kg × ₹0.01 → 2.5 paise taxable → 3 paise (half up).
    tiny = compute_line(quantity=Decimal("2.5"), unit_price_paise=1, gst_rate=Decimal(0), intra_state=True)
    assert tiny.taxable_paise == 3


def test_fractional_quantities_and_special_rates() -> None:
    line = compute_line(
        quantity=Decimal("1.250"), unit_price_paise=6500, gst_rate=Decimal("0.25"), intra_state=False
    )
    assert line.taxable_paise == 8125  # 1.25 × ₹65
    assert line.igst_paise == 20  # 0.25% of 8125 = 20.3125


@pytest.mark.parametrize("quantity", [Decimal(0), Decimal(-5), Decimal("NaN")])
def test_non_positive_quantity_is_refused(quantity: Decimal) -> None:
    with pytest.raises(InvalidQuantity):
        compute_line(quantity=quantity, unit_price_paise=100, gst_rate=Decimal(18), intra_state=True)


@pytest.mark.parametrize("rate", [Decimal(17), Decimal(-18), Decimal(100)])
def test_unknown_gst_rate_is_refused(rate: Decimal) -> None:
    with pytest.raises(InvalidGstRate):
        compute_line(quantity=Decimal(1), unit_price_paise=100, gst_rate=rate, intra_state=True)
