"""invoice: round_off_paise, the total brought to the nearest rupee as Indian invoices print it

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Invoices made before keep their exact totals: their round-off is nothing.
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.add_column(sa.Column("round_off_paise", sa.BigInteger(), nullable=False, server_default="0"))
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.alter_column("round_off_paise", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.drop_column("round_off_paise")
