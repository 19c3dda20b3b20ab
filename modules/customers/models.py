from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db import Base, BusinessOwned


class Customer(BusinessOwned, Base):
    __tablename__ = "customer"

    name: Mapped[str] = mapped_column(String(200), index=True)
    gstin: Mapped[str | None] = mapped_column(String(15))
    state_code: Mapped[str] = mapped_column(String(2))
    address: Mapped[str] = mapped_column(String(500), default="")
    language: Mapped[str] = mapped_column(String(10))
    # When the customer asked for no more proactive messages; None while they accept them.
    opted_out_at: Mapped[datetime | None]
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    credit_days: Mapped[int] = mapped_column(Integer, default=30)

    phones: Mapped[list[CustomerPhone]] = relationship(
        back_populates="customer",
        cascade="all, delete-orphan",
        order_by="CustomerPhone.position",
        lazy="selectin",
    )

    @property
    def phone(self) -> str | None:
        """The number reminders go to: the first one given."""
        return self.phones[0].phone if self.phones else None


class CustomerPhone(BusinessOwned, Base):
    # Unique per business so an inbound number resolves to exactly one customer of that business.
    __tablename__ = "customer_phone"
    __table_args__ = (UniqueConstraint("business_id", "phone"),)

    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    phone: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)

    customer: Mapped[Customer] = relationship(back_populates="phones")
