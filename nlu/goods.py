"""Money and goods: gst_rate, unit_price, quantity, amount and item.

The same digits mean different things by what stands around them: "380 per bag" is a unit price, "50 bag"
a quantity, "18% GST" a rate, "25000 ka bill" an amount. GST and per-unit readings are tried first.
"""

from __future__ import annotations

from decimal import Decimal

from nlu import lexicon as lx
from nlu.numbers import Number, as_value, digits_value, read_number
from nlu.scan import Scan
from nlu.text import Kind, keys, word_key

_NOT_GST = keys("discount off chhoot chhut interest byaj byaaj kam less extra")
_GST_JOINERS = keys("@ rate : - of ka ki ke at")
_QUANTITY_WORDS = keys("qty quantity matra")
_RATE_AFTER = keys("rate rates bhav bhaav dar रेट भाव दर રેટ ભાવ ரேட் விலை రేటు ధర ರೇಟ್ ದರ ಬೆಲೆ রেট দাম দর")
_AT = keys("@ at")
_LINKS = keys("ka ke ki")
_OF = keys("of ka ke")
# An amount without a currency word or a multiplier must be at least this: "2 bill", "3 din" are not money.
_MIN_BARE_AMOUNT = 100
_MAX_ITEM_WORDS = 3


def extract_goods(scan: Scan) -> None:
    """All number-based entities, then items (after a quantity, or from the item list anywhere)."""
    _gst_rates(scan)
    index = 0
    while index < len(scan.tokens):
        number = read_number(scan, index) if scan.free(index) else None
        index = _classify(scan, number) + 1 if number is not None else index + 1
    _items(scan)


def _gst_rates(scan: Scan) -> None:
    for index in range(len(scan.tokens)):
        if not scan.free(index):
            continue
        if scan.key(index) in scan.words.gst:
            _gst_after_word(scan, index)
        elif scan.is_number(index):
            _gst_number(scan, index)


def _gst_after_word(scan: Scan, index: int) -> None:
    """`GST 18`, `GST @ 18%`, `gst rate 18 percent`."""
    position = index + 1
    while scan.key(position) in _GST_JOINERS and position - index <= 2:
        position += 1
    rate = _rate_at(scan, position)
    if rate is None:
        return
    last = position + 1 if scan.key(position + 1) in lx.PERCENT_WORDS else position
    scan.add("gst_rate", as_value(rate), index, last)


def _gst_number(scan: Scan, index: int) -> None:
    """`18% GST`, `18 percent gst`, `18 gst`, and a bare `18%` when 18 is a GST slab."""
    rate = _rate_at(scan, index)
    if rate is None:
        return
    last = index
    if scan.key(last + 1) in lx.PERCENT_WORDS:
        last += 1
    if scan.key(last + 1) in scan.words.gst:
        if last == index and float(rate) not in lx.GST_SLABS:
            return  # "প্রতি ৬৫ GST 18%": 65 is a price, not a rate
        last += 1
    elif scan.key(last + 2) in scan.words.gst and scan.key(last + 1) in _LINKS and last > index:
        last += 2  # 18% ka GST
    elif last == index or float(rate) not in lx.GST_SLABS or scan.key(last + 1) in _NOT_GST:
        return
    scan.add("gst_rate", as_value(rate), index, last)


def _rate_at(scan: Scan, index: int) -> Decimal | None:
    if not scan.free(index) or not scan.is_number(index):
        return None
    rate = digits_value(scan.tokens[index].key)
    return rate if rate is not None and 0 <= rate <= 100 else None


