from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, BusinessOwned


class Conversation(BusinessOwned, Base):
    """Where one person stands with one business on one channel."""

    __tablename__ = "conversation"
    __table_args__ = (UniqueConstraint("business_id", "phone", "channel"),)

    phone: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(10))  # owner | staff | customer | unknown
    language: Mapped[str | None] = mapped_column(String(10))
    active_form: Mapped[str | None] = mapped_column(String(50))
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    last_message_at: Mapped[datetime]
    expires_at: Mapped[datetime]
