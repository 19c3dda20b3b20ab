"""Phone numbers: one canonical form (E.164) for storage and lookup, masked in logs."""

from __future__ import annotations

import phonenumbers

from bot.errors import InvalidPhone

DEFAULT_REGION = "IN"
MAX_PHONE_INPUT = 32


def normalize_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """`98220 12345`, `098220 12345`, `919822012345`, `+91 98220-12345` → `+919822012345`.

    Raises:
        InvalidPhone: not a valid number for the region (or an international one with its + code).
    """
    text = raw.strip()
    if not text or len(text) > MAX_PHONE_INPUT:
        raise InvalidPhone(f"not a phone number: {raw[:MAX_PHONE_INPUT]!r}", phone=raw[:MAX_PHONE_INPUT])
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(f"not a phone number: {text!r}", phone=text) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidPhone(f"not a valid phone number: {text!r}", phone=text)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(phone: str) -> str:
    """`+919822012345` → `+91******2345`: enough to tell numbers apart in a log, not to call them."""
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
