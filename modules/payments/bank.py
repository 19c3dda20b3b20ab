"""Bank statements: the owner's export is read, its new lines stored, and the credits reconciled against
the open invoices. Sure matches become payments (or confirm a customer's claim); the rest wait for the owner.

One import is one transaction: a statement is taken whole or not at all, and a second import of the same
statement, or of one that overlaps it, adds nothing twice (each line has a fingerprint).
"""

from __future__ import annotations

import hashlib
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.db import Database
from bot.errors import InvalidInput, UnknownPayment
from connectors.banks.statements import ColumnMapping, StatementLine, read_statement
from modules.business.repository import get_business
from modules.customers.models import CustomerPhone
from modules.customers.repository import all_customer_names
from modules.invoicing.repository import invoice_numbers, unpaid_invoices
from modules.payments.models import BankLine, BankLineStatus, Payment, PaymentMode, PaymentSource
from modules.payments.reconcile import (
    Claim,
    Credit,
    Flag,
    Match,
    OpenInvoice,
    Payer,
    payer_vpas,
    reconcile,
)
from modules.payments.service import PAYABLE_STATUSES, confirm_payment, normalize_reference, record_payment
from nlu.ids import payment_references

# A narration's words that tell how the money came.
_MODES = (
    ("UPI", PaymentMode.UPI),
    ("IMPS", PaymentMode.IMPS),
    ("NEFT", PaymentMode.NEFT),
    ("RTGS", PaymentMode.RTGS),
    ("CHQ", PaymentMode.CHEQUE),
    ("CLG", PaymentMode.CHEQUE),
    ("CASH", PaymentMode.CASH),
    # A gateway's methods, as its lines start (modules/payments/gateway.py).
    ("NETBANKING", PaymentMode.NETBANKING),
    ("CARD", PaymentMode.CARD),
    ("WALLET", PaymentMode.WALLET),
)


@dataclass(frozen=True)
class ImportedLine:
    line_id: uuid.UUID
    day: date
    amount_paise: int
    narration: str
    customer: str | None
    invoices: tuple[str, ...]  # numbers
    match: Match
    payment_id: uuid.UUID | None = None  # the payment it was recorded as, if it was


@dataclass(frozen=True)
class ImportResult:
    bank: str
    lines: int  # in the file
    new: int  # not seen before
    applied: tuple[ImportedLine, ...]
    asked: tuple[ImportedLine, ...]
    unknown: tuple[ImportedLine, ...]


def import_statement(
    db: Database,
    *,
    business_id: uuid.UUID,
    data: bytes,
    filename: str,
    mapping: ColumnMapping | None = None,
) -> ImportResult:
    """Read a statement export, store its new lines and reconcile their credits.

    Raises: InvalidInput (a file that is no statement we can read); UnknownBusiness.
    """
    statement = read_statement(data, filename, mapping=mapping)
    with db.transaction() as session:
        new = _store_new_lines(session, business_id, statement.bank, statement.account, statement.lines)
        results = reconcile_lines(db, business_id, [line for line in new if line.credit_paise > 0])
    return ImportResult(
        bank=statement.bank,
        lines=len(statement.lines),
        new=len(new),
        applied=tuple(results[BankLineStatus.APPLIED]),
        asked=tuple(results[BankLineStatus.ASKED]),
        unknown=tuple(results[BankLineStatus.UNKNOWN]),
    )


