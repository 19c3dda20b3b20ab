"""payment claims: rejected_at (the owner never received it) and for_invoice_id (the invoice meant)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rejected_at", bot.db.AwareDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("for_invoice_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_payment_for_invoice_id_invoice"), "invoice", ["for_invoice_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_payment_for_invoice_id_invoice"), type_="foreignkey")
        batch_op.drop_column("for_invoice_id")
        batch_op.drop_column("rejected_at")
