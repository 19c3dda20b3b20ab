from __future__ import annotations

import enum

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, BusinessOwned, Entity


class Role(enum.StrEnum):
    OWNER = "owner"
    STAFF = "staff"


class Business(Entity, Base):
    __tablename__ = "business"

    display_name: Mapped[str] = mapped_column(String(120))
    legal_name: Mapped[str] = mapped_column(String(200))
    gstin: Mapped[str | None] = mapped_column(String(15))
    state_code: Mapped[str] = mapped_column(String(2))
    address: Mapped[str] = mapped_column(String(500), default="")
    upi_vpa: Mapped[str | None] = mapped_column(String(100))
    # Where a bank transfer (NEFT/RTGS/IMPS) goes: offered for amounts above UPI's limit, or to customers
    # who pay that way (modules/payments/methods.py), and printed on invoices.
    bank_account_name: Mapped[str | None] = mapped_column(String(120))
    bank_account_number: Mapped[str | None] = mapped_column(String(18))
    bank_ifsc: Mapped[str | None] = mapped_column(String(11))
    bank_name: Mapped[str | None] = mapped_column(String(80))
    # The number customers write to; the gateway finds the business by it.
    whatsapp_number: Mapped[str] = mapped_column(String(20), unique=True)
    default_language: Mapped[str] = mapped_column(String(10))
    timezone: Mapped[str] = mapped_column(String(50))
    invoice_prefix: Mapped[str] = mapped_column(String(6))
    # The form of invoice numbers (modules/invoicing/numbering.py): "{prefix}-{fy}-{n:04}" → INV-2026-27-0001.
    invoice_series: Mapped[str] = mapped_column(String(40), default="{prefix}-{fy}-{n:04}")
    # The hour of the owner's morning briefing, in the business's timezone.
    briefing_hour: Mapped[int] = mapped_column(default=9, server_default="9")


class Staff(BusinessOwned, Base):
    """A number allowed to give owner commands for the business."""

    __tablename__ = "staff"
    __table_args__ = (UniqueConstraint("business_id", "phone"),)

    phone: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[Role]
