"""The payment-gateway seam: make a link a payer can open to pay one amount to one business."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class LinkRequest:
    """What every gateway needs to ask for one payment (a hosted gateway reads the rest too)."""

    payee_vpa: str
    payee_name: str
    amount_paise: int
    reference: str  # the invoice number or our short reference: what the owner matches statements on
    note: str
    key: str = ""  # unique per link: a gateway's reference id (an invoice can have several links)
    payer_name: str = ""
    payer_phone: str | None = None
    expires_at: datetime | None = None
    # Where a hosted gateway sends the payer after paying (our page, which then says thanks).
    callback_url: str | None = None


@dataclass(frozen=True)
class GatewayLink:
    """The gateway's answer: where the payer goes, and the gateway's own id for reconciliation."""

    provider: str
    pay_url: str
    provider_reference: str | None


class PaymentGateway(Protocol):
    """One way of collecting money. Webhook verification joins this seam with the Razorpay gateway,
    the first one that can tell us a payment happened."""

    name: str

    def create_link(self, request: LinkRequest) -> GatewayLink:
        """A link for exactly `request.amount_paise`. Raises `InvalidAmount` for a non-positive amount."""
        ...
