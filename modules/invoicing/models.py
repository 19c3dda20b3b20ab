from __future__ import annotations

import enum
import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db import Base, BusinessOwned


class InvoiceStatus(enum.StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    DISPUTED = "disputed"
    CANCELLED = "cancelled"


# Invoices that money is still expected on (or may be, once a dispute is settled).
OPEN_STATUSES = (InvoiceStatus.SENT, InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.DISPUTED)


class Invoice(BusinessOwned, Base):
    __tablename__ = "invoice"
    __table_args__ = (UniqueConstraint("business_id", "financial_year", "number"),)

    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    number: Mapped[str] = mapped_column(String(16))
    financial_year: Mapped[str] = mapped_column(String(7))  # "2026-27"
    issue_date: Mapped[date]
    due_date: Mapped[date] = mapped_column(index=True)
    place_of_supply: Mapped[str] = mapped_column(String(2))  # state code
    status: Mapped[InvoiceStatus] = mapped_column(default=InvoiceStatus.DRAFT, index=True)
    taxable_paise: Mapped[int] = mapped_column(BigInteger)
    cgst_paise: Mapped[int] = mapped_column(BigInteger)
    sgst_paise: Mapped[int] = mapped_column(BigInteger)
    igst_paise: Mapped[int] = mapped_column(BigInteger)
    # total = taxable + taxes + round_off: the lines' sum brought to the nearest rupee.
    round_off_paise: Mapped[int] = mapped_column(BigInteger, default=0)
    total_paise: Mapped[int] = mapped_column(BigInteger)
    notes: Mapped[str] = mapped_column(String(500), default="")

    lines: Mapped[list[InvoiceLine]] = relationship(
        back_populates="invoice",
        cascade="all, delete-orphan",
        order_by="InvoiceLine.position",
        lazy="selectin",
    )


class InvoiceLine(BusinessOwned, Base):
    __tablename__ = "invoice_line"

    invoice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoice.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(300))
    hsn_sac: Mapped[str | None] = mapped_column(String(8))
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    unit: Mapped[str] = mapped_column(String(20))
    unit_price_paise: Mapped[int] = mapped_column(BigInteger)
    gst_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2))  # percent: 18.00
    taxable_paise: Mapped[int] = mapped_column(BigInteger)
    cgst_paise: Mapped[int] = mapped_column(BigInteger)
    sgst_paise: Mapped[int] = mapped_column(BigInteger)
    igst_paise: Mapped[int] = mapped_column(BigInteger)
    total_paise: Mapped[int] = mapped_column(BigInteger)

    invoice: Mapped[Invoice] = relationship(back_populates="lines")


class CreditNote(BusinessOwned, Base):
    """A GST credit note (CGST Act s.34, Rule 53): an issued invoice can't be deleted, so cancelling one
    issues this for its full value, in a series of its own. The lines are the invoice's, reversed."""

    __tablename__ = "credit_note"
    __table_args__ = (UniqueConstraint("business_id", "financial_year", "number"),)

    invoice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoice.id"), index=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    number: Mapped[str] = mapped_column(String(16))
    financial_year: Mapped[str] = mapped_column(String(7))
    issue_date: Mapped[date]
    reason: Mapped[str] = mapped_column(String(200), default="")
    taxable_paise: Mapped[int] = mapped_column(BigInteger)
    cgst_paise: Mapped[int] = mapped_column(BigInteger)
    sgst_paise: Mapped[int] = mapped_column(BigInteger)
    igst_paise: Mapped[int] = mapped_column(BigInteger)
    round_off_paise: Mapped[int] = mapped_column(BigInteger)
    total_paise: Mapped[int] = mapped_column(BigInteger)

    invoice: Mapped[Invoice] = relationship(lazy="joined")


class Document(enum.StrEnum):
    """The documents numbered in series of their own."""

    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


class InvoiceCounter(BusinessOwned, Base):
    """The last number issued in a business's series of one document for one financial year; locked while
    numbering."""

    __tablename__ = "invoice_counter"
    __table_args__ = (UniqueConstraint("business_id", "document", "financial_year"),)

    document: Mapped[Document] = mapped_column(default=Document.INVOICE)
    financial_year: Mapped[str] = mapped_column(String(7))
    last_sequence: Mapped[int] = mapped_column(Integer, default=0)
