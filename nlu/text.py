"""Tokens and their normalized keys: one spelling for the many ways a word is typed.

Romanized Hindi has no standard spelling (baaki, baki, baqi), so every word gets a `key`: lower case,
Devanagari transliterated to Latin letters, long vowels and doubled letters folded, a few sound-alike
letters merged, and common variants mapped to one form ("bhejdo" → "bhej do"). Rules and the classifier
compare keys, never raw spellings. Offsets always point into the original text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from indicnlp.normalize.indic_normalize import IndicNormalizerFactory
from indicnlp.transliterate.unicode_transliterate import UnicodeIndicTransliterator

# Native digits of the Indian scripts → ASCII, one code point for one, so offsets stay valid.
_NATIVE_DIGIT_ZEROS = (0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66)
NATIVE_DIGITS = str.maketrans(
    {chr(zero + value): str(value) for zero in _NATIVE_DIGIT_ZEROS for value in range(10)}
)

# Letters of any script plus the Indic blocks, whose vowel signs and viramas are not "letters" to `re`.
# The danda (U+0964/0965) is punctuation; Indic digits never reach here (see NATIVE_DIGITS).
_LETTERS = r"(?:[^\W\d_\u0964\u0965]|[\u0900-\u0963\u0970-\u0D7F\u200c\u200d])+"
_NUMBER = r"\d+(?:[.,]\d+)*"
_TOKEN = re.compile(rf"(?P<number>{_NUMBER})|(?P<word>{_LETTERS})|(?P<other>\S)")


class Kind(Enum):
    WORD = "word"
    NUMBER = "number"
    OTHER = "other"


class Script(Enum):
    LATIN = "latin"
    DEVANAGARI = "devanagari"
    BENGALI = "bengali"
    GURMUKHI = "gurmukhi"
    GUJARATI = "gujarati"
    ORIYA = "oriya"
    TAMIL = "tamil"
    TELUGU = "telugu"
    KANNADA = "kannada"
    MALAYALAM = "malayalam"
    OTHER = "other"


_SCRIPT_BLOCKS: tuple[tuple[int, int, Script], ...] = (
    (0x0900, 0x097F, Script.DEVANAGARI),
    (0x0980, 0x09FF, Script.BENGALI),
    (0x0A00, 0x0A7F, Script.GURMUKHI),
    (0x0A80, 0x0AFF, Script.GUJARATI),
    (0x0B00, 0x0B7F, Script.ORIYA),
    (0x0B80, 0x0BFF, Script.TAMIL),
    (0x0C00, 0x0C7F, Script.TELUGU),
    (0x0C80, 0x0CFF, Script.KANNADA),
    (0x0D00, 0x0D7F, Script.MALAYALAM),
)


@dataclass(frozen=True)
class Token:
    """A word, a number or one other character; `key` is its normalized form (may hold two words)."""

    text: str
    start: int
    end: int
    kind: Kind
    key: str
    script: Script

    @property
    def is_word(self) -> bool:
        return self.kind is Kind.WORD


def script_of(char: str) -> Script:
    code = ord(char)
    if char.isascii():
        return Script.LATIN if char.isalpha() else Script.OTHER
    for low, high, script in _SCRIPT_BLOCKS:
        if low <= code <= high:
            return script
    return Script.LATIN if unicodedata.category(char).startswith("L") and code < 0x0250 else Script.OTHER


def tokenize(text: str) -> list[Token]:
    """Split `text` (native digits already folded to ASCII) into tokens with their keys."""
    tokens = []
    for match in _TOKEN.finditer(text):
        kind = Kind(match.lastgroup)
        raw = match.group()
        if kind is Kind.WORD:
            tokens.append(Token(raw, match.start(), match.end(), kind, word_key(raw), script_of(raw[0])))
        elif kind is Kind.NUMBER:
            tokens.append(Token(raw, match.start(), match.end(), kind, raw.replace(",", ""), Script.OTHER))
        else:
            tokens.append(Token(raw, match.start(), match.end(), kind, raw, Script.OTHER))
    return tokens


def covered(tokens: list[Token], spans: list[tuple[int, int]]) -> list[bool]:
    """For each token, whether it starts inside one of `spans` (one pass over both, spans in any order)."""
    ordered = sorted(spans)
    inside = []
    position = 0
    for token in tokens:
        while position < len(ordered) and ordered[position][1] <= token.start:
            position += 1
        inside.append(position < len(ordered) and ordered[position][0] <= token.start)
    return inside


# --- Devanagari → Latin -------------------------------------------------------------------------------

_CONSONANTS = {
    "क": "k", "ख": "kh", "ग": "g", "घ": "gh", "ङ": "n", "च": "ch", "छ": "chh", "ज": "j", "झ": "jh",
    "ञ": "n", "ट": "t", "ठ": "th", "ड": "d", "ढ": "dh", "ण": "n", "त": "t", "थ": "th", "द": "d",
    "ध": "dh", "न": "n", "प": "p", "फ": "ph", "ब": "b", "भ": "bh", "म": "m", "य": "y", "र": "r",
    "ल": "l", "व": "v", "श": "sh", "ष": "sh", "स": "s", "ह": "h", "ळ": "l",
}  # fmt: skip
# NFC keeps the nukta as its own code point after the consonant it changes.
_WITH_NUKTA = {"k": "q", "j": "z", "d": "r", "dh": "rh", "ph": "f", "y": "y"}
# The last ones only come from other scripts: Dravidian ழ ற ன and short e/o, mapped to Devanagari by
# indic-nlp's transliterator.
_CONSONANTS.update({"ऴ": "l", "ऱ": "r", "ऩ": "n"})
_VOWELS = {
    "अ": "a", "आ": "aa", "इ": "i", "ई": "ii", "उ": "u", "ऊ": "uu", "ऋ": "ri", "ए": "e", "ऐ": "ai",
    "ओ": "o", "औ": "au", "ऑ": "o", "ऍ": "e", "ऎ": "e", "ऒ": "o",
}  # fmt: skip
_SIGNS = {
    "ा": "aa", "ि": "i", "ी": "ii", "ु": "u", "ू": "uu", "ृ": "ri", "े": "e", "ै": "ai", "ो": "o",
    "ौ": "au", "ॉ": "o", "ॅ": "e", "ॆ": "e", "ॊ": "o",
}  # fmt: skip
_NASALS = {"ं": "n", "ँ": "n", "ः": "h"}
_VIRAMA = "\u094d"
_NUKTA = "\u093c"
_INHERENT: None = None  # a consonant's own "a", until a vowel sign or virama replaces it


def devanagari_to_latin(word: str, *, final_vowel: bool = False) -> str:
    """`कितना` → `kitnaa`: letter by letter, with Hindi's silent inherent vowels dropped.

    The inherent "a" after a consonant is dropped at the end of a word and between a vowel-consonant and
    a consonant-vowel (करना → karnaa, not karanaa), which is how people romanize when they type.
    """
    # One [consonant, vowel] per syllable: consonant "" for a bare vowel, vowel "" after a virama.
    syllables: list[list[str | None]] = []
    for char in unicodedata.normalize("NFC", word):
        if char in _CONSONANTS:
            syllables.append([_CONSONANTS[char], _INHERENT])
        elif char in _VOWELS:
            syllables.append(["", _VOWELS[char]])
        elif char in _NASALS:
            syllables.append([_NASALS[char], ""])
        elif not syllables:
            continue
        elif char == _NUKTA:
            consonant = syllables[-1][0] or ""
            syllables[-1][0] = _WITH_NUKTA.get(consonant, consonant)
        elif char in _SIGNS:
            syllables[-1][1] = _SIGNS[char]
        elif char == _VIRAMA:
            syllables[-1][1] = ""
    _drop_silent_vowels(syllables, final_vowel=final_vowel)
    return "".join(f"{consonant}{'a' if vowel is None else vowel}" for consonant, vowel in syllables)


def _drop_silent_vowels(syllables: list[list[str | None]], *, final_vowel: bool) -> None:
    if not final_vowel and len(syllables) > 1 and syllables[-1][0] and syllables[-1][1] is _INHERENT:
        syllables[-1][1] = ""
    # Right to left, so that each decision sees the vowels already dropped after it.
    for index in range(len(syllables) - 2, 0, -1):
        consonant, vowel = syllables[index]
        after_vowel = syllables[index - 1][1] != ""
        before_vowel = bool(syllables[index + 1][0]) and syllables[index + 1][1] != ""
        if consonant and vowel is _INHERENT and after_vowel and before_vowel:
            syllables[index][1] = ""


# --- other Indian scripts → Devanagari -----------------------------------------------------------------

# indic-nlp's normalizer and transliterator for each script (Devanagari by its Hindi rules; Marathi's
# differ only in letters its words share with Hindi).
_INDIC_LANGUAGES = {
    Script.DEVANAGARI: "hi", Script.BENGALI: "bn", Script.GURMUKHI: "pa", Script.GUJARATI: "gu",
    Script.ORIYA: "or", Script.TAMIL: "ta", Script.TELUGU: "te", Script.KANNADA: "kn", Script.MALAYALAM: "ml",
}  # fmt: skip
# Telugu, Kannada and Malayalam pronounce a word's final inherent vowel (శర్మ is "sharma"); Hindi does not.
_VOICED_FINAL_VOWEL = frozenset({Script.TELUGU, Script.KANNADA, Script.MALAYALAM})
_NORMALIZERS = {
    script: IndicNormalizerFactory().get_normalizer(code) for script, code in _INDIC_LANGUAGES.items()
}


def to_devanagari(word: str, script: Script) -> str:
    """One shared script for every Indian one, so that शर्मा, ஷர்மா and શર્મા get one key (sharma).

    indic-nlp's Unicode transliterator maps letter for letter between the Brahmi-derived blocks after its
    per-language normalization (nukta forms, two-part vowel signs, chillus); Tamil's missing voiced
    letters simply come out unvoiced, which the keys' sound-alike folding mostly absorbs.
    """
    normalized = str(_NORMALIZERS[script].normalize(word))
    if script is Script.DEVANAGARI:
        return normalized
    return str(UnicodeIndicTransliterator.transliterate(normalized, _INDIC_LANGUAGES[script], "hi"))


# --- keys ---------------------------------------------------------------------------------------------

_REPEATS = re.compile(r"(.)\1+")
_EMPHASIS = re.compile(r"(.)\1{2,}")
_SOUND_ALIKES = (("chh", "ch"), ("ph", "f"), ("sh", "s"), ("w", "v"), ("q", "k"), ("z", "j"), ("ck", "k"))
_LONG_VOWELS = (("aa", "a"), ("ee", "i"), ("ii", "i"), ("oo", "u"), ("uu", "u"))

# Spellings people type → one form. Written naturally; keys are derived below. Verbs keep their tense
# (bhejo and bhej diya mean different things), but every imperative becomes "<stem> do".
_VARIANTS = {
    # yes / no
    "ha": "haan", "haa": "haan", "han": "haan", "hn": "haan", "haanji": "haan ji", "hanji": "haan ji",
    "hanjii": "haan ji", "hmm": "haan", "hm": "haan", "hmmm": "haan", "nahin": "nahi", "nhi": "nahi",
    "nai": "nahi", "nahii": "nahi", "nhin": "nahi", "nahee": "nahi", "naa": "na", "ny": "nahi",
    "okay": "ok", "okk": "ok", "k": "ok", "okey": "ok", "oky": "ok", "kk": "ok", "yup": "yes", "yep": "yes",
    "yeah": "yes", "ya": "yes", "yea": "yes", "nope": "no", "nah": "no", "thik": "theek", "thk": "theek",
    "thek": "theek", "tik": "theek", "teek": "theek", "acha": "accha", "achha": "accha", "achchha": "accha",
    "acchha": "accha",
    # verbs: imperatives
    "bhejo": "bhej do", "bhejdo": "bhej do", "bhejde": "bhej do", "bhejiye": "bhej do",
    "bhejiyega": "bhej do", "bhejna": "bhej do", "bhejdijiye": "bhej do", "bhejdena": "bhej do",
    "bhijwa": "bhej", "bhijwao": "bhej do", "karo": "kar do", "kardo": "kar do", "krdo": "kar do",
    "kariye": "kar do", "kijiye": "kar do", "kro": "kar do", "kr": "kar", "kijie": "kar do",
    "banao": "bana do", "banado": "bana do", "banaiye": "bana do", "banaao": "bana do", "banaa": "bana",
    "bnao": "bana do", "bna": "bana", "bnado": "bana do", "dedo": "de do", "dijiye": "de do",
    "dijie": "de do", "dena": "de do", "batao": "bata do", "batado": "bata do", "bataiye": "bata do",
    "btao": "bata do", "dikhao": "dikha do", "dikhado": "dikha do", "dikhaiye": "dikha do",
    "chhodo": "chhod do", "chhoddo": "chhod do", "chodo": "chhod do", "chod": "chhod", "rakho": "rakh do",
    "rokdo": "rok do", "roko": "rok do", "karwao": "karwa do", "karvao": "karwa do", "karwaiye": "karwa do",
    "karwado": "karwa do", "daalo": "daal do", "dalo": "daal do", "daaldo": "daal do", "daliye": "daal do",
    "bolo": "bol do", "boldo": "bol do", "likho": "likh do", "likhdo": "likh do", "jodo": "jod do",
    "jodiye": "jod do", "lagao": "laga do", "lagado": "laga do",
    # verbs: past and future
    "kardiya": "kar diya", "krdiya": "kar diya", "kardia": "kar diya", "krdia": "kar diya", "dia": "diya",
    "diye": "diya", "diyaa": "diya", "kia": "kiya", "kiye": "kiya", "kiyaa": "kiya",
    "bhejdiya": "bhej diya", "bheja": "bhej diya", "bheje": "bhej diya", "bhejdia": "bhej diya",
    "dediya": "de diya", "dediye": "de diya", "dedia": "de diya", "mila": "mil gaya", "mile": "mil gaya",
    "mili": "mil gaya", "milgaya": "mil gaya", "milgaye": "mil gaya", "gaye": "gaya", "gayi": "gaya",
    "gai": "gaya", "gya": "gaya", "krunga": "karunga", "karungi": "karunga", "karenge": "karunga",
    "kardunga": "kar dunga", "krdunga": "kar dunga", "kardungi": "kar dunga", "kardenge": "kar dunga",
    "dungi": "dunga", "denge": "dunga", "dedunga": "de dunga", "dedenge": "de dunga",
    "bhejunga": "bhej dunga", "bhejdunga": "bhej dunga",
    # function words
    "h": "hai", "he": "hai", "hain": "hai", "hein": "hai", "hay": "hai", "hae": "hai", "me": "mein",
    "mai": "mein", "mei": "mein", "main": "mein", "men": "mein", "m": "mein", "mjhe": "mujhe",
    "muje": "mujhe", "mujhko": "mujhe", "mereko": "mujhe", "mko": "mujhe", "mje": "mujhe",
    "mjhse": "mujhse", "mere": "mera", "meri": "mera", "usse": "usko", "unko": "usko",
    "unhe": "usko", "isko": "usko", "kitne": "kitna", "kitni": "kitna", "ktna": "kitna", "kitana": "kitna",
    "baki": "baaki", "baqi": "baaki", "baaqi": "baaki", "bakaya": "baaki", "bakaaya": "baaki",
    "paise": "paisa", "pese": "paisa", "paisaa": "paisa", "pesa": "paisa", "paisay": "paisa",
    "rupye": "rupaye", "rupay": "rupaye", "rupee": "rupaye", "rupees": "rupaye", "rupiya": "rupaye",
    "rupiye": "rupaye", "rupya": "rupaye", "rupaiya": "rupaye", "rs": "rupaye", "inr": "rupaye",
    "hazar": "hazaar", "hajar": "hazaar", "hajaar": "hazaar", "hzar": "hazaar", "lac": "lakh",
    "lacs": "lakh", "lakhs": "lakh", "laakh": "lakh", "derh": "dedh", "dhaai": "dhai", "adhai": "dhai",
    "sadhe": "saade", "sarhe": "saade", "parson": "parso", "parsoo": "parso", "parsun": "parso",
    "tareekh": "tarikh", "tarik": "tarikh", "tareek": "tarikh", "taarikh": "tarikh", "tarkh": "tarikh",
    "hafta": "hafte", "hapte": "hafte", "hafteh": "hafte", "mahina": "mahine", "mahinay": "mahine",
    "mahinee": "mahine", "plz": "please", "pls": "please", "plzz": "please",
    "plij": "please", "thx": "thanks", "thnx": "thanks", "thanx": "thanks", "tnx": "thanks", "ty": "thanks",
    "thanku": "thank you", "thankyou": "thank you", "tq": "thank you", "thnks": "thanks", "msg": "message",
    "msgs": "message", "messages": "message", "sms": "message", "pymt": "payment", "pmt": "payment",
    "paymnt": "payment", "payement": "payment", "pement": "payment", "amt": "amount", "inv": "invoice",
    "invoices": "invoice", "bil": "bill", "bills": "bill", "hlo": "hello", "helo": "hello", "hllo": "hello",
    "u": "you", "r": "are", "ur": "your",
}  # fmt: skip


def _fold(latin: str) -> str:
    folded = latin
    for long, short in _LONG_VOWELS:
        folded = folded.replace(long, short)
    for pair, single in _SOUND_ALIKES:
        folded = folded.replace(pair, single)
    return _REPEATS.sub(r"\1", folded)


_VARIANT_KEYS = {
    _fold(spelling): " ".join(_fold(w) for w in form.split()) for spelling, form in _VARIANTS.items()
}


@lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """The normalized form of one word: `Bhejdo` → `bhej do`, `बाकी` → `baki`, `haaan` → `haan`."""
    lower = unicodedata.normalize("NFC", word).casefold()
    script = script_of(lower[0]) if lower else Script.OTHER
    if script in _INDIC_LANGUAGES:
        lower = devanagari_to_latin(to_devanagari(lower, script), final_vowel=script in _VOICED_FINAL_VOWEL)
    # Three or more of a letter is emphasis (haaaan, pleeease, nahiii): read it as one.
    lower = _EMPHASIS.sub(r"\1", lower)
    if lower in _VARIANTS:
        return " ".join(_fold(w) for w in _VARIANTS[lower].split())
    folded = _fold(lower)
    return _VARIANT_KEYS.get(folded, folded)


def key(phrase: str) -> str:
    """The keys of every word of `phrase`, space separated (for writing word lists naturally)."""
    return " ".join(word_key(word) for word in phrase.split())


def phrase(words: str) -> tuple[str, ...]:
    """The keys of a fixed phrase, word by word, to match against consecutive tokens."""
    return tuple(word_key(word) for word in words.split())


def keys(phrases: str) -> frozenset[str]:
    """A set of single-word keys from a whitespace-separated list of spellings."""
    return frozenset(word_key(word) for word in phrases.split())
