from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, BusinessOwned


class PromiseStatus(enum.StrEnum):
    PENDING = "pending"
    KEPT = "kept"
    BROKEN = "broken"


class PromiseToPay(BusinessOwned, Base):
    __tablename__ = "promise_to_pay"

    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    # None: the promise covers everything the customer owes.
    invoice_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("invoice.id"), index=True)
    promised_date: Mapped[date] = mapped_column(index=True)
    amount_paise: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[PromiseStatus] = mapped_column(default=PromiseStatus.PENDING)
    resolved_at: Mapped[datetime | None]
