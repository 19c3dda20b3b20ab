"""Reconciliation: which customer and invoices each incoming credit pays, and how sure we are.

Pure: it reads plain records (credits from a bank statement or a gateway, the open invoices, the customers,
the customers' pending "I paid" claims) and returns one `Match` per credit; the caller applies the sure
ones and asks the owner about the rest. The signals, strongest first:

1. a UPI/bank reference in the credit that a customer claimed to have paid with;
2. an invoice number in the narration ("NEFT-…-INV-2026-27-0042"), however the bank spaced it;
3. the payer's UPI id in the narration: one this customer paid from before, or their mobile number's
   (9876543210@ybl);
4. the payer's name in the narration, against the customers' names (banks cut names short: "SHARMA TRAD"),
   or inside a UPI id (sharmatraders@okicici);
5. the amount: one invoice's balance exactly, the oldest few together, less (a part payment) or more (the
   rest is the customer's credit); alone, an amount that only one open invoice has.

Every match says why (`reasons`) and carries what looks wrong (`flags`: a reference already used by another
payment, a claim for another amount, a payer who is not the claimant), which never goes through unasked.
"""

from __future__ import annotations

import enum
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from nlu.ids import payment_references

# At or above: applied and the owner told. Between: the owner is asked. Below: reported as unknown money.
APPLY_AT = 0.9
ASK_AT = 0.5
# Invoices tried in twos and threes when the amount is several bills' sum in another order than oldest first.
_MAX_SUBSET_INVOICES = 24
# A narration whose words fit more customers than this tells nothing about who paid.
_MANY_NAMED = 50
# Words that say what a business is, not which one: no evidence on their own.
_GENERIC_NAME_WORDS = frozenset(
    (
        *("TRADERS", "TRADING", "ENTERPRISES", "ENTERPRISE", "AND", "CO", "COMPANY", "STORES", "STORE"),
        *("AGENCIES", "AGENCY", "INDUSTRIES", "SONS", "BROS", "BROTHERS", "PVT", "PRIVATE", "LTD"),
        *("LIMITED", "LLP", "MS", "SHRI", "SRI", "SHREE", "THE", "STEEL", "STEELS", "HARDWARE"),
        *("CEMENT", "TEXTILES", "MARKETING", "SUPPLIERS", "SUPPLY", "CORPORATION", "CORP", "INDIA"),
    )
)
# Words of bank narrations that are never a payer's name.
_BANK_WORDS = frozenset(
    (
        *("UPI", "NEFT", "RTGS", "IMPS", "BY", "TO", "TRANSFER", "FROM", "PAYMENT", "PAY", "CR", "DR"),
        *("INB", "MOB", "P2A", "P2M", "REF", "NO", "CHQ", "CLG", "CASH", "DEP", "DEPOSIT", "FT", "IFT"),
        *("INF", "INFT", "ACH", "NACH", "BIL", "ONL", "REV", "RETURN", "CHARGES"),
    )
)
_PREFIX_LETTERS = 4  # a cut-short name word still starts the same: SHAR… for SHARMA
# The share of a customer's name words a narration must carry to point at them, and to say on its own who
# paid.
_NAMED = 0.5
_SURE_NAME = 0.8
_WORD = re.compile(r"[A-Z0-9]+")
# handle@psp, as UPI narrations print it (any case). NPCI allows "-" in a handle too, but banks use it
# to separate a narration's fields (UPI-SHARMA TRADERS-sharma@okicici-...), so it ends a handle here.
_VPA = re.compile(r"[A-Za-z0-9._]{2,256}@[A-Za-z][A-Za-z0-9]{1,63}")
_MOBILE_HANDLE = re.compile(r"^(?:91)?([6-9]\d{9})$")
# An Indian mobile number on its own (a gateway's payer contact, an IMPS sender), not part of a longer number.
_MOBILE_IN_TEXT = re.compile(r"(?<![\d+])(?:\+?91)?([6-9]\d{9})(?!\d)")
_NOT_WORD = re.compile(r"[^A-Z0-9]+")