def _classify(scan: Scan, number: Number) -> int:
    """Record `number` as what its neighbours say it is; return the last token it used."""
    after = number.last + 1
    if scan.key(after) in scan.words.per and scan.key(after + 1) in scan.words.units:
        scan.add("unit_price", as_value(number.value), number.first, after + 1)  # 380 per bag, 380/bag
        return after + 1
    if scan.key(after) == "each":
        scan.add("unit_price", as_value(number.value), number.first, after)
        return after
    if (
        scan.key(after) in _LINKS
        and scan.key(after + 1) in ("ek", "1")
        and scan.key(after + 2) in scan.words.units
    ):
        scan.add("unit_price", as_value(number.value), number.first, after + 2)  # 380 ka ek bag
        return after + 2
    if number.currency and scan.key(after) in scan.words.units and not number.multiplier:
        scan.add("unit_price", as_value(number.value), number.first, after)  # 380 rupaye bag
        return after
    # কেজি প্রতি ৬৫, మీటర్ కి 240: the unit, then "per" or a case ending written apart, then the price.
    between = scan.tokens[number.first - 1] if number.first > 0 else None
    per_between = (
        between is not None
        and (between.key in scan.words.per or between.text in scan.words.name_suffixes)
        and _unit_before(scan, number.first - 2)
    )
    if per_between or _unit_before(scan, number.first - 1):
        first = number.first - (2 if per_between else 1)
        if scan.free(first - 1) and scan.key(first - 1) in scan.words.per:
            first -= 1  # प्रति बैग 380, ఒక్కో బస్తా 380
        scan.add("unit_price", as_value(number.value), first, number.last)
        return number.last
    before = scan.key(number.first - 1)
    rate_after = scan.key(after) in _RATE_AFTER or (
        scan.key(after) in _LINKS and scan.key(after + 1) in _RATE_AFTER
    )
    # "at 380" / "@380" is a price only where goods are counted ("call me at 5" is not).
    at_price = before in _AT and scan.free(number.first - 1) and _counts_goods(scan)
    if before in _RATE_AFTER or at_price or rate_after:
        scan.add("unit_price", as_value(number.value), number.first, number.last)
        return number.last
    if scan.key(after) in scan.words.units and not number.currency and scan.free(after):
        scan.add("quantity", as_value(number.value), number.first, after)
        return after
    if before in _QUANTITY_WORDS:
        scan.add("quantity", as_value(number.value), number.first, number.last)
        return number.last
    if number.currency or number.multiplier or (not number.in_words and number.value >= _MIN_BARE_AMOUNT):
        if scan.key(after) not in lx.PERCENT_WORDS:
            scan.add("amount", as_value(number.value), number.first, number.last)
        return number.last
    return number.first_value


def _unit_before(scan: Scan, index: int) -> bool:
    """A unit right before a price: "bag 380", బస్తాకు 380 (per bag, the case ending glued on),
    மூட்டைக்கு 380."""
    if not scan.free(index) or not scan.tokens[index].is_word:
        return False
    stem = scan.stem(index)
    return scan.key(index) in scan.words.units or (stem is not None and word_key(stem) in scan.words.units)


def _counts_goods(scan: Scan) -> bool:
    return any(token.key in scan.words.units for token in scan.tokens)


def _items(scan: Scan) -> None:
    for quantity in [entity for entity in scan.found if entity.entity == "quantity"]:
        index = next(i for i, token in enumerate(scan.tokens) if token.end == quantity.end) + 1
        if scan.key(index) in _OF and scan.free(index):
            index += 1
        _item_from(scan, index, after_quantity=True)
    for index in range(len(scan.tokens)):
        if scan.free(index) and _listed_item(scan, index) and not _in_a_name(scan, index):
            _item_from(scan, index, after_quantity=False)


def _in_a_name(scan: Scan, index: int) -> bool:
    """ "மதுரை ஸ்டீல் ஹவுஸ்", "Hugli Cement Agency": goods that name a business after its own name."""
    before = index - 1
    return (
        before >= 0
        and scan.free(before)
        and scan.tokens[before].is_word
        and not scan.ordinary(before)
        and not _listed_item(scan, before)
    )


def _item_from(scan: Scan, index: int, *, after_quantity: bool) -> None:
    """An item of up to three words from `index`: listed goods, or (after a quantity) words the training
    data never used, such as brands ("50 bag Ultratech cement")."""
    last = index - 1
    while last - index < _MAX_ITEM_WORDS - 1 and _item_word(scan, last + 1):
        last += 1
    listed = any(_listed_item(scan, i) for i in range(index, last + 1))
    if last >= index and (listed or after_quantity):
        scan.add("item", scan.original[scan.tokens[index].start : scan.tokens[last].end], index, last)


def _item_word(scan: Scan, index: int) -> bool:
    if not scan.free(index) or scan.tokens[index].kind is not Kind.WORD:
        return False
    if _listed_item(scan, index):
        return True
    token_key = scan.key(index)
    return (
        not scan.ordinary(index)
        and not any(
            word in scan.words.postpositions or word in scan.words.units for word in token_key.split()
        )
        and token_key not in scan.words.gst
    )


def _listed_item(scan: Scan, index: int) -> bool:
    """Goods on our list or named in the training data, by the word as written (folded keys would
    confuse "steel" with "still")."""
    written = scan.tokens[index].text.casefold()
    return written in lx.ITEMS or written in scan.items
