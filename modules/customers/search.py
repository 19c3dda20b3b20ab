"""Finding a customer by the name an owner typed: "Sharma", "sharma traders", "Sharmaji"."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from bot.db import Database
from modules.customers.repository import all_customer_names

# Below this a name is not a match at all; within CLOSE of the best, two names are both plausible.
MIN_SCORE = 80.0
CLOSE = 8.0
MAX_MATCHES = 5


@dataclass(frozen=True)
class CustomerMatch:
    id: uuid.UUID
    name: str
    score: float


def find_customers(db: Database, *, business_id: uuid.UUID, name: str) -> list[CustomerMatch]:
    """This business's customers the name could mean, best first: one entry when it is clear.

    An exact name (ignoring case and spacing) wins outright; otherwise every customer scoring within
    CLOSE of the best is returned so the owner can pick.
    """
    wanted = utils.default_process(name)
    if not wanted:
        return []
    with db.transaction() as session:
        names = all_customer_names(session, business_id=business_id)
    exact = [CustomerMatch(cid, n, 100.0) for cid, n in names.items() if utils.default_process(n) == wanted]
    if exact:
        return exact
    scored = process.extract(
        wanted,
        names,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=MAX_MATCHES,
        score_cutoff=MIN_SCORE,
    )
    if not scored:
        return []
    best = scored[0][1]
    return [CustomerMatch(cid, n, score) for n, score, cid in scored if score >= best - CLOSE]
