"""Word lists the rules need, written as people spell them and stored as keys (see nlu/text.py).

English and Hindi (both scripts) are written here and shared by every language, since every Indian
language's chat mixes them in ("25000 rupees", "kal", "bill"). Each other language adds its own words from
`nlu/lexicon/<code>.yml` (the schema is in nlu/README.md); `words_for(language)` merges them. A language's
own date words override the shared ones: Marathi "काल" is yesterday, while Hindi "कल" (the same key) is
yesterday or tomorrow by the verb's tense.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml

from nlu.text import key, keys

LEXICON_DIR = Path(__file__).parent


def _in_order(words: str) -> list[str]:
    return words.split()


# Said after (or, for a few, before) a name and removed from the customer's value (contract list).
HONORIFICS = keys(
    "ji jee bhai bhaiya bhaiyya bhaisaab bhaisahab sahab saab saheb sahib sir madam maam seth sethji "
    "garu anna avare babu da bhau sheth shethji जी भाई भैया साहब साब सेठ बाबू"
)
NAME_PREFIXES = keys("mr mrs ms shri sri shree smt m/s श्री श्रीमती")
# What follows a name in Hindi: Sharma ko / ne / ka / se / wale.
POSTPOSITIONS = keys("ko ne ka ki ke se pe par vale wale waale valo walon naam को ने का की के से पे पर वाले नाम")
# Words of a business's name that are also ordinary words ("Steel", "Traders").
BUSINESS_WORDS = keys(
    "traders trader trading steels steel enterprises enterprise hardware builders builder constructions "
    "construction industries agency agencies store stores suppliers supplier company co corporation sons "
    "brothers bros associates stockist distributors developers infra cement cements mart depot mill mills "
    "textiles electricals motors & and pvt ltd llp"
)
# A name never contains these, even when they are not in the training data.
NEVER_NAMES = keys(
    "mera meri mere mujhe mujhse hum hamara humko usko uska uski uske unka unki unke iska iski iske yeh ye "
    "woh wo vo aap aapka aapki aapko tum tumhara tera tujhe sab sabko koi kisi kaun kaunsa kis kya kitna "
    "market bill payment paisa link reminder statement hisaab report customer party grahak seth malik "
    "i me my you your we our he she they it this that the a an to for from with all every any each "
    "invoice amount total balance outstanding cash upi bank cheque neft rtgs imps gpay phonepe paytm "
    "aaj kal parso today tomorrow yesterday abhi please plz sir madam ji bhai haan nahi ok yes no "
    "naya new purana old pura poora sirf bas bhi hi to toh aur or and but lekin"
)

CURRENCY_WORDS = keys("rupaye rupees rupee rs inr rupiya रुपये रुपए रुपया रु")
CURRENCY_SYMBOLS = frozenset({"₹"})
# Multipliers: "k"/"l" only count glued to a number (25k, 2.5L); the others also after a space.
GLUED_MULTIPLIERS = {"k": 1000, "l": 100_000, "cr": 10_000_000}
MULTIPLIERS = {
    key("sau"): 100, key("hundred"): 100, key("सौ"): 100,
    key("hazaar"): 1000, key("thousand"): 1000, key("हज़ार"): 1000, key("हजार"): 1000,
    key("lakh"): 100_000, key("लाख"): 100_000,
    key("crore"): 10_000_000, key("karod"): 10_000_000, key("karor"): 10_000_000, key("करोड़"): 10_000_000,
    key("million"): 1_000_000,
}  # fmt: skip
# dedh and dhai are numbers; sava, saade and paune shift the number after them (sava do lakh = 2.25 lakh).
FRACTION_NUMBERS = {key("dedh"): 1.5, key("dhai"): 2.5, key("डेढ़"): 1.5, key("ढाई"): 2.5}
FRACTION_SHIFTS = {
    key("sava"): 0.25, key("savaa"): 0.25, key("सवा"): 0.25,
    key("saade"): 0.5, key("saadhe"): 0.5, key("साढ़े"): 0.5,
    key("paune"): -0.25, key("pone"): -0.25, key("पौने"): -0.25,
}  # fmt: skip

_HINDI_NUMBERS = _in_order(
    "ek do teen char paanch chhah saat aath nau das gyarah barah terah chaudah pandrah solah satrah "
    "atharah unnees bees ikkees baaees teis chaubees pachchees chhabbees sattaees athaaees untees tees "
    "iktees battees taintees chauntees paintees chhattees saintees adtees untaalees chaalees iktaalees "
    "bayaalees taintaalees chavaalees paintaalees chhiyaalees saintaalees adtaalees unchaas pachaas "
    "ikyaavan baavan tirpan chauvan pachpan chhappan sattaavan atthaavan unsath saath iksath baasath "
    "tirsath chaunsath painsath chhiyaasath sarsath adsath unhattar sattar ikhattar bahattar tihattar "
    "chauhattar pachhattar chhihattar satattar athhattar unyaasi assi ikyaasi bayaasi tiraasi chauraasi "
    "pachaasi chhiyaasi sattaasi athaasi navaasi nabbe ikyaanave baanave tiraanave chauraanave pachaanave "
    "chhiyaanave sattaanave atthaanave ninyaanave"
)
# Other common spellings of the same numbers.
_HINDI_NUMBER_SPELLINGS = {
    "char": 4, "chaar": 4, "panch": 5, "paanch": 5, "chhe": 6, "chheh": 6, "che": 6, "chah": 6, "sat": 7,
    "ath": 8, "nau": 9, "dus": 10, "gyaarah": 11, "baarah": 12, "pandrah": 15, "pandra": 15, "bis": 20,
    "pachis": 25, "pachees": 25, "pacchis": 25, "tis": 30, "chalis": 40, "chaalis": 40, "pachas": 50,
    "saath": 60, "sathh": 60, "sattar": 70, "assi": 80, "nabbe": 90, "nabe": 90,
    "एक": 1, "दो": 2, "तीन": 3, "चार": 4, "पांच": 5, "पाँच": 5, "छह": 6, "सात": 7, "आठ": 8, "नौ": 9,
    "दस": 10, "बीस": 20, "पच्चीस": 25, "तीस": 30, "चालीस": 40, "पचास": 50, "साठ": 60, "सत्तर": 70,
    "अस्सी": 80, "नब्बे": 90,
}  # fmt: skip
_ENGLISH_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
NUMBER_WORDS: dict[str, int] = {
    **{key(word): value for value, word in enumerate(_HINDI_NUMBERS, start=1)},
    **{key(word): value for word, value in _HINDI_NUMBER_SPELLINGS.items()},
    **{key(word): value for word, value in _ENGLISH_NUMBERS.items()},
}
ENGLISH_TENS = frozenset(key(word) for word, value in _ENGLISH_NUMBERS.items() if value >= 20)

# Units a quantity is counted in (and a unit price is quoted per).
UNITS = keys(
    "bag bags bori boriya boriyan katta katte kattas kg kgs kilo kilos gram grams ton tons tonne tonnes "
    "quintal quintals qtl piece pieces pc pcs nag box boxes dabba dabbe packet packets pkt pkts litre "
    "liter litres liters ltr ltrs meter metre meters metres mtr mtrs feet foot ft sqft unit units dozen "
    "bundle bundles roll rolls sheet sheets brass truck trucks trolley trolleys nos carton cartons bottle "
    "bottles set sets pair pairs gaddi thaila thaile bags बोरी बैग किलो टन पीस"
)
PER_WORDS = keys("per / prati har each pe a ek")
# Units of weight by key, in every script (किलो, கிலோ, కిలో and kilo share one), each to its own name: a
# price per kilo for a quantity in bags, or per kilo for tonnes, is a bill a thousand times off.
WEIGHT_UNITS: Mapping[str, str] = {
    **dict.fromkeys(keys("kg kgs kilo kilos kilogram kilograms केजी किलो কেজি"), "kg"),
    **dict.fromkeys(keys("gram grams gm gms ग्राम"), "g"),
    **dict.fromkeys(keys("ton tons tonne tonnes टन टन्नु టన్ను"), "t"),
    **dict.fromkeys(keys("quintal quintals qtl क्विंटल कुंतल குவிண்டால் কুইন্টাল"), "quintal"),
}
# Goods a trader bills for, matched as written (lower case): folded keys would confuse "steel" with
# "still" and "tel" (oil) with "tell". More are taken when they follow a quantity ("50 bag ACC cement").
ITEMS = frozenset(
    _in_order(
        """cement sand reti balu tmt saria sariya sariye steel rod rods bricks brick eent eentein block
    blocks tile tiles marble granite gitti gravel aggregate stone pathar pipe pipes wire wires paint
    putty plywood ply glass kapda cloth fabric saree sarees rice chawal atta gehu wheat sugar cheeni
    ghee maida cotton yarn dawai medicine opc ppc सीमेंट सरिया रेत ईंट"""
    )
)

GST_WORDS = keys("gst igst cgst sgst tax जीएसटी")
PERCENT_WORDS = keys("% percent pratishat प्रतिशत टक्के टक्का ટકા சதவீதம் శాతం ಶೇಕಡಾ ಶೇಕಡ ಪರ್ಸೆಂಟ್ শতাংশ পার্সেন্ট")
# GST slabs, old and new, so a bare "18%" on an invoice is read as its GST rate.
GST_SLABS = frozenset({0, 0.1, 0.25, 1, 1.5, 3, 5, 6, 7.5, 12, 18, 28, 40})

# Dates.
TODAY_WORDS = keys("aaj aj today tonight आज")
TOMORROW_WORDS = keys("tomorrow tmrw tmr")
TOMORROW_OR_YESTERDAY_WORDS = keys("kal kl कल")
TWO_DAYS_EITHER_WAY_WORDS = keys("parso parson परसों")
YESTERDAY_WORDS = keys("yesterday")
DAY_OF_MONTH_WORDS = keys("tarikh tareekh tarik date तारीख तारीख़")
ORDINAL_SUFFIXES = keys("st nd rd th")
DAY_WORDS = keys("din dino days day दिन")
WEEK_WORDS = keys("hafte hafta week weeks हफ्ते हफ़्ते सप्ताह")
NEXT_WORDS = keys("agle agla agli next अगले अगला")
IN_WORDS = keys("mein me main andar bhitar baad within in after में")
WEEKDAYS: dict[str, int] = {}
for _index, _names in enumerate(
    (
        "monday mon somvar somwar somvaar सोमवार",
        "tuesday tue tues mangalvar mangalwar मंगलवार",
        "wednesday wed budhvar budhwar बुधवार",
        "thursday thu thurs guruvar guruwar brihaspativar veervar वीरवार गुरुवार",
        "friday fri shukravar shukrawar शुक्रवार",
        "saturday sat shanivar shaniwar शनिवार",
        "sunday ravivar raviwar itvaar itwar etwar इतवार रविवार",
    )
):
    WEEKDAYS.update(dict.fromkeys(keys(_names), _index))
# Three-letter weekdays are English words too (sat, wed, sun): only taken with a capital or a date cue.
SHORT_WEEKDAYS = keys("mon tue tues wed thu thurs fri sat")
MONTHS: dict[str, int] = {}
for _index, _names in enumerate(
    (
        "january jan janvari", "february feb farvari", "march mar", "april apr", "may", "june jun",
        "july jul", "august aug agast", "september sep sept", "october oct", "november nov",
        "december dec disambar",
    ),
    start=1,
):  # fmt: skip
    MONTHS.update(dict.fromkeys(keys(_names), _index))

# Tense: "kal" is yesterday when the verb is past. Future words win ("kal tak de diya jayega").
PAST_MARKERS = keys(
    "diya kiya tha thi hua hui hue gaya chuka chuke chuki liya paid sent received did was were got made "
    "transferred deposited credited done दिया किया था थी हुआ हुई गया"
)
FUTURE_MARKERS = keys(
    "dunga karunga denge karenge jayega jaega hoga will shall tak until till bhejunga ayega aayega "
    "dalunga dega doonga bhejta deta karta bhejti deti karti दूंगा करूंगा देंगे करेंगे तक"
)

# Language names for set_language (the contract's codes; Hinglish is Hindi).
LANGUAGE_NAMES: dict[str, str] = {}
for _code, _names in (
    ("en", "english angrezi angreji inglish अंग्रेज़ी अंग्रेजी इंग्लिश"),
    ("hi", "hindi hinglish हिंदी हिन्दी"),
    ("mr", "marathi मराठी"),
    ("gu", "gujarati gujrati ગુજરાતી गुजराती"),
    ("ta", "tamil தமிழ் तमिल"),
    ("te", "telugu తెలుగు तेलुगु"),
    ("kn", "kannada ಕನ್ನಡ कन्नड़"),
    ("bn", "bengali bangla বাংলা बंगाली"),
):
    LANGUAGE_NAMES.update(dict.fromkeys(keys(_names), _code))


# --- the words of one language ------------------------------------------------------------------------


@dataclass(frozen=True)
class RelativeDay:
    """Days from today a word means; `by_tense` flips it into the past after a past verb (kal, parso)."""

    days: int
    by_tense: bool = False


MONTH_END: Literal["month_end"] = "month_end"
NEXT_WEEK: Literal["next_week"] = "next_week"
DateWord = RelativeDay | Literal["month_end", "next_week"]
Phrases = Mapping[str, tuple[tuple[tuple[str, ...], DateWord], ...]]


@dataclass(frozen=True)
class Words:
    """Everything the entity rules look words up in, as keys (endings and suffixes as native text)."""

    honorifics: frozenset[str]
    name_prefixes: frozenset[str]
    postpositions: frozenset[str]
    # Case endings glued to a name in native script (ஷர்மாவுக்கு → ஷர்மா), longest first.
    name_suffixes: tuple[str, ...]
    business_words: frozenset[str]
    never_names: frozenset[str]
    currency: frozenset[str]
    multipliers: Mapping[str, int]
    fractions: Mapping[str, float]
    fraction_shifts: Mapping[str, float]
    numbers: Mapping[str, int]
    # Tens words a unit word may follow to add up (twenty five, இருபத்து ஐந்து).
    tens: frozenset[str]
    units: frozenset[str]
    per: frozenset[str]
    gst: frozenset[str]
    relative_days: Mapping[str, RelativeDay]
    # Fixed phrases by their first word, so a token that starts none of them costs one lookup.
    phrases: Phrases
    day_of_month: frozenset[str]
    days: frozenset[str]
    week: frozenset[str]
    next: frozenset[str]
    within: frozenset[str]
    weekdays: Mapping[str, int]
    months: Mapping[str, int]
    past: frozenset[str]
    future: frozenset[str]
    past_endings: tuple[str, ...] = ()
    future_endings: tuple[str, ...] = ()
    language_names: Mapping[str, str] = field(default_factory=dict)


_BASE_PHRASES: tuple[tuple[str, DateWord], ...] = (
    ("day after tomorrow", RelativeDay(2)), ("day before yesterday", RelativeDay(-2)),
    ("month end", MONTH_END), ("month - end", MONTH_END), ("end of the month", MONTH_END),
    ("end of month", MONTH_END), ("mahine ke end", MONTH_END), ("mahine ka end", MONTH_END),
    ("mahine ke aakhir", MONTH_END), ("mahine ke last", MONTH_END), ("mahine ke ant", MONTH_END),
    ("mahine ka last", MONTH_END), ("mahine ke aakhri", MONTH_END), ("mahina end", MONTH_END),
    ("महीने के अंत", MONTH_END), ("महीने के आखिर", MONTH_END),
)  # fmt: skip


def _phrase_table(entries: Iterable[tuple[str, DateWord]], base: Phrases | None = None) -> Phrases:
    table: dict[str, list[tuple[tuple[str, ...], DateWord]]] = {
        first: list(found) for first, found in (base or {}).items()
    }
    for words, meaning in entries:
        # A key may hold two words (bhejdo → "bhej do"): phrases are matched token by token.
        token_keys = tuple(key(word) for word in words.split())
        table.setdefault(token_keys[0], []).append((token_keys, meaning))
    # Longer phrases first, so "day after tomorrow" is not read as "day".
    return {first: tuple(sorted(found, key=lambda item: -len(item[0]))) for first, found in table.items()}


def _relative(entries: Iterable[tuple[frozenset[str], RelativeDay]]) -> dict[str, RelativeDay]:
    table: dict[str, RelativeDay] = {}
    for words, meaning in entries:
        table.update(dict.fromkeys(words, meaning))
    return table


BASE = Words(
    honorifics=HONORIFICS,
    name_prefixes=NAME_PREFIXES,
    postpositions=POSTPOSITIONS,
    name_suffixes=(),
    business_words=BUSINESS_WORDS,
    never_names=NEVER_NAMES,
    currency=CURRENCY_WORDS,
    multipliers=MULTIPLIERS,
    fractions=FRACTION_NUMBERS,
    fraction_shifts=FRACTION_SHIFTS,
    numbers=NUMBER_WORDS,
    tens=ENGLISH_TENS,
    units=UNITS,
    per=PER_WORDS,
    gst=GST_WORDS,
    relative_days=_relative(
        (
            (TODAY_WORDS, RelativeDay(0)),
            (TOMORROW_WORDS, RelativeDay(1)),
            (YESTERDAY_WORDS, RelativeDay(-1)),
            (TOMORROW_OR_YESTERDAY_WORDS, RelativeDay(1, by_tense=True)),
            (TWO_DAYS_EITHER_WAY_WORDS, RelativeDay(2, by_tense=True)),
        )
    ),
    phrases=_phrase_table(_BASE_PHRASES),
    day_of_month=DAY_OF_MONTH_WORDS,
    days=DAY_WORDS,
    week=WEEK_WORDS,
    next=NEXT_WORDS,
    within=IN_WORDS,
    weekdays=WEEKDAYS,
    months=MONTHS,
    past=PAST_MARKERS,
    future=FUTURE_MARKERS,
    language_names=LANGUAGE_NAMES,
)

_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
)  # fmt: skip
_RELATIVE_LISTS = {
    "today": RelativeDay(0),
    "tomorrow": RelativeDay(1),
    "yesterday": RelativeDay(-1),
    "day_after_tomorrow": RelativeDay(2),
    "day_before_yesterday": RelativeDay(-2),
    "tomorrow_or_yesterday": RelativeDay(1, by_tense=True),
    "two_days_either_way": RelativeDay(2, by_tense=True),
    "in_a_week": RelativeDay(7),
}
_PHRASE_LISTS: dict[str, DateWord] = {"month_end": MONTH_END, "next_week": NEXT_WEEK}


class LexiconError(ValueError):
    """A lexicon file that does not follow the schema in nlu/README.md."""


# Hindi's number and day words are left out for the languages that do not borrow them: Gujarati છે ("is")
# has the key of "che" (six), Kannada ಕಾಲ್ ("call") that of "kal".
_HINDI_BORROWERS = frozenset({"en", "hi", "hi-Latn", "mr"})
_WITHOUT_HINDI = replace(
    BASE,
    numbers={key(word): value for word, value in _ENGLISH_NUMBERS.items()},
    fractions={},
    fraction_shifts={},
    relative_days=_relative(
        ((TODAY_WORDS, RelativeDay(0)), (TOMORROW_WORDS, RelativeDay(1)), (YESTERDAY_WORDS, RelativeDay(-1)))
    ),
)


@lru_cache(maxsize=16)
def words_for(language: str | None) -> Words:
    """The shared words plus those of `language` (its nlu/lexicon/<code>.yml), cached per language."""
    if language is None:
        return BASE
    base = BASE if language in _HINDI_BORROWERS else _WITHOUT_HINDI
    path = LEXICON_DIR / f"{language}.yml"
    if not path.is_file():
        return base
    return merge(base, load_lexicon(path))


def load_lexicon(path: Path) -> dict[str, Any]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path}: not YAML: {exc}") from exc
    if not isinstance(document, dict):
        raise LexiconError(f"{path}: expected a mapping")
    return document


def _longest_first(endings: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(endings), key=lambda ending: (-len(ending), ending)))


def merge(base: Words, lexicon: Mapping[str, Any]) -> Words:
    """`base` with a lexicon file's words added; its date and number words override the base's."""

    def entries(name: str) -> list[str]:
        value = lexicon.get(name) or []
        if not isinstance(value, list):
            raise LexiconError(f"{name}: expected a list, got {value!r}")
        return [unicodedata.normalize("NFC", str(entry)).strip() for entry in value if str(entry).strip()]

    def word_keys(name: str) -> frozenset[str]:
        return frozenset(key(entry) for entry in entries(name) if not entry.startswith("-"))

    def endings(name: str) -> tuple[str, ...]:
        """The "-ending" entries of a list (verb endings), longest first."""
        return _longest_first(
            entry[1:] for entry in entries(name) if entry.startswith("-") and len(entry) > 1
        )

    def valued(name: str, convert: type[int] | type[float] = int) -> dict[str, Any]:
        table = lexicon.get(name) or {}
        if not isinstance(table, dict):
            raise LexiconError(f"{name}: expected a mapping, got {table!r}")
        return {
            key(str(word)): convert(value)
            for value, spellings in table.items()
            for word in spellings or []
            if str(word).strip()
        }

    def named(name: str, names: tuple[str, ...], offset: int = 0) -> dict[str, int]:
        table = lexicon.get(name) or {}
        return {
            key(str(word)): index + offset
            for index, label in enumerate(names)
            for word in table.get(label) or []
            if str(word).strip()
        }

    relative_days: dict[str, RelativeDay] = {}
    phrase_entries: list[tuple[str, DateWord]] = []
    for name, meaning in _RELATIVE_LISTS.items():
        for entry in entries(name):
            if " " in entry:
                phrase_entries.append((entry, meaning))
            else:
                relative_days[key(entry)] = meaning
    for name, date_word in _PHRASE_LISTS.items():
        phrase_entries.extend((entry, date_word) for entry in entries(name))
    numbers = valued("numbers")
    language_names = {
        key(str(word)): code for code, spellings in (lexicon.get("language_names") or {}).items()
        for word in spellings or [] if str(word).strip()
    }  # fmt: skip
    return replace(
        base,
        honorifics=base.honorifics | word_keys("honorifics"),
        postpositions=base.postpositions | word_keys("postpositions"),
        name_suffixes=_longest_first(entry.lstrip("-") for entry in entries("name_suffixes")),
        currency=base.currency | word_keys("currency"),
        multipliers={**base.multipliers, **valued("multipliers")},
        fractions={**base.fractions, **valued("fractions", float)},
        fraction_shifts={**base.fraction_shifts, **valued("fraction_shifts", float)},
        numbers={**base.numbers, **numbers},
        tens=base.tens | {word for word, value in numbers.items() if value >= 20 and value % 10 == 0},
        units=base.units | word_keys("units"),
        per=base.per | word_keys("per"),
        gst=base.gst | word_keys("gst_words"),
        relative_days={**base.relative_days, **relative_days},
        phrases=_phrase_table(phrase_entries, base.phrases),
        day_of_month=base.day_of_month | word_keys("day_of_month"),
        days=base.days | word_keys("days"),
        week=base.week | word_keys("week"),
        next=base.next | word_keys("next"),
        within=base.within | word_keys("within"),
        weekdays={**base.weekdays, **named("weekdays", _WEEKDAY_NAMES)},
        months={**base.months, **named("months", _MONTH_NAMES, offset=1)},
        past=base.past | word_keys("past_markers"),
        future=base.future | word_keys("future_markers"),
        past_endings=endings("past_markers"),
        future_endings=endings("future_markers"),
        language_names={**base.language_names, **language_names},
    )