class Reason(enum.StrEnum):
    CLAIMED_REFERENCE = "claimed_reference"
    INVOICE_NUMBER = "invoice_number"
    VPA = "vpa"
    NAME = "name"
    EXACT_AMOUNT = "exact_amount"
    SEVERAL_INVOICES = "several_invoices"
    PART_PAYMENT = "part_payment"
    OVERPAYMENT = "overpayment"
    AMOUNT_ONLY = "amount_only"


class Flag(enum.StrEnum):
    REFERENCE_USED = "reference_used"  # the same UTR is already another payment
    CLAIMED_OTHER_AMOUNT = "claimed_other_amount"
    PAYER_NOT_CLAIMANT = "payer_not_claimant"  # the narration names someone else than the claimant
    PAYER_NOT_BILLED = "payer_not_billed"  # it names a bill of one customer and the payer of another
    # A customer's "paid" with a screenshot and no UTR: a picture is easily edited, and matches nothing.
    SCREENSHOT_WITHOUT_REFERENCE = "screenshot_without_reference"


@dataclass(frozen=True)
class Credit:
    """Money that came in."""

    key: str  # the caller's id for it (a statement line's)
    day: date
    amount_paise: int
    narration: str
    reference: str | None = None


@dataclass(frozen=True)
class OpenInvoice:
    id: uuid.UUID
    customer_id: uuid.UUID
    number: str
    issue_date: date
    due_date: date
    outstanding_paise: int


@dataclass(frozen=True)
class Payer:
    customer_id: uuid.UUID
    name: str
    phones: tuple[str, ...] = ()  # E.164
    vpas: tuple[str, ...] = ()  # UPI ids this customer has paid from before


@dataclass(frozen=True)
class Claim:
    """A customer's unconfirmed "I paid" with the reference they gave."""

    payment_id: uuid.UUID
    customer_id: uuid.UUID
    reference: str
    amount_paise: int


@dataclass(frozen=True)
class Match:
    credit: Credit
    customer_id: uuid.UUID | None
    allocations: tuple[tuple[uuid.UUID, int], ...]  # (invoice id, paise), oldest due first
    confidence: float
    reasons: tuple[Reason, ...]
    claim: Claim | None = None
    flags: tuple[Flag, ...] = ()
    alternatives: tuple[uuid.UUID, ...] = ()  # other customers it may be from, for the owner's question

    @property
    def credit_left_paise(self) -> int:
        """What no invoice takes: the customer's credit."""
        return self.credit.amount_paise - sum(paise for _, paise in self.allocations)

    @property
    def apply(self) -> bool:
        return self.confidence >= APPLY_AT and not self.flags

    @property
    def ask(self) -> bool:
        return not self.apply and (self.confidence >= ASK_AT or bool(self.flags))


@dataclass
class _Books:
    """The open invoices and customers, indexed once for a whole statement."""

    by_number: dict[str, OpenInvoice]
    by_customer: dict[int, list[OpenInvoice]]  # by the customer id's int: UUIDs hash in Python code
    by_amount: dict[int, list[OpenInvoice]]
    # Customers by their place in `payers` (ints hash fast; UUIDs in Python code): their name words, and
    # for each name word the customers whose name has it.
    payers: list[uuid.UUID]
    name_words: list[frozenset[str]]
    by_word: dict[str, set[int]]
    words_by_prefix: dict[str, set[str]]  # every name word, by its first letters: for names cut short
    claims: dict[str, Claim]
    used_references: frozenset[str]
    # A UPI id, or a 10-digit mobile number, known for exactly one customer: their place in `payers`.
    by_vpa: dict[str, int] = field(default_factory=dict)
    by_mobile: dict[str, int] = field(default_factory=dict)
    by_id: dict[int, OpenInvoice] = field(default_factory=dict)
    # What each invoice still owes as this statement is worked through; by object, as UUIDs hash slowly.
    left: dict[int, int] = field(default_factory=dict)

    def owed(self, invoice: OpenInvoice) -> int:
        return self.left[id(invoice)]


