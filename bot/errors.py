"""One hierarchy of typed errors. Each names a locale key so a later layer can turn it into a reply."""

from __future__ import annotations

from typing import Any, ClassVar


class TagadaError(Exception):
    """Base of every error Tagada raises on purpose.

    `key` is the locale key of the sentence that explains it to a person; `params` fill its placeholders.
    `transient` says whether trying again later may succeed.
    """

    key: ClassVar[str] = "error.internal"
    transient: ClassVar[bool] = False

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.params = params


class ConfigError(TagadaError):
    key = "error.config"


class InvalidInput(TagadaError):
    key = "error.invalid_input"


class InvalidPhone(InvalidInput):
    key = "error.invalid_phone"


class InvalidGstin(InvalidInput):
    key = "error.invalid_gstin"


class InvalidStateCode(InvalidInput):
    key = "error.invalid_state_code"


class InvalidQuantity(InvalidInput):
    key = "error.invalid_quantity"


class InvalidAmount(InvalidInput):
    key = "error.invalid_amount"


class InvalidGstRate(InvalidInput):
    key = "error.invalid_gst_rate"


class InvalidInvoice(InvalidInput):
    key = "error.invalid_invoice"


class NotFound(TagadaError):
    key = "error.not_found"


class UnknownBusiness(NotFound):
    key = "error.unknown_business"


class UnknownCustomer(NotFound):
    key = "error.unknown_customer"


class UnknownInvoice(NotFound):
    key = "error.unknown_invoice"


class UnknownDispute(NotFound):
    """No open dispute to settle: none at all, or the one meant was settled already."""

    key = "dispute.none_open"


class UnknownPayment(NotFound):
    key = "error.unknown_payment"


class Conflict(TagadaError):
    key = "error.conflict"


class DuplicateInvoiceNumber(Conflict):
    key = "error.duplicate_invoice_number"


class DuplicatePhone(Conflict):
    key = "error.duplicate_phone"


class InvoiceNotPayable(Conflict):
    key = "error.invoice_not_payable"


class InvoiceCancelled(Conflict):
    key = "error.invoice_cancelled"


class UpiIdMissing(Conflict):
    """The business has no UPI id, so there is nothing to put in a payment link or QR code."""

    key = "error.upi_id_missing"


class PaymentAlreadyConfirmed(Conflict):
    key = "error.payment_already_confirmed"


class ChannelError(TagadaError):
    """A provider refused a message for good (bad number, blocked, template needed).

    `code` is the provider's own error code, kept for the owner and the logs.
    """

    key = "error.channel"

    def __init__(self, message: str, *, code: str | None = None, **params: Any) -> None:
        super().__init__(message, **params)
        self.code = code


class OutsideWindow(ChannelError):
    """WhatsApp refused free-form text: the 24-hour customer-service window is closed, a template is needed
    (Cloud API 131047, Twilio 63016)."""

    key = "error.outside_window"


class ChannelUnavailable(ChannelError):
    """A provider could not take a message now (timeout, rate limit, 5xx): try again later."""

    key = "error.channel_unavailable"
    transient = True


class RateLimited(ChannelUnavailable):
    """Too many messages for the number or for one recipient (Cloud API 130429, 131056; HTTP 429)."""

    key = "error.rate_limited"


class UnverifiedRequest(TagadaError):
    """A webhook call without a valid provider signature."""

    key = "error.unverified_request"


class MissingSignature(UnverifiedRequest):
    """No signature at all (answered 401)."""

    key = "error.missing_signature"


class BadSignature(UnverifiedRequest):
    """A signature that does not match (answered 403)."""

    key = "error.bad_signature"
