"""GST identity facts: state codes and GSTIN validation (format, state code, mod-36 check character).

Sources: shared/reference/platform-facts.md §6.1–6.2 (india-compliance regexes, python-stdnum check).
"""

from __future__ import annotations

import re

from bot.errors import InvalidGstin, InvalidStateCode
from bot.gstin import gstin_check_character

STATE_NAMES: dict[str, str] = {
    "01": "Jammu and Kashmir", "02": "Himachal Pradesh", "03": "Punjab", "04": "Chandigarh",
    "05": "Uttarakhand", "06": "Haryana", "07": "Delhi", "08": "Rajasthan", "09": "Uttar Pradesh",
    "10": "Bihar", "11": "Sikkim", "12": "Arunachal Pradesh", "13": "Nagaland", "14": "Manipur",
    "15": "Mizoram", "16": "Tripura", "17": "Meghalaya", "18": "Assam", "19": "West Bengal",
    "20": "Jharkhand", "21": "Odisha", "22": "Chhattisgarh", "23": "Madhya Pradesh", "24": "Gujarat",
    "25": "Daman and Diu", "26": "Dadra and Nagar Haveli and Daman and Diu", "27": "Maharashtra",
    "28": "Andhra Pradesh (before division)", "29": "Karnataka", "30": "Goa", "31": "Lakshadweep",
    "32": "Kerala", "33": "Tamil Nadu", "34": "Puducherry", "35": "Andaman and Nicobar Islands",
    "36": "Telangana", "37": "Andhra Pradesh", "38": "Ladakh", "97": "Other Territory",
    "99": "Centre Jurisdiction",
}  # fmt: skip

# Regular, TDS, TCS and government registrations; UN-body, NRI and OIDAR ids have other layouts.
_GSTIN_SHAPES = (
    re.compile(r"^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z][Z1-9ABD-J][0-9A-Z]$"),
    re.compile(r"^[0-9]{2}[A-Z]{4}[0-9]{5}[A-Z][0-9]Z[0-9]$"),
    re.compile(r"^[0-9]{2}[A-Z]{4}[A-Z0-9][0-9]{4}[A-Z][1-9A-Z]D[0-9A-Z]$"),
    re.compile(r"^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]C[0-9A-Z]$"),
    re.compile(r"^[0-9]{4}[A-Z]{3}[0-9]{5}[UO]N[A-Z0-9]$"),
    re.compile(r"^[0-9]{4}[A-Z]{3}[0-9]{5}NR[0-9A-Z]$"),
    re.compile(r"^99[0-9]{2}[A-Z]{3}[0-9]{5}OS[0-9A-Z]$"),
)


def normalize_gstin(raw: str) -> str:
    """Upper-case, strip spaces, and check shape, state code and check character.

    Raises:
        InvalidGstin: with `reason` in its params: "shape", "state_code" or "checksum".
    """
    gstin = re.sub(r"\s+", "", raw).upper()
    if len(gstin) != 15 or not any(shape.match(gstin) for shape in _GSTIN_SHAPES):
        raise InvalidGstin(
            f"GSTIN {gstin[:20]!r} is not 15 characters of the GSTIN pattern",
            gstin=gstin[:20],
            reason="shape",
        )
    if gstin[:2] not in STATE_NAMES:
        raise InvalidGstin(
            f"GSTIN {gstin} starts with unknown state code {gstin[:2]}", gstin=gstin, reason="state_code"
        )
    if gstin_check_character(gstin[:14]) != gstin[14]:
        raise InvalidGstin(f"GSTIN {gstin} has a wrong check character", gstin=gstin, reason="checksum")
    return gstin


def state_code_of(gstin: str) -> str:
    return gstin[:2]


def normalize_state_code(raw: str) -> str:
    """`27` or `7` → the two-digit GST state code.

    Raises:
        InvalidStateCode: not a known code.
    """
    code = raw.strip().zfill(2)
    if code not in STATE_NAMES:
        raise InvalidStateCode(f"unknown GST state code {raw!r}", state_code=raw)
    return code


def resolve_state_code(gstin: str | None, given: str | None, default: str | None = None) -> str:
    """The state of a registered party is the one in its GSTIN; otherwise the one given, else `default`.

    Raises:
        InvalidStateCode: none known, unknown, or contradicting the GSTIN.
    """
    if gstin is not None:
        if given and normalize_state_code(given) != state_code_of(gstin):
            raise InvalidStateCode(f"state code {given} does not match GSTIN {gstin}", state_code=given)
        return state_code_of(gstin)
    if given:
        return normalize_state_code(given)
    if default:
        return default
    raise InvalidStateCode("a state code is needed when there is no GSTIN", state_code="")
