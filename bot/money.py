"""Money is integer paise everywhere; these are the only conversions to and from rupees."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from bot.errors import InvalidAmount

PAISE_PER_RUPEE = 100


def rupees_to_paise(rupees: Decimal | int | str) -> int:
    """`"22420"` → 2242000, `"12.5"` → 1250.

    Raises:
        InvalidAmount: not a number, or finer than a paisa.
    """
    try:
        value = Decimal(str(rupees).replace(",", "").strip()) * PAISE_PER_RUPEE
    except InvalidOperation as exc:
        raise InvalidAmount(f"not an amount: {rupees!r}", amount=str(rupees)) from exc
    if not value.is_finite() or value != value.to_integral_value():
        raise InvalidAmount(f"not an amount in whole paise: {rupees!r}", amount=str(rupees))
    return int(value)


def round_to_paise(paise: Decimal) -> int:
    """Round a computed paise value half up, as Indian tax invoices round tax per line."""
    return int(paise.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def paise_to_rupees(paise: int) -> Decimal:
    return (Decimal(paise) / PAISE_PER_RUPEE).quantize(Decimal("0.01"))
