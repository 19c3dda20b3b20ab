"""UPI identities. Payment links and QR codes come with the payments issue."""

from __future__ import annotations

import re

from bot.errors import InvalidInput

# handle@psp: NPCI allows letters, digits, dot, hyphen and underscore before the @.
_VPA = re.compile(r"^[a-z0-9._-]{2,256}@[a-z][a-z0-9]{1,63}$")


def normalize_vpa(raw: str) -> str:
    """`GaneshCement@OKHDFCBank ` → `ganeshcement@okhdfcbank`.

    Raises:
        InvalidInput: not of the form handle@psp.
    """
    vpa = raw.strip().lower()
    if not _VPA.match(vpa):
        raise InvalidInput(f"not a UPI id: {raw[:60]!r}", field="upi_vpa")
    return vpa
