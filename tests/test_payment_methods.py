"""How a customer is asked to pay: the method they pay fastest with, UPI for small amounts and a bank
transfer above UPI's limit, with the business's account validated, offered in chat, on the payment page
and printed on the invoice."""

from __future__ import annotations

import uuid
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from bot.cli import app as cli
from bot.db import Database
from bot.errors import InvalidInput
from bot.i18n import Phrase
from modules.business.models import Business
from modules.business.service import set_bank_account
from modules.customers.models import Customer
from modules.invoicing.documents import load_invoice_document, render_invoice
from modules.payments.methods import Method, PastPayment, choose_method, offer, payment_history
from modules.payments.models import PaymentMode
from modules.payments.transfer import bank_account
from tests.chat import BUSINESS_NUMBER, OWNER, SHARMA, Person, seed
from tests.conftest import ist, make_business, make_customer, make_invoice, pay
from tests.pdfs import pdf_text

LAKH = 100_000_00
ACCOUNT = bank_account(
    holder="Shree Ganesh Cement Traders LLP", number="5020 0012 3456 78", ifsc="hdfc0000123", bank="HDFC Bank"
)


def _choose(amount_paise: int, *history: tuple[PaymentMode, int], has_account: bool = True) -> Method:
    past = [PastPayment(mode, days) for mode, days in history]
    return choose_method(amount_paise, past, has_account=has_account, bank_transfer_above_paise=LAKH)


def test_without_history_upi_is_offered_up_to_the_limit_and_a_bank_transfer_above_it() -> None:
    assert _choose(LAKH) is Method.LINK
    assert _choose(LAKH + 1) is Method.BANK_TRANSFER
    assert _choose(50 * LAKH, has_account=False) is Method.LINK  # nothing else to offer


def test_the_method_the_customer_paid_fastest_with_is_offered_first() -> None:
    neft_quick = [(PaymentMode.NEFT, 3), (PaymentMode.RTGS, 5), (PaymentMode.UPI, 20), (PaymentMode.UPI, 25)]
    assert _choose(20_000_00, *neft_quick) is Method.BANK_TRANSFER
    upi_quick = [(PaymentMode.IMPS, 30), (PaymentMode.UPI, 2)]
    assert _choose(20_000_00, *upi_quick) is Method.LINK
    # As fast either way: the way they use more.
    assert (
        _choose(20_000_00, (PaymentMode.NEFT, 4), (PaymentMode.UPI, 4), (PaymentMode.UPI, 4)) is Method.LINK
    )
    # Cash and cheques tell nothing about what to send them.
    assert _choose(20_000_00, (PaymentMode.CASH, 0), (PaymentMode.CHEQUE, 1)) is Method.LINK
    # Above UPI's limit a link fails for most payers, whatever they did before.
    assert _choose(3 * LAKH, (PaymentMode.UPI, 1)) is Method.BANK_TRANSFER


def test_history_is_days_from_the_bill_to_the_money(db: Database) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    make_invoice(db, business, customer, issue=date(2026, 11, 1))  # ₹22,420
    pay(db, customer, 22_420_00, mode=PaymentMode.NEFT, received_at=ist(2026, 11, 11))
    make_invoice(db, business, customer, issue=date(2026, 11, 20))
    pay(db, customer, 1_000_00, mode=PaymentMode.UPI, received_at=ist(2026, 11, 28), confirmed=False)
    with db.transaction() as session:
        history = payment_history(
            session, business_id=business.id, customer_id=customer.id, tz=ZoneInfo("Asia/Kolkata")
        )
    assert history == [PastPayment(PaymentMode.NEFT, 10)]  # an unconfirmed claim is no history


def test_an_account_is_checked_and_written_the_standard_way() -> None:
    assert (ACCOUNT.number, ACCOUNT.ifsc, ACCOUNT.masked_number) == (
        "50200012345678",
        "HDFC0000123",
        "XXXXXXXXXX5678",
    )
    for number, ifsc in (
        ("1234", "HDFC0000123"),
        ("50200012345678", "HDFC123"),
        ("5020001234567X", "HDFC0000123"),
    ):
        with pytest.raises(InvalidInput):
            bank_account(holder="Shree Ganesh", number=number, ifsc=ifsc)
    with pytest.raises(InvalidInput):
        bank_account(holder="  ", number="50200012345678", ifsc="HDFC0000123")


def _shop_with_account(client: TestClient, db: Database) -> None:
    seeded = seed(client)
    set_bank_account(db, business_id=uuid.UUID(seeded["business"]["id"]), account=ACCOUNT)


def test_a_large_bill_asks_for_a_bank_transfer_first_with_the_link_as_well(
    client: TestClient, db: Database
) -> None:
    _shop_with_account(client, db)
    owner = Person(client, OWNER)
    owner.says("Sharma Traders ko 500 bag cement ka bill banao 380 per bag 18% GST")
    owner.taps("affirm")
    customer = Person(client, SHARMA)
    bill = customer.received("NEFT/RTGS/IMPS")
    assert bill is not None
    for shown in ("Shree Ganesh Cement Traders LLP", "50200012345678", "HDFC0000123 (HDFC Bank)", "/pay/"):
        assert shown in bill["text"], shown
    assert bill["text"].index("50200012345678") < bill["text"].index("/pay/")


def test_a_small_bill_asks_by_upi_only(client: TestClient, db: Database) -> None:
    _shop_with_account(client, db)
    owner = Person(client, OWNER)
    owner.says("Sharma Traders ko 10 bag cement ka bill banao 380 per bag 18% GST")
    owner.taps("affirm")
    bill = Person(client, SHARMA).received("UPI se yahan payment kijiye")
    assert bill is not None and "50200012345678" not in bill["text"]


