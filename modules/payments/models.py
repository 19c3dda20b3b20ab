from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db import Base, BusinessOwned, Entity


class PaymentMode(enum.StrEnum):
    UPI = "upi"
    NEFT = "neft"
    RTGS = "rtgs"
    IMPS = "imps"
    CASH = "cash"
    CHEQUE = "cheque"
    CARD = "card"
    NETBANKING = "netbanking"
    WALLET = "wallet"
    OTHER = "other"


class PaymentSource(enum.StrEnum):
    """Who told us about the money: decides whether it needs the owner's confirmation."""

    OWNER = "owner"
    CUSTOMER_CLAIM = "customer_claim"
    GATEWAY = "gateway"
    BANK_STATEMENT = "bank_statement"


class PaymentLinkStatus(enum.StrEnum):
    ACTIVE = "active"
    PAID = "paid"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class Payment(BusinessOwned, Base):
    __tablename__ = "payment"
    __table_args__ = (UniqueConstraint("business_id", "gateway_payment_id"),)

    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    amount_paise: Mapped[int] = mapped_column(BigInteger)
    mode: Mapped[PaymentMode]
    utr: Mapped[str | None] = mapped_column(String(40), index=True)
    received_at: Mapped[datetime]
    # Only confirmed payments are allocated to invoices and count in balances.
    confirmed: Mapped[bool] = mapped_column(default=False)
    source: Mapped[PaymentSource]
    # A customer's claim the owner said they never received: kept for the record, never applied.
    rejected_at: Mapped[datetime | None]
    # The invoice the payer meant (paid through its link, or named): applied there first on confirmation.
    for_invoice_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("invoice.id"))
    note: Mapped[str] = mapped_column(String(500), default="")
    # The UPI id the money came from (a bank narration's, a gateway's): tells this customer's next payment.
    payer_vpa: Mapped[str | None] = mapped_column(String(100), index=True)
    # The gateway's own payment id (pay_...): one payment, however many of its events arrive.
    gateway_payment_id: Mapped[str | None] = mapped_column(String(64))

    allocations: Mapped[list[PaymentAllocation]] = relationship(
        back_populates="payment", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def allocated_paise(self) -> int:
        return sum(a.amount_paise for a in self.allocations)


class PaymentAllocation(BusinessOwned, Base):
    __tablename__ = "payment_allocation"
    __table_args__ = (UniqueConstraint("payment_id", "invoice_id"),)

    payment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payment.id", ondelete="CASCADE"), index=True)
    invoice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoice.id"), index=True)
    amount_paise: Mapped[int] = mapped_column(BigInteger)

    payment: Mapped[Payment] = relationship(back_populates="allocations")


class PaymentLink(BusinessOwned, Base):
    __tablename__ = "payment_link"

    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    invoice_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("invoice.id"), index=True)
    amount_paise: Mapped[int] = mapped_column(BigInteger)
    provider: Mapped[str] = mapped_column(String(20))  # "upi", "razorpay"
    provider_reference: Mapped[str | None] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(String(1000))
    status: Mapped[PaymentLinkStatus] = mapped_column(default=PaymentLinkStatus.ACTIVE)
    expires_at: Mapped[datetime | None]


class BankLineStatus(enum.StrEnum):
    APPLIED = "applied"  # recorded as a payment (or it confirmed a customer's claim)
    ASKED = "asked"  # the owner is asked whose it is
    UNKNOWN = "unknown"  # money no open invoice explains
    DEBIT = "debit"  # money out: kept with the statement, never matched


class BankLine(BusinessOwned, Base):
    """One line of an imported bank statement, or money a gateway collected that no link of ours explains
    (reconciled the same way). `fingerprint` makes a second import of the same statement (or of one that
    overlaps it) add nothing twice."""

    __tablename__ = "bank_line"
    __table_args__ = (UniqueConstraint("business_id", "fingerprint"),)

    bank: Mapped[str] = mapped_column(String(20))
    account: Mapped[str | None] = mapped_column(String(40))
    day: Mapped[date] = mapped_column(index=True)
    narration: Mapped[str] = mapped_column(String(500))
    reference: Mapped[str | None] = mapped_column(String(64))
    credit_paise: Mapped[int] = mapped_column(BigInteger)
    debit_paise: Mapped[int] = mapped_column(BigInteger)
    balance_paise: Mapped[int | None] = mapped_column(BigInteger)
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[BankLineStatus] = mapped_column(index=True)
    # Why it matched as it did: reasons and flags from the reconciliation, and its confidence in percent.
    reasons: Mapped[str] = mapped_column(String(200), default="")
    confidence_pct: Mapped[int] = mapped_column(default=0)
    customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customer.id"))
    # The invoices it would pay if the owner says it is `customer_id`'s (ids as text), for a line to check.
    proposal: Mapped[list[str]] = mapped_column(JSON, default=list)
    payment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("payment.id"))
    # Set for money a gateway collected other than through our links (bank = the gateway): its payment id.
    gateway_payment_id: Mapped[str | None] = mapped_column(String(64))


class GatewayEvent(Entity, Base):
    """A gateway webhook event handled once: a redelivery (same event id) is acknowledged and ignored."""

    __tablename__ = "gateway_event"
    __table_args__ = (UniqueConstraint("provider", "event_id"),)

    provider: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[str] = mapped_column(String(64))
    # The payment it recorded, if any (an event about an unknown link records nothing).
    payment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("payment.id"))
