"""Who owes what: the owner sees the market, a customer sees only their own account."""

from __future__ import annotations

import uuid

from bot.i18n import Money, format_day, format_inr
from dialogues.forms import Form, Slots
from dialogues.registry import ANYONE, CUSTOMER, OWNER, IntentHandler
from dialogues.reply import Reply
from dialogues.slots import customer_slot, resolve_customer
from dialogues.turn import Turn
from modules.ledger.documents import statement_media
from modules.ledger.service import business_outstanding, customer_outstanding, customer_statement

TOP_DEBTORS = 5
STATEMENT_LINES = 12


def ask_outstanding(turn: Turn) -> list[Reply]:
    if not turn.sender.runs_the_business:
        assert turn.sender.customer_id is not None
        return [
            _balance_reply(turn, turn.sender.customer_id, "ledger.your_balance", "ledger.you_owe_nothing")
        ]
    named = turn.parse.entity("customer")
    if named is not None:
        customer_id = resolve_customer(turn, str(named.value))
        return [_balance_reply(turn, customer_id, "ledger.customer_balance", "ledger.customer_owes_nothing")]
    market = business_outstanding(turn.db, business_id=turn.business.id, today=turn.today)
    if market.outstanding_paise == 0:
        return [Reply("ledger.market_clear")]
    top = [b for b in market.customers if b.balance_paise > 0][:TOP_DEBTORS]
    debtors = "\n".join(f"{n}. {b.name}: {format_inr(b.balance_paise)}" for n, b in enumerate(top, start=1))
    return [
        Reply(
            "ledger.market",
            {
                "total": Money(market.outstanding_paise),
                "overdue": Money(market.overdue_paise),
                "customers": sum(1 for b in market.customers if b.outstanding_paise > 0),
                "top": debtors,
            },
        )
    ]


def _balance_reply(turn: Turn, customer_id: uuid.UUID, key: str, clear_key: str) -> Reply:
    balance = customer_outstanding(
        turn.db, business_id=turn.business.id, customer_id=customer_id, today=turn.today
    )
    params = {
        "customer": balance.name,
        "business": turn.business.name,
        "total": Money(balance.balance_paise),
        "overdue": Money(balance.overdue_paise),
        "invoices": balance.open_invoices,
    }
    return Reply(key if balance.balance_paise > 0 else clear_key, params)


def _statement(turn: Turn, customer_id: uuid.UUID) -> list[Reply]:
    statement = customer_statement(turn.db, business_id=turn.business.id, customer_id=customer_id)
    if not statement.entries:
        return [Reply("ledger.statement_empty", {"customer": statement.name})]
    recent = statement.entries[-STATEMENT_LINES:]
    lines = "\n".join(
        f"{format_day(e.day, turn.language)} · {e.reference} · "
        + (f"+{format_inr(e.debit_paise)}" if e.debit_paise else f"−{format_inr(e.credit_paise)}")
        + f" → {format_inr(e.balance_paise)}"
        for e in recent
    )
    media = statement_media(
        customer_id=customer_id,
        as_of=turn.today,
        public_url=turn.settings.server.public_url,
        secret_key=turn.settings.secret_key.get_secret_value(),
    )
    return [
        Reply(
            "ledger.statement",
            {
                "customer": statement.name,
                "lines": lines,
                "shown": len(recent),
                "count": len(statement.entries),
                "balance": Money(statement.closing_balance_paise),
            },
            media=(media,),
        )
    ]


def _owner_statement(turn: Turn, slots: Slots) -> list[Reply]:
    return _statement(turn, uuid.UUID(slots["customer_id"]))


OWNER_STATEMENT = Form("customer_statement", slots=(customer_slot(),), submit=_owner_statement)


def own_statement(turn: Turn) -> list[Reply]:
    assert turn.sender.customer_id is not None
    return _statement(turn, turn.sender.customer_id)


HANDLERS = (
    IntentHandler("ask_outstanding", ANYONE, handle=ask_outstanding),
    IntentHandler("customer_statement", OWNER, form=OWNER_STATEMENT),
    IntentHandler("customer_statement", CUSTOMER, handle=own_statement),
)