def reconcile(
    credits: Iterable[Credit],
    invoices: Iterable[OpenInvoice],
    payers: Iterable[Payer],
    *,
    claims: Iterable[Claim] = (),
    used_references: Iterable[str] = (),
) -> list[Match]:
    """One match per credit, oldest credit first; what a sure match applies is not offered to the next.

    Args:
        used_references: references of payments already recorded, to catch the same money twice.
    """
    books = _index(invoices, payers, claims, used_references)
    matches = []
    for credit in sorted(credits, key=lambda c: (c.day, c.key)):
        match = _match(books, credit)
        if match.apply:
            for invoice_id, paise in match.allocations:
                books.left[id(books.by_id[invoice_id.int])] -= paise
        matches.append(match)
    return matches


def _index(
    invoices: Iterable[OpenInvoice],
    payers: Iterable[Payer],
    claims: Iterable[Claim],
    used_references: Iterable[str],
) -> _Books:
    books = _Books(
        by_number={},
        by_customer=defaultdict(list),
        by_amount=defaultdict(list),
        payers=[],
        name_words=[],
        by_word=defaultdict(set),
        words_by_prefix=defaultdict(set),
        claims={_squash(c.reference): c for c in claims},
        used_references=frozenset(_squash(r) for r in used_references),
    )
    for invoice in invoices:
        # Rule 46 numbers hold letters, digits, "-" and "/" only.
        books.by_number[invoice.number.upper().replace("-", "").replace("/", "")] = invoice
        books.by_customer[invoice.customer_id.int].append(invoice)
        books.by_amount[invoice.outstanding_paise].append(invoice)
        books.by_id[invoice.id.int] = invoice
        books.left[id(invoice)] = invoice.outstanding_paise
    for open_invoices in books.by_customer.values():
        open_invoices.sort(key=lambda i: (i.due_date, i.issue_date, i.number))
    shared: set[str] = set()
    for payer in payers:
        words = frozenset(_name_words(payer.name))
        place = len(books.payers)
        books.payers.append(payer.customer_id)
        books.name_words.append(words)
        for word in words:
            books.by_word[word].add(place)
            books.words_by_prefix[word[:_PREFIX_LETTERS]].add(word)
        for key, index in (
            *((vpa.lower(), books.by_vpa) for vpa in payer.vpas),
            *((phone[-10:], books.by_mobile) for phone in payer.phones),
        ):
            if index.setdefault(key, place) != place:
                shared.add(key)  # a family's or a firm's shared UPI id: no evidence of which customer
    for key in shared:
        books.by_vpa.pop(key, None)
        books.by_mobile.pop(key, None)
    return books


def _match(books: _Books, credit: Credit) -> Match:
    text = f"{credit.narration} {credit.reference or ''}"
    references = {_squash(r) for r in payment_references(text)}
    if credit.reference:
        references.add(_squash(credit.reference))
    flags = [Flag.REFERENCE_USED] if references & books.used_references else []
    claim = next((books.claims[r] for r in references if r in books.claims), None)
    named = _invoices_named(books, text, credit.day)
    vpas = payer_vpas(credit.narration)
    by_vpa = _customer_by_vpa(books, vpas, credit.narration)
    names = _customers_named(books, " ".join([credit.narration, *_words_in_handles(books, vpas)]))
    if by_vpa is not None:  # a UPI id is one payer's: sure, unlike names that fit several
        names = [_Named(by_vpa, 1.0, explains=True)]
    if claim is not None:
        return _claimed(books, credit, claim, names, flags)
    if named:
        if _someone_else(names, named[0].customer_id):
            flags.append(Flag.PAYER_NOT_BILLED)
        return _by_numbers(books, credit, named, flags)
    if by_vpa is not None:
        match = _for_customer(books, credit, by_vpa, [Reason.VPA], base=0.96)
        return replace(match, flags=tuple(flags))
    if names:
        best, *others = names
        match = _for_customer(books, credit, best.customer_id, [Reason.NAME], base=0.75 + 0.2 * best.share)
        alike = tuple(n.customer_id for n in others if n.explains)[:3]
        if alike or not best.explains:  # the words fit others as well: the owner picks
            alternatives = alike or tuple(n.customer_id for n in others)[:3]
            match = replace(match, confidence=min(match.confidence, 0.7), alternatives=alternatives)
        return replace(match, flags=tuple(flags))
    return _by_amount_alone(books, credit, flags)


