"""`tagada chat`: a terminal REPL over the same gateway as WhatsApp, through the simulator channel."""

from __future__ import annotations

import uuid

import typer

from bot.assistant import build_gateway
from bot.clock import SystemClock
from bot.db import Database
from bot.errors import UnknownBusiness
from bot.gateway import SentReply
from bot.phone import normalize_phone
from bot.settings import Settings
from connectors.channels.base import InboundMessage
from connectors.channels.simulator import SimulatorChannel
from modules.business.repository import find_business_by_number, list_businesses, owner_phones
from modules.customers.repository import list_customers

QUIT = frozenset({"/quit", "/exit"})


def run_chat(settings: Settings, db: Database, *, who: str, business_number: str | None) -> None:
    """Read lines, send each as a message from `who`, print every message it causes. Ctrl-D ends.

    Raises:
        UnknownBusiness: no such business (or none yet: run `tagada demo`); InvalidPhone.
    """
    business_id, shop_number, shop_name = _business(db, business_number)
    sender = _sender(db, business_id, who)
    names = _names(db, business_id)
    channel = SimulatorChannel()
    gateway = build_gateway(settings, db, SystemClock(settings.tz), channels={channel.name: channel})
    typer.echo(f"Chatting with {shop_name} as {names.get(sender, sender)}. Type /quit or Ctrl-D to leave.")
    buttons: list[dict[str, str]] = []
    while True:
        try:
            line = input(f"{names.get(sender, sender)}> ")
        except (EOFError, KeyboardInterrupt):
            typer.echo("")
            return
        if line.strip() in QUIT:
            return
        tapped = _tapped(line, buttons)
        inbound = InboundMessage(
            channel=channel.name,
            provider_message_id=f"cli-{uuid.uuid4().hex}",
            sender=sender,
            recipient=shop_number,
            text=tapped["title"] if tapped else line,
            received_at=gateway.clock.now(),
            button_id=tapped["id"] if tapped else None,
        )
        replies = gateway.receive(inbound)
        for reply in replies:
            _print(reply, sender, names)
        buttons = [b for r in replies if r.to == sender for b in r.buttons]


def _tapped(line: str, buttons: list[dict[str, str]]) -> dict[str, str] | None:
    """A number typed after a question with buttons taps that button."""
    choice = line.strip()
    if choice.isdigit() and 1 <= int(choice) <= len(buttons):
        return buttons[int(choice) - 1]
    return None


def _print(reply: SentReply, sender: str, names: dict[str, str]) -> None:
    prefix = "" if reply.to == sender else f"→ {names.get(reply.to, reply.to)}: "
    typer.echo(typer.style(prefix, fg="cyan") + reply.text)
    for item in reply.media:
        typer.echo(f"   📎 {item['filename']}: {item['url']}")
    if reply.to == sender:
        for n, button in enumerate(reply.buttons, start=1):
            typer.echo(typer.style(f"   [{n}] {button['title']}", fg="green"))


def _business(db: Database, number: str | None) -> tuple[uuid.UUID, str, str]:
    with db.transaction() as session:
        if number is not None:
            business = find_business_by_number(session, normalize_phone(number))
        else:
            business = next(iter(list_businesses(session)), None)
        if business is None:
            raise UnknownBusiness("no such business; `tagada demo` creates the demo one")
        return business.id, business.whatsapp_number, business.display_name


def _sender(db: Database, business_id: uuid.UUID, who: str) -> str:
    if who.strip().lower() != "owner":
        return normalize_phone(who)
    with db.transaction() as session:
        phones = owner_phones(session, business_id=business_id)
    if not phones:
        raise UnknownBusiness("the business has no owner number")
    return phones[0]


def _names(db: Database, business_id: uuid.UUID) -> dict[str, str]:
    """Who each number is, to label messages: the owner, or the customer's name."""
    with db.transaction() as session:
        names = {phone: "owner" for phone in owner_phones(session, business_id=business_id)}
        for customer in list_customers(session, business_id=business_id):
            names.update({number.phone: customer.name for number in customer.phones})
    return names
