"""real channels: inbound messages handled in the background, delivery states, message kinds, addresses

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("button_id", sa.String(length=256), nullable=True))
        batch_op.add_column(sa.Column("handled_at", bot.db.AwareDateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("handle_attempts", sa.Integer(), nullable=False, server_default="0")
        )
    # Messages stored before this revision were answered when they came: not work left over.
    op.execute("UPDATE message SET handled_at = received_at WHERE direction = 'inbound'")
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.alter_column("handle_attempts", server_default=None)

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=20), nullable=False, server_default="reply"))
        batch_op.add_column(sa.Column("delivery_status", sa.String(length=20), nullable=True))
        batch_op.add_column(
            sa.Column("delivery_updated_at", bot.db.AwareDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("reported_at", bot.db.AwareDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_outbox_provider_message_id"), ["provider_message_id"], unique=False)
        batch_op.alter_column(
            "status",
            existing_type=sa.Enum("pending", "sent", "failed", "dead", name="outboxstatus", native_enum=False, length=20),
            type_=sa.Enum(
                "pending", "sent", "failed", "dead", "sending", "cancelled", name="outboxstatus", native_enum=False, length=20
            ),
            existing_nullable=False,
        )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.alter_column("kind", server_default=None)

    op.create_table(
        "channel_address",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("created_at", bot.db.AwareDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_address")),
        sa.UniqueConstraint("channel", "address", name=op.f("uq_channel_address_channel_address")),
    )
    with op.batch_alter_table("channel_address", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_channel_address_phone"), ["phone"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("channel_address", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_channel_address_phone"))
    op.drop_table("channel_address")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_provider_message_id"))
        batch_op.drop_column("reported_at")
        batch_op.drop_column("delivery_updated_at")
        batch_op.drop_column("delivery_status")
        batch_op.drop_column("kind")
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_column("handle_attempts")
        batch_op.drop_column("handled_at")
        batch_op.drop_column("button_id")
