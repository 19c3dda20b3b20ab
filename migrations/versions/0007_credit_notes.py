"""credit_note (an issued invoice is cancelled by one), and a counter per document: invoices and credit
notes are numbered in series of their own

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DOCUMENT = sa.Enum("invoice", "credit_note", name="document", native_enum=False, length=20)


def upgrade() -> None:
    op.create_table(
        "credit_note",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("business_id", sa.Uuid(), nullable=False),
        sa.Column("invoice_id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("financial_year", sa.String(length=7), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("taxable_paise", sa.BigInteger(), nullable=False),
        sa.Column("cgst_paise", sa.BigInteger(), nullable=False),
        sa.Column("sgst_paise", sa.BigInteger(), nullable=False),
        sa.Column("igst_paise", sa.BigInteger(), nullable=False),
        sa.Column("round_off_paise", sa.BigInteger(), nullable=False),
        sa.Column("total_paise", sa.BigInteger(), nullable=False),
        sa.Column("created_at", bot.db.AwareDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["business.id"],
            name=op.f("fk_credit_note_business_id_business"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_credit_note_customer_id_customer")
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoice.id"], name=op.f("fk_credit_note_invoice_id_invoice")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_note")),
        sa.UniqueConstraint(
            "business_id",
            "financial_year",
            "number",
            name=op.f("uq_credit_note_business_id_financial_year_number"),
        ),
    )
    with op.batch_alter_table("credit_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_credit_note_business_id"), ["business_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_credit_note_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_credit_note_invoice_id"), ["invoice_id"], unique=False)

    # Every counter so far numbered invoices.
    with op.batch_alter_table("invoice_counter", schema=None) as batch_op:
        batch_op.add_column(sa.Column("document", _DOCUMENT, nullable=False, server_default="invoice"))
        batch_op.drop_constraint(batch_op.f("uq_invoice_counter_business_id_financial_year"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_invoice_counter_business_id_document_financial_year"),
            ["business_id", "document", "financial_year"],
        )
    with op.batch_alter_table("invoice_counter", schema=None) as batch_op:
        batch_op.alter_column("document", server_default=None)


def downgrade() -> None:
    # Credit-note counters go with their notes; the invoice counters stay.
    op.execute("DELETE FROM invoice_counter WHERE document = 'credit_note'")
    with op.batch_alter_table("invoice_counter", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_invoice_counter_business_id_document_financial_year"), type_="unique"
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_invoice_counter_business_id_financial_year"), ["business_id", "financial_year"]
        )
        batch_op.drop_column("document")

    with op.batch_alter_table("credit_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credit_note_invoice_id"))
        batch_op.drop_index(batch_op.f("ix_credit_note_customer_id"))
        batch_op.drop_index(batch_op.f("ix_credit_note_business_id"))
    op.drop_table("credit_note")