def _claimed(books: _Books, credit: Credit, claim: Claim, names: list[_Named], flags: list[Flag]) -> Match:
    if claim.amount_paise != credit.amount_paise:
        flags.append(Flag.CLAIMED_OTHER_AMOUNT)
    if _someone_else(names, claim.customer_id):
        flags.append(Flag.PAYER_NOT_CLAIMANT)
    match = _for_customer(books, credit, claim.customer_id, [Reason.CLAIMED_REFERENCE], base=0.99)
    return replace(match, claim=claim, flags=tuple(flags))


def _someone_else(names: list[_Named], customer_id: uuid.UUID) -> bool:
    """The narration clearly names a payer, and nothing in it names this customer (a bank that cut the
    name short may make it fit others as well: that alone is no warning)."""
    sure = any(n.explains and n.share >= _SURE_NAME for n in names)
    return sure and all(n.customer_id != customer_id for n in names)


def _by_numbers(books: _Books, credit: Credit, named: list[OpenInvoice], flags: list[Flag]) -> Match:
    """Invoices the narration names, all of one customer's: the money goes to them, oldest first; more than
    they owe is the customer's credit (the owner may see another bill in it: asked, not applied)."""
    customer_id = named[0].customer_id
    if any(invoice.customer_id != customer_id for invoice in named):
        return Match(credit, None, (), 0.4, (Reason.INVOICE_NUMBER,), flags=tuple(flags))
    left = credit.amount_paise
    allocations = []
    for invoice in named:
        take = min(left, books.owed(invoice))
        if take > 0:
            allocations.append((invoice.id, take))
            left -= take
    reasons = [Reason.INVOICE_NUMBER]
    owed = sum(books.owed(i) for i in named)
    if credit.amount_paise == owed:
        reasons.append(Reason.EXACT_AMOUNT if len(named) == 1 else Reason.SEVERAL_INVOICES)
        confidence = 0.97
    elif credit.amount_paise < owed:
        reasons.append(Reason.PART_PAYMENT)
        confidence = 0.92
    else:
        reasons.append(Reason.OVERPAYMENT)
        confidence = 0.85
    return Match(credit, customer_id, tuple(allocations), confidence, tuple(reasons), flags=tuple(flags))


def _for_customer(
    books: _Books, credit: Credit, customer_id: uuid.UUID, reasons: list[Reason], *, base: float
) -> Match:
    """The credit is this customer's: which of their open invoices it pays."""
    open_invoices = [
        i
        for i in books.by_customer.get(customer_id.int, [])
        if books.owed(i) > 0 and i.issue_date <= credit.day
    ]
    amount = credit.amount_paise
    exact = [i for i in open_invoices if books.owed(i) == amount]
    if len(exact) == 1:
        return Match(credit, customer_id, ((exact[0].id, amount),), base, (*reasons, Reason.EXACT_AMOUNT))
    several = _oldest_summing_to(books, open_invoices, amount) or _subset_summing_to(
        books, open_invoices, amount
    )
    if several:
        allocations = tuple((i.id, books.owed(i)) for i in several)
        return Match(credit, customer_id, allocations, base - 0.02, (*reasons, Reason.SEVERAL_INVOICES))
    allocations = tuple(_oldest_first(books, open_invoices, amount))
    owed = sum(books.owed(i) for i in open_invoices)
    if amount > owed:  # all settled, the rest their credit
        return Match(credit, customer_id, allocations, base - 0.05, (*reasons, Reason.OVERPAYMENT))
    # Oldest first, the rest left open; of two bills of the same amount the older is the one overdue.
    confidence = base - 0.03 if len(exact) > 1 else base - 0.04
    return Match(credit, customer_id, allocations, confidence, (*reasons, Reason.PART_PAYMENT))


