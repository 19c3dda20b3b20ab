"""Identifiers with a fixed shape: GSTIN, payment references (UTR), phone numbers, invoice numbers, HSN/SAC
codes."""

from __future__ import annotations

import re

from bot.gstin import has_valid_check_character
from nlu.scan import Scan
from nlu.text import keys, word_key

_GSTIN = re.compile(r"(?<![A-Za-z0-9])\d{2}[A-Za-z]{5}\d{4}[A-Za-z][1-9A-Za-z][Zz][0-9A-Za-z](?![A-Za-z0-9])")
# A reference after its keyword: 12 digits (UPI), maybe grouped 4-4-4, or a bank UTR (HDFCN52026112812345).
_UTR_AFTER_KEYWORD = re.compile(
    r"\b(?:utr|rrn|ref(?:erence)?|txn|transaction(?:\s+id)?|upi\s+ref(?:erence)?)\b"
    r"\s*(?:no\b\.?|number|num|id|#|:|-|\s)*\s*"
    r"(?P<ref>(?:\d{4}[ -]){2}\d{4}|[A-Za-z0-9]{10,30})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_BARE_UPI_REFERENCE = re.compile(r"(?<![\d+])\d{12}(?!\d)")
_BARE_BANK_UTR = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{4}[A-Za-z0-9]\d{8,20}(?![A-Za-z0-9])")
# Indian mobiles: 10 digits from 6-9, with or without +91 / 91 / 0, maybe split 5-5.
_PHONE = re.compile(r"(?<![\d+])(?:(?:\+|00)?91[\s-]?|0)?(?P<number>[6-9]\d{4}[\s-]?\d{5})(?!\d)")
_INVOICE_AFTER_KEYWORD = re.compile(
    r"\b(?:bill|invoice|inv)\s*(?:number|no\b\.?|num|nr|#)\s*[:#-]?\s*(?P<number>[A-Za-z0-9][A-Za-z0-9/-]*)",
    re.IGNORECASE,
)
_INVOICE_CODE = re.compile(r"\bINV[-/#]?[A-Za-z0-9/-]*\d[A-Za-z0-9/-]*", re.IGNORECASE)
_MIN_REFERENCE_DIGITS = 6
# "HSN 2523", "hsn code: 72142090", "SAC 998314": 4, 6 or 8 digits after the keyword, written in Latin
# letters in every language (it is printed so on every bill).
_HSN_SAC = re.compile(
    r"\b(?:hsn|sac)(?:\s*(?:code|no\b\.?|number))?\s*[:#-]?\s*(?P<code>\d{8}|\d{6}|\d{4})(?!\d)",
    re.IGNORECASE,
)
# "बिल नंबर 42", "பில் நம்பர் 42", "বিল নম্বর 42": the keyword pair in any script, by keys.
BILL_WORDS = keys(
    "bill invoice inv बिल बील इनवॉइस इन्वॉइस इनव्हॉईस इनव्हॉइस પીલ બિલ ઇન્વૉઇસ பில் பில்லு இன்வாய்ஸ் బిల్ బిల్లు ఇన్వాయిస్ "
    "ಬಿಲ್ ಬಿಲ್ಲು ಇನ್ವಾಯ್ಸ್ বিল ইনভয়েস"
)
# A bill's number said bare ("bill 42") has at most this many digits; longer is an amount.
_BARE_BILL_DIGITS = 4
# "bill 5000 ka": the genitive makes the number what the bill is of.
_OF_WORDS = keys("ka ke ki का के की")
_SMALLEST_BILL = 100  # rupees; below, a bare number is no amount (nlu/goods.py reads it so too)
_NUMBER_WORDS = keys(
    "number no num nr नंबर नम्बर नं क्रमांक क्र નંબર નં ક્રમાંક நம்பர் எண் நெம்பர் నంబర్ నెంబర్ సంఖ్య ನಂಬರ್ ಸಂಖ್ಯೆ নম্বর নং"
)


def extract_ids(scan: Scan) -> None:
    """GSTIN, then references and phones (a reference keyword wins over a phone-shaped number), then
    invoice numbers and HSN/SAC codes."""
    for match in _GSTIN.finditer(scan.text):
        gstin = match.group().upper()
        # A GSTIN with a wrong check character is a typo: no entity, so nobody is billed under it.
        if has_valid_check_character(gstin):
            scan.add_match("gstin", gstin, match)
    for match in _UTR_AFTER_KEYWORD.finditer(scan.text):
        reference = re.sub(r"[ -]", "", match.group("ref")).upper()
        if sum(char.isdigit() for char in reference) >= _MIN_REFERENCE_DIGITS:
            scan.add_match("utr", reference, match, "ref")
    for match in _PHONE.finditer(scan.text):
        scan.add_match("phone", "+91" + re.sub(r"[\s-]", "", match.group("number")), match)
    for pattern in (_BARE_UPI_REFERENCE, _BARE_BANK_UTR):
        for match in pattern.finditer(scan.text):
            scan.add_match("utr", match.group().upper(), match)
    for match in _INVOICE_AFTER_KEYWORD.finditer(scan.text):
        if any(char.isdigit() for char in match.group("number")):
            scan.add_match("invoice_number", match.group("number").rstrip("/-"), match, "number")
    for match in _INVOICE_CODE.finditer(scan.text):
        scan.add_match("invoice_number", match.group().upper().rstrip("/-"), match)
    _invoice_after_native_keyword(scan)
    _bare_number_after_bill(scan)
    for match in _HSN_SAC.finditer(scan.text):
        scan.add_match("hsn_sac", match.group("code"), match, "code")


def _invoice_after_native_keyword(scan: Scan) -> None:
    for index in range(len(scan.tokens) - 2):
        if scan.key(index) in BILL_WORDS and scan.key(index + 1) in _NUMBER_WORDS:
            number = index + 2
            if scan.key(number) in (".", ":", "#", "-"):
                number += 1
            if scan.is_number(number) and scan.free(number):
                scan.add("invoice_number", scan.tokens[number].text, number, number)


def _bare_number_after_bill(scan: Scan) -> None:
    """ "bill 42 cancel karo", "invoice 117 dobara bhejo": a short bare number right after the word names
    the bill. Not when money words follow ("bill 5000 ka", "bill 360 per bag", "ಬಿಲ್ 5000 ರೂಪಾಯಿ") or it
    is glued to more ("bill 25k", "5,000"): then it is an amount or a price."""
    for index in range(len(scan.tokens) - 1):
        number = index + 1
        if scan.key(index) not in BILL_WORDS or not scan.is_number(number) or not scan.free(number):
            continue
        text = scan.tokens[number].text
        if not (text.isascii() and text.isdigit() and len(text) <= _BARE_BILL_DIGITS):
            continue
        after = number + 1
        if after < len(scan.tokens) and (scan.glued(after) or _money_word(scan, after, int(text))):
            continue
        scan.add("invoice_number", text, number, number)


def _money_word(scan: Scan, index: int, number: int) -> bool:
    key, words = scan.key(index), scan.words
    if key in words.currency or key in words.multipliers or key in words.units or key in words.per:
        return True
    return key in _OF_WORDS and number >= _SMALLEST_BILL  # "bill 42 ka credit note": no bill is of ₹42


def after_bill_word(text: str, start: int) -> bool:
    """Whether the word just before `start` is "bill" or "invoice" in some script: "bill 42" names a bill
    to someone talking about bills already issued, though on its own 42 reads as an amount."""
    before = text[:start].split()
    return bool(before) and word_key(before[-1]) in BILL_WORDS


def payment_references(text: str) -> list[str]:
    """UPI references (12 digits) and bank UTRs in free text such as a bank statement's narration."""
    return [m.group() for pattern in (_BARE_UPI_REFERENCE, _BARE_BANK_UTR) for m in pattern.finditer(text)]
