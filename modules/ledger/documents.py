"""A customer's statement of account as PDF: every invoice and payment up to a day, with the running balance,
labelled in English and the customer's language — and the private link it is sent as."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from fpdf import FPDF, FontFace
from fpdf.enums import XPos, YPos

from bot.db import Database
from bot.errors import NotFound
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
from bot.tokens import BadToken, make_token, read_token
from connectors.channels.base import Media
from modules.business.models import Business
from modules.business.repository import get_business
from modules.customers.models import Customer
from modules.customers.repository import get_customer
from modules.ledger.service import Statement, StatementEntry, customer_statement

# A statement link shows the account as it stood on its day, and only for a while: forwarded on, it must
# not keep showing the customer's dealings for ever.
LINK_DAYS = 30
_FILENAME = re.compile(r"^statement-(\d{4}-\d{2}-\d{2})\.pdf$")


@dataclass(frozen=True)
class StatementDocument:
    statement: Statement
    business: Business
    customer: Customer
    as_of: date

    @property
    def entries(self) -> list[StatementEntry]:
        return [entry for entry in self.statement.entries if entry.day <= self.as_of]

    @property
    def closing_balance_paise(self) -> int:
        entries = self.entries
        return entries[-1].balance_paise if entries else 0


def statement_media(*, customer_id: uuid.UUID, as_of: date, public_url: str, secret_key: str) -> Media:
    """The statement as media a channel can send: a link only we can mint, for that day's account."""
    filename = f"statement-{as_of.isoformat()}.pdf"
    token = make_token(secret_key, _purpose(as_of), customer_id)
    return Media(
        url=f"{public_url.rstrip('/')}/media/statements/{token}/{filename}",
        mime_type="application/pdf",
        filename=filename,
    )


def shared_statement_pdf(db: Database, *, token: str, filename: str, secret_key: str, today: date) -> bytes:
    """The PDF behind a `statement_media` URL.

    Raises:
        BadToken: not a token we issued for that day's statement.
        NotFound: the link is older than LINK_DAYS, or the customer is gone.
    """
    match = _FILENAME.match(filename)
    if match is None:
        raise BadToken("not a statement file name")
    as_of = date.fromisoformat(match.group(1))
    customer_id = read_token(secret_key, _purpose(as_of), token)
    if not today - timedelta(days=LINK_DAYS) <= as_of <= today:
        raise NotFound(f"statement link of {as_of} has expired")
    with db.transaction() as session:
        # By id alone: the signed token is the permission; the statement is then read within its business.
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise NotFound(f"no customer {customer_id}")
        business_id = customer.business_id
    return render_statement(
        load_statement_document(db, business_id=business_id, customer_id=customer_id, as_of=as_of)
    )


def load_statement_document(
    db: Database, *, business_id: uuid.UUID, customer_id: uuid.UUID, as_of: date
) -> StatementDocument:
    """Raises: UnknownCustomer (also another business's customer)."""
    statement = customer_statement(db, business_id=business_id, customer_id=customer_id)
    with db.transaction() as session:
        business = get_business(session, business_id)
        customer = get_customer(session, business_id=business_id, customer_id=customer_id)
    return StatementDocument(statement=statement, business=business, customer=customer, as_of=as_of)


def render_statement(
    document: StatementDocument, *, font_dir: Path = NOTO_DIR, compress: bool = True
) -> bytes:
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_compression(compress)
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(auto=True, margin=MARGIN_MM)
    texts = [
        document.business.legal_name,
        document.customer.name,
        *Labels(document.customer.language).both("statement_title"),
    ]
    writer = Writer(pdf, font_dir, texts, document.customer.language)
    pdf.set_title(writer.clean(f"Statement of account {document.customer.name}"))
    pdf.add_page()
    _header(writer, document)
    _entries(writer, document)
    pdf.ln(3)
    pdf.set_text_color(*GREY)
    writer.line(writer.label("computer_generated_statement"), size=8)
    pdf.set_text_color(0)
    drop_layout_tables(pdf)
    return bytes(pdf.output())


def _header(writer: Writer, document: StatementDocument) -> None:
    pdf, business, customer = writer.pdf, document.business, document.customer
    top = pdf.get_y()
    left_width = pdf.epw * 0.55
    writer.line(business.legal_name, size=14, bold=True, width=left_width)
    if business.gstin:
        writer.line(f"GSTIN: {business.gstin}", width=left_width)
    pdf.ln(3)
    pdf.set_text_color(*GREY)
    writer.line(writer.label("bill_to"), size=8, width=left_width)
    pdf.set_text_color(0)
    writer.line(customer.name, size=11, bold=True, width=left_width)
    if customer.gstin:
        writer.line(f"GSTIN: {customer.gstin}", width=left_width)
    left_bottom = pdf.get_y()
    right_x = MARGIN_MM + left_width
    pdf.set_xy(right_x, top)
    for title in writer.label.both("statement_title"):
        pdf.set_x(right_x)
        writer.line(title, size=14, bold=True, width=pdf.epw - left_width, align="R")
    pdf.set_x(right_x)
    writer.line(f"{writer.label('date')}: {day_text(document.as_of)}", width=pdf.epw - left_width, align="R")
    pdf.set_x(right_x)
    closing = f"{writer.label('closing_balance')}: {writer.money(document.closing_balance_paise)}"
    writer.line(closing, bold=True, width=pdf.epw - left_width, align="R")
    pdf.set_xy(MARGIN_MM, max(left_bottom, pdf.get_y()) + 3)
    rule(pdf)
    pdf.ln(3)


def _entries(writer: Writer, document: StatementDocument) -> None:
    def heading(key: str) -> str:
        return "\n".join(writer.label.both(key))

    headings = [
        heading("date"),
        heading("particulars"),
        heading("debit"),
        heading("credit"),
        heading("balance"),
    ]
    rows = [
        [
            day_text(entry.day),
            writer.label(f"{entry.kind}_entry", reference=entry.reference),
            amount_text(entry.debit_paise) if entry.debit_paise else "",
            amount_text(entry.credit_paise) if entry.credit_paise else "",
            amount_text(entry.balance_paise),
        ]
        for entry in document.entries
    ]
    writer.font(8)
    writer.shape_for([*headings, *(row[1] for row in rows)])
    with writer.pdf.table(
        col_widths=(22, 70, 28, 28, 30),
        text_align=("L", "L", "R", "R", "R"),
        headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235), size_pt=7),
        line_height=4.2,
        padding=(1, 1),
        width=writer.pdf.epw,
    ) as table:
        table.row([writer.clean(h) for h in headings])
        for row in rows:
            table.row([writer.clean(cell) for cell in row])
    writer.pdf.ln(2)
    writer.font(10, bold=True)
    closing = f"{writer.label('closing_balance')}: {writer.money(document.closing_balance_paise)}"
    writer.pdf.cell(0, 6, writer.clean(closing), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _purpose(as_of: date) -> str:
    return f"statement:{as_of.isoformat()}"
