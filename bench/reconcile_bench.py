"""How fast and how right reconciliation is: a generated statement with known answers.

    python -m bench.reconcile_bench [--lines 10000] [--invoices 100000] [--customers 10000] [--seed 7]

Generates customers with Indian business names (some sharing a surname), open invoices, and a bank
statement whose credits are of known kinds: the invoice number in the narration, the payer's name (cut short
as banks do) with one bill's amount, a UPI id the customer paid from before under another name, with the sum
of the oldest bills, with a part payment, an amount alone, and money from strangers. Prints the time to index
and match, how many were applied, asked and left unknown, and the precision and recall of what was applied (a
credit is right when it goes to the customer and invoices the generator meant; also how often it went at
least to the right customer). Nothing touches a database.
"""

from __future__ import annotations

import argparse
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from modules.payments.reconcile import Credit, OpenInvoice, Payer, reconcile, summary

SURNAMES = (
    *("SHARMA", "GUPTA", "MEHTA", "PATIL", "DESHMUKH", "JOSHI", "KULKARNI", "AGARWAL", "JAIN", "SHAH"),
    *("PATEL", "DESAI", "REDDY", "NAIDU", "RAO", "IYER", "NAIR", "PILLAI", "MENON", "GHOSH", "BOSE", "DAS"),
    *("SEN", "MUKHERJEE", "CHATTERJEE", "SINGH", "YADAV", "VERMA", "TIWARI", "MISHRA", "PANDEY", "KHAN"),
    *("QURESHI", "SHETTY", "HEGDE", "GOWDA", "BHAT", "KAMATH", "THAKUR", "CHAUHAN", "RATHORE", "SOLANKI"),
)
FIRST = ("RAMESH", "SURESH", "ANIL", "SUNIL", "VIJAY", "AJAY", "SANJAY", "RAJESH", "MAHESH", "GANESH")
KINDS = (
    *("Traders", "Enterprises", "Steels", "Hardware", "Agencies", "Textiles", "Cement", "Stores"),
    *("Industries", "Suppliers", "Brothers", "Distributors", "Syndicate", "Builders", "Infra"),
)
PLACES = ("PUNE", "SURAT", "NASHIK", "RAJKOT", "INDORE", "MADURAI", "MYSORE", "NAGPUR", "HUBLI", "SALEM")
TODAY = date(2026, 11, 28)


KINDS_OF_CREDIT = ("number", "name", "vpa", "sum", "part", "alone", "stranger")


@dataclass(frozen=True)
class Expected:
    kind: str
    customer_id: uuid.UUID | None
    invoice_ids: frozenset[uuid.UUID]


def customers(rng: random.Random, count: int) -> list[Payer]:
    names: set[str] = set()
    while len(names) < count:
        parts = [rng.choice(FIRST)] if rng.random() < 0.3 else []
        parts += [rng.choice(SURNAMES), rng.choice(PLACES) if rng.random() < 0.5 else "", rng.choice(KINDS)]
        names.add(" ".join(p for p in parts if p).title())
    # Half of them have paid before from a UPI id of their own (a partner's name, not the firm's).
    return [
        Payer(uuid.uuid4(), name, vpas=(f"p{n}.{rng.choice(FIRST).lower()}@okaxis",) if n % 2 else ())
        for n, name in enumerate(sorted(names))
    ]


def invoices(rng: random.Random, payers: list[Payer], count: int) -> list[OpenInvoice]:
    made = []
    for sequence in range(1, count + 1):
        payer = rng.choice(payers)
        issued = TODAY - timedelta(days=rng.randrange(5, 200))
        made.append(
            OpenInvoice(
                id=uuid.uuid4(),
                customer_id=payer.customer_id,
                number=f"IN/26-27/{sequence:06d}",  # 16 characters, Rule 46's most
                issue_date=issued,
                due_date=issued + timedelta(days=30),
                outstanding_paise=rng.randrange(500, 500_000) * 100 + rng.choice((0, 0, 0, 50)),
            )
        )
    return made


