"""bank_line: the lines of imported bank statements, each with a fingerprint so a statement imported twice
adds nothing twice, and what reconciliation made of it; gateway_event: payment gateway webhook events
handled, so a redelivered one is handled once

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bank_line",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("business_id", sa.Uuid(), nullable=False),
        sa.Column("bank", sa.String(length=20), nullable=False),
        sa.Column("account", sa.String(length=40), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("narration", sa.String(length=500), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=True),
        sa.Column("credit_paise", sa.BigInteger(), nullable=False),
        sa.Column("debit_paise", sa.BigInteger(), nullable=False),
        sa.Column("balance_paise", sa.BigInteger(), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "applied", "asked", "unknown", "debit", name="banklinestatus", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("reasons", sa.String(length=200), nullable=False),
        sa.Column("confidence_pct", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=True),
        sa.Column("proposal", sa.JSON(), nullable=False),
        sa.Column("payment_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", bot.db.AwareDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["business.id"],
            name=op.f("fk_bank_line_business_id_business"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_bank_line_customer_id_customer")
        ),
        sa.ForeignKeyConstraint(["payment_id"], ["payment.id"], name=op.f("fk_bank_line_payment_id_payment")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_line")),
        sa.UniqueConstraint("business_id", "fingerprint", name=op.f("uq_bank_line_business_id_fingerprint")),
    )
    with op.batch_alter_table("bank_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bank_line_business_id"), ["business_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_bank_line_day"), ["day"], unique=False)
        batch_op.create_index(batch_op.f("ix_bank_line_status"), ["status"], unique=False)
    op.create_table(
        "gateway_event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("payment_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", bot.db.AwareDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["payment_id"], ["payment.id"], name=op.f("fk_gateway_event_payment_id_payment")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gateway_event")),
        sa.UniqueConstraint("provider", "event_id", name=op.f("uq_gateway_event_provider_event_id")),
    )


def downgrade() -> None:
    op.drop_table("gateway_event")
    with op.batch_alter_table("bank_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bank_line_status"))
        batch_op.drop_index(batch_op.f("ix_bank_line_day"))
        batch_op.drop_index(batch_op.f("ix_bank_line_business_id"))

    op.drop_table("bank_line")
