"""Signed, URL-safe tokens that name one row (a payment link, an invoice) in public URLs.

A token is base64url(id bytes ‖ HMAC-SHA256(secret, purpose ‖ id)[:12]): 38 characters, no padding. The
purpose keeps a token issued for one kind of URL from opening another; the 96-bit tag makes guessing
one hopeless. Tokens do not expire on their own: whatever they name carries its own expiry.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import uuid

TAG_BYTES = 12
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{38}$")


class BadToken(ValueError):
    """The token was not issued by us for this purpose: tampered, truncated or made up."""


def make_token(secret: str, purpose: str, row_id: uuid.UUID) -> str:
    """The public token for `row_id` under `purpose` (e.g. "pay", "invoice")."""
    return _encode(row_id.bytes + _tag(secret, purpose, row_id.bytes))


def read_token(secret: str, purpose: str, token: str) -> uuid.UUID:
    """The id a token names.

    Raises:
        BadToken: malformed, or its tag does not match (compared in constant time).
    """
    if not _TOKEN.match(token):
        raise BadToken("malformed token")
    try:
        raw = base64.urlsafe_b64decode(token + "==")
    except binascii.Error as exc:
        raise BadToken("malformed token") from exc
    # The last character carries 4 spare bits; insisting on the canonical spelling makes one id one token.
    if _encode(raw) != token:
        raise BadToken("malformed token")
    id_bytes, tag = raw[:16], raw[16:]
    if not hmac.compare_digest(tag, _tag(secret, purpose, id_bytes)):
        raise BadToken("token signature does not match")
    return uuid.UUID(bytes=id_bytes)


def _tag(secret: str, purpose: str, id_bytes: bytes) -> bytes:
    # The NUL separator keeps ("ab", x) and ("a", "b" + x) apart; purposes are plain words.
    message = purpose.encode() + b"\0" + id_bytes
    return hmac.new(secret.encode(), message, hashlib.sha256).digest()[:TAG_BYTES]


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")
