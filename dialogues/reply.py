"""What a handler returns: a locale key and its values for someone, never a finished sentence."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from connectors.channels.base import Media


class To(enum.StrEnum):
    SENDER = "sender"
    OWNER = "owner"  # every owner number of the business
    CUSTOMER = "customer"  # the customer named by `customer_id`


class Kind(enum.StrEnum):
    """What a message is for. Outside WhatsApp's 24-hour window only an approved template may go, one per
    kind (config.yml `whatsapp.templates`); a reply to someone who just wrote is always inside it."""

    REPLY = "reply"
    INVOICE = "invoice"  # an invoice or a request to pay one
    REMINDER = "reminder"
    RECEIPT = "receipt"  # a payment received
    BRIEFING = "briefing"  # the owner's daily briefing
    ALERT = "alert"  # news for the owner: a claim to confirm, a dispute, undelivered messages
    NOTICE = "notice"  # anything else sent to a customer unasked


@dataclass(frozen=True)
class Choice:
    """A button: `id` comes back when tapped; its title is the locale sentence `key`."""

    id: str
    key: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Reply:
    key: str
    params: Mapping[str, object] = field(default_factory=dict)
    to: To = To.SENDER
    customer_id: uuid.UUID | None = None
    media: tuple[Media, ...] = ()
    buttons: tuple[Choice, ...] = ()
    kind: Kind | None = None  # None: a reply to the sender, an alert to the owner, a notice to a customer
    about: uuid.UUID | None = None  # the record the message is about (an invoice), for what-works reports
    not_before: datetime | None = None  # held in the outbox until then (a customer's quiet hours)

    @property
    def message_kind(self) -> Kind:
        if self.kind is not None:
            return self.kind
        return {To.SENDER: Kind.REPLY, To.OWNER: Kind.ALERT, To.CUSTOMER: Kind.NOTICE}[self.to]

    def __post_init__(self) -> None:
        if (self.to is To.CUSTOMER) != (self.customer_id is not None):
            raise ValueError("a reply to a customer names the customer, and only then")


YES = Choice("affirm", "button.yes")
NO = Choice("deny", "button.no")
CANCEL = Choice("cancel", "button.cancel")
# A reminder's answers, each the intent it stands for (dialogues/manager.py).
PAY_NOW = Choice("pay_now", "button.pay_now")
ALREADY_PAID = Choice("already_paid", "button.already_paid")
NEED_TIME = Choice("need_time", "button.need_time")
# Buttons that say what an intent says: a tap is that intent, whatever its title reads.
BUTTON_INTENTS = {
    YES.id: "affirm",
    NO.id: "deny",
    CANCEL.id: "cancel",
    PAY_NOW.id: "payment_link",
    ALREADY_PAID.id: "claim_paid",
    NEED_TIME.id: "request_extension",
}
