"""The contract's intents (shared/spec/nlu-contract.md) and who is expected to say each one."""

from __future__ import annotations

from typing import Final

OUT_OF_SCOPE: Final = "out_of_scope"

ANYONE: Final = ("out_of_scope", "greet", "thanks", "help", "affirm", "deny", "cancel")
OWNER: Final = (
    "create_invoice",
    "send_reminder",
    "record_payment",
    "report",
    "top_constraint",
    "add_customer",
    "legal_notice",
    "list_disputes",
    "pause_reminders",
    "forecast",
    # Ours, not the contract's (see the changelog in nlu/README.md).
    "cancel_invoice",
    "resend_invoice",
    "list_invoices",
    "resolve_dispute",
    "set_reminders",
)
BOTH: Final = ("ask_outstanding", "customer_statement", "payment_link", "set_language")
# opt_in is ours, not the contract's (see the changelog in nlu/README.md).
CUSTOMER: Final = (
    "promise_to_pay",
    "claim_paid",
    "dispute",
    "request_invoice",
    "request_extension",
    "opt_out",
    "opt_in",
    "talk_to_human",
)
INTENTS: Final = (*ANYONE, *OWNER, *BOTH, *CUSTOMER)


def unusual_for(role: str | None) -> frozenset[str]:
    """Intents the other side says: an owner rarely claims to have paid, a customer never bills."""
    if role == "owner":
        return frozenset(CUSTOMER)
    if role == "customer":
        return frozenset(OWNER)
    return frozenset()
