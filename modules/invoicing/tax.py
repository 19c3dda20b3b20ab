"""GST arithmetic, to the paisa: each line, then the invoice total rounded to the rupee.

Intra-state supplies carry CGST + SGST at half the rate each; inter-state supplies carry IGST at the full
rate (IGST Act ss.7-8). Each tax is rounded half up per line, so the printed lines add up; the invoice
total is then rounded to the nearest rupee with a printed "round off", as Indian invoices are (and as
CGST Act s.170 rounds sums payable).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from bot.errors import InvalidGstRate, InvalidQuantity
from bot.money import round_to_paise

# Every rate a GST invoice may carry: the 2025 slabs (0, 5, 18, 40), the older 12 and 28 still on
# earlier invoices, and the special rates (0.1, 0.25, 1, 1.5, 3, 6, 7.5) for particular goods.
GST_RATES = frozenset(
    Decimal(r) for r in ("0", "0.1", "0.25", "1", "1.5", "3", "5", "6", "7.5", "12", "18", "28", "40")
)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class LineAmounts:
    taxable_paise: int
    cgst_paise: int
    sgst_paise: int
    igst_paise: int

    @property
    def total_paise(self) -> int:
        return self.taxable_paise + self.cgst_paise + self.sgst_paise + self.igst_paise


def compute_line(
    *, quantity: Decimal, unit_price_paise: int, gst_rate: Decimal, intra_state: bool
) -> LineAmounts:
    """Taxable value and tax of one line.

    Raises:
        InvalidQuantity: quantity not positive; InvalidGstRate: not a GST rate.
    """
    if not quantity.is_finite() or quantity <= 0:
        raise InvalidQuantity(f"quantity must be positive, got {quantity}", quantity=str(quantity))
    if gst_rate not in GST_RATES:
        raise InvalidGstRate(f"{gst_rate}% is not a GST rate", rate=str(gst_rate))
    taxable = round_to_paise(quantity * unit_price_paise)
    if intra_state:
        half = round_to_paise(taxable * gst_rate / 2 / HUNDRED)
        return LineAmounts(taxable_paise=taxable, cgst_paise=half, sgst_paise=half, igst_paise=0)
    igst = round_to_paise(taxable * gst_rate / HUNDRED)
    return LineAmounts(taxable_paise=taxable, cgst_paise=0, sgst_paise=0, igst_paise=igst)


def round_off(paise: int) -> int:
    """What brings a total to the nearest rupee: -49 to +50 paise (50 paise and more round up)."""
    remainder = paise % 100
    return 100 - remainder if remainder >= 50 else -remainder
