"""Conversation state kept per business × person × channel, forgotten after a spell of silence."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from dialogues.models import Conversation
from dialogues.turn import DialogueState


def load_conversation(
    session: Session, *, business_id: uuid.UUID, phone: str, channel: str, role: str, now: datetime
) -> Conversation:
    """The person's conversation, created on first contact. After a long silence a half-filled form is
    dropped; their language and the questions put to them by others are kept."""
    # Locked: two messages from one person at once must not both start from the same state.
    conversation = session.scalars(
        select(Conversation).where(*_of(business_id, phone, channel)).with_for_update()
    ).one_or_none()
    if conversation is None:
        conversation = Conversation(
            business_id=business_id,
            phone=phone,
            channel=channel,
            role=role,
            language=None,
            active_form=None,
            state={},
            last_message_at=now,
            expires_at=now,
        )
        session.add(conversation)
    elif conversation.expires_at <= now:
        conversation.active_form = None
        conversation.state = DialogueState.from_json(conversation.state).after_silence().to_json()
    conversation.role = role
    return conversation


def save_conversation(
    conversation: Conversation,
    state: DialogueState,
    *,
    language: str | None,
    now: datetime,
    timeout: timedelta,
) -> None:
    conversation.state = state.to_json()
    conversation.active_form = state.form
    conversation.language = language
    conversation.last_message_at = now
    conversation.expires_at = now + timeout


def ask_to_confirm(
    session: Session,
    *,
    business_id: uuid.UUID,
    phone: str,
    channel: str,
    form: str,
    slots: dict[str, Any],
    now: datetime,
    timeout: timedelta,
) -> None:
    """Put a yes/no question to someone other than the sender (the owner, about a customer's claim), so
    their next "haan" answers it; if they are in the middle of something, it waits its turn."""
    conversation = load_conversation(
        session, business_id=business_id, phone=phone, channel=channel, role="owner", now=now
    )
    state = DialogueState.from_json(conversation.state)
    state.ask(form, slots)
    save_conversation(conversation, state, language=conversation.language, now=now, timeout=timeout)


def conversation_language(
    session: Session, *, business_id: uuid.UUID, phone: str, channel: str
) -> str | None:
    return session.scalars(
        select(Conversation.language).where(*_of(business_id, phone, channel))
    ).one_or_none()


def last_language(session: Session, *, business_id: uuid.UUID, phone: str) -> str | None:
    """The language a person was last answered in by the business, on any channel."""
    return session.scalars(
        select(Conversation.language)
        .where(Conversation.business_id == business_id, Conversation.phone == phone)
        .order_by(Conversation.last_message_at.desc())
        .limit(1)
    ).first()


def preferred_channel(session: Session, *, business_id: uuid.UUID, phone: str, fallback: str) -> str:
    """The channel a person last wrote to the business on (where a message to them is expected), else
    `fallback` (the channel of the message being handled)."""
    latest = session.scalars(
        select(Conversation.channel)
        .where(Conversation.business_id == business_id, Conversation.phone == phone)
        .order_by(Conversation.last_message_at.desc())
        .limit(1)
    ).one_or_none()
    return latest or fallback


def _of(business_id: uuid.UUID, phone: str, channel: str) -> tuple[ColumnElement[bool], ...]:
    """The one conversation of a person with a business on a channel."""
    return (
        Conversation.business_id == business_id,
        Conversation.phone == phone,
        Conversation.channel == channel,
    )


def offer_more(
    session: Session,
    *,
    business_id: uuid.UUID,
    phone: str,
    channel: str,
    action: str,
    now: datetime,
    timeout: timedelta,
) -> None:
    """A message sent them unasked (the morning briefing) offers a "what else?" button: their typed "aur?"
    taps it too, while the conversation lasts."""
    conversation = load_conversation(
        session, business_id=business_id, phone=phone, channel=channel, role="owner", now=now
    )
    state = DialogueState.from_json(conversation.state)
    state.more = action
    save_conversation(conversation, state, language=conversation.language, now=now, timeout=timeout)
