"""The whole schema in one place, for Alembic and for tests: importing each models module registers it."""

from __future__ import annotations

import importlib

from sqlalchemy import MetaData

from bot.db import Base

MODEL_MODULES = (
    "modules.business.models",
    "modules.customers.models",
    "modules.invoicing.models",
    "modules.payments.models",
    "modules.collections.models",
    "modules.disputes.models",
    "dialogues.models",
    "bot.models",
)


def load_metadata() -> MetaData:
    for name in MODEL_MODULES:
        importlib.import_module(name)
    return Base.metadata
