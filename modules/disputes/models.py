from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, BusinessOwned


class DisputeStatus(enum.StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    REJECTED = "rejected"


class Dispute(BusinessOwned, Base):
    __tablename__ = "dispute"

    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    invoice_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("invoice.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)  # the customer's own words
    status: Mapped[DisputeStatus] = mapped_column(default=DisputeStatus.OPEN)
    resolution: Mapped[str] = mapped_column(String(1000), default="")
    resolved_at: Mapped[datetime | None]
