"""The invoice as a document: a one-page GST tax invoice (CGST Rules r.46) as PDF, and the link to it; the
credit note that cancels one (r.53) in the same layout, naming the invoice it reverses.

Text is shaped with HarfBuzz in Noto fonts, so Devanagari and the other Indian scripts in names and item
descriptions render with their conjuncts. Without the fonts (fonts-noto-core not installed) the PDF still
comes out, in a core font that only knows Latin-1: "Rs." for ₹, and "?" for other scripts.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from babel.numbers import format_decimal
from fpdf import FPDF, FontFace
from fpdf.enums import XPos, YPos
from sqlalchemy.orm import Session

from bot.db import Database
from bot.errors import UnknownInvoice
from bot.pdf import (
    GREY,
    MARGIN_MM,
    NOTO_DIR,
    Labels,
    Writer,
    amount_text,
    day_text,
    drop_layout_tables,
    rule,
)
from bot.tokens import make_token, read_token
from connectors.channels.base import Media
from connectors.payments.upi import qr_png, upi_link
from modules.business.models import Business
from modules.business.repository import get_business
from modules.customers.models import Customer
from modules.customers.repository import get_customer
from modules.invoicing.gst import STATE_NAMES
from modules.invoicing.models import CreditNote, Invoice, InvoiceStatus
from modules.invoicing.repository import get_invoice, paid_by_invoice
from modules.invoicing.words import amount_in_words
from modules.payments.transfer import account_of

MEDIA_PURPOSE = "invoice"
CREDIT_NOTE_PURPOSE = "credit_note"
QR_MM = 32


@dataclass(frozen=True)
class InvoiceDocument:
    """Everything the PDF shows, read in one transaction and rendered after it ends."""

    invoice: Invoice  # with its lines loaded
    business: Business
    customer: Customer
    paid_paise: int
    credit_note: CreditNote | None = None  # set: the document is this credit note, reversing the invoice

    @property
    def due_paise(self) -> int:
        return max(self.invoice.total_paise - self.paid_paise, 0)

    @property
    def total_in_words(self) -> list[str]:
        """The total in words in English and, when it is another, in the customer's language."""
        languages = dict.fromkeys(("en", self.customer.language))
        return [amount_in_words(self.invoice.total_paise, language) for language in languages]

    @property
    def title_key(self) -> str:
        return "tax_invoice" if self.credit_note is None else "credit_note"


def invoice_pdf(db: Database, *, business_id: uuid.UUID, invoice_id: uuid.UUID) -> bytes:
    """The invoice as a PDF. Raises: UnknownInvoice, also for another business's invoice."""
    return render_invoice(load_invoice_document(db, business_id=business_id, invoice_id=invoice_id))


def load_invoice_document(db: Database, *, business_id: uuid.UUID, invoice_id: uuid.UUID) -> InvoiceDocument:
    """Raises: UnknownInvoice, also for another business's invoice."""
    with db.transaction() as session:
        return _read_document(session, business_id=business_id, invoice_id=invoice_id)


def _read_document(
    session: Session, *, business_id: uuid.UUID, invoice_id: uuid.UUID, credit_note: CreditNote | None = None
) -> InvoiceDocument:
    invoice = get_invoice(session, business_id=business_id, invoice_id=invoice_id)
    paid = paid_by_invoice(session, business_id=business_id, invoice_ids=[invoice.id])
    return InvoiceDocument(
        invoice=invoice,
        business=get_business(session, business_id),
        customer=get_customer(session, business_id=business_id, customer_id=invoice.customer_id),
        paid_paise=paid.get(invoice.id, 0),
        credit_note=credit_note,
    )


def invoice_filename(number: str) -> str:
    """`INV/2026-27/0001` → `INV-2026-27-0001.pdf`: invoice numbers may hold slashes, file names can't."""
    return number.replace("/", "-") + ".pdf"


def invoice_media(*, invoice: Invoice, public_url: str, secret_key: str) -> Media:
    """The PDF as media a channel can send: a public URL that only we can mint."""
    return _media((MEDIA_PURPOSE, "invoices"), invoice.id, invoice.number, public_url, secret_key)


def credit_note_media(*, credit_note: CreditNote, public_url: str, secret_key: str) -> Media:
    return _media(
        (CREDIT_NOTE_PURPOSE, "credit-notes"), credit_note.id, credit_note.number, public_url, secret_key
    )


def _media(
    kind: tuple[str, str], record_id: uuid.UUID, number: str, public_url: str, secret_key: str
) -> Media:
    """A signed URL: `kind` is the token's purpose and the folder of the route that serves it."""
    purpose, folder = kind
    token = make_token(secret_key, purpose, record_id)
    filename = invoice_filename(number)
    return Media(
        url=f"{public_url.rstrip('/')}/media/{folder}/{token}/{filename}",
        mime_type="application/pdf",
        filename=filename,
    )


