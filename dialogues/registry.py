"""Which handler (and form) serves each contract intent, and who may use it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from dialogues.forms import Form
from dialogues.reply import Reply
from dialogues.turn import Turn

OWNER = frozenset({"owner"})
CUSTOMER = frozenset({"customer"})
ANYONE = frozenset({"owner", "customer"})


@dataclass(frozen=True)
class IntentHandler:
    """Serves one intent: `handle` answers at once; a `form` first collects (and confirms) its slots."""

    intent: str
    roles: frozenset[str]
    handle: Callable[[Turn], list[Reply]] | None = None
    form: Form | None = None

    def __post_init__(self) -> None:
        if (self.handle is None) == (self.form is None):
            raise ValueError(f"{self.intent}: give a handle or a form, not both")


@dataclass(frozen=True)
class Action:
    """A button that carries an argument: "confirm_payment:<uuid>" runs `confirm_payment` with it, so a
    tap means the same thing however many questions came after it."""

    name: str
    roles: frozenset[str]
    run: Callable[[Turn, str], list[Reply]]


@dataclass(frozen=True)
class Registry:
    # Per intent, one handler per role: an owner's "statement" names a customer, a customer's is theirs.
    handlers: Mapping[str, tuple[IntentHandler, ...]]
    actions: Mapping[str, Action]
    forms: Mapping[str, Form]

    def handler(self, intent: str, role: str) -> IntentHandler | None:
        return next((h for h in self.handlers.get(intent, ()) if role in h.roles), None)

    def serves(self, intent: str, role: str) -> bool:
        return self.handler(intent, role) is not None


def build_registry() -> Registry:
    """Every module's handlers: one line per module, so adding a domain is one import here."""
    from dialogues import smalltalk
    from modules.collections import handlers as collections
    from modules.customers import handlers as customers
    from modules.disputes import handlers as disputes
    from modules.invoicing import handlers as invoicing
    from modules.invoicing import issued as issued_invoices
    from modules.ledger import handlers as ledger
    from modules.payments import bank_handlers as bank
    from modules.payments import handlers as payments

    handlers: dict[str, tuple[IntentHandler, ...]] = {}
    actions: dict[str, Action] = {}
    forms: dict[str, Form] = {}
    modules = (
        smalltalk,
        customers,
        invoicing,
        issued_invoices,
        ledger,
        payments,
        bank,
        collections,
        disputes,
    )
    for module in modules:
        for handler in module.HANDLERS:
            if any(h.roles & handler.roles for h in handlers.get(handler.intent, ())):
                raise ValueError(f"two handlers for {handler.intent} and the same role")
            handlers[handler.intent] = (*handlers.get(handler.intent, ()), handler)
            if handler.form is not None:
                forms[handler.form.name] = handler.form
        actions.update({action.name: action for action in getattr(module, "ACTIONS", ())})
        forms.update({form.name: form for form in getattr(module, "FORMS", ())})
    return Registry(handlers=handlers, actions=actions, forms=forms)
