"""A bank statement sent in chat: the owner forwards the export from net banking as a document, and hears
what was recorded and what is left to check."""

from __future__ import annotations

from bot.errors import InvalidInput
from bot.i18n import Bullets, Money, Phrase
from connectors.channels.base import Document
from dialogues.reply import Reply
from dialogues.turn import Turn
from modules.payments.bank import ImportedLine, import_statement

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
    if to_check:
        replies.append(
            Reply("bank.to_check", {"lines": Bullets(tuple(_to_check(line) for line in to_check))})
        )
    return replies


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
    return Phrase("bank.check_line", params)