def shared_invoice_pdf(db: Database, *, token: str, filename: str, secret_key: str) -> bytes:
    """The PDF behind an `invoice_media` URL.

    Raises:
        BadToken: not a token we issued for an invoice.
        UnknownInvoice: the invoice is gone, or `filename` is not its file name.
    """
    invoice_id = read_token(secret_key, MEDIA_PURPOSE, token)
    with db.transaction() as session:
        # By id alone: the signed token is the permission; the document is then read within its business.
        invoice = session.get(Invoice, invoice_id)
        if invoice is None or invoice_filename(invoice.number) != filename:
            raise UnknownInvoice(f"no shared invoice {invoice_id}", invoice_id=str(invoice_id))
        document = _read_document(session, business_id=invoice.business_id, invoice_id=invoice_id)
    return render_invoice(document)


def load_credit_note_document(
    db: Database, *, business_id: uuid.UUID, credit_note_id: uuid.UUID
) -> InvoiceDocument:
    """Raises: UnknownInvoice, also for another business's credit note."""
    with db.transaction() as session:
        credit_note = session.get(CreditNote, credit_note_id)
        if credit_note is None or credit_note.business_id != business_id:
            raise UnknownInvoice(f"no credit note {credit_note_id} here", invoice_id=str(credit_note_id))
        return _read_document(
            session, business_id=business_id, invoice_id=credit_note.invoice_id, credit_note=credit_note
        )


def shared_credit_note_pdf(db: Database, *, token: str, filename: str, secret_key: str) -> bytes:
    """The PDF behind a `credit_note_media` URL. Raises: BadToken; UnknownInvoice (gone, or not its name)."""
    credit_note_id = read_token(secret_key, CREDIT_NOTE_PURPOSE, token)
    with db.transaction() as session:
        # By id alone: the signed token is the permission.
        credit_note = session.get(CreditNote, credit_note_id)
        if credit_note is None or invoice_filename(credit_note.number) != filename:
            raise UnknownInvoice(f"no shared credit note {credit_note_id}", invoice_id=str(credit_note_id))
        business_id = credit_note.business_id
    return render_invoice(
        load_credit_note_document(db, business_id=business_id, credit_note_id=credit_note_id)
    )


def render_invoice(document: InvoiceDocument, *, font_dir: Path = NOTO_DIR, compress: bool = True) -> bytes:
    """Lay out the invoice (or its credit note) on one A4 page (more only for very long invoices).

    Args:
        font_dir: where the Noto fonts are; missing fonts fall back to a core font.
        compress: False leaves page content readable, for tests.
    """
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_compression(compress)
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(auto=True, margin=MARGIN_MM)
    writer = Writer(pdf, font_dir, _texts(document), document.customer.language)
    number = document.credit_note.number if document.credit_note else document.invoice.number
    pdf.set_title(writer.clean(f"{Labels('en')(document.title_key).capitalize()} {number}"))
    pdf.set_author(writer.clean(document.business.legal_name))
    pdf.add_page()
    _header(writer, document)
    _parties(writer, document)
    _lines_table(writer, document)
    _totals(writer, document)
    _total_in_words(writer, document)
    _footer(writer, document)
    drop_layout_tables(pdf)
    return bytes(pdf.output())


def _header(writer: Writer, document: InvoiceDocument) -> None:
    pdf, business, invoice = writer.pdf, document.business, document.invoice
    top = pdf.get_y()
    left_width = pdf.epw * 0.6
    writer.line(business.legal_name, size=14, bold=True, width=left_width)
    if business.display_name != business.legal_name:
        writer.line(business.display_name, width=left_width)
    if business.address:
        writer.line(business.address, width=left_width)
    if business.gstin:
        writer.line(f"GSTIN: {business.gstin}", width=left_width)
    writer.line(f"{writer.label('state')}: {_state(business.state_code)}", width=left_width)
    left_bottom = pdf.get_y()

    right_x = MARGIN_MM + left_width
    pdf.set_xy(right_x, top)
    for title in writer.label.both(document.title_key):
        pdf.set_x(right_x)
        writer.line(title, size=15, bold=True, width=pdf.epw - left_width, align="R")
    for text in _references(writer, document):
        pdf.set_x(right_x)
        writer.line(text, width=pdf.epw - left_width, align="R")
    if document.credit_note is None and invoice.status in (InvoiceStatus.DRAFT, InvoiceStatus.CANCELLED):
        pdf.set_x(right_x)
        pdf.set_text_color(200, 0, 0)
        writer.line(invoice.status.value.upper(), size=12, bold=True, width=pdf.epw - left_width, align="R")
        pdf.set_text_color(0)
    pdf.set_xy(MARGIN_MM, max(left_bottom, pdf.get_y()) + 3)
    rule(pdf)