def reconcile_lines(
    db: Database, business_id: uuid.UUID, credits: Sequence[BankLine]
) -> dict[BankLineStatus, list[ImportedLine]]:
    """Match stored credit lines against the open invoices: sure ones recorded, the rest marked to check."""
    with db.transaction() as session:
        tz = ZoneInfo(get_business(session, business_id).timezone)
        names = all_customer_names(session, business_id=business_id)
        matches = reconcile(
            [_credit(line) for line in credits],
            _open_invoices(session, business_id),
            payers(session, business_id, names),
            claims=_pending_claims(session, business_id),
            used_references=_used_references(session, business_id),
        )
        by_id = {str(line.id): line for line in credits}
        numbers = invoice_numbers(
            session,
            business_id=business_id,
            invoice_ids={invoice_id for match in matches for invoice_id, _ in match.allocations},
        )
        results: dict[BankLineStatus, list[ImportedLine]] = {status: [] for status in BankLineStatus}
        for match in matches:
            line = by_id[match.credit.key]
            status = _settle(db, business_id, line, match, tz)
            results[status].append(
                ImportedLine(
                    line_id=line.id,
                    day=line.day,
                    amount_paise=line.credit_paise,
                    narration=line.narration,
                    customer=names.get(match.customer_id) if match.customer_id else None,
                    invoices=tuple(numbers[invoice_id] for invoice_id, _ in match.allocations),
                    match=match,
                    payment_id=line.payment_id,
                )
            )
    return results


def _store_new_lines(
    session: Session, business_id: uuid.UUID, bank: str, account: str | None, lines: Sequence[StatementLine]
) -> list[BankLine]:
    seen_in_file: Counter[str] = Counter()
    rows = []
    for line in lines:
        content = _content(account, line)
        # Two identical lines in one statement (two ₹500 UPIs from one payer on one day, no balance column)
        # are two payments: their place among the identical ones tells them apart, the same on every import.
        seen_in_file[content] += 1
        fingerprint = hashlib.sha256(f"{content}|{seen_in_file[content]}".encode()).hexdigest()
        rows.append((fingerprint, line))
    known = set(
        session.scalars(
            select(BankLine.fingerprint).where(
                BankLine.business_id == business_id, BankLine.fingerprint.in_([f for f, _ in rows])
            )
        )
    )
    new = [
        BankLine(
            business_id=business_id,
            bank=bank,
            account=account,
            day=line.day,
            narration=line.narration[:500],
            reference=line.reference[:64] if line.reference else None,
            credit_paise=line.credit_paise,
            debit_paise=line.debit_paise,
            balance_paise=line.balance_paise,
            fingerprint=fingerprint,
            status=BankLineStatus.UNKNOWN if line.credit_paise > 0 else BankLineStatus.DEBIT,
        )
        for fingerprint, line in rows
        if fingerprint not in known
    ]
    session.add_all(new)
    session.flush()
    return new


def _content(account: str | None, line: StatementLine) -> str:
    return "|".join(
        str(part)
        for part in (
            account or "",
            line.day.isoformat(),
            line.narration,
            line.reference or "",
            line.credit_paise,
            line.debit_paise,
            line.balance_paise if line.balance_paise is not None else "",
        )
    )


def _credit(line: BankLine) -> Credit:
    return Credit(
        key=str(line.id),
        day=line.day,
        amount_paise=line.credit_paise,
        narration=line.narration,
        reference=line.reference,
    )


def _open_invoices(session: Session, business_id: uuid.UUID) -> list[OpenInvoice]:
    return [
        OpenInvoice(u.id, u.customer_id, u.number, u.issue_date, u.due_date, u.balance_paise)
        for u in unpaid_invoices(session, business_id=business_id, statuses=PAYABLE_STATUSES)
    ]


def payers(session: Session, business_id: uuid.UUID, names: dict[uuid.UUID, str]) -> list[Payer]:
    """The business's customers as reconciliation knows payers: names, mobile numbers, and the UPI ids
    their confirmed payments came from."""
    phones: dict[uuid.UUID, list[str]] = {}
    for customer_id, phone in session.execute(
        select(CustomerPhone.customer_id, CustomerPhone.phone).where(CustomerPhone.business_id == business_id)
    ):
        phones.setdefault(customer_id, []).append(phone)
    vpas: dict[uuid.UUID, list[str]] = {}
    for customer_id, vpa in session.execute(
        select(Payment.customer_id, Payment.payer_vpa)
        .where(
            Payment.business_id == business_id,
            Payment.confirmed.is_(True),
            Payment.payer_vpa.is_not(None),
        )
        .distinct()
    ):
        vpas.setdefault(customer_id, []).append(vpa or "")
    return [
        Payer(customer_id, name, tuple(phones.get(customer_id, ())), tuple(vpas.get(customer_id, ())))
        for customer_id, name in names.items()
    ]


