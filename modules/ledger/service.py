"""Balances and statements, read from invoices and confirmed payments (nothing stored twice)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.db import Database
from modules.business.repository import get_business
from modules.customers.repository import customer_names, get_customer
from modules.ledger.repository import (
    NOTHING_OPEN,
    OpenInvoiceTotals,
    billed_invoices,
    credit_notes_of_customer,
    open_invoice_totals,
    unapplied_credit,
)
from modules.payments.repository import confirmed_payments_of_customer


@dataclass(frozen=True)
class CustomerBalance:
    customer_id: uuid.UUID
    name: str
    outstanding_paise: int  # unpaid on open invoices
    overdue_paise: int  # the part of it past its due date
    credit_paise: int  # confirmed money not yet applied to any invoice
    open_invoices: int
    oldest_due_date: date | None

    @property
    def balance_paise(self) -> int:
        """What the customer owes net of their credit (negative: the business owes them)."""
        return self.outstanding_paise - self.credit_paise


@dataclass(frozen=True)
class BusinessOutstanding:
    outstanding_paise: int
    overdue_paise: int
    credit_paise: int
    customers: list[CustomerBalance]  # largest balance first; only customers with something open


@dataclass(frozen=True)
class StatementEntry:
    day: date
    kind: str  # "invoice" | "credit_note" | "payment"
    reference: str  # invoice or credit note number, or payment UTR/mode
    debit_paise: int
    credit_paise: int
    balance_paise: int


@dataclass(frozen=True)
class Statement:
    customer_id: uuid.UUID
    name: str
    entries: list[StatementEntry]

    @property
    def closing_balance_paise(self) -> int:
        return self.entries[-1].balance_paise if self.entries else 0


def customer_outstanding(
    db: Database, *, business_id: uuid.UUID, customer_id: uuid.UUID, today: date
) -> CustomerBalance:
    """Raises: UnknownCustomer (also another business's customer)."""
    with db.transaction() as session:
        customer = get_customer(session, business_id=business_id, customer_id=customer_id)
        balances = _balances(session, business_id=business_id, today=today, customer_id=customer_id)
    return balances.get(customer_id) or _balance(customer_id, customer.name, NOTHING_OPEN, 0)


def business_outstanding(db: Database, *, business_id: uuid.UUID, today: date) -> BusinessOutstanding:
    with db.transaction() as session:
        balances = sorted(
            _balances(session, business_id=business_id, today=today).values(),
            key=lambda b: (-b.balance_paise, b.name),
        )
    return BusinessOutstanding(
        outstanding_paise=sum(b.outstanding_paise for b in balances),
        overdue_paise=sum(b.overdue_paise for b in balances),
        credit_paise=sum(b.credit_paise for b in balances),
        customers=balances,
    )


def customer_statement(db: Database, *, business_id: uuid.UUID, customer_id: uuid.UUID) -> Statement:
    """Every invoice (debit), credit note and confirmed payment (credits) with the running balance, oldest
    first.

    Raises: UnknownCustomer.
    """
    with db.transaction() as session:
        tz = ZoneInfo(get_business(session, business_id).timezone)
        customer = get_customer(session, business_id=business_id, customer_id=customer_id)
        invoices = billed_invoices(session, business_id=business_id, customer_id=customer_id)
        credit_notes = credit_notes_of_customer(session, business_id=business_id, customer_id=customer_id)
        payments = confirmed_payments_of_customer(session, business_id=business_id, customer_id=customer_id)
    # On one day, invoices come before the credit notes and payments that settle them.
    movements = sorted(
        [(day, 0, "invoice", number, total, 0) for day, number, total in invoices]
        + [(day, 1, "credit_note", number, 0, total) for day, number, total in credit_notes]
        + [
            (p.received_at.astimezone(tz).date(), 2, "payment", p.utr or str(p.mode), 0, p.amount_paise)
            for p in payments
        ],
        key=lambda m: (m[0], m[1], m[3]),
    )
    entries: list[StatementEntry] = []
    balance = 0
    for day, _, kind, reference, debit, credit in movements:
        balance += debit - credit
        entries.append(StatementEntry(day, kind, reference, debit, credit, balance))
    return Statement(customer_id=customer_id, name=customer.name, entries=entries)


def _balances(
    session: Session, *, business_id: uuid.UUID, today: date, customer_id: uuid.UUID | None = None
) -> dict[uuid.UUID, CustomerBalance]:
    totals = open_invoice_totals(session, business_id=business_id, today=today, customer_id=customer_id)
    credit = unapplied_credit(session, business_id=business_id, customer_id=customer_id)
    names = customer_names(session, business_id=business_id, customer_ids=set(totals) | set(credit))
    return {
        cid: _balance(cid, name, totals.get(cid, NOTHING_OPEN), credit.get(cid, 0))
        for cid, name in names.items()
    }


def _balance(
    customer_id: uuid.UUID, name: str, totals: OpenInvoiceTotals, credit_paise: int
) -> CustomerBalance:
    return CustomerBalance(
        customer_id=customer_id,
        name=name,
        outstanding_paise=totals.outstanding_paise,
        overdue_paise=totals.overdue_paise,
        credit_paise=credit_paise,
        open_invoices=totals.open_invoices,
        oldest_due_date=totals.oldest_due_date,
    )
