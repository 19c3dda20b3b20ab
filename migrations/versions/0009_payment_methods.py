"""business bank account details (offered for bank transfers, printed on invoices); payment.payer_vpa (the
UPI id money came from) and payment.gateway_payment_id (one payment however many gateway events tell of it);
bank_line.gateway_payment_id (gateway money outside our links, reconciled like a statement line)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("business", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bank_account_name", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("bank_account_number", sa.String(length=18), nullable=True))
        batch_op.add_column(sa.Column("bank_ifsc", sa.String(length=11), nullable=True))
        batch_op.add_column(sa.Column("bank_name", sa.String(length=80), nullable=True))
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("payer_vpa", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("gateway_payment_id", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_payment_payer_vpa"), ["payer_vpa"], unique=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_payment_business_id_gateway_payment_id"), ["business_id", "gateway_payment_id"]
        )
    with op.batch_alter_table("bank_line", schema=None) as batch_op:
        batch_op.add_column(sa.Column("gateway_payment_id", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("bank_line", schema=None) as batch_op:
        batch_op.drop_column("gateway_payment_id")
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_payment_business_id_gateway_payment_id"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_payment_payer_vpa"))
        batch_op.drop_column("gateway_payment_id")
        batch_op.drop_column("payer_vpa")
    with op.batch_alter_table("business", schema=None) as batch_op:
        batch_op.drop_column("bank_name")
        batch_op.drop_column("bank_ifsc")
        batch_op.drop_column("bank_account_number")
        batch_op.drop_column("bank_account_name")