def _by_amount_alone(books: _Books, credit: Credit, flags: list[Flag]) -> Match:
    candidates = [
        i
        for i in books.by_amount.get(credit.amount_paise, [])
        if books.owed(i) == credit.amount_paise and i.issue_date <= credit.day
    ]
    customers = {i.customer_id for i in candidates}
    if len(customers) == 1:
        invoice = min(candidates, key=lambda i: (i.due_date, i.number))
        allocation = ((invoice.id, credit.amount_paise),)
        return Match(credit, invoice.customer_id, allocation, 0.6, (Reason.AMOUNT_ONLY,), flags=tuple(flags))
    alternatives = tuple(sorted(customers, key=str))[:3]
    confidence = 0.3 if customers else 0.0
    return Match(
        credit,
        None,
        (),
        confidence,
        (Reason.AMOUNT_ONLY,) if customers else (),
        flags=tuple(flags),
        alternatives=alternatives,
    )


def _oldest_summing_to(books: _Books, invoices: Sequence[OpenInvoice], amount: int) -> list[OpenInvoice]:
    total, taken = 0, []
    for invoice in invoices:
        total += books.owed(invoice)
        taken.append(invoice)
        if total == amount:
            return taken if len(taken) > 1 else []
        if total > amount:
            return []
    return []


def _subset_summing_to(books: _Books, invoices: Sequence[OpenInvoice], amount: int) -> list[OpenInvoice]:
    """The only pair or three of the customer's invoices whose balances add up to the amount, if one."""
    pool = list(invoices[:_MAX_SUBSET_INVOICES])
    balances = [books.owed(i) for i in pool]
    at: dict[int, list[int]] = defaultdict(list)
    for index, balance in enumerate(balances):
        at[balance].append(index)
    found: set[tuple[int, ...]] = set()
    for first in range(len(pool)):
        for last in at.get(amount - balances[first], ()):
            if last > first:
                found.add((first, last))
        for middle in range(first + 1, len(pool)):
            for last in at.get(amount - balances[first] - balances[middle], ()):
                if last > middle:
                    found.add((first, middle, last))
        if len(found) > 1:
            return []  # more than one way: not for us to pick
    return [pool[index] for index in next(iter(found))] if found else []


def _oldest_first(
    books: _Books, invoices: Sequence[OpenInvoice], amount: int
) -> Iterable[tuple[uuid.UUID, int]]:
    left = amount
    for invoice in invoices:
        if left <= 0:
            return
        take = min(left, books.owed(invoice))
        yield invoice.id, take
        left -= take


def _invoices_named(books: _Books, text: str, day: date) -> list[OpenInvoice]:
    """Open invoices whose number the text holds, however the bank spaced or cut its separators: runs of up
    to five words are joined and looked up (INV 2026 27 0042, INV-2026-27-0042, INV2026270042)."""
    words = _WORD.findall(text.upper())
    found: dict[uuid.UUID, OpenInvoice] = {}
    for start in range(len(words)):
        joined = ""
        for word in words[start : start + 5]:
            joined += word
            invoice = books.by_number.get(joined)
            if invoice is not None and books.owed(invoice) > 0 and invoice.issue_date <= day:
                found[invoice.id] = invoice
    return sorted(found.values(), key=lambda i: (i.due_date, i.number))


@dataclass(frozen=True)
class _Named:
    customer_id: uuid.UUID
    share: float  # of the customer's name words, the share the narration carries
    explains: bool  # every name word of the narration is one of this customer's