def statement(
    rng: random.Random, payers: list[Payer], open_invoices: list[OpenInvoice], lines: int
) -> tuple[list[Credit], dict[str, Expected]]:
    by_customer: dict[uuid.UUID, list[OpenInvoice]] = {}
    for invoice in sorted(open_invoices, key=lambda i: (i.due_date, i.issue_date, i.number)):
        by_customer.setdefault(invoice.customer_id, []).append(invoice)
    names = {p.customer_id: p.name for p in payers}
    vpas = {p.customer_id: p.vpas[0] for p in payers if p.vpas}
    used: set[uuid.UUID] = set()
    credits, expected = [], {}
    for n in range(lines):
        key = f"line-{n}"
        customer_id = rng.choice(list(by_customer))
        bills = [i for i in by_customer[customer_id] if i.id not in used]
        kind = rng.choices(KINDS_OF_CREDIT, (25, 25, 10, 10, 10, 10, 10))[0]
        if kind == "vpa" and customer_id not in vpas:
            kind = "name"
        if not bills or kind == "stranger":
            amount = rng.randrange(100, 90_000) * 100 + 37
            credits.append(Credit(key, TODAY, amount, f"IMPS/P2A/{rng.randrange(10**11, 10**12)}/CASH DEP"))
            expected[key] = Expected("stranger", None, frozenset())
            continue
        payer = _as_bank_writes(names[customer_id], rng)
        utr = rng.randrange(10**11, 10**12)
        if kind == "number":
            bill = rng.choice(bills)
            narration = f"NEFT-N{utr}-{payer}-{bill.number.replace('/', rng.choice(('/', ' ', '')))}"
            picked = [bill]
            amount = bill.outstanding_paise
        elif kind == "sum" and len(bills) >= 2:
            picked = bills[:2]
            amount = sum(b.outstanding_paise for b in picked)
            narration = f"UPI/{utr}/{payer}/pay@okicici"
        elif kind == "part":
            picked = bills[:1]
            amount = max(100, bills[0].outstanding_paise // 2 // 100 * 100)
            narration = f"UPI/{utr}/{payer}/pay@ybl"
        elif kind == "vpa":  # the account holder's own name, which is not the customer's
            bill = rng.choice(bills)
            holder = f"{rng.choice(FIRST).upper()} {rng.choice('ABCDKMRS')}"
            picked, amount, narration = (
                [bill],
                bill.outstanding_paise,
                f"UPI/{utr}/{holder}/{vpas[customer_id]}/PAY",
            )
        elif kind == "alone":
            bill = rng.choice(bills)
            picked, amount, narration = (
                [bill],
                bill.outstanding_paise,
                f"CHQ DEP {rng.randrange(100000, 999999)}",
            )
        else:
            bill = rng.choice(bills)
            picked, amount, narration = [bill], bill.outstanding_paise, f"UPI/{utr}/{payer}/pay@oksbi"
        if amount >= sum(b.outstanding_paise for b in picked):
            used.update(b.id for b in picked)
        credits.append(Credit(key, TODAY, amount, narration))
        expected[key] = Expected(kind, customer_id, frozenset(b.id for b in picked))
    return credits, expected


def _as_bank_writes(name: str, rng: random.Random) -> str:
    """Upper case, and often cut to the field's width (SHARMA TRAD)."""
    upper = name.upper()
    return upper[: rng.randrange(10, 20)] if rng.random() < 0.5 else upper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    payers = customers(rng, args.customers)
    open_invoices = invoices(rng, payers, args.invoices)
    credits, expected = statement(rng, payers, open_invoices, args.lines)

    start = time.perf_counter()
    matches = reconcile(credits, open_invoices, payers)
    seconds = time.perf_counter() - start

    applied = [m for m in matches if m.apply]
    right = sum(
        1
        for m in applied
        if m.customer_id == expected[m.credit.key].customer_id
        and {i for i, _ in m.allocations} == expected[m.credit.key].invoice_ids
    )
    right_customer = sum(1 for m in applied if m.customer_id == expected[m.credit.key].customer_id)
    payable = sum(1 for e in expected.values() if e.customer_id is not None)
    counts = summary(matches)
    print(f"{args.lines:,} credits against {args.invoices:,} open invoices of {args.customers:,} customers")
    print(f"index + match: {seconds:.2f} s ({seconds / args.lines * 1e6:.0f} µs a credit)")
    print(f"applied {counts['applied']:,}, asked {counts['asked']:,}, unknown {counts['unknown']:,}")
    print(f"applied precision {right / max(len(applied), 1):.3f}, recall {right / max(payable, 1):.3f}")
    # The rest of those applied went to the right customer's other bills: of two of the same amount, the
    # older; a part payment to the oldest, not the one the generator had in mind.
    print(f"applied to the right customer: {right_customer / max(len(applied), 1):.3f}")
    for kind in KINDS_OF_CREDIT:
        of_kind = [m for m in matches if expected[m.credit.key].kind == kind]
        applied_kind = sum(m.apply for m in of_kind)
        asked_kind = sum(m.ask for m in of_kind)
        print(f"  {kind:<9} {len(of_kind):>6,} credits: applied {applied_kind:>6,}, asked {asked_kind:>6,}")
    wrong = Counter(
        m.reasons for m in applied if m.customer_id != expected[m.credit.key].customer_id
    ).most_common(5)
    for reasons, count in wrong:
        print(f"  wrong customer {count:>4}: {', '.join(reasons)}")


if __name__ == "__main__":
    main()