def _references(writer: Writer, document: InvoiceDocument) -> list[str]:
    """The document's number and dates; a credit note's name the invoice it reverses (Rule 53(1A)(g))."""
    label, invoice, credit_note = writer.label, document.invoice, document.credit_note
    if credit_note is not None:
        return [
            f"{label('credit_note_no')} {credit_note.number}",
            f"{label('date')}: {day_text(credit_note.issue_date)}",
            label("against_invoice", number=invoice.number, date=day_text(invoice.issue_date)),
        ]
    return [
        f"{label('invoice_no')} {invoice.number}",
        f"{label('date')}: {day_text(invoice.issue_date)}",
        f"{label('due')}: {day_text(invoice.due_date)}",
    ]


def _parties(writer: Writer, document: InvoiceDocument) -> None:
    pdf, customer, invoice = writer.pdf, document.customer, document.invoice
    top = pdf.get_y()
    left_width = pdf.epw * 0.6
    pdf.set_text_color(*GREY)
    writer.line(writer.label("bill_to"), size=8, width=left_width)
    pdf.set_text_color(0)
    writer.line(customer.name, size=11, bold=True, width=left_width)
    if customer.address:
        writer.line(customer.address, width=left_width)
    label = writer.label
    writer.line(f"GSTIN: {customer.gstin}" if customer.gstin else label("unregistered"), width=left_width)
    writer.line(f"{label('state')}: {_state(customer.state_code)}", width=left_width)
    left_bottom = pdf.get_y()

    right_x = MARGIN_MM + left_width
    pdf.set_xy(right_x, top + 4)
    for text in (
        f"{label('place_of_supply')}: {_state(invoice.place_of_supply)}",
        f"{label('reverse_charge')}: {label('no')}",
    ):
        pdf.set_x(right_x)
        writer.line(text, width=pdf.epw - left_width, align="R")
    pdf.set_xy(MARGIN_MM, max(left_bottom, pdf.get_y()) + 4)


def _lines_table(writer: Writer, document: InvoiceDocument) -> None:
    invoice = document.invoice
    intra_state = _intra_state(document)

    def heading(key: str) -> str:  # the two languages on two lines: the columns are narrow
        return "\n".join(writer.label.both(key))

    headings = ["#", heading("item"), "HSN/SAC", heading("quantity"), heading("unit"), heading("rate")]
    headings += [heading("taxable_value"), "GST%"]
    widths = [6, 42, 17, 15, 13, 20, 23, 12]  # proportions of the page width
    if intra_state:
        headings += ["CGST", "SGST"]
        widths += [20, 20]
    else:
        headings += ["IGST"]
        widths[1] += 20
        widths += [20]
    align = ["R", "L", "L", "R", "L", "R", "R", "R"] + ["R"] * (len(headings) - 8)
    writer.font(8)
    writer.shape_for([*headings, *(line.description + line.unit for line in invoice.lines)])
    heading_style = FontFace(emphasis="BOLD", fill_color=(235, 235, 235), size_pt=7)
    with writer.pdf.table(
        col_widths=widths,
        text_align=tuple(align),
        headings_style=heading_style,
        line_height=4.2,
        padding=(1, 1),
        width=writer.pdf.epw,
    ) as table:
        table.row([writer.clean(h) for h in headings])
        for line in invoice.lines:
            cells = [
                str(line.position),
                line.description,
                line.hsn_sac or "",
                format_decimal(line.quantity, locale="en_IN"),
                line.unit,
                amount_text(line.unit_price_paise),
                amount_text(line.taxable_paise),
                _rate(line.gst_rate),
            ]
            taxes = (line.cgst_paise, line.sgst_paise) if intra_state else (line.igst_paise,)
            cells += [amount_text(tax) for tax in taxes]
            table.row([writer.clean(cell) for cell in cells])
    writer.pdf.ln(3)


