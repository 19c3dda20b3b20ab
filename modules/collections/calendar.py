"""Days a reminder must not go out: Sundays (if the business says so), India's national holidays, the
customer's own state's holidays, and the Diwali days, from the `holidays` library (shared/reference,
platform-facts §9). Nobody wants a payment reminder on their festival."""

from __future__ import annotations

from datetime import date
from functools import cache

import holidays

# GST state codes (modules/invoicing/gst.py) → the subdivisions `holidays.India` knows.
SUBDIVISIONS: dict[str, str] = {
    "01": "JK", "02": "HP", "03": "PB", "04": "CH", "05": "UK", "06": "HR", "07": "DL", "08": "RJ",
    "09": "UP", "10": "BR", "11": "SK", "12": "AR", "13": "NL", "14": "MN", "15": "MZ", "16": "TR",
    "17": "ML", "18": "AS", "19": "WB", "20": "JH", "21": "OD", "22": "CG", "23": "MP", "24": "GJ",
    "25": "DH", "26": "DH", "27": "MH", "29": "KA", "30": "GA", "31": "LD", "32": "KL", "33": "TN",
    "34": "PY", "35": "AN", "36": "TS", "37": "AP", "38": "LA",
}  # fmt: skip
# Optional (restricted) holidays that close markets all the same: the days around Diwali.
_FESTIVALS = ("Naraka Chaturdashi", "Govardhan Puja", "Bhai Duj")


def day_off(day: date, state_code: str, *, skip_sundays: bool) -> str | None:
    """Why no reminder goes out on `day` to a customer in `state_code`: "Sunday" or the holiday's name."""
    if skip_sundays and day.weekday() == 6:
        return "Sunday"
    return _holidays(state_code, day.year).get(day)


@cache
def _holidays(state_code: str, year: int) -> dict[date, str]:
    subdivision = SUBDIVISIONS.get(state_code)
    public = holidays.country_holidays("IN", subdiv=subdivision, years=year, islamic_show_estimated=False)
    days = {day: str(name) for day, name in public.items()}
    optional = holidays.country_holidays(
        "IN", years=year, categories=(holidays.OPTIONAL,), islamic_show_estimated=False
    )
    for day, names in optional.items():
        festivals = [name for name in str(names).split("; ") if name in _FESTIVALS]
        if festivals and day not in days:
            days[day] = "; ".join(festivals)
    return days
