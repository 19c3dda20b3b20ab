"""Payment links: UPI deep-link format, signed tokens, tenancy, and the public page with its QR code."""

from __future__ import annotations

import struct
import uuid
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot.clock import FrozenClock
from bot.db import Database
from bot.errors import InvalidAmount, InvoiceNotPayable, UnknownCustomer, UnknownInvoice, UpiIdMissing
from bot.tokens import BadToken, make_token, read_token
from connectors.payments.base import LinkRequest
from connectors.payments.upi import UpiDeepLinkGateway, qr_png, upi_link
from modules.invoicing.models import Invoice, InvoiceStatus
from modules.invoicing.service import cancel_invoice
from modules.payments.links import (
    LINK_VALIDITY,
    PaymentLinkView,
    create_payment_link,
    get_payment_link_view,
)
from modules.payments.models import PaymentLink, PaymentLinkStatus
from tests.conftest import SECRET, make_business, make_customer, make_invoice, pay

PUBLIC_URL = "https://tagada.example/"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


# --- UPI deep links -------------------------------------------------------------------------------


def test_upi_link_is_exactly_the_spec_format() -> None:
    link = upi_link(
        vpa="ganeshcement@okhdfcbank",
        payee_name="Shree Ganesh Cement Traders",
        amount_paise=2_242_000,
        reference="INV/2026-27/0001",
        note="Invoice INV/2026-27/0001",
    )
    assert link == (
        "upi://pay?pa=ganeshcement@okhdfcbank&pn=Shree%20Ganesh%20Cement%20Traders&am=22420.00&cu=INR"
        "&tr=INV%2F2026-27%2F0001&tn=Invoice%20INV%2F2026-27%2F0001"
    )


@pytest.mark.parametrize(
    ("paise", "amount"),
    [(1, "0.01"), (99, "0.99"), (100, "1.00"), (2_242_050, "22420.50"), (10**11 + 7, "1000000000.07")],
)
def test_upi_amount_has_two_decimals_from_integer_paise(paise: int, amount: str) -> None:
    link = upi_link(vpa="a@upi", payee_name="A", amount_paise=paise, reference="R1", note="n")
    assert f"&am={amount}&" in link


@pytest.mark.parametrize("paise", [0, -100])
def test_upi_link_refuses_a_non_positive_amount(paise: int) -> None:
    with pytest.raises(InvalidAmount):
        upi_link(vpa="a@upi", payee_name="A", amount_paise=paise, reference="R1", note="n")


def test_upi_link_encodes_every_value_and_cuts_the_note() -> None:
    link = upi_link(
        vpa="a.b-c@upi",
        payee_name="Shah & Sons  #1 = best?",
        amount_paise=500,
        reference="R 1&x",
        note="word " * 20,
    )
    query = link.removeprefix("upi://pay?")
    assert "+" not in link and " " not in link
    assert query.split("&")[1] == "pn=Shah%20%26%20Sons%20%231%20%3D%20best%3F"
    assert query.split("&")[4] == "tr=R%201%26x"
    note = query.split("&")[5].removeprefix("tn=")
    assert note == "%20".join(["word"] * 10)  # 50 characters: "word word ... word" cut at 50
    assert query.count("&") == 5  # six parameters, nothing leaked out of its value


def test_gateway_link_carries_the_reference_for_reconciliation() -> None:
    created = UpiDeepLinkGateway().create_link(
        LinkRequest(
            payee_vpa="a@upi", payee_name="A", amount_paise=100, reference="INV-9", note="Invoice INV-9"
        )
    )
    assert created.provider == "upi"
    assert created.provider_reference == "INV-9"
    assert created.pay_url.startswith("upi://pay?pa=a@upi&")


def test_qr_png_is_a_png_of_sensible_size() -> None:
    png = qr_png("upi://pay?pa=a@upi&pn=A&am=1.00&cu=INR&tr=R1&tn=n")
    assert png.startswith(PNG_MAGIC)
    width, height = struct.unpack(">II", png[16:24])  # IHDR comes first
    assert width == height and 200 <= width <= 600
    assert len(png) < 10_000


