"""reminder: one row per customer per day, sent or skipped with why (its unique key is what keeps two
scheduler processes from reminding twice), with tone, bills, language and the customer's answer;
reminder_pause: no reminders to a customer or about a bill until a day; reminder_policy: a business's or a
customer's own cadence; briefing: the owner's morning briefing, once a day, with the top constraint it named;
business.briefing_hour

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table("briefing",
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("business_id", sa.Uuid(), nullable=False),
    sa.Column("day", sa.Date(), nullable=False),
    sa.Column("sent_at", bot.db.AwareDateTime(timezone=True), nullable=False),
    sa.Column("top_kind", sa.String(length=20), nullable=True),
    sa.Column("top_customer_id", sa.Uuid(), nullable=True),
    sa.Column("top_amount_paise", sa.BigInteger(), nullable=False),
    sa.Column("created_at", bot.db.AwareDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["business_id"], ["business.id"], name=op.f("fk_briefing_business_id_business"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["top_customer_id"], ["customer.id"], name=op.f("fk_briefing_top_customer_id_customer"), ondelete="SET NULL"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_briefing")),
    sa.UniqueConstraint("business_id", "day", name=op.f("uq_briefing_business_id_day"))
    )
    with op.batch_alter_table("briefing", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_briefing_business_id"), ["business_id"], unique=False)

    op.create_table("reminder",
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("business_id", sa.Uuid(), nullable=False),
    sa.Column("customer_id", sa.Uuid(), nullable=False),
    sa.Column("day", sa.Date(), nullable=False),
    sa.Column("status", sa.Enum("sent", "skipped", name="reminderstatus", native_enum=False, length=20), nullable=False),
    sa.Column("reason", sa.String(length=80), nullable=False),
    sa.Column("tone", sa.Enum("gentle", "friendly", "firm", "final", name="tone", native_enum=False, length=20), nullable=True),
    sa.Column("invoice_ids", sa.JSON(), nullable=False),
    sa.Column("amount_paise", sa.BigInteger(), nullable=False),
    sa.Column("by_owner", sa.Boolean(), nullable=False),
    sa.Column("sent_at", bot.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column("reply_intent", sa.String(length=40), nullable=True),
    sa.Column("replied_at", bot.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column("created_at", bot.db.AwareDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["business_id"], ["business.id"], name=op.f("fk_reminder_business_id_business"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], name=op.f("fk_reminder_customer_id_customer"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder")),
    sa.UniqueConstraint("business_id", "customer_id", "day", name=op.f("uq_reminder_business_id_customer_id_day"))
    )
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_business_id"), ["business_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reminder_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reminder_day"), ["day"], unique=False)

    op.create_table("reminder_policy",
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("business_id", sa.Uuid(), nullable=False),
    sa.Column("customer_id", sa.Uuid(), nullable=True),
    sa.Column("before_days", sa.JSON(), nullable=False),
    sa.Column("on_due", sa.Boolean(), nullable=False),
    sa.Column("every_days_after", sa.Integer(), nullable=False),
    sa.Column("created_at", bot.db.AwareDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["business_id"], ["business.id"], name=op.f("fk_reminder_policy_business_id_business"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], name=op.f("fk_reminder_policy_customer_id_customer"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_policy")),
    sa.UniqueConstraint("business_id", "customer_id", name=op.f("uq_reminder_policy_business_id_customer_id"))
    )
    with op.batch_alter_table("reminder_policy", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_policy_business_id"), ["business_id"], unique=False)

    op.create_table("reminder_pause",
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("business_id", sa.Uuid(), nullable=False),
    sa.Column("customer_id", sa.Uuid(), nullable=False),
    sa.Column("invoice_id", sa.Uuid(), nullable=True),
    sa.Column("until", sa.Date(), nullable=False),
    sa.Column("created_at", bot.db.AwareDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["business_id"], ["business.id"], name=op.f("fk_reminder_pause_business_id_business"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], name=op.f("fk_reminder_pause_customer_id_customer"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["invoice_id"], ["invoice.id"], name=op.f("fk_reminder_pause_invoice_id_invoice"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_pause"))
    )
    with op.batch_alter_table("reminder_pause", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_pause_business_id"), ["business_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reminder_pause_customer_id"), ["customer_id"], unique=False)

    with op.batch_alter_table("business", schema=None) as batch_op:
        batch_op.add_column(sa.Column("briefing_hour", sa.Integer(), server_default="9", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("business", schema=None) as batch_op:
        batch_op.drop_column("briefing_hour")

    with op.batch_alter_table("reminder_pause", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_pause_customer_id"))
        batch_op.drop_index(batch_op.f("ix_reminder_pause_business_id"))

    op.drop_table("reminder_pause")
    with op.batch_alter_table("reminder_policy", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_policy_business_id"))

    op.drop_table("reminder_policy")
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_day"))
        batch_op.drop_index(batch_op.f("ix_reminder_customer_id"))
        batch_op.drop_index(batch_op.f("ix_reminder_business_id"))

    op.drop_table("reminder")
    with op.batch_alter_table("briefing", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_briefing_business_id"))

    op.drop_table("briefing")