def _totals(writer: Writer, document: InvoiceDocument) -> None:
    pdf, invoice = writer.pdf, document.invoice
    label = writer.label
    rows = [(label("taxable_value"), invoice.taxable_paise, False)]
    if _intra_state(document):
        rows += [("CGST", invoice.cgst_paise, False), ("SGST", invoice.sgst_paise, False)]
    else:
        rows += [("IGST", invoice.igst_paise, False)]
    if invoice.round_off_paise:
        rows += [(label("round_off"), invoice.round_off_paise, False)]
    rows += [(label("total"), invoice.total_paise, True)]
    if document.paid_paise and document.credit_note is None:
        rows += [
            (label("paid"), document.paid_paise, False),
            (label("balance_due"), document.due_paise, True),
        ]

    top = pdf.get_y()
    writer.shape_for(row[0] for row in rows)
    # Wide enough for a label in two languages ("Taxable value / कर योग्य मूल्य").
    label_x, label_width, amount_width = pdf.w - MARGIN_MM - 95, 62, 33
    for text, paise, bold in rows:
        pdf.set_x(label_x)
        writer.font(10 if bold else 9, bold=bold)
        pdf.cell(label_width, 5.5, writer.clean(text))
        pdf.cell(
            amount_width,
            5.5,
            writer.clean(writer.money(paise)),
            align="R",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    totals_bottom = pdf.get_y()

    qr_bottom = top
    upi_url = _upi_url(document)
    if upi_url is not None:
        pdf.image(io.BytesIO(qr_png(upi_url)), x=MARGIN_MM, y=top, w=QR_MM, h=QR_MM)
        pdf.set_xy(MARGIN_MM + QR_MM + 3, top + 4)
        text_width = label_x - pdf.get_x() - 4
        writer.line(
            label("scan_to_pay", amount=writer.money(document.due_paise)), bold=True, width=text_width
        )
        pdf.set_x(MARGIN_MM + QR_MM + 3)
        writer.line(f"UPI ID: {document.business.upi_vpa}", width=text_width)
        pdf.set_x(MARGIN_MM + QR_MM + 3)
        writer.line(f"Reference: {invoice.number}", width=text_width)
        qr_bottom = max(top + QR_MM, pdf.get_y())  # a long "scan to pay" runs below the code
    pdf.set_xy(MARGIN_MM, max(totals_bottom, qr_bottom) + 3)
    account = account_of(document.business)
    if account is not None and _payable(document):
        at = f" · {account.bank}" if account.bank else ""
        details = f"{account.holder} · A/c {account.number} · IFSC {account.ifsc}{at}"
        writer.line(f"Bank transfer (NEFT/RTGS/IMPS): {details}", size=9)
        pdf.ln(1)


def _total_in_words(writer: Writer, document: InvoiceDocument) -> None:
    english, *theirs = document.total_in_words
    writer.line(f"{writer.label('amount_in_words')}: {english}", bold=True)
    if writer.unicode:  # a core font cannot write Indian scripts; the English line stands alone then
        for words in theirs:
            writer.line(words)
    writer.pdf.ln(2)


def _footer(writer: Writer, document: InvoiceDocument) -> None:
    pdf = writer.pdf
    if document.credit_note is not None and document.credit_note.reason:
        writer.line(f"{writer.label('reason')}: {document.credit_note.reason}")
        pdf.ln(2)
    elif document.invoice.notes:
        writer.line(f"Notes: {document.invoice.notes}")
        pdf.ln(2)
    rule(pdf)
    pdf.ln(2)
    pdf.set_text_color(*GREY)
    generated = "computer_generated" if document.credit_note is None else "computer_generated_credit_note"
    writer.line(writer.label(generated), size=8)
    pdf.set_text_color(0)
    pdf.ln(8)
    writer.line(writer.label("for_business", business=document.business.legal_name), bold=True, align="R")
    pdf.ln(8)
    writer.line(writer.label("signatory"), size=8, align="R")


def _upi_url(document: InvoiceDocument) -> str | None:
    """A QR for the balance due, unless nothing is due, the invoice is cancelled or there's no UPI id."""
    business, invoice = document.business, document.invoice
    if not business.upi_vpa or not _payable(document):
        return None
    return upi_link(
        vpa=business.upi_vpa,
        payee_name=business.display_name,
        amount_paise=document.due_paise,
        reference=invoice.number,
        note=f"Invoice {invoice.number}",
    )


def _payable(document: InvoiceDocument) -> bool:
    cancelled = document.invoice.status is InvoiceStatus.CANCELLED or document.credit_note is not None
    return not cancelled and document.due_paise > 0


def _texts(document: InvoiceDocument) -> list[str]:
    business, customer = document.business, document.customer
    return [
        business.legal_name,
        business.display_name,
        business.address,
        customer.name,
        customer.address,
        document.invoice.notes,
        document.credit_note.reason if document.credit_note else "",
        *(line.description for line in document.invoice.lines),
        *(line.unit for line in document.invoice.lines),
        *document.total_in_words,
        *Labels(customer.language).both(document.title_key),  # the script of every label
    ]


def _intra_state(document: InvoiceDocument) -> bool:
    # The tax charged says which it was; only a nil-rated invoice needs the place of supply to tell.
    invoice = document.invoice
    if invoice.igst_paise or invoice.cgst_paise:
        return invoice.cgst_paise > 0
    return invoice.place_of_supply == document.business.state_code


def _state(code: str) -> str:
    return f"{STATE_NAMES.get(code, code)} ({code})"


def _rate(rate: Decimal) -> str:
    return format_decimal(rate, locale="en_IN")