# --- tokens -----------------------------------------------------------------------------------------


def test_token_round_trips_and_is_short_and_url_safe() -> None:
    row_id = uuid.uuid4()
    token = make_token(SECRET, "pay", row_id)
    assert len(token) == 38
    assert token.replace("-", "").replace("_", "").isalnum()
    assert read_token(SECRET, "pay", token) == row_id


def _flip(token: str, position: int) -> str:
    replacement = "A" if token[position] != "A" else "B"
    return token[:position] + replacement + token[position + 1 :]


@pytest.mark.parametrize("position", [0, 10, 21, 30, 36])
def test_tampered_token_is_refused(position: int) -> None:
    token = make_token(SECRET, "pay", uuid.uuid4())
    with pytest.raises(BadToken):
        read_token(SECRET, "pay", _flip(token, position))


def test_token_is_bound_to_its_secret_and_purpose() -> None:
    token = make_token(SECRET, "pay", uuid.uuid4())
    with pytest.raises(BadToken):
        read_token("another-secret", "pay", token)
    with pytest.raises(BadToken):
        read_token(SECRET, "invoice", token)


@pytest.mark.parametrize("token", ["", "short", "x" * 38, "a" * 37 + "=", "a" * 39, "é" * 38])
def test_malformed_token_is_refused(token: str) -> None:
    with pytest.raises(BadToken):
        read_token(SECRET, "pay", token)


def test_only_the_canonical_spelling_of_a_token_is_accepted() -> None:
    token = make_token(SECRET, "pay", uuid.uuid4())
    # The last character holds 4 spare bits: a sibling spelling decodes to the same bytes.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    index = alphabet.index(token[-1])
    sibling = token[:-1] + alphabet[index ^ 1]
    with pytest.raises(BadToken):
        read_token(SECRET, "pay", sibling)


# --- creating links -----------------------------------------------------------------------------------


def _link(
    db: Database, invoice: Invoice, clock: FrozenClock, amount_paise: int | None = None
) -> PaymentLinkView:
    return create_payment_link(
        db,
        business_id=invoice.business_id,
        customer_id=invoice.customer_id,
        amount_paise=invoice.total_paise if amount_paise is None else amount_paise,
        invoice_id=invoice.id,
        now=clock.now(),
        public_url=PUBLIC_URL,
        secret_key=SECRET,
    )


def test_link_for_an_invoice_is_stored_and_described(db: Database, clock: FrozenClock) -> None:
    business = make_business(db)
    invoice = make_invoice(db, business, make_customer(db, business))
    assert invoice.total_paise == 2_242_000

    view = _link(db, invoice, clock)

    token = view.page_url.removeprefix("https://tagada.example/pay/")
    assert read_token(SECRET, "pay", token) == view.id
    assert view.qr_url == view.page_url + "/qr.png"
    assert view.reference == invoice.number
    assert view.upi_url == (
        "upi://pay?pa=ganeshcement@okhdfcbank&pn=Shree%20Ganesh%20Cement%20Traders&am=22420.00&cu=INR"
        f"&tr={invoice.number}&tn=Invoice%20{invoice.number}"
    )
    with db.transaction() as session:
        row = session.get(PaymentLink, view.id)
        assert row is not None
        assert (row.business_id, row.customer_id, row.invoice_id) == (
            business.id,
            invoice.customer_id,
            invoice.id,
        )
        assert (row.provider, row.provider_reference, row.url) == ("upi", invoice.number, view.page_url)
        assert row.amount_paise == 2_242_000 and row.status is PaymentLinkStatus.ACTIVE
        assert row.expires_at == clock.now() + LINK_VALIDITY


