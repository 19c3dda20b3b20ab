"""UPI deep links (`upi://pay?...`) and their QR codes: the default gateway, needing only the payee's VPA.

Format per the NPCI UPI linking specification (platform-facts §5.1): a deep link only *asks* for a
payment; nothing comes back, so money is reconciled from the owner's word, a UTR or a bank statement.
"""

from __future__ import annotations

import io
from urllib.parse import quote

import qrcode  # type: ignore[import-untyped]
from qrcode.constants import ERROR_CORRECT_M  # type: ignore[import-untyped]

from bot.errors import InvalidAmount
from connectors.payments.base import GatewayLink, LinkRequest

MAX_NOTE_CHARS = 50  # some UPI apps reject a longer `tn`
QR_BOX_PIXELS = 8  # ~330 px for a typical link: sharp in a PDF at 35 mm and on a phone screen
QR_BORDER_BOXES = 4  # the quiet zone the QR standard asks for


def upi_link(*, vpa: str, payee_name: str, amount_paise: int, reference: str, note: str) -> str:
    """`upi://pay?pa=shop@okhdfcbank&pn=Shree%20Ganesh&am=22420.00&cu=INR&tr=INV-7&tn=Invoice%20INV-7`.

    The amount is written from integer paise with exactly two decimals; spaces are `%20`, never `+`
    (some apps show a literal plus); the note is cut to 50 characters.

    Raises:
        InvalidAmount: amount not positive.
    """
    if amount_paise <= 0:
        raise InvalidAmount(
            f"a payment link needs a positive amount, got {amount_paise} paise", amount=str(amount_paise)
        )
    params = (
        ("pa", quote(vpa, safe="@")),  # apps expect the VPA as written, with its @
        ("pn", _quote(payee_name)),
        ("am", f"{amount_paise // 100}.{amount_paise % 100:02d}"),
        ("cu", "INR"),
        ("tr", _quote(reference)),
        ("tn", _quote(" ".join(note.split())[:MAX_NOTE_CHARS])),
    )
    return "upi://pay?" + "&".join(f"{key}={value}" for key, value in params)


def qr_png(data: str) -> bytes:
    """A PNG QR code of `data` (a upi:// link), medium error correction so a creased print still scans."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=QR_BOX_PIXELS, border=QR_BORDER_BOXES)
    code.add_data(data)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


class UpiDeepLinkGateway:
    """The default gateway: a upi:// link to the business's own VPA, no provider account needed."""

    name = "upi"

    def create_link(self, request: LinkRequest) -> GatewayLink:
        url = upi_link(
            vpa=request.payee_vpa,
            payee_name=request.payee_name,
            amount_paise=request.amount_paise,
            reference=request.reference,
            note=request.note,
        )
        # The `tr` we put in the link is the only handle a UPI payment carries back (in statements).
        return GatewayLink(provider=self.name, pay_url=url, provider_reference=request.reference)


def _quote(value: str) -> str:
    return quote(" ".join(value.split()), safe="")