def _pending_claims(session: Session, business_id: uuid.UUID) -> list[Claim]:
    claims = session.scalars(
        select(Payment).where(
            Payment.business_id == business_id,
            Payment.source == PaymentSource.CUSTOMER_CLAIM,
            Payment.confirmed.is_(False),
            Payment.rejected_at.is_(None),
            Payment.utr.is_not(None),
        )
    )
    return [Claim(p.id, p.customer_id, p.utr or "", p.amount_paise) for p in claims]


def _used_references(session: Session, business_id: uuid.UUID) -> list[str]:
    return list(
        session.scalars(
            select(Payment.utr).where(
                Payment.business_id == business_id, Payment.confirmed.is_(True), Payment.utr.is_not(None)
            )
        )
    )


def _settle(
    db: Database, business_id: uuid.UUID, line: BankLine, match: Match, tz: ZoneInfo
) -> BankLineStatus:
    """Apply a sure match (inside the import's transaction), or mark the line for the owner."""
    line.reasons = ",".join([*match.reasons, *match.flags])[:200]
    line.confidence_pct = round(match.confidence * 100)
    line.customer_id = match.customer_id
    line.proposal = [str(invoice_id) for invoice_id, _ in match.allocations]
    if not match.apply or match.customer_id is None:
        line.status = BankLineStatus.ASKED if match.ask else BankLineStatus.UNKNOWN
        return line.status
    invoice_ids = [invoice_id for invoice_id, _ in match.allocations]
    if match.claim is not None:
        payment = confirm_payment(
            db,
            business_id=business_id,
            payment_id=match.claim.payment_id,
            invoice_ids=invoice_ids or None,
            payer_vpa=_payer_vpa(line),
        )
        payment.gateway_payment_id = payment.gateway_payment_id or line.gateway_payment_id
    else:
        payment = _record_line(db, business_id, line, match.customer_id, invoice_ids, tz)
    line.payment_id = payment.id
    line.status = BankLineStatus.APPLIED
    return line.status


def _record_line(
    db: Database,
    business_id: uuid.UUID,
    line: BankLine,
    customer_id: uuid.UUID,
    invoice_ids: Sequence[uuid.UUID],
    tz: ZoneInfo,
) -> Payment:
    from_gateway = line.gateway_payment_id is not None
    return record_payment(
        db,
        business_id=business_id,
        customer_id=customer_id,
        amount_paise=line.credit_paise,
        mode=_mode(line.narration),
        received_at=datetime.combine(line.day, time(12), tz),  # a statement gives the day only
        source=PaymentSource.GATEWAY if from_gateway else PaymentSource.BANK_STATEMENT,
        utr=_reference(line),
        invoice_ids=invoice_ids or None,
        note=f"{'Gateway' if from_gateway else 'Bank statement'}: {line.narration}",
        payer_vpa=_payer_vpa(line),
        gateway_payment_id=line.gateway_payment_id,
    )


def _mode(narration: str) -> PaymentMode:
    upper = narration.upper()
    return next((mode for word, mode in _MODES if word in upper), PaymentMode.OTHER)


def _reference(line: BankLine) -> str | None:
    """The UTR to keep with the payment: one in the narration, else the bank's reference column."""
    found = payment_references(line.narration)
    if found:
        return found[0]
    try:
        return normalize_reference(line.reference) if line.reference else None
    except InvalidInput:  # a cheque number, "-", a bank's own free text
        return None


def _payer_vpa(line: BankLine) -> str | None:
    found = payer_vpas(line.narration)
    return found[0] if found else None


