"""A bank statement sent in chat: the owner forwards the export from net banking as a document, hears what
was recorded and what is left to check, and is asked about the likeliest of those, one at a time."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.db import Database
from bot.errors import InvalidInput
from bot.i18n import Bullets, Money, Phrase
from connectors.channels.base import Document
from dialogues.forms import Form, Slot, Slots, SlotValue
from dialogues.registry import IntentHandler
from dialogues.reply import NO, YES, Reply, To
from dialogues.turn import AWAIT_CONFIRM, Turn
from modules.customers.repository import get_customer
from modules.invoicing.repository import invoice_numbers
from modules.payments.bank import ImportedLine, apply_line, dismiss_line, import_statement, line_to_check
from modules.payments.handlers import ask_owners, received_replies

QUESTIONS = 5  # lines to check put to the owner as yes/no questions, the largest first
BANK_NAMES = {
    "hdfc": "HDFC",
    "icici": "ICICI",
    "sbi": "SBI",
    "axis": "Axis",
    "kotak": "Kotak",
    "generic": "Bank",
}
LISTED = 10  # lines listed of each kind; the first reply says how many there are in all


def statement_sent(turn: Turn, document: Document) -> list[Reply]:
    """Import the statement a business's owner or staff sent; anyone else hears that files are not read."""
    if not turn.sender.runs_the_business:
        return [Reply("bank.documents_from_owner", {"business": turn.business.name})]
    if document.content is None:
        return [Reply("bank.unreadable", {"filename": document.filename})]
    try:
        result = import_statement(
            turn.db, business_id=turn.business.id, data=document.content, filename=document.filename
        )
    except InvalidInput:
        return [Reply("bank.unreadable", {"filename": document.filename})]
    bank = BANK_NAMES.get(result.bank, result.bank.upper())
    if result.new == 0:
        return [Reply("bank.imported_nothing_new", {"bank": bank})]
    replies = [
        Reply(
            "bank.imported",
            {
                "bank": bank,
                "new": result.new,
                "lines": result.lines,
                "applied": len(result.applied),
                "asked": len(result.asked),
                "unknown": len(result.unknown),
            },
        )
    ]
    if result.applied:
        recorded = tuple(_applied(line) for line in result.applied[:LISTED])
        replies.append(Reply("bank.recorded", {"lines": Bullets(recorded)}))
    to_check = [*result.asked, *result.unknown][:LISTED]
    likely = [line for line in result.asked if _askable(line)]
    questions = sorted(likely, key=lambda line: -line.amount_paise)
    for line in questions[:QUESTIONS]:
        turn.state.ask(CONFIRM_BANK_LINE.name, {"line_id": str(line.line_id)})
    if to_check:
        replies.append(
            Reply("bank.to_check", {"lines": Bullets(tuple(_to_check(line) for line in to_check))})
        )
    if turn.state.form == CONFIRM_BANK_LINE.name and turn.state.awaiting == AWAIT_CONFIRM:
        question = _question(turn, turn.state.slots)
        replies.append(Reply(question.key, question.params, buttons=(YES, NO)))
    return replies


def _question(turn: Turn, slots: Slots) -> Reply:
    return Reply("bank.question", _question_params(turn.db, turn.business.id, uuid.UUID(slots["line_id"])))


def _question_params(db: Database, business_id: uuid.UUID, line_id: uuid.UUID) -> dict[str, object]:
    line = line_to_check(db, business_id=business_id, line_id=line_id)
    assert line.customer_id is not None
    with db.transaction() as session:
        customer = get_customer(session, business_id=business_id, customer_id=line.customer_id)
        proposed = [uuid.UUID(i) for i in line.proposal]
        numbers = invoice_numbers(session, business_id=business_id, invoice_ids=proposed)
    return {
        "amount": Money(line.credit_paise),
        "day": line.day,
        "narration": line.narration[:80],
        "customer": customer.name,
        "invoices": ", ".join(numbers[i] for i in proposed if i in numbers),
    }


def gateway_money_to_check(
    db: Database,
    session: Session,
    *,
    business_id: uuid.UUID,
    line: ImportedLine,
    now: datetime,
    timeout: timedelta,
    fallback_channel: str,
) -> list[Reply]:
    """Money a gateway took that no link of ours explains and reconciliation was not sure of: the owner
    asked yes/no when a customer and bills are likely (and nothing looks wrong), else told to look."""
    if _askable(line):
        ask_owners(
            session,
            business_id=business_id,
            form=CONFIRM_BANK_LINE.name,
            slots={"line_id": str(line.line_id)},
            now=now,
            timeout=timeout,
            fallback_channel=fallback_channel,
        )
        params = _question_params(db, business_id, line.line_id)
        return [Reply("bank.question", params, to=To.OWNER, buttons=(YES, NO))]
    params = {"amount": Money(line.amount_paise), "day": line.day, "narration": line.narration[:80]}
    return [Reply("bank.gateway_unmatched", params, to=To.OWNER)]


def _askable(line: ImportedLine) -> bool:
    """A yes can be right: a customer and the bills it would pay, and nothing suspicious (a UTR already
    recorded is the same money twice however likely the rest looks)."""
    return bool(line.customer and line.invoices and not line.match.flags)


def _apply(turn: Turn, slots: Slots) -> list[Reply]:
    line_id = uuid.UUID(slots["line_id"])
    payment = apply_line(turn.db, business_id=turn.business.id, line_id=line_id, tz=turn.business.tz)
    return received_replies(turn, payment, owner_key="payment.confirmed")


def _dismiss(turn: Turn, slots: Slots) -> list[Reply]:
    line = dismiss_line(turn.db, business_id=turn.business.id, line_id=uuid.UUID(slots["line_id"]))
    return [Reply("bank.dismissed", {"amount": Money(line.credit_paise), "day": line.day})]


def _no_value(turn: Turn, answering: bool) -> SlotValue | None:
    return None  # the line is chosen by the import, never read from a message


CONFIRM_BANK_LINE = Form(
    "confirm_bank_line",
    slots=(Slot("line_id", "ask.payment", _no_value),),
    submit=_apply,
    confirm=_question,
    deny=_dismiss,
)
HANDLERS: tuple[IntentHandler, ...] = ()
FORMS = (CONFIRM_BANK_LINE,)


def _applied(line: ImportedLine) -> Phrase:
    params = {
        "day": line.day,
        "amount": Money(line.amount_paise),
        "customer": line.customer or "",
        "invoices": ", ".join(line.invoices) or "-",
    }
    return Phrase("bank.applied_line", params)


def _to_check(line: ImportedLine) -> Phrase:
    params = {"day": line.day, "amount": Money(line.amount_paise), "narration": line.narration[:80]}
    if line.match.flags:  # why it was not recorded however sure the rest looked
        return Phrase("bank.check_line_flagged", {**params, "flag": Phrase(f"flag.{line.match.flags[0]}")})
    return Phrase("bank.check_line", params)