def test_link_on_account_gets_a_short_reference(db: Database, clock: FrozenClock) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    view = create_payment_link(
        db,
        business_id=business.id,
        customer_id=customer.id,
        amount_paise=50_000,
        invoice_id=None,
        now=clock.now(),
        public_url=PUBLIC_URL,
        secret_key=SECRET,
    )
    assert view.reference.startswith("TG") and len(view.reference) == 12
    assert f"&am=500.00&cu=INR&tr={view.reference}&tn=Ref%20{view.reference}" in view.upi_url


@pytest.mark.parametrize("paise", [0, -1, 2_242_001])
def test_link_amount_must_be_positive_and_not_above_what_is_due(
    db: Database, clock: FrozenClock, paise: int
) -> None:
    business = make_business(db)
    invoice = make_invoice(db, business, make_customer(db, business))
    with pytest.raises(InvalidAmount):
        _link(db, invoice, clock, amount_paise=paise)


def test_link_after_a_part_payment_is_capped_at_the_balance(db: Database, clock: FrozenClock) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    invoice = make_invoice(db, business, customer)
    pay(db, customer, 242_000)
    assert _link(db, invoice, clock, amount_paise=2_000_000).amount_paise == 2_000_000
    with pytest.raises(InvalidAmount):
        _link(db, invoice, clock, amount_paise=2_000_001)


def test_no_link_for_an_invoice_that_cannot_take_money(db: Database, clock: FrozenClock) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    draft = make_invoice(db, business, customer, status=InvoiceStatus.DRAFT)
    cancelled = cancel_invoice(
        db,
        business_id=business.id,
        invoice_id=make_invoice(db, business, customer).id,
        today=date(2026, 11, 1),
    ).invoice
    paid = make_invoice(db, business, customer)
    pay(db, customer, paid.total_paise, invoice_ids=[paid.id])
    for invoice in (draft, cancelled, paid):
        with pytest.raises(InvoiceNotPayable):
            _link(db, invoice, clock, amount_paise=100)


def test_another_business_invoice_or_customer_is_unknown(db: Database, clock: FrozenClock) -> None:
    mine = make_business(db)
    my_customer = make_customer(db, mine)
    theirs = make_business(db, number="+912041239999", owner="+919822099999")
    their_customer = make_customer(db, theirs)
    their_invoice = make_invoice(db, theirs, their_customer)

    def link(customer_id: uuid.UUID, invoice_id: uuid.UUID | None) -> PaymentLinkView:
        return create_payment_link(
            db,
            business_id=mine.id,
            customer_id=customer_id,
            amount_paise=100,
            invoice_id=invoice_id,
            now=clock.now(),
            public_url=PUBLIC_URL,
            secret_key=SECRET,
        )

    with pytest.raises(UnknownInvoice):
        link(my_customer.id, their_invoice.id)
    with pytest.raises(UnknownCustomer):
        link(their_customer.id, None)
    with pytest.raises(UnknownCustomer):
        link(their_customer.id, their_invoice.id)
    with db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(PaymentLink)) == 0


def test_another_customers_invoice_of_the_same_business_is_unknown(db: Database, clock: FrozenClock) -> None:
    business = make_business(db)
    sharma = make_customer(db, business)
    gupta = make_customer(
        db, business, name="Gupta Hardware", phone="+919811199999", gstin=None, state_code="27"
    )
    invoice = make_invoice(db, business, sharma)
    with pytest.raises(UnknownInvoice):
        create_payment_link(
            db,
            business_id=business.id,
            customer_id=gupta.id,
            amount_paise=100,
            invoice_id=invoice.id,
            now=clock.now(),
            public_url=PUBLIC_URL,
            secret_key=SECRET,
        )


def test_business_without_a_upi_id_cannot_make_links(db: Database, clock: FrozenClock) -> None:
    business = make_business(db, number="+912041230001", owner="+919822000001", gstin=None, upi_vpa=None)
    invoice = make_invoice(db, business, make_customer(db, business))
    with pytest.raises(UpiIdMissing):
        _link(db, invoice, clock)


