"""business: invoice_series, the form of its invoice numbers ("{prefix}-{fy}-{n:04}" → INV-2026-27-0001)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every business so far numbered its invoices the default way; its series goes on unchanged.
    with op.batch_alter_table("business", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("invoice_series", sa.String(length=40), nullable=False, server_default="{prefix}-{fy}-{n:04}")
        )
    with op.batch_alter_table("business", schema=None) as batch_op:
        batch_op.alter_column("invoice_series", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("business", schema=None) as batch_op:
        batch_op.drop_column("invoice_series")
