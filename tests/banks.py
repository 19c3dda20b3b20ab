"""Bank statement exports written in tests, in a bank's real layout."""

from __future__ import annotations

HEADER = "Date,Narration,Chq./Ref.No.,Value Dt,Withdrawal Amt.,Deposit Amt.,Closing Balance"


def hdfc(*lines: tuple[str, str, str, str, str]) -> bytes:
    """An HDFC-layout export: (date, narration, reference, withdrawal, deposit) per line."""
    rows = ["HDFC BANK Ltd.,,,,,,Page No .: 1", ",,,,,,Account No :50200012345678   OTHER", HEADER]
    rows.append(",".join(["********"] * 7))
    for day, narration, reference, out, in_ in lines:
        rows.append(f'{day},"{narration}",{reference},{day},"{out}","{in_}",')
    rows.append(",".join(["********"] * 7))
    return ("\n".join(rows) + "\n").encode()
