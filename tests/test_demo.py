from collections import Counter
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from bot.db import Database
from bot.demo import DEMO_OWNER_PHONE, DEMO_WHATSAPP_NUMBER, seed_demo
from bot.migrate import upgrade
from modules.business.models import Role
from modules.business.repository import find_business_by_number, staff_role
from modules.collections.models import PromiseToPay
from modules.customers.models import Customer
from modules.disputes.models import Dispute
from modules.invoicing.gst import normalize_gstin
from modules.invoicing.models import Invoice, InvoiceStatus
from modules.ledger.service import business_outstanding

TODAY = date(2026, 11, 28)


def _fingerprint(database: Database) -> list[tuple[str, str, int, str]]:
    with database.transaction() as session:
        rows = session.execute(
            select(Invoice.number, Customer.name, Invoice.total_paise, Invoice.status)
            .join(Customer, Customer.id == Invoice.customer_id)
            .order_by(Invoice.number)
        )
        return [(n, c, t, str(s)) for n, c, t, s in rows]


def test_demo_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    prints = []
    for name in ("a", "b"):
        database = Database(f"sqlite:///{tmp_path / name}.db")
        upgrade(database)
        assert seed_demo(database, today=TODAY, seed=7) is not None
        prints.append(_fingerprint(database))
        database.dispose()
    assert prints[0] == prints[1]
    other = Database(f"sqlite:///{tmp_path / 'c'}.db")
    upgrade(other)
    seed_demo(other, today=TODAY, seed=8)
    assert _fingerprint(other) != prints[0]
    other.dispose()


def test_demo_business_is_a_realistic_pune_trader(db: Database) -> None:
    summary = seed_demo(db, today=TODAY)
    assert summary is not None
    assert seed_demo(db, today=TODAY) is None  # a second run adds nothing
    with db.transaction() as session:
        business = find_business_by_number(session, DEMO_WHATSAPP_NUMBER)
        assert business is not None and business.state_code == "27" and business.gstin
        assert staff_role(session, business_id=business.id, phone=DEMO_OWNER_PHONE) is Role.OWNER
        customers = session.scalars(select(Customer)).all()
        invoices = session.scalars(select(Invoice)).all()
        promises = session.scalar(select(func.count(PromiseToPay.id)))
        disputes = session.scalar(select(func.count(Dispute.id)))

    assert 25 <= len(customers) <= 35
    assert {c.state_code for c in customers} == {"27", "24", "29"}
    registered = [c for c in customers if c.gstin]
    assert 0 < len(registered) < len(customers)
    assert all(normalize_gstin(c.gstin) == c.gstin for c in registered if c.gstin)
    assert 180 <= len(invoices) <= 220
    assert min(i.issue_date for i in invoices) >= date(2026, 5, 28)

    # Real GST maths: intra-state invoices carry CGST+SGST, the others IGST.
    for invoice in invoices:
        intra = invoice.place_of_supply == "27"
        assert (invoice.igst_paise == 0) == intra
        taxes = invoice.cgst_paise + invoice.sgst_paise + invoice.igst_paise
        assert invoice.total_paise == invoice.taxable_paise + taxes + invoice.round_off_paise
        assert invoice.total_paise % 100 == 0 and -49 <= invoice.round_off_paise <= 50

    statuses = Counter(i.status for i in invoices)
    for status in (
        InvoiceStatus.PAID,
        InvoiceStatus.PARTIALLY_PAID,
        InvoiceStatus.SENT,
        InvoiceStatus.DISPUTED,
    ):
        assert statuses[status] > 0, status
    assert promises and disputes

    buckets: Counter[str] = Counter()
    for invoice in invoices:
        if invoice.status in (InvoiceStatus.SENT, InvoiceStatus.PARTIALLY_PAID) and invoice.due_date < TODAY:
            days = (TODAY - invoice.due_date).days
            buckets[
                "0-30" if days <= 30 else "31-60" if days <= 60 else "61-90" if days <= 90 else "90+"
            ] += 1
    assert set(buckets) == {"0-30", "31-60", "61-90", "90+"}, buckets

    outstanding = business_outstanding(db, business_id=business.id, today=TODAY)
    assert outstanding.outstanding_paise > outstanding.overdue_paise > 0
