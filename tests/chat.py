"""Conversations as readable scripts over the simulator API: `owner.says(...)`, `customer.received(...)`."""

from __future__ import annotations

import itertools
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient

from bot.db import Database
from modules.business.models import Business
from modules.customers.models import Customer

BUSINESS_NUMBER = "+912041234567"
OWNER = "+919822012345"
SHARMA = "+919811122233"
_ids = itertools.count(1)


@dataclass
class Person:
    """Someone chatting with the business through the simulator channel."""

    client: TestClient
    phone: str
    to: str = BUSINESS_NUMBER
    replies: list[dict[str, Any]] = field(default_factory=list)  # to this person, from their last message
    seen: int = 0  # outbox messages already looked at by `received`

    def says(
        self, text: str, *, button: str | None = None, message_id: str | None = None
    ) -> list[dict[str, Any]]:
        """Send a message; returns every message it caused (to anyone). Fails on any non-200."""
        self.seen = len(self.inbox())
        body: dict[str, Any] = {
            "from": self.phone,
            "to": self.to,
            "text": text,
            "id": message_id or f"test-{next(_ids)}",
        }
        if button is not None:
            body["button"] = button
        response = self.client.post("/api/simulator/messages", json=body)
        assert response.status_code == 200, response.text
        caused: list[dict[str, Any]] = response.json()["replies"]
        self.replies = [r for r in caused if r["to"] == self.phone]
        return caused

    def taps(self, button_id: str) -> list[dict[str, Any]]:
        """Tap a quick reply on the latest message that offers it."""
        for message in reversed(self.inbox()):
            for button in message["buttons"]:
                if button["id"] == button_id or button["id"].startswith(f"{button_id}:"):
                    return self.says(button["title"], button=button["id"])
        raise AssertionError(f"no button {button_id!r} in {self.phone}'s messages")

    @property
    def reply(self) -> str:
        """All text sent back to this person by their last message."""
        return "\n".join(r["text"] for r in self.replies)

    def inbox(self) -> list[dict[str, Any]]:
        response = self.client.get("/api/simulator/outbox", params={"to": self.phone})
        assert response.status_code == 200, response.text
        messages: list[dict[str, Any]] = response.json()["messages"]
        return messages

    def received(self, *fragments: str) -> dict[str, Any] | None:
        """The newest message since this person last spoke that holds every fragment (case-insensitive)."""
        for message in reversed(self.inbox()[self.seen :]):
            if all(re.search(re.escape(f), str(message["text"]), re.IGNORECASE) for f in fragments):
                found: dict[str, Any] = message
                return found
        return None

    def got(self, *fragments: str) -> bool:
        return self.received(*fragments) is not None


def seed(
    client: TestClient, *, upi_vpa: str | None = "ganeshcement@okhdfcbank", language: str = "hi-Latn"
) -> dict[str, Any]:
    """The spec's business and Sharma Traders, both writing in `language` (Hinglish by default)."""
    business = client.post(
        "/api/simulator/businesses",
        json={
            "name": "Shree Ganesh Cement Traders",
            "whatsapp_number": BUSINESS_NUMBER,
            "owner_phone": OWNER,
            "gstin": "27AAPFS1234C1ZD",
            "state_code": "27",
            "upi_vpa": upi_vpa,
            "language": language,
        },
    )
    assert business.status_code == 201, business.text
    customer = client.post(
        f"/api/simulator/businesses/{business.json()['id']}/customers",
        json={"name": "Sharma Traders", "phone": SHARMA, "gstin": "27ABCDE1234F1Z0", "language": language},
    )
    assert customer.status_code == 201, customer.text
    return {"business": business.json(), "customer": customer.json()}


def seeded_shop(client: TestClient, db: Database) -> tuple[Business, Customer]:
    """`seed`'s business and Sharma Traders, as rows (for helpers that write to the ledger directly)."""
    seeded = seed(client)
    with db.transaction() as session:
        business = session.get_one(Business, uuid.UUID(seeded["business"]["id"]))
        return business, session.get_one(Customer, uuid.UUID(seeded["customer"]["id"]))


def post_message(client: TestClient, sender: str, text: str, message_id: str) -> list[dict[str, Any]]:
    """One message to the business through the simulator API, as raw JSON; its replies."""
    response = client.post(
        "/api/simulator/messages",
        json={"from": sender, "to": BUSINESS_NUMBER, "text": text, "id": message_id},
    )
    assert response.status_code == 200, response.text
    replies: list[dict[str, Any]] = response.json()["replies"]
    return replies


def texts_to(replies: list[dict[str, Any]], phone: str) -> str:
    """The texts of the replies that went to `phone`, one per line."""
    return "\n".join(str(reply["text"]) for reply in replies if reply["to"] == phone)
