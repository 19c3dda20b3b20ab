"""Razorpay Payment Links (platform-facts §4): a hosted page the payer opens to pay by UPI, card or net
banking, and a webhook that tells us the money came. Used when `razorpay.enabled`; UPI deep links otherwise.

The link is created with the razorpay client; the webhook is checked with its utility over the raw body
(HMAC-SHA256 with the webhook secret, not the key secret) and deduplicated by the caller on the event id.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
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
LINK_PAID_EVENTS = frozenset({"payment_link.paid", "payment_link.partially_paid"})
# Money captured by any Razorpay page or QR, ours or not (for a link's payment it comes as well as the
# link's event, in either order: the payment id tells it is the same money).
CAPTURED_EVENT = "payment.captured"
_REFERENCE_ID_CHARS = 40
_NOTE_CHARS = 256


@dataclass(frozen=True)
class GatewayPayment:
    """Money a gateway says it collected."""

    link_reference: str | None  # the gateway's link id (plink_...): PaymentLink.provider_reference
    payment_id: str  # the gateway's payment id (pay_...)
    amount_paise: int
    method: str  # upi, card, netbanking, wallet...
    bank_reference: str | None  # the UPI RRN or bank transaction id, when the gateway gives one
    paid_at: datetime
    # Who paid, as far as the gateway knows: what reconciliation matches a payment outside our links on.
    payer_vpa: str | None = None
    payer_phone: str | None = None
    payer_email: str | None = None
    description: str = ""  # the payment's description and notes, where a payer may name a bill


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
        if request.callback_url:
            body["callback_url"], body["callback_method"] = request.callback_url, "get"
        created = self._client.payment_link.create(body)
        log.info("razorpay payment link %s created for %s paise", created.get("id"), request.amount_paise)
        return GatewayLink(provider=self.name, pay_url=created["short_url"], provider_reference=created["id"])

    def cancel_link(self, provider_reference: str) -> None:
        """Close a link that must no longer take money (its invoice was cancelled).

        Raises: razorpay.errors.BadRequestError (already paid, expired or cancelled), ServerError,
        GatewayError, requests exceptions.
        """
        self._client.payment_link.cancel(provider_reference)
        log.info("razorpay payment link %s cancelled", provider_reference)

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

    def paid_on_return(self, query: Mapping[str, str]) -> bool:
        """Whether the payer came back from Razorpay's page having paid: the redirect's query carries the
        link's id, reference id, status and payment id, signed with the API key secret (platform-facts
        §4.1). Only the page's wording depends on it; the webhook records the money."""
        parameters = {
            "payment_link_id": query.get("razorpay_payment_link_id", ""),
            "payment_link_reference_id": query.get("razorpay_payment_link_reference_id", ""),
            "payment_link_status": query.get("razorpay_payment_link_status", ""),
            "razorpay_payment_id": query.get("razorpay_payment_id", ""),
            "razorpay_signature": query.get("razorpay_signature", ""),
        }
        try:
            self._client.utility.verify_payment_link_signature(parameters)
        except SignatureVerificationError:
            return False
        return parameters["payment_link_status"] == "paid"

    @staticmethod
    def payment_of(body: bytes) -> GatewayPayment | None:
        """The payment a webhook reports, or None for an event that is not money received.

        Raises: ValueError (not a Razorpay event, or a paid event without its payment, or link).
        """
        event = json.loads(body)
        if not isinstance(event, dict) or "event" not in event:
            raise ValueError("not a Razorpay webhook event")
        name = event["event"]
        if name not in LINK_PAID_EVENTS and name != CAPTURED_EVENT:
            return None
        payload = event.get("payload") or {}
        payment = ((payload.get("payment") or {}).get("entity")) or {}
        if not payment.get("id") or not isinstance(payment.get("amount"), int):
            raise ValueError(f"{name} without its payment")
        link_reference = None
        if name in LINK_PAID_EVENTS:
            link = ((payload.get("payment_link") or {}).get("entity")) or {}
            if not link.get("id"):
                raise ValueError(f"{name} without its payment link")
            link_reference = str(link["id"])
        acquirer = payment.get("acquirer_data") or {}
        bank_reference = acquirer.get("rrn") or acquirer.get("bank_transaction_id") or None
        upi = payment.get("upi") or {}
        notes = payment.get("notes") or {}
        noted = notes.values() if isinstance(notes, dict) else ()  # empty notes come as []
        said = [str(payment.get("description") or ""), *(str(value) for value in noted)]
        return GatewayPayment(
            link_reference=link_reference,
            payment_id=str(payment["id"]),
            amount_paise=payment["amount"],
            method=str(payment.get("method") or ""),
            bank_reference=str(bank_reference) if bank_reference else None,
            paid_at=datetime.fromtimestamp(
                int(payment.get("created_at") or event.get("created_at") or 0), UTC
            ),
            payer_vpa=str(payment.get("vpa") or upi.get("vpa") or "") or None,
            payer_phone=str(payment.get("contact") or "") or None,
            payer_email=str(payment.get("email") or "") or None,
            description=" ".join(part for part in said if part)[:300],
        )
