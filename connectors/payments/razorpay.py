"""Razorpay Payment Links (platform-facts §4): a hosted page the payer opens to pay by UPI, card or net
banking, and a webhook that tells us the money came. Used when `razorpay.enabled`; UPI deep links otherwise.

The link is created with the razorpay client; the webhook is checked with its utility over the raw body
(HMAC-SHA256 with the webhook secret, not the key secret) and deduplicated by the caller on the event id.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import razorpay  # type: ignore[import-untyped]
from razorpay.errors import SignatureVerificationError  # type: ignore[import-untyped]

from bot.errors import BadSignature, MissingSignature
from bot.settings import RazorpaySettings
from connectors.payments.base import GatewayLink, LinkRequest

log = logging.getLogger(__name__)
SIGNATURE_HEADER = "x-razorpay-signature"
EVENT_ID_HEADER = "x-razorpay-event-id"
# Events that mean money came through one of our links.
PAID_EVENTS = frozenset({"payment_link.paid", "payment_link.partially_paid"})
_REFERENCE_ID_CHARS = 40
_NOTE_CHARS = 256


@dataclass(frozen=True)
class GatewayPayment:
    """Money a gateway says it collected through one of our links."""

    link_reference: str  # the gateway's link id (plink_...): PaymentLink.provider_reference
    payment_id: str  # the gateway's payment id (pay_...)
    amount_paise: int
    method: str  # upi, card, netbanking, wallet...
    bank_reference: str | None  # the UPI RRN or bank transaction id, when the gateway gives one
    paid_at: datetime


class RazorpayGateway:
    name = "razorpay"

    def __init__(self, settings: RazorpaySettings) -> None:
        auth = (settings.key_id, settings.key_secret.get_secret_value())
        self._client = razorpay.Client(auth=auth, base_url=settings.api_url.rstrip("/"))
        self._webhook_secret = settings.webhook_secret.get_secret_value()

    def create_link(self, request: LinkRequest) -> GatewayLink:
        """A Payment Link for exactly the amount; Razorpay sends nothing itself (we send it on WhatsApp).

        Raises: razorpay.errors.BadRequestError, ServerError, GatewayError, requests exceptions.
        """
        customer: dict[str, str] = {"name": request.payer_name[:100]} if request.payer_name else {}
        if request.payer_phone:
            customer["contact"] = request.payer_phone
        body: dict[str, Any] = {
            "amount": request.amount_paise,
            "currency": "INR",
            "accept_partial": False,
            "reference_id": (request.key or request.reference)[:_REFERENCE_ID_CHARS],
            "description": request.note[:2048],
            "notify": {"sms": False, "email": False},
            "reminder_enable": False,
            "notes": {"reference": request.reference[:_NOTE_CHARS]},
        }
        if customer:
            body["customer"] = customer
        if request.expires_at is not None:
            body["expire_by"] = int(request.expires_at.timestamp())
        created = self._client.payment_link.create(body)
        log.info("razorpay payment link %s created for %s paise", created.get("id"), request.amount_paise)
        return GatewayLink(provider=self.name, pay_url=created["short_url"], provider_reference=created["id"])

    def verify(self, body: bytes, signature: str | None) -> None:
        """Raises: MissingSignature; BadSignature (wrong, or a body that is not UTF-8 text)."""
        if not signature:
            raise MissingSignature("razorpay webhook without X-Razorpay-Signature")
        try:
            self._client.utility.verify_webhook_signature(
                body.decode("utf-8"), signature, self._webhook_secret
            )
        except (SignatureVerificationError, UnicodeDecodeError) as error:
            raise BadSignature("razorpay webhook signature does not match") from error

    @staticmethod
    def payment_of(body: bytes) -> GatewayPayment | None:
        """The payment a webhook reports, or None for an event that is not money through a link.

        Raises: ValueError (not a Razorpay event, or a paid event without its link and payment).
        """
        event = json.loads(body)
        if not isinstance(event, dict) or "event" not in event:
            raise ValueError("not a Razorpay webhook event")
        if event["event"] not in PAID_EVENTS:
            return None
        payload = event.get("payload") or {}
        link = ((payload.get("payment_link") or {}).get("entity")) or {}
        payment = ((payload.get("payment") or {}).get("entity")) or {}
        if not link.get("id") or not payment.get("id") or not isinstance(payment.get("amount"), int):
            raise ValueError(f"{event['event']} without its payment link and payment")
        acquirer = payment.get("acquirer_data") or {}
        bank_reference = acquirer.get("rrn") or acquirer.get("bank_transaction_id") or None
        return GatewayPayment(
            link_reference=str(link["id"]),
            payment_id=str(payment["id"]),
            amount_paise=payment["amount"],
            method=str(payment.get("method") or ""),
            bank_reference=str(bank_reference) if bank_reference else None,
            paid_at=datetime.fromtimestamp(
                int(payment.get("created_at") or event.get("created_at") or 0), UTC
            ),
        )
