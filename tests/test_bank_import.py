"""Importing a bank statement: new lines stored once, sure credits recorded as payments against the right
invoices (or confirming a customer's claim), the rest left for the owner."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

from bot.cli import app as cli
from bot.db import Database
from modules.invoicing.models import Invoice, InvoiceStatus
from modules.ledger.service import customer_outstanding
from modules.payments.bank import import_statement
from modules.payments.models import BankLine, Payment, PaymentMode, PaymentSource
from tests.banks import hdfc
from tests.conftest import ist, make_business, make_customer, make_invoice, pay


def test_sure_credits_become_payments_on_the_invoices_they_name(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    gupta = make_customer(db, business, name="Gupta Hardware", phone="+919811100011", gstin=None)
    bill = make_invoice(db, business, sharma, issue=date(2026, 11, 1))  # ₹22,420
    guptas = make_invoice(db, business, gupta, issue=date(2026, 11, 2), quantity=10)  # ₹4,484
    statement = hdfc(
        (
            "25/11/26",
            f"NEFT-HDFCN52026112812345-SHARMA TRADERS-{bill.number}",
            "HDFCN52026112812345",
            "",
            "22,420.00",
        ),
        (
            "26/11/26",
            "UPI-GUPTA HARDWA-gupta@ybl-SBIN0004567-431987654321-PAYMENT",
            "0000431987654321",
            "",
            "4,484.00",
        ),
        ("27/11/26", "POS 416021XXXXXX1234 RELIANCE SMART", "0000430812345678", "3,250.00", ""),
        ("27/11/26", "CASH DEPOSIT BY SELF", "", "", "1,234.00"),
    )
    result = import_statement(db, business_id=business.id, data=statement, filename="Acct_Statement.csv")
    assert (result.bank, result.lines, result.new) == ("hdfc", 4, 4)
    assert [(line.customer, line.invoices) for line in result.applied] == [
        ("Sharma Traders", (bill.number,)),
        ("Gupta Hardware", (guptas.number,)),
    ]
    assert [line.narration for line in result.unknown] == ["CASH DEPOSIT BY SELF"]
    with db.transaction() as session:
        payments = session.scalars(select(Payment).order_by(Payment.received_at)).all()
        assert [(p.amount_paise, p.mode, p.source, p.utr) for p in payments] == [
            (22_420_00, PaymentMode.NEFT, PaymentSource.BANK_STATEMENT, "HDFCN52026112812345"),
            (4_484_00, PaymentMode.UPI, PaymentSource.BANK_STATEMENT, "431987654321"),
        ]
        assert {i.status for i in session.scalars(select(Invoice))} == {InvoiceStatus.PAID}
        statuses = sorted(str(line.status) for line in session.scalars(select(BankLine)))
        assert statuses == ["applied", "applied", "debit", "unknown"]


def test_the_same_statement_imported_again_adds_nothing(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    make_invoice(db, business, sharma, issue=date(2026, 11, 1))
    same_payment_twice = ("26/11/26", "UPI-SHARMA TRADERS-sharma@okicici-PAYMENT", "", "", "500.00")
    statement = hdfc(same_payment_twice, same_payment_twice)  # two equal payments on one day are two
    first = import_statement(db, business_id=business.id, data=statement, filename="statement.csv")
    again = import_statement(db, business_id=business.id, data=statement, filename="statement (1).csv")
    assert (first.new, again.new) == (2, 0)
    assert again.applied == again.asked == again.unknown == ()
    with db.transaction() as session:
        assert session.scalar(select(func.count(BankLine.id))) == 2
        assert session.scalar(select(func.sum(Payment.amount_paise))) == 1_000_00


def test_a_customers_claimed_reference_is_confirmed_by_the_statement(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    bill = make_invoice(db, business, sharma, issue=date(2026, 11, 1))
    claim = pay(
        db, sharma, bill.total_paise, confirmed=False, source=PaymentSource.CUSTOMER_CLAIM, utr="412345678901"
    )
    statement = hdfc(("26/11/26", "UPI-S K SHARMA-skshar@okaxis-412345678901-UPI", "", "", "22,420.00"))
    result = import_statement(db, business_id=business.id, data=statement, filename="hdfc.csv")
    assert len(result.applied) == 1
    with db.transaction() as session:
        (payment,) = session.scalars(select(Payment)).all()  # the claim itself, now confirmed
        assert payment.id == claim.id and payment.confirmed
    balance = customer_outstanding(
        db, business_id=business.id, customer_id=sharma.id, today=date(2026, 12, 1)
    )
    assert balance.outstanding_paise == 0


def test_money_whose_reference_was_already_recorded_is_held_for_the_owner(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    make_invoice(db, business, sharma, issue=date(2026, 11, 1))
    make_invoice(db, business, sharma, issue=date(2026, 11, 2))
    pay(db, sharma, 22_420_00, received_at=ist(2026, 11, 20), utr="412345678901")
    statement = hdfc(("26/11/26", "UPI-SHARMA TRADERS-412345678901-UPI", "", "", "22,420.00"))
    result = import_statement(db, business_id=business.id, data=statement, filename="hdfc.csv")
    (held,) = result.asked
    assert "reference_used" in held.match.flags
    with db.transaction() as session:
        assert session.scalar(select(func.count(Payment.id))) == 1  # not recorded a second time


def test_the_cli_imports_and_lists_what_it_did(tmp_path: Path, cli_database: Database) -> None:
    business = make_business(cli_database)
    sharma = make_customer(cli_database, business)
    bill = make_invoice(cli_database, business, sharma, issue=date(2026, 11, 1))
    cli_database.dispose()
    runner = CliRunner()
    file = tmp_path / "statement.csv"
    file.write_bytes(hdfc(("26/11/26", f"NEFT-SHARMA TRADERS-{bill.number}", "N1", "", "22,420.00")))
    result = runner.invoke(cli, ["bank", "import", str(file)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("HDFC statement: 1 lines, 1 new. Recorded 1 payment(s)")
    assert bill.number in result.output and "Sharma Traders" in result.output
    again = runner.invoke(cli, ["bank", "import", str(file)])
    assert "0 new. Recorded 0 payment(s)" in again.output
    garbage = tmp_path / "notes.csv"
    garbage.write_text("hello,world\n1,2\n")
    refused = runner.invoke(cli, ["bank", "import", str(garbage)])
    assert refused.exit_code == 2 and refused.output.strip()


def test_the_cli_reads_another_banks_layout_by_its_header_names(cli_database: Database) -> None:
    make_business(cli_database)
    cli_database.dispose()
    runner = CliRunner()
    file = Path(__file__).parent / "fixtures" / "bank" / "generic_cooperative.csv"
    columns = (
        "date=Posting Date,narration=Particulars,reference=UTR / Chq No,amount=Txn Amount,indicator=Type,"
        "balance=Running Balance"
    )
    result = runner.invoke(cli, ["bank", "import", str(file), "--columns", columns])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("GENERIC statement:")
    assert "UPI-CR-412345678901-SHARMA TRADERS" in result.output  # a line read through the mapping
    unknown_layout = runner.invoke(cli, ["bank", "import", str(file)])
    assert unknown_layout.exit_code == 2
    for bad in ("date", "date=Posting Date,colour=Blue"):
        assert runner.invoke(cli, ["bank", "import", str(file), "--columns", bad]).exit_code == 2


def test_the_upi_id_a_customer_paid_from_names_them_on_the_next_statement(db: Database) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    first = make_invoice(db, business, sharma, issue=date(2026, 11, 1))
    second = make_invoice(db, business, sharma, issue=date(2026, 11, 2), quantity=10)  # ₹4,484
    by_name = hdfc(("25/11/26", f"UPI-SHARMA TRADERS-rk.family@okaxis-{first.number}", "", "", "22,420.00"))
    import_statement(db, business_id=business.id, data=by_name, filename="november.csv")
    with db.transaction() as session:
        assert session.scalars(select(Payment.payer_vpa)).one() == "rk.family@okaxis"
    # The same UPI id under the account holder's own name, which is not the customer's: still Sharma.
    by_vpa = hdfc(("27/11/26", "UPI-RAKESH K-rk.family@okaxis-412345678999-PAY", "", "", "4,484.00"))
    result = import_statement(db, business_id=business.id, data=by_vpa, filename="later.csv")
    (applied,) = result.applied
    assert (applied.customer, applied.invoices) == ("Sharma Traders", (second.number,))