@dataclass(frozen=True)
class ClaimCheck:
    """A customer's "I paid, UTR …" against the money already seen."""

    line: BankLine | None  # an imported credit that is surely this money: the claim needs no one's word
    flags: tuple[Flag, ...]  # what looks wrong, for the owner who is asked instead


def check_claim(
    db: Database, *, business_id: uuid.UUID, customer_id: uuid.UUID, reference: str, amount_paise: int
) -> ClaimCheck:
    """Reconcile a claim against the credits already imported but never recorded that carry its UTR: the
    engine that matches statements decides whether it is surely this customer's money."""
    squashed = normalize_reference(reference)
    with db.transaction() as session:
        used = _used_references(session, business_id)
        line = session.scalars(
            select(BankLine)
            .where(
                BankLine.business_id == business_id,
                BankLine.status.in_((BankLineStatus.UNKNOWN, BankLineStatus.ASKED)),
                or_(BankLine.narration.contains(squashed), BankLine.reference.contains(squashed)),
            )
            .order_by(BankLine.day)
            .limit(1)
        ).first()
        if line is None:
            return ClaimCheck(None, (Flag.REFERENCE_USED,) if squashed in used else ())
        (match,) = reconcile(
            [_credit(line)],
            _open_invoices(session, business_id),
            payers(session, business_id, all_customer_names(session, business_id=business_id)),
            claims=[Claim(uuid.uuid4(), customer_id, squashed, amount_paise)],
            used_references=used,
        )
    return ClaimCheck(line if match.apply else None, match.flags)


def settle_line(db: Database, *, business_id: uuid.UUID, line_id: uuid.UUID, payment: Payment) -> None:
    """The line's money is `payment`, recorded some other way (a customer's claim that it confirmed)."""
    with db.transaction() as session:
        line = session.scalars(
            select(BankLine).where(BankLine.business_id == business_id, BankLine.id == line_id)
        ).one()
        line.status = BankLineStatus.APPLIED
        line.payment_id, line.customer_id = payment.id, payment.customer_id


def apply_line(db: Database, *, business_id: uuid.UUID, line_id: uuid.UUID, tz: ZoneInfo) -> Payment:
    """The owner says a line to check is what it looked like: record it for its customer and invoices.

    Raises: UnknownPayment (no such line to check here); InvoiceNotPayable (an invoice paid meanwhile).
    """
    with db.transaction() as session:
        line = _line_to_check(session, business_id, line_id)
        assert line.customer_id is not None  # _line_to_check takes only lines with a proposal
        payment = _record_line(
            db, business_id, line, line.customer_id, [uuid.UUID(i) for i in line.proposal], tz
        )
        line.status, line.payment_id = BankLineStatus.APPLIED, payment.id
    return payment


def dismiss_line(db: Database, *, business_id: uuid.UUID, line_id: uuid.UUID) -> BankLine:
    """The owner says a line to check is not what it looked like: it stays money nobody's bill explains.

    Raises: UnknownPayment.
    """
    with db.transaction() as session:
        line = _line_to_check(session, business_id, line_id)
        line.status, line.customer_id, line.proposal = BankLineStatus.UNKNOWN, None, []
    return line


def line_to_check(db: Database, *, business_id: uuid.UUID, line_id: uuid.UUID) -> BankLine:
    """Raises: UnknownPayment (gone, another business's, or settled already)."""
    with db.transaction() as session:
        return _line_to_check(session, business_id, line_id)


def _line_to_check(session: Session, business_id: uuid.UUID, line_id: uuid.UUID) -> BankLine:
    line = session.scalars(
        select(BankLine).where(
            BankLine.business_id == business_id,
            BankLine.id == line_id,
            BankLine.status == BankLineStatus.ASKED,
            BankLine.customer_id.is_not(None),
        )
    ).one_or_none()
    if line is None:
        raise UnknownPayment(f"no bank line {line_id} to check", payment_id=str(line_id))
    return line
