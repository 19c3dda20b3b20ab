"""What a handler returns: a locale key and its values for someone, never a finished sentence."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from connectors.channels.base import Media


class To(enum.StrEnum):
    SENDER = "sender"
    OWNER = "owner"  # every owner number of the business
    CUSTOMER = "customer"  # the customer named by `customer_id`


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

    def __post_init__(self) -> None:
        if (self.to is To.CUSTOMER) != (self.customer_id is not None):
            raise ValueError("a reply to a customer names the customer, and only then")


YES = Choice("affirm", "button.yes")
NO = Choice("deny", "button.no")
CANCEL = Choice("cancel", "button.cancel")
