"""A customer's complaint about a bill, kept in their words; the owner sees what is pending."""

from __future__ import annotations

from dialogues.registry import CUSTOMER, OWNER, IntentHandler
from dialogues.reply import Reply, To
from dialogues.turn import Turn
from modules.disputes.repository import open_disputes
from modules.disputes.service import open_dispute
from modules.invoicing.models import OPEN_STATUSES
from modules.invoicing.repository import find_invoice_by_number, latest_invoice

MAX_LISTED = 10


def dispute(turn: Turn) -> list[Reply]:
    """The bill they name, else their latest open one, is marked disputed; the owner gets their words."""
    assert turn.sender.customer_id is not None
    number = turn.parse.entity("invoice_number")
    with turn.db.transaction() as session:
        if number is not None:
            invoice = find_invoice_by_number(
                session,
                business_id=turn.business.id,
                number=str(number.value),
                customer_id=turn.sender.customer_id,
            )
        else:
            invoice = latest_invoice(
                session,
                business_id=turn.business.id,
                customer_id=turn.sender.customer_id,
                statuses=OPEN_STATUSES,
            )
        invoice_id, invoice_number = (invoice.id, invoice.number) if invoice else (None, "—")
    open_dispute(
        turn.db,
        business_id=turn.business.id,
        customer_id=turn.sender.customer_id,
        reason=turn.text,
        invoice_id=invoice_id,
    )
    params = {
        "customer": turn.sender.name,
        "number": invoice_number,
        "words": turn.text[:500],
        "business": turn.business.name,
    }
    return [Reply("dispute.noted", params), Reply("dispute.owner_notice", params, to=To.OWNER)]


def list_disputes(turn: Turn) -> list[Reply]:
    with turn.db.transaction() as session:
        pending = open_disputes(session, business_id=turn.business.id)
    if not pending:
        return [Reply("dispute.none_open")]
    lines = "\n".join(
        f"{n}. {d.customer} ({d.invoice_number or '—'}): {d.reason[:120]}"
        for n, d in enumerate(pending[:MAX_LISTED], start=1)
    )
    return [Reply("dispute.open_list", {"count": len(pending), "lines": lines})]


HANDLERS = (
    IntentHandler("dispute", CUSTOMER, handle=dispute),
    IntentHandler("list_disputes", OWNER, handle=list_disputes),
)
