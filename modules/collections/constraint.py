"""The day's top constraint: of everything holding money back, the one action that releases the most cash
for the owner's effort (Theory of Constraints: work on the bottleneck, not on everything). Pure: a ledger
snapshot in, candidates ranked out. docs/constraint.md explains the numbers.

Each candidate is money at stake, the chance that the action brings it in soon, and the minutes the action
takes the owner; its score is the expected rupees per minute. One candidate per customer and kind, so a big
debtor is one call however many bills they owe.
"""

from __future__ import annotations

import enum
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass


class Kind(enum.StrEnum):
    CALL = "call"  # a large overdue debtor: call them
    BROKEN_PROMISE = "broken_promise"  # they promised and did not pay: call them about it
    DISPUTE = "dispute"  # an open dispute holds a bill: settle it
    GST_ERROR = "gst_error"  # the buyer will not pay a bill with wrong GST: reissue it
    UNSENT = "unsent"  # a bill never reached the customer (a draft, or its message failed): send it
    NO_PHONE = "no_phone"  # money owed by someone reminders cannot reach: add their number
    CONCENTRATION = "concentration"  # one customer owes too big a share: secure it


# Minutes of the owner's time each action takes, and how likely it is to bring the money in soon.
EFFORT_MINUTES = {
    Kind.CALL: 10,
    Kind.BROKEN_PROMISE: 10,
    Kind.DISPUTE: 20,
    Kind.GST_ERROR: 15,
    Kind.UNSENT: 2,
    Kind.NO_PHONE: 3,
    Kind.CONCENTRATION: 30,
}
# A call collects less the older the debt (the last bucket is the one past 90 days).
_CALL_LIKELIHOOD = ((30, 0.6), (60, 0.5), (90, 0.4), (10**6, 0.3))
_LIKELIHOOD = {
    Kind.BROKEN_PROMISE: 0.5,
    Kind.DISPUTE: 0.7,  # most disputes are a rate or a quantity; settled, the bill is paid
    Kind.GST_ERROR: 0.8,  # a registered buyer pays once the bill lets them claim the tax credit
    Kind.UNSENT: 0.6,  # a bill the customer never saw is not paid
    Kind.NO_PHONE: 0.4,
    Kind.CONCENTRATION: 0.2,
}
# Below this the rest of a debtor's money is left to the reminders.
MIN_CALL_PAISE = 10_000_00
# One customer owing more than this share of everything outstanding is a risk worth an action.
CONCENTRATION_SHARE = 0.4
# Among fewer debtors than this, a big share is the nature of the book, not a risk to act on.
CONCENTRATION_AMONG = 3


# A dispute about the tax itself (a wrong GSTIN, IGST charged instead of CGST+SGST): the bill must be
# reissued, which only the owner can do.
_GST = re.compile(r"\b(?:GST|GSTIN|IGST|CGST|SGST)\b|जीएसटी|ஜிஎஸ்டி|జీఎస్టీ|ಜಿಎಸ್ಟಿ|জিএসটি|જીએસટી", re.IGNORECASE)


@dataclass(frozen=True)
class Debtor:
    customer_id: uuid.UUID
    name: str
    outstanding_paise: int
    overdue_paise: int
    days_overdue: int  # of their oldest overdue bill
    has_phone: bool
    broken_promises: int  # in the last 90 days
    promise_broken_paise: int = 0  # what the latest broken promise was about (0: none)


@dataclass(frozen=True)
class Held:
    """A bill money is held up on: an open dispute, or never sent."""

    customer_id: uuid.UUID
    name: str
    number: str
    balance_paise: int
    detail: str = ""  # the dispute's words


@dataclass(frozen=True)
class Candidate:
    kind: Kind
    customer_id: uuid.UUID
    name: str
    amount_paise: int
    days_overdue: int = 0
    broken_promises: int = 0
    number: str = ""
    detail: str = ""
    share_pct: int = 0

    @property
    def effort_minutes(self) -> int:
        return EFFORT_MINUTES[self.kind]

    @property
    def likelihood(self) -> float:
        if self.kind is Kind.CALL:
            return next(chance for days, chance in _CALL_LIKELIHOOD if self.days_overdue <= days)
        return _LIKELIHOOD[self.kind]

    @property
    def score(self) -> float:
        """Expected paise released per minute of the owner's time."""
        return self.amount_paise * self.likelihood / self.effort_minutes


def rank(debtors: Sequence[Debtor], disputes: Sequence[Held], unsent: Sequence[Held]) -> list[Candidate]:
    """Every action worth the owner's time, the most cash per minute first (ties: the larger amount)."""
    candidates: list[Candidate] = []
    total = sum(d.outstanding_paise for d in debtors)
    for debtor in debtors:
        candidates += _for_debtor(debtor, total, len(debtors))
    candidates += [
        Candidate(
            Kind.GST_ERROR if _GST.search(held.detail) else Kind.DISPUTE,
            held.customer_id,
            held.name,
            held.balance_paise,
            number=held.number,
            detail=held.detail,
        )
        for held in disputes
        if held.balance_paise > 0
    ]
    candidates += [
        Candidate(Kind.UNSENT, held.customer_id, held.name, held.balance_paise, number=held.number)
        for held in unsent
        if held.balance_paise > 0
    ]
    return sorted(candidates, key=lambda c: (-c.score, -c.amount_paise, c.name))


def _for_debtor(debtor: Debtor, total_paise: int, debtors: int) -> list[Candidate]:
    found: list[Candidate] = []
    if debtor.overdue_paise > 0 and not debtor.has_phone:
        found.append(Candidate(Kind.NO_PHONE, debtor.customer_id, debtor.name, debtor.overdue_paise))
    elif debtor.promise_broken_paise > 0:
        found.append(
            Candidate(
                Kind.BROKEN_PROMISE,
                debtor.customer_id,
                debtor.name,
                debtor.overdue_paise,
                days_overdue=debtor.days_overdue,
                broken_promises=debtor.broken_promises,
            )
        )
    elif debtor.overdue_paise >= MIN_CALL_PAISE:
        found.append(
            Candidate(
                Kind.CALL,
                debtor.customer_id,
                debtor.name,
                debtor.overdue_paise,
                days_overdue=debtor.days_overdue,
                broken_promises=debtor.broken_promises,
            )
        )
    if debtors >= CONCENTRATION_AMONG and debtor.outstanding_paise > total_paise * CONCENTRATION_SHARE:
        share = round(debtor.outstanding_paise * 100 / total_paise)
        found.append(
            Candidate(
                Kind.CONCENTRATION, debtor.customer_id, debtor.name, debtor.outstanding_paise, share_pct=share
            )
        )
    return found