def test_view_reads_the_status_as_of_now(db: Database, clock: FrozenClock) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    invoice = make_invoice(db, business, customer)
    token = _link(db, invoice, clock).page_url.rsplit("/", 1)[1]

    page = get_payment_link_view(db, token=token, secret_key=SECRET, now=clock.now())
    assert (page.business_name, page.customer_name) == ("Shree Ganesh Cement Traders", "Sharma Traders")
    assert (page.amount_paise, page.invoice_number, page.status) == (
        2_242_000,
        invoice.number,
        PaymentLinkStatus.ACTIVE,
    )
    later = clock.now() + LINK_VALIDITY
    assert (
        get_payment_link_view(db, token=token, secret_key=SECRET, now=later).status
        is PaymentLinkStatus.EXPIRED
    )
    pay(db, customer, 2_242_000)
    assert (
        get_payment_link_view(db, token=token, secret_key=SECRET, now=clock.now()).status
        is PaymentLinkStatus.PAID
    )


# --- the public page ---------------------------------------------------------------------------------


def _path(url: str) -> str:
    return urlsplit(url).path


def test_page_shows_amount_payee_invoice_qr_and_upi_button(
    db: Database, clock: FrozenClock, client: TestClient
) -> None:
    business = make_business(db)
    invoice = make_invoice(db, business, make_customer(db, business))
    view = _link(db, invoice, clock)

    response = client.get(_path(view.page_url))

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"
    body = response.text
    assert "₹22,420" in body
    assert "Shree Ganesh Cement Traders" in body and "Sharma Traders" in body
    assert f"Bill {invoice.number}" in body  # in the customer's language (Hinglish here)
    assert '<html lang="hi-Latn">' in body
    assert f'href="{view.upi_url.replace("&", "&amp;")}"' in body
    token = view.page_url.rsplit("/", 1)[1]
    assert f'src="{token}/qr.png"' in body
    assert 'name="viewport"' in body


def test_page_escapes_names(db: Database, clock: FrozenClock, client: TestClient) -> None:
    business = make_business(db)
    customer = make_customer(db, business, name='<script>alert("x")</script> & Co')
    invoice = make_invoice(db, business, customer)
    body = client.get(_path(_link(db, invoice, clock).page_url)).text
    assert "<script>" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in body


def test_qr_route_serves_the_upi_link_as_png(db: Database, clock: FrozenClock, client: TestClient) -> None:
    business = make_business(db)
    invoice = make_invoice(db, business, make_customer(db, business))
    view = _link(db, invoice, clock)

    response = client.get(_path(view.qr_url))

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content.startswith(PNG_MAGIC)
    assert response.content == qr_png(view.upi_url)


def test_tampered_or_unknown_token_is_404(db: Database, clock: FrozenClock, client: TestClient) -> None:
    business = make_business(db)
    view = _link(db, make_invoice(db, business, make_customer(db, business)), clock)
    token = view.page_url.rsplit("/", 1)[1]
    for bad in (
        _flip(token, 5),
        make_token(SECRET, "pay", uuid.uuid4()),
        make_token(SECRET, "invoice", view.id),
    ):
        page = client.get(f"/pay/{bad}")
        assert page.status_code == 404
        assert "sahi nahi hai" in page.text
        assert client.get(f"/pay/{bad}/qr.png").status_code == 404


def test_expired_and_paid_links_say_so_and_show_no_qr(
    db: Database, clock: FrozenClock, client: TestClient
) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    view = _link(db, make_invoice(db, business, customer), clock)

    clock.advance(LINK_VALIDITY + timedelta(seconds=1))
    expired = client.get(_path(view.page_url))
    assert expired.status_code == 200 and "purana ho gaya" in expired.text and "upi://" not in expired.text
    assert client.get(_path(view.qr_url)).status_code == 410

    clock.advance(-LINK_VALIDITY)
    pay(db, customer, 2_242_000)
    paid = client.get(_path(view.page_url))
    assert "payment ho chuka" in paid.text and "upi://" not in paid.text
    assert client.get(_path(view.qr_url)).status_code == 410
