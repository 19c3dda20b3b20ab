"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('business',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('legal_name', sa.String(length=200), nullable=False),
    sa.Column('gstin', sa.String(length=15), nullable=True),
    sa.Column('state_code', sa.String(length=2), nullable=False),
    sa.Column('address', sa.String(length=500), nullable=False),
    sa.Column('upi_vpa', sa.String(length=100), nullable=True),
    sa.Column('whatsapp_number', sa.String(length=20), nullable=False),
    sa.Column('default_language', sa.String(length=10), nullable=False),
    sa.Column('timezone', sa.String(length=50), nullable=False),
    sa.Column('invoice_prefix', sa.String(length=6), nullable=False),
    sa.Column('created_at', bot.db.AwareDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_business')),
    sa.UniqueConstraint('whatsapp_number', name=op.f('uq_business_whatsapp_number'))
    )
    op.create_table('conversation',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('business_id', sa.Uuid(), nullable=False),
    sa.Column('phone', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=True),
    sa.Column('active_form', sa.String(length=50), nullable=True),
    sa.Column('state', sa.JSON(), nullable=False),
    sa.Column('last_message_at', bot.db.AwareDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', bot.db.AwareDateTime(timezone=True), nullable=False),
    sa.Column('created_at', bot.db.AwareDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_conversation_business_id_business'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation')),
    sa.UniqueConstraint('business_id', 'phone', 'channel', name=op.f('uq_conversation_business_id_phone_channel'))
    )
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_business_id'), ['business_id'], unique=False)

    op.create_table('customer',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('business_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('gstin', sa.String(length=15), nullable=True),
    sa.Column('state_code', sa.String(length=2), nullable=False),
    sa.Column('address', sa.String(length=500), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('opted_out_at', bot.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('credit_days', sa.Integer(), nullable=False),
    sa.Column('created_at', bot.db.AwareDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_customer_business_id_business'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer'))
    )
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_business_id'), ['business_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_name'), ['name'], unique=False)

    op.create_table('invoice_counter',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('business_id', sa.Uuid(), nullable=False),
    sa.Column('financial_year', sa.String(length=7), nullable=False),
    sa.Column('last_sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', bot.db.AwareDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_invoice_counter_business_id_business'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice_counter')),
    sa.UniqueConstraint('business_id', 'financial_year', name=op.f('uq_invoice_counter_business_id_financial_year'))
    )
    with op.batch_alter_table('invoice_counter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invoice_counter_business_id'), ['business_id'], unique=False)

    op.create_table('message',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('business_id', sa.Uuid(), nullable=True),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('direction', sa.Enum('inbound', 'outbound', name='direction', native_enum=False, length=20), nullable=False),
    sa.Column('provider_message_id', sa.String(length=128), nullable=True),
    sa.Column('sender', sa.String(length=64), nullable=False),
    sa.Column('recipient', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('media', sa.JSON(), nullable=False),
    sa.Column('delivery_status', sa.String(length=20), nullable=True),
    sa.Column('received_at', bot.db.AwareDateTime(timezone=True), nullable=False),
    sa.Column('created_at', bot.db.AwareDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_message_business_id_business'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message')),
    sa.UniqueConstraint('channel', 'provider_message_id', name=op.f('uq_message_channel_provider_message_id'))
    )
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_business_id'), ['business_id'], unique=False)

    op.create_table('staff',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('business_id', sa.Uuid(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.Enum('owner', 'staff', name='role', native_enum=False, length=20), nullable=False),
    sa.Column('created_at', bot.db.AwareDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_staff_business_id_business'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff')),
    sa.UniqueConstraint('business_id', 'phone', name=op.f('uq_staff_business_id_phone'))
    )
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_business_id'), ['business_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_phone'), ['phone'], unique=False)

    op.create_table('customer_phone',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('business_id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', bot.db.AwareDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_customer_phone_business_id_business'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_customer_phone_customer_id_customer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_phone')),
    sa.UniqueConstraint('business_id', 'phone', name=op.f('uq_customer_phone_business_id_phone'))
    )
    with op.batch_alter_table('customer_phone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_phone_business_id'), ['business_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_phone_customer_id'), ['customer_id'], unique=False)

    op.create_table('invoice',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('business_id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.String(length=16), nullable=False),
    sa.Column('financial_year', sa.String(length=7), nullable=False),
    sa.Column('issue_date', sa.Date(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('place_of_supply', sa.String(length=2), nullable=False),
    sa.Column('status', sa.Enum('draft', 'sent', 'partially_paid', 'paid', 'disputed', 'cancelled', name='invoicestatus', native_enum=False, length=20), nullable=False),
    sa.Column('taxable_paise', sa.BigInteger(), nullable=False),
    sa.Column('cgst_paise', sa.BigInteger(), nullable=False),
    sa.Column('sgst_paise', sa.BigInteger(), nullable=False),
    sa.Column('igst_paise', sa.BigInteger(), nullable=False),
    sa.Column('total_paise', sa.BigInteger(), nullable=False),
    sa.Column('notes', sa.String(length=500), nullable=False),
    sa.Column('created_at', bot.db.AwareDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_invoice_business_id_business'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_invoice_customer_id_customer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice')),
    sa.UniqueConstraint('business_id', 'financial_year', 'number', name=op.f('uq_invoice_business_id_financial_year_number'))
    )
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invoice_business_id'), ['business_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invoice_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invoice_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_invoice_status'), ['status'], unique=False)

    op.create_table('outbox',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('business_id', sa.Uuid(), nullable=False),
    sa.Column('reply_to_id', sa.Uuid(), nullable=True),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('recipient', sa.String(length=64), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=100), nullable=False),
    sa.Column('status', sa.Enum('pending', 'sent', 'failed', 'dead', name='outboxstatus', native_enum=False, length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', bot.db.AwareDateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.String(length=1000), nullable=True),
    sa.Column('sent_at', bot.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('provider_message_id', sa.String(length=128), nullable=True),
    sa.Column('created_at', bot.db.AwareDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_outbox_business_id_business'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reply_to_id'], ['message.id'], name=op.f('fk_outbox_reply_to_id_message')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_outbox_idempotency_key'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_business_id'), ['business_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_reply_to_id'), ['reply_to_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_status'), ['status'], unique=False)

    op.create_table('payment',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('business_id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('amount_paise', sa.BigInteger(), nullable=False),
    sa.Column('mode', sa.Enum('upi', 'neft', 'rtgs', 'imps', 'cash', 'cheque', 'card', 'other', name='paymentmode', native_enum=False, length=20), nullable=False),
    sa.Column('utr', sa.String(length=40), nullable=True),
    sa.Column('received_at', bot.db.AwareDateTime(timezone=True), nullable=False),
    sa.Column('confirmed', sa.Boolean(), nullable=False),
    sa.Column('source', sa.Enum('owner', 'customer_claim', 'gateway', 'bank_statement', name='paymentsource', native_enum=False, length=20), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('created_at', bot.db.AwareDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_payment_business_id_business'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_payment_customer_id_customer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment'))
    )
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_business_id'), ['business_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_utr'), ['utr'], unique=False)

    op.create_table('dispute',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('business_id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('invoice_id', sa.Uuid(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('open', 'resolved', 'rejected', name='disputestatus', native_enum=False, length=20), nullable=False),
    sa.Column('resolution', sa.String(length=1000), nullable=False),
    sa.Column('resolved_at', bot.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('created_at', bot.db.AwareDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_dispute_business_id_business'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_dispute_customer_id_customer')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoice.id'], name=op.f('fk_dispute_invoice_id_invoice')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispute'))
    )
    with op.batch_alter_table('dispute', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dispute_business_id'), ['business_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dispute_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dispute_invoice_id'), ['invoice_id'], unique=False)

    op.create_table('invoice_line',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('business_id', sa.Uuid(), nullable=False),
    sa.Column('invoice_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('hsn_sac', sa.String(length=8), nullable=True),
    sa.Column('quantity', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('unit_price_paise', sa.BigInteger(), nullable=False),
    sa.Column('gst_rate', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('taxable_paise', sa.BigInteger(), nullable=False),
    sa.Column('cgst_paise', sa.BigInteger(), nullable=False),
    sa.Column('sgst_paise', sa.BigInteger(), nullable=False),
    sa.Column('igst_paise', sa.BigInteger(), nullable=False),
    sa.Column('total_paise', sa.BigInteger(), nullable=False),
    sa.Column('created_at', bot.db.AwareDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_invoice_line_business_id_business'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoice.id'], name=op.f('fk_invoice_line_invoice_id_invoice'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice_line'))
    )
    with op.batch_alter_table('invoice_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invoice_line_business_id'), ['business_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invoice_line_invoice_id'), ['invoice_id'], unique=False)

    op.create_table('payment_allocation',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('business_id', sa.Uuid(), nullable=False),
    sa.Column('payment_id', sa.Uuid(), nullable=False),
    sa.Column('invoice_id', sa.Uuid(), nullable=False),
    sa.Column('amount_paise', sa.BigInteger(), nullable=False),
    sa.Column('created_at', bot.db.AwareDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_payment_allocation_business_id_business'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoice.id'], name=op.f('fk_payment_allocation_invoice_id_invoice')),
    sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_payment_allocation_payment_id_payment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_allocation')),
    sa.UniqueConstraint('payment_id', 'invoice_id', name=op.f('uq_payment_allocation_payment_id_invoice_id'))
    )
    with op.batch_alter_table('payment_allocation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_allocation_business_id'), ['business_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_allocation_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_allocation_payment_id'), ['payment_id'], unique=False)

    op.create_table('payment_link',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('business_id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('invoice_id', sa.Uuid(), nullable=True),
    sa.Column('amount_paise', sa.BigInteger(), nullable=False),
    sa.Column('provider', sa.String(length=20), nullable=False),
    sa.Column('provider_reference', sa.String(length=64), nullable=True),
    sa.Column('url', sa.String(length=1000), nullable=False),
    sa.Column('status', sa.Enum('active', 'paid', 'expired', 'cancelled', name='paymentlinkstatus', native_enum=False, length=20), nullable=False),
    sa.Column('expires_at', bot.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('created_at', bot.db.AwareDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_payment_link_business_id_business'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_payment_link_customer_id_customer')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoice.id'], name=op.f('fk_payment_link_invoice_id_invoice')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_link'))
    )
    with op.batch_alter_table('payment_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_link_business_id'), ['business_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_link_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_link_invoice_id'), ['invoice_id'], unique=False)

    op.create_table('promise_to_pay',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('business_id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('invoice_id', sa.Uuid(), nullable=True),
    sa.Column('promised_date', sa.Date(), nullable=False),
    sa.Column('amount_paise', sa.BigInteger(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'kept', 'broken', name='promisestatus', native_enum=False, length=20), nullable=False),
    sa.Column('resolved_at', bot.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('created_at', bot.db.AwareDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_promise_to_pay_business_id_business'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_promise_to_pay_customer_id_customer')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoice.id'], name=op.f('fk_promise_to_pay_invoice_id_invoice')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promise_to_pay'))
    )
    with op.batch_alter_table('promise_to_pay', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_promise_to_pay_business_id'), ['business_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_promise_to_pay_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_promise_to_pay_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_promise_to_pay_promised_date'), ['promised_date'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('promise_to_pay', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_promise_to_pay_promised_date'))
        batch_op.drop_index(batch_op.f('ix_promise_to_pay_invoice_id'))
        batch_op.drop_index(batch_op.f('ix_promise_to_pay_customer_id'))
        batch_op.drop_index(batch_op.f('ix_promise_to_pay_business_id'))

    op.drop_table('promise_to_pay')
    with op.batch_alter_table('payment_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_link_invoice_id'))
        batch_op.drop_index(batch_op.f('ix_payment_link_customer_id'))
        batch_op.drop_index(batch_op.f('ix_payment_link_business_id'))

    op.drop_table('payment_link')
    with op.batch_alter_table('payment_allocation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_allocation_payment_id'))
        batch_op.drop_index(batch_op.f('ix_payment_allocation_invoice_id'))
        batch_op.drop_index(batch_op.f('ix_payment_allocation_business_id'))

    op.drop_table('payment_allocation')
    with op.batch_alter_table('invoice_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invoice_line_invoice_id'))
        batch_op.drop_index(batch_op.f('ix_invoice_line_business_id'))

    op.drop_table('invoice_line')
    with op.batch_alter_table('dispute', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dispute_invoice_id'))
        batch_op.drop_index(batch_op.f('ix_dispute_customer_id'))
        batch_op.drop_index(batch_op.f('ix_dispute_business_id'))

    op.drop_table('dispute')
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_utr'))
        batch_op.drop_index(batch_op.f('ix_payment_customer_id'))
        batch_op.drop_index(batch_op.f('ix_payment_business_id'))

    op.drop_table('payment')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_status'))
        batch_op.drop_index(batch_op.f('ix_outbox_reply_to_id'))
        batch_op.drop_index(batch_op.f('ix_outbox_business_id'))

    op.drop_table('outbox')
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invoice_status'))
        batch_op.drop_index(batch_op.f('ix_invoice_due_date'))
        batch_op.drop_index(batch_op.f('ix_invoice_customer_id'))
        batch_op.drop_index(batch_op.f('ix_invoice_business_id'))

    op.drop_table('invoice')
    with op.batch_alter_table('customer_phone', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_phone_customer_id'))
        batch_op.drop_index(batch_op.f('ix_customer_phone_business_id'))

    op.drop_table('customer_phone')
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_phone'))
        batch_op.drop_index(batch_op.f('ix_staff_business_id'))

    op.drop_table('staff')
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_business_id'))

    op.drop_table('message')
    with op.batch_alter_table('invoice_counter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invoice_counter_business_id'))

    op.drop_table('invoice_counter')
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_name'))
        batch_op.drop_index(batch_op.f('ix_customer_business_id'))

    op.drop_table('customer')
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_business_id'))

    op.drop_table('conversation')
    op.drop_table('business')