def _customers_named(books: _Books, narration: str) -> list[_Named]:
    """Customers whose name words the narration carries (a word cut short counts), those it fits wholly
    first, then by how much of their name it carries."""
    words = [w for w in _name_words(narration) if len(w) >= 3]
    meant: dict[str, set[str]] = {}  # each narration word → the name words it may be
    for word in words:
        fits = {
            full for full in books.words_by_prefix.get(word[:_PREFIX_LETTERS], ()) if _same_word(full, word)
        }
        if word in books.by_word:
            fits.add(word)
        if fits:
            meant[word] = fits
    if not meant:
        return []
    # The rarest words first: they narrow the customers fastest.
    ordered = sorted(meant.values(), key=lambda fits: sum(len(books.by_word[f]) for f in fits))
    candidates = set().union(*(books.by_word[f] for f in ordered[0]))
    for fits in ordered[1:]:
        if len(candidates) <= _MANY_NAMED:
            break
        having = set().union(*(books.by_word[f] for f in fits)) if len(fits) > 1 else books.by_word[min(fits)]
        candidates = candidates & having or candidates
    if len(candidates) > _MANY_NAMED:
        return []
    named = []
    for place in candidates:
        name_words = books.name_words[place]
        carried = [fits & name_words for fits in meant.values()]
        found = set().union(*carried)
        share = len(found) / len(name_words)
        if share >= _NAMED:
            named.append(_Named(books.payers[place], share, explains=all(carried)))
    return sorted(named, key=lambda n: (not n.explains, -n.share))


def payer_vpas(narration: str) -> list[str]:
    """The UPI ids a narration carries, lower-cased: UPI/412345678901/SHARMATRADERS@OKICICI/..."""
    return [vpa.lower() for vpa in _VPA.findall(narration)]


def _customer_by_vpa(books: _Books, vpas: Sequence[str], narration: str) -> uuid.UUID | None:
    """The one customer a UPI id points at (one they paid from before, or their mobile number's), or a
    mobile number of theirs the narration carries."""
    for vpa in vpas:
        place = books.by_vpa.get(vpa)
        if place is None:
            mobile = _MOBILE_HANDLE.match(vpa.split("@", 1)[0])
            place = books.by_mobile.get(mobile.group(1)) if mobile else None
        if place is not None:
            return books.payers[place]
    for mobile in _MOBILE_IN_TEXT.findall(narration):
        if mobile in books.by_mobile:
            return books.payers[books.by_mobile[mobile]]
    return None


def _words_in_handles(books: _Books, vpas: Sequence[str]) -> list[str]:
    """Customers' name words run together in a UPI handle: sharmatraders@… holds SHARMA."""
    found = []
    for vpa in vpas:
        handle = "".join(ch for ch in vpa.split("@", 1)[0].upper() if ch.isalpha())
        for start in range(len(handle) - _PREFIX_LETTERS + 1):
            for word in books.words_by_prefix.get(handle[start : start + _PREFIX_LETTERS], ()):
                if handle.startswith(word, start):
                    found.append(word)
    return found


def _same_word(name_word: str, said: str) -> bool:
    """SHARMA and SHARMA, or SHAR/SHARM (a bank cut it short) — never SHARMAJI's neighbour SHAH."""
    if len(said) >= _PREFIX_LETTERS and name_word.startswith(said):
        return True
    return said == name_word


def _name_words(text: str) -> list[str]:
    """The words of a name that can tell one payer from another."""
    return [
        word
        for word in _WORD.findall(text.upper())
        if not word.isdigit() and word not in _GENERIC_NAME_WORDS and word not in _BANK_WORDS
    ]


def _squash(reference: str) -> str:
    return _NOT_WORD.sub("", reference.upper())


def summary(matches: Sequence[Match]) -> Mapping[str, int]:
    """How many were applied, asked about, and unknown: for the owner's message and the benchmark."""
    return {
        "applied": sum(m.apply for m in matches),
        "asked": sum(m.ask for m in matches),
        "unknown": sum(not m.apply and not m.ask for m in matches),
    }
