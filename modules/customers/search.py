"""Finding a customer by the name an owner typed: "Sharma", "sharma traders", "Sharmaji", "शर्मा".

Names are compared in the NLU's shared Latin form (nlu.text keys), so a name written in any Indian script
or spelling finds the customer saved in another: शर्मा, ஷர்மா and Sharma are one name.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.db import Database
from modules.customers.repository import all_customer_names
from nlu.text import tokenize


def folded(name: str) -> str:
    """A name in one Latin spelling, whatever its script: "शर्मा जी" → "sarma ji", "Sharma" → "sarma"."""
    return " ".join(token.key for token in tokenize(name) if token.is_word)


# Below this a name is not a match at all; within CLOSE of the best, two names are both plausible.
MIN_SCORE = 80.0
CLOSE = 8.0
MAX_MATCHES = 5
# Words that name a trade, not a party: "Traders" alone must not pick a customer out of a message.
_GENERIC = frozenset(
    folded(word)
    for word in """traders trader trading cement steel steels hardware enterprises enterprise industries
    agencies agency company co corporation constructions construction builders builder depot stores store sons
    brothers bros and pvt ltd private limited infra projects project tiles sanitary housing llp the of
    shop mart centre center suppliers supply materials""".split()  # noqa: SIM905 - a word list reads best as words
)
# Words that open many shop names ("Shree Ganesh ...") and so tell nobody apart.
_PREFIXES = frozenset(folded(word) for word in ("shree", "shri", "sri", "new", "jai", "om"))


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
    wanted = folded(name)
    if not wanted:
        return []
    with db.transaction() as session:
        names = all_customer_names(session, business_id=business_id)
    exact = [CustomerMatch(cid, n, 100.0) for cid, n in names.items() if folded(n) == wanted]
    if exact:
        return exact
    scored = process.extract(
        wanted,
        names,
        scorer=fuzz.WRatio,
        processor=folded,
        limit=MAX_MATCHES,
        score_cutoff=MIN_SCORE,
    )
    if not scored:
        return []
    best = scored[0][1]
    return [CustomerMatch(cid, n, score) for n, score, cid in scored if score >= best - CLOSE]


def customers_mentioned(db: Database, *, business_id: uuid.UUID, text: str) -> list[CustomerMatch]:
    """This business's customers whose distinctive name word appears in a message ("Krishna ko bill
    bhejo" → Krishna Traders), for when the NLU found no name. Several: the caller asks which."""
    words = set(folded(text).split())
    if not words:
        return []
    with db.transaction() as session:
        names = all_customer_names(session, business_id=business_id)
    found = []
    for customer_id, name in names.items():
        key = _distinctive_word(name)
        if key is not None and key in words:
            found.append(CustomerMatch(customer_id, name, 100.0))
    return sorted(found, key=lambda m: m.name)[:MAX_MATCHES]


def _distinctive_word(name: str) -> str | None:
    """The first word of a name that is neither a trade word nor a common prefix:
    "Shree Krishna Traders" → "krishna"."""
    for word in folded(name).split():
        if len(word) >= 3 and word not in _GENERIC and word not in _PREFIXES:
            return word
    return None
