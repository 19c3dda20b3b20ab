"""The invoice PDF: GST fields, Indian amounts, Indic names shaped in Noto, the core-font fallback, the
UPI QR code, and the signed media URL that serves it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from bot.db import Database
from bot.errors import UnknownInvoice
from bot.i18n import default_locales, format_inr
from bot.pdf import NOTO_DIR
from bot.tokens import make_token
from modules.customers.models import Customer
from modules.invoicing.documents import (
    invoice_filename,
    invoice_media,
    invoice_pdf,
    load_invoice_document,
    render_invoice,
)
from modules.invoicing.models import Invoice, InvoiceStatus
from modules.invoicing.service import cancel_invoice
from tests.conftest import SECRET, make_business, make_customer, make_invoice, pay
from tests.pdfs import pdf_text

needs_noto = pytest.mark.skipif(
    not (NOTO_DIR / "NotoSansDevanagari-Regular.ttf").is_file(), reason="fonts-noto-core is not installed"
)


# --- the document ------------------------------------------------------------------------------------


def _text(db: Database, invoice: Invoice, font_dir: Path = NOTO_DIR) -> str:
    document = load_invoice_document(db, business_id=invoice.business_id, invoice_id=invoice.id)
    return pdf_text(render_invoice(document, font_dir=font_dir, compress=False))


def test_pdf_is_a_pdf_and_compressed_by_default(db: Database) -> None:
    business = make_business(db)
    invoice = make_invoice(db, business, make_customer(db, business))
    pdf = invoice_pdf(db, business_id=business.id, invoice_id=invoice.id)
    assert pdf.startswith(b"%PDF-1.") and pdf.rstrip().endswith(b"%%EOF")
    assert b"/FlateDecode" in pdf
    assert len(pdf) < 200_000


@needs_noto
def test_pdf_holds_the_rule_46_fields_with_indian_amounts(db: Database) -> None:
    business = make_business(db)
    invoice = make_invoice(db, business, make_customer(db, business))

    text = _text(db, invoice)

    for expected in (
        "TAX INVOICE",
        "Shree Ganesh Cement Traders",
        "GSTIN: 27AAPFS1234C1ZD",
        f"Invoice no. {invoice.number}",
        "Date: 01 Nov 2026",
        "Due: 01 Dec 2026",
        "Sharma Traders",
        "GSTIN: 27ABCDE1234F1Z0",
        "Place of supply: Maharashtra (27)",
        "Tax payable on reverse charge: No",
        "Cement OPC 53",
        "2523",
        "bag",
        "380.00",
        "19,000.00",
        "1,710.00",
        "₹22,420.00",
        "Authorised signatory",
    ):
        assert expected in text, expected
    assert "CGST" in text and "SGST" in text and "IGST" not in text
    assert "Round off" not in text  # ₹22,420.00 is whole rupees


def test_a_total_with_paise_is_rounded_to_the_rupee_and_the_round_off_printed(db: Database) -> None:
    business = make_business(db)
    invoice = make_invoice(db, business, make_customer(db, business), quantity=7, rupees=333)
    # 7 × ₹333 = ₹2,331 + 9% + 9% (₹209.79 each) = ₹2,750.58 → ₹2,751.00
    text = _text(db, invoice)
    assert "Round off" in text and "0.42" in text and "₹2,751.00" in text


@needs_noto
def test_devanagari_names_are_shaped_in_noto(db: Database) -> None:
    business = make_business(db)
    customer = make_customer(db, business, name="शर्मा ट्रेडर्स")
    invoice = make_invoice(db, business, customer)
    document = load_invoice_document(db, business_id=business.id, invoice_id=invoice.id)
    pdf = render_invoice(document, compress=False)

    assert b"NotoSansDevanagari" in pdf
    assert b"NotoSansTamil" not in pdf  # only the scripts the invoice uses are embedded
    # Shaping gives one glyph for the conjunct "र्मा", whose ToUnicode entry spells it out.
    assert "<0930094D092E093E>" in pdf.decode("latin-1")
    assert "शर्मा ट्रेडर्स" in pdf_text(pdf)


@needs_noto
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("hi", "बाईस हज़ार चार सौ बीस रुपये मात्र"),
        ("ta", "இருபத்திரண்டாயிரத்து நானூற்று இருபது ரூபாய் மட்டும்"),
        ("en", None),
        ("hi-Latn", "Baees Hazaar Chaar Sau Bees Rupaye Only"),
    ],
)
def test_labels_and_the_total_in_words_are_in_english_and_the_customers_language(
    db: Database, language: str, words: str | None
) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    with db.transaction() as session:
        session.get_one(Customer, customer.id).language = language
    text = _text(db, make_invoice(db, business, customer))
    assert "Rupees Twenty-Two Thousand Four Hundred Twenty Only" in text
    if words is not None:
        assert words in text
    locales = default_locales()
    for key in ("total", "taxable_value", "place_of_supply", "signatory"):
        english = locales.render(f"document.{key}", "en")
        theirs = locales.render(f"document.{key}", language)
        # Labels go in two languages only where the customer reads another script.
        expected = english if language in ("en", "hi-Latn") else f"{english} / {theirs}"
        assert expected in text, key


def test_without_fonts_a_core_font_writes_rs_and_replaces_other_scripts(db: Database, tmp_path: Path) -> None:
    business = make_business(db)
    customer = make_customer(db, business, name="शर्मा Traders")
    invoice = make_invoice(db, business, customer)

    text = _text(db, invoice, font_dir=tmp_path)

    assert "Rs. 22,420.00" in text and "₹" not in text
    assert f"Invoice no. {invoice.number}" in text
    assert "????? Traders" in text


@needs_noto
def test_inter_state_invoice_shows_igst(db: Database) -> None:
    business = make_business(db)
    customer = make_customer(db, business, name="Patel Builders", gstin=None, state_code="24")
    invoice = make_invoice(db, business, customer)

    text = _text(db, invoice)

    assert "IGST" in text and "CGST" not in text
    assert "Place of supply: Gujarat (24)" in text and "Unregistered" in text
    assert "3,420.00" in text  # 18% of 19,000


@needs_noto
def test_qr_asks_for_the_balance_and_disappears_once_paid(db: Database) -> None:
    business = make_business(db)
    customer = make_customer(db, business)
    invoice = make_invoice(db, business, customer)

    def rendered() -> bytes:
        document = load_invoice_document(db, business_id=business.id, invoice_id=invoice.id)
        return render_invoice(document, compress=False)

    assert b"/Subtype /Image" in rendered()
    pay(db, customer, 2_000_000)
    pdf = rendered()
    assert b"/Subtype /Image" in pdf
    assert "Scan to pay ₹2,420.00" in pdf_text(pdf) and "Balance due" in pdf_text(pdf)
    pay(db, customer, 242_000)
    assert b"/Subtype /Image" not in rendered()


def test_no_qr_without_a_upi_id_nor_on_a_cancelled_invoice(db: Database) -> None:
    plain = make_business(db, number="+912041230001", owner="+919822000001", gstin=None, upi_vpa=None)
    no_upi = make_invoice(db, plain, make_customer(db, plain))
    assert b"/Subtype /Image" not in invoice_pdf(db, business_id=plain.id, invoice_id=no_upi.id)

    business = make_business(db)
    invoice = make_invoice(db, business, make_customer(db, business))
    cancel_invoice(db, business_id=business.id, invoice_id=invoice.id, today=invoice.issue_date)
    document = load_invoice_document(db, business_id=business.id, invoice_id=invoice.id)
    assert document.invoice.status is InvoiceStatus.CANCELLED
    pdf = render_invoice(document, compress=False)
    assert b"/Subtype /Image" not in pdf
    assert "CANCELLED" in pdf_text(pdf)


def test_another_business_invoice_is_unknown(db: Database) -> None:
    mine = make_business(db)
    theirs = make_business(db, number="+912041239999", owner="+919822099999")
    their_invoice = make_invoice(db, theirs, make_customer(db, theirs))
    with pytest.raises(UnknownInvoice):
        invoice_pdf(db, business_id=mine.id, invoice_id=their_invoice.id)


@pytest.mark.parametrize(
    ("paise", "text"),
    [
        (0, "₹0.00"),
        (5, "₹0.05"),
        (2_242_000, "₹22,420.00"),
        (250_000_050, "₹25,00,000.50"),
        (10**11, "₹1,00,00,00,000.00"),
    ],
)
def test_amounts_use_indian_grouping(paise: int, text: str) -> None:
    assert format_inr(paise, always_paise=True) == text
    assert format_inr(paise, symbol="Rs. ", always_paise=True) == text.replace("₹", "Rs. ")


# --- the media URL -------------------------------------------------------------------------------------


def test_media_url_names_the_invoice_file(db: Database) -> None:
    business = make_business(db)
    invoice = make_invoice(db, business, make_customer(db, business), number="INV/2026-27/0007")

    media = invoice_media(invoice=invoice, public_url="https://tagada.example/", secret_key=SECRET)

    assert media.mime_type == "application/pdf"
    assert media.filename == "INV-2026-27-0007.pdf" == invoice_filename(invoice.number)
    assert re.fullmatch(
        r"https://tagada\.example/media/invoices/[A-Za-z0-9_-]{38}/INV-2026-27-0007\.pdf", media.url
    )


def test_media_route_serves_the_pdf(db: Database, client: TestClient) -> None:
    business = make_business(db)
    invoice = make_invoice(db, business, make_customer(db, business), number="INV/2026-27/0007")
    media = invoice_media(invoice=invoice, public_url="https://tagada.example", secret_key=SECRET)

    response = client.get(urlsplit(media.url).path)

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'inline; filename="INV-2026-27-0007.pdf"'
    assert response.headers["cache-control"] == "no-store"
    assert response.content.startswith(b"%PDF")


def test_media_route_refuses_bad_tokens_and_names(db: Database, client: TestClient) -> None:
    business = make_business(db)
    invoice = make_invoice(db, business, make_customer(db, business))
    path = urlsplit(invoice_media(invoice=invoice, public_url="https://x", secret_key=SECRET).url).path
    _, _, _, token, filename = path.split("/")
    tampered = token[:8] + ("A" if token[8] != "A" else "B") + token[9:]
    for bad in (
        f"/media/invoices/{tampered}/{filename}",
        f"/media/invoices/{token}/other.pdf",
        f"/media/invoices/{make_token(SECRET, 'pay', invoice.id)}/{filename}",  # a payment-link token
        f"/media/invoices/{make_token(SECRET, 'invoice', uuid.uuid4())}/{filename}",
    ):
        assert client.get(bad).status_code == 404, bad


@needs_noto
@pytest.mark.parametrize(
    ("language", "name", "intended"),
    [
        ("hi", "शर्मा ट्रेडर्स", ["शर्मा ट्रेडर्स", "कर बीजक", "Total / कुल", "बाईस हज़ार चार सौ बीस रुपये मात्र"]),
        ("ta", "முருகன் ஸ்டீல்ஸ்", ["முருகன் ஸ்டீல்ஸ்", "வரி விலைப்பட்டியல்", "Total / மொத்தம்"]),
    ],
)
def test_hindi_and_tamil_invoices_render_to_a_page_that_says_what_was_meant(
    db: Database, tmp_path: Path, language: str, name: str, intended: list[str]
) -> None:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        if os.environ.get("TAGADA_TEST_REQUIRE_BROWSER") == "1":
            pytest.fail("pdftoppm is required (poppler-utils, installed by make test as root)")
        pytest.skip("pdftoppm is not installed (poppler-utils)")
    business = make_business(db)
    customer = make_customer(db, business, name=name)
    with db.transaction() as session:
        session.get_one(Customer, customer.id).language = language
    invoice = make_invoice(db, business, customer)
    document = load_invoice_document(db, business_id=business.id, invoice_id=invoice.id)
    pdf = render_invoice(document, compress=False)
    text = pdf_text(pdf)
    for words in intended:
        assert words in text, words
    (tmp_path / "invoice.pdf").write_bytes(pdf)
    subprocess.run(
        [pdftoppm, "-png", "-r", "50", "-singlefile", "invoice.pdf", "page"], cwd=tmp_path, check=True
    )
    with Image.open(tmp_path / "page.png") as page:
        width, height = page.size
        inked = sum(page.convert("L").histogram()[:128])  # pixels darker than mid-grey
    assert abs(height / width - 297 / 210) < 0.01  # an A4 page
    assert inked > 0.01 * width * height  # with something printed on it