def test_a_customer_who_pays_quickest_by_neft_is_asked_for_a_transfer(
    client: TestClient, db: Database
) -> None:
    _shop_with_account(client, db)
    with db.transaction() as session:
        business = session.query(Business).filter_by(whatsapp_number=BUSINESS_NUMBER).one()
        sharma = session.query(Customer).filter_by(business_id=business.id).one()
    make_invoice(db, business, sharma, issue=date(2026, 11, 1))
    pay(db, sharma, 22_420_00, mode=PaymentMode.NEFT, received_at=ist(2026, 11, 4))
    make_invoice(db, business, sharma, issue=date(2026, 11, 5))
    pay(db, sharma, 22_420_00, mode=PaymentMode.UPI, received_at=ist(2026, 11, 28))
    owner = Person(client, OWNER)
    owner.says("Sharma Traders ko 8000 ka payment link bhejo")
    caused = owner.taps("affirm")
    (asked,) = [r for r in caused if r["to"] == SHARMA]
    assert asked["text"].startswith("Namaste")
    assert asked["text"].index("50200012345678") < asked["text"].index("/pay/")


def test_without_a_upi_id_the_bank_account_is_still_offered(client: TestClient, db: Database) -> None:
    seeded = seed(client, upi_vpa=None)
    set_bank_account(db, business_id=uuid.UUID(seeded["business"]["id"]), account=ACCOUNT)
    owner = Person(client, OWNER)
    owner.says("Sharma Traders ko 8000 ka payment link bhejo")
    caused = owner.taps("affirm")
    (asked,) = [r for r in caused if r["to"] == SHARMA]
    assert "50200012345678" in asked["text"] and "/pay/" not in asked["text"]
    assert "bank account" in owner.reply


def test_the_payment_page_shows_the_account_and_the_invoice_prints_it(
    client: TestClient, db: Database
) -> None:
    _shop_with_account(client, db)
    owner = Person(client, OWNER)
    owner.says("Sharma Traders ko 10 bag cement ka bill banao 380 per bag 18% GST")
    owner.taps("affirm")
    bill = Person(client, SHARMA).received("/pay/")
    assert bill is not None
    path = "/pay/" + bill["text"].split("/pay/")[1].split()[0]
    page = client.get(path)
    assert page.status_code == 200
    assert "50200012345678" in page.text and "HDFC0000123 (HDFC Bank)" in page.text
    with db.transaction() as session:
        business = session.query(Business).filter_by(whatsapp_number=BUSINESS_NUMBER).one()
    invoice = make_invoice(
        db, business, make_customer(db, business, name="Mehta Cement", phone="+919811100099")
    )
    document = load_invoice_document(db, business_id=business.id, invoice_id=invoice.id)
    text = pdf_text(render_invoice(document, compress=False))
    printed = "Bank transfer (NEFT/RTGS/IMPS): Shree Ganesh Cement Traders LLP · A/c 50200012345678"
    assert f"{printed} · IFSC HDFC0000123" in text


def test_the_offer_sentence_names_what_to_write_in_the_remarks() -> None:
    chosen = offer(
        Method.BANK_TRANSFER, link=None, gateway=False, account=ACCOUNT, reference="INV-2026-27-0042"
    )
    assert chosen == Phrase(
        "pay.by_bank",
        {
            "holder": "Shree Ganesh Cement Traders LLP",
            "account": "50200012345678",
            "ifsc": "HDFC0000123 (HDFC Bank)",
            "reference": "INV-2026-27-0042",
        },
    )
    assert offer(Method.LINK, link=None, gateway=False, account=None, reference="X") is None
    via_gateway = offer(Method.LINK, link="https://rzp.io/i/x", gateway=True, account=ACCOUNT, reference="X")
    assert via_gateway == Phrase("pay.by_gateway", {"link": "https://rzp.io/i/x"})


def test_the_cli_sets_and_shows_the_bank_account(cli_database: Database) -> None:
    make_business(cli_database)
    cli_database.dispose()
    runner = CliRunner()
    shown = runner.invoke(cli, ["business", "bank"])
    assert shown.exit_code == 0 and "No bank account yet" in shown.output
    given = ["--account", "5020 0012 3456 78", "--ifsc", "hdfc0000123", "--bank", "HDFC Bank, Pune"]
    changed = runner.invoke(cli, ["business", "bank", *given])
    assert changed.exit_code == 0, changed.output
    holder = "Shree Ganesh Cement Traders"
    expected = f"Bank transfers go to {holder}, A/c 50200012345678, IFSC HDFC0000123 at HDFC Bank, Pune."
    assert changed.output.strip() == expected
    refused = runner.invoke(cli, ["business", "bank", "--account", "123", "--ifsc", "HDFC0000123"])
    assert refused.exit_code == 2 and "9 to 18 digits" in refused.output
    half = runner.invoke(cli, ["business", "bank", "--account", "50200012345678"])
    assert half.exit_code == 2


def test_the_simulator_seeds_a_business_with_its_account(client: TestClient) -> None:
    account = {"holder": "Shree Ganesh", "number": "50200012345678", "ifsc": "HDFC0000123"}
    body = {
        "name": "Ganesh",
        "whatsapp_number": "+912041234567",
        "owner_phone": OWNER,
        "bank_account": account,
    }
    created = client.post("/api/simulator/businesses", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["bank_account"] == {**account, "bank": None}
    wrong = {**body, "whatsapp_number": "+912041234568", "bank_account": {**account, "ifsc": "HDFC123"}}
    assert client.post("/api/simulator/businesses", json=wrong).status_code == 422
