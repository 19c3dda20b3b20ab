"""Chats that carry no phone number (Telegram) linked to the phone their person shared: who wrote, and where
to write to them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import ChannelAddress


def is_phone(address: str) -> bool:
    return address.startswith("+")


def phone_for(session: Session, *, channel: str, address: str) -> str | None:
    return session.scalars(
        select(ChannelAddress.phone).where(
            ChannelAddress.channel == channel, ChannelAddress.address == address
        )
    ).one_or_none()


def address_for(session: Session, *, channel: str, phone: str) -> str | None:
    """The chat to write to a phone on a channel: the one linked last, if they linked several."""
    return session.scalars(
        select(ChannelAddress.address)
        .where(ChannelAddress.channel == channel, ChannelAddress.phone == phone)
        .order_by(ChannelAddress.created_at.desc())
        .limit(1)
    ).one_or_none()


def link_address(session: Session, *, channel: str, address: str, phone: str) -> None:
    """Remember that `address` belongs to `phone` (the channel vouched the number is the person's own)."""
    row = session.scalars(
        select(ChannelAddress).where(ChannelAddress.channel == channel, ChannelAddress.address == address)
    ).one_or_none()
    if row is None:
        session.add(ChannelAddress(channel=channel, address=address, phone=phone))
    else:
        row.phone = phone
