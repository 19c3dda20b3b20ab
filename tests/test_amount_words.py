"""Amounts in words read as an Indian invoice prints them, in every language, for every amount."""

from __future__ import annotations

import unicodedata

import pytest
import yaml

from bot.i18n import Locales
from modules.invoicing.words import NUMBERS_DIR, amount_in_words, number_in_words

LANGUAGES = sorted(path.stem for path in NUMBERS_DIR.glob("*.yml"))
CRORE_RUPEES = 1_00_00_000 * 100

# (paise, words), checked by hand against how each language writes amounts.
AMOUNTS: dict[str, list[tuple[int, str]]] = {
    "en": [
        (0, "Rupees Zero Only"),
        (100, "Rupee One Only"),
        (1_500, "Rupees Fifteen Only"),
        (99, "Ninety-Nine Paise Only"),
        (10_100, "Rupees One Hundred One Only"),
        (22_420_50, "Rupees Twenty-Two Thousand Four Hundred Twenty and Fifty Paise Only"),
        (22_42_050_50, "Rupees Twenty-Two Lakh Forty-Two Thousand Fifty and Fifty Paise Only"),
        (125 * CRORE_RUPEES, "Rupees One Hundred Twenty-Five Crore Only"),
    ],
    "hi": [
        (0, "शून्य रुपये मात्र"),
        (100, "एक रुपया मात्र"),
        (1_500, "पंद्रह रुपये मात्र"),
        (999_00, "नौ सौ निन्यानवे रुपये मात्र"),
        (22_420_50, "बाईस हज़ार चार सौ बीस रुपये और पचास पैसे मात्र"),
        (22_42_050_50, "बाईस लाख बयालीस हज़ार पचास रुपये और पचास पैसे मात्र"),
        (125 * CRORE_RUPEES, "एक सौ पच्चीस करोड़ रुपये मात्र"),
    ],
    "hi-Latn": [
        (0, "Zero Rupaye Only"),
        (100, "Ek Rupaya Only"),
        (1, "Ek Paisa Only"),
        (22_420_50, "Baees Hazaar Chaar Sau Bees Rupaye aur Pachaas Paise Only"),
        (22_42_050_50, "Baees Lakh Bayaalees Hazaar Pachaas Rupaye aur Pachaas Paise Only"),
        (10_00_000_00, "Das Lakh Rupaye Only"),
    ],
    "mr": [
        (0, "शून्य रुपये फक्त"),
        (100, "एक रुपया फक्त"),
        (100_00, "शंभर रुपये फक्त"),
        (101_00, "एकशे एक रुपये फक्त"),
        (22_420_50, "बावीस हजार चारशे वीस रुपये आणि पन्नास पैसे फक्त"),
        (22_42_050_50, "बावीस लाख बेचाळीस हजार पन्नास रुपये आणि पन्नास पैसे फक्त"),
        (CRORE_RUPEES, "एक कोटी रुपये फक्त"),
    ],
    "gu": [
        (0, "શૂન્ય રૂપિયા પૂરા"),
        (1_500, "પંદર રૂપિયા પૂરા"),
        (200_00, "બસો રૂપિયા પૂરા"),
        (22_420_50, "બાવીસ હજાર ચારસો વીસ રૂપિયા અને પચાસ પૈસા પૂરા"),
        (22_42_050_50, "બાવીસ લાખ બેતાળીસ હજાર પચાસ રૂપિયા અને પચાસ પૈસા પૂરા"),
        (1_01_000_00, "એક લાખ એક હજાર રૂપિયા પૂરા"),
    ],
    "bn": [
        (0, "শূন্য টাকা মাত্র"),
        (100, "এক টাকা মাত্র"),
        (99_00, "নিরানব্বই টাকা মাত্র"),
        (22_420_50, "বাইশ হাজার চারশত বিশ টাকা এবং পঞ্চাশ পয়সা মাত্র"),
        (22_42_050_50, "বাইশ লক্ষ বিয়াল্লিশ হাজার পঞ্চাশ টাকা এবং পঞ্চাশ পয়সা মাত্র"),
        (10_00_000_00, "দশ লক্ষ টাকা মাত্র"),
    ],
    "ta": [
        (0, "பூஜ்ஜியம் ரூபாய் மட்டும்"),
        (100, "ஒரு ரூபாய் மட்டும்"),
        (101_00, "நூற்று ஒரு ரூபாய் மட்டும்"),
        (1_000_00, "ஆயிரம் ரூபாய் மட்டும்"),
        (22_420_50, "இருபத்திரண்டாயிரத்து நானூற்று இருபது ரூபாய் மற்றும் ஐம்பது பைசா மட்டும்"),
        (22_42_050_50, "இருபத்திரண்டு லட்சத்து நாற்பத்திரண்டாயிரத்து ஐம்பது ரூபாய் மற்றும் ஐம்பது பைசா மட்டும்"),
        (125 * CRORE_RUPEES, "நூற்று இருபத்தைந்து கோடி ரூபாய் மட்டும்"),
    ],
    "te": [
        (0, "సున్నా రూపాయలు మాత్రమే"),
        (100, "ఒక రూపాయి మాత్రమే"),
        (100_00, "వంద రూపాయలు మాత్రమే"),
        (101_00, "నూట ఒక్క రూపాయలు మాత్రమే"),
        (22_420_50, "ఇరవై రెండు వేల నాలుగు వందల ఇరవై రూపాయలు మరియు యాభై పైసలు మాత్రమే"),
        (22_42_050_50, "ఇరవై రెండు లక్షల నలభై రెండు వేల యాభై రూపాయలు మరియు యాభై పైసలు మాత్రమే"),
        (10_00_000_00, "పది లక్షల రూపాయలు మాత్రమే"),
    ],
    "kn": [
        (0, "ಸೊನ್ನೆ ರೂಪಾಯಿ ಮಾತ್ರ"),
        (100, "ಒಂದು ರೂಪಾಯಿ ಮಾತ್ರ"),
        (101_00, "ನೂರ ಒಂದು ರೂಪಾಯಿ ಮಾತ್ರ"),
        (22_420_50, "ಇಪ್ಪತ್ತೆರಡು ಸಾವಿರದ ನಾನೂರ ಇಪ್ಪತ್ತು ರೂಪಾಯಿ ಮತ್ತು ಐವತ್ತು ಪೈಸೆ ಮಾತ್ರ"),
        (22_42_050_50, "ಇಪ್ಪತ್ತೆರಡು ಲಕ್ಷದ ನಲವತ್ತೆರಡು ಸಾವಿರದ ಐವತ್ತು ರೂಪಾಯಿ ಮತ್ತು ಐವತ್ತು ಪೈಸೆ ಮಾತ್ರ"),
        (CRORE_RUPEES, "ಒಂದು ಕೋಟಿ ರೂಪಾಯಿ ಮಾತ್ರ"),
    ],
}

# (number, words): the forms that change with what follows them, and crores counted past 99.
NUMBERS: dict[str, list[tuple[int, str]]] = {
    "en": [(999, "Nine Hundred Ninety-Nine"), (1_01_000, "One Lakh One Thousand"), (10_00_000, "Ten Lakh")],
    "hi": [(101, "एक सौ एक"), (1_000, "एक हज़ार"), (1_01_000, "एक लाख एक हज़ार"), (1_00_00_000, "एक करोड़")],
    "hi-Latn": [(15, "Pandrah"), (99, "Ninyaanave"), (1_25_00_00_000, "Ek Sau Pachchees Crore")],
    "mr": [(99, "नव्व्याण्णव"), (1_100, "एक हजार शंभर"), (1_00_00_00_000, "शंभर कोटी")],
    "gu": [(99, "નવ્વાણું"), (101, "એકસો એક"), (999, "નવસો નવ્વાણું"), (1_25_00_00_000, "એકસો પચીસ કરોડ")],
    "bn": [(15, "পনেরো"), (101, "একশত এক"), (1_000, "এক হাজার"), (1_25_00_00_000, "একশত পঁচিশ কোটি")],
    "ta": [
        (15, "பதினைந்து"),
        (99, "தொண்ணூற்றொன்பது"),
        (999, "தொள்ளாயிரத்து தொண்ணூற்றொன்பது"),
        (3_000, "மூவாயிரம்"),
        (5_000, "ஐயாயிரம்"),
        (11_000, "பதினோராயிரம்"),
        (13_000, "பதின்மூன்றாயிரம்"),
        (21_000, "இருபத்தோராயிரம்"),
        (23_000, "இருபத்துமூவாயிரம்"),
        (1_01_000, "ஒரு லட்சத்து ஆயிரம்"),
        (21_00_000, "இருபத்தொரு லட்சம்"),
        (1_25_00_000, "ஒரு கோடியே இருபத்தைந்து லட்சம்"),
    ],
    "te": [
        (15, "పదిహేను"),
        (99, "తొంభై తొమ్మిది"),
        (101, "నూట ఒకటి"),
        (999, "తొమ్మిది వందల తొంభై తొమ్మిది"),
        (1_000, "వెయ్యి"),
        (21_000, "ఇరవై ఒక్క వేలు"),
        (10_00_000, "పది లక్షలు"),
        (1_25_00_00_000, "నూట ఇరవై ఐదు కోట్లు"),
    ],
    "kn": [
        (15, "ಹದಿನೈದು"),
        (99, "ತೊಂಬತ್ತೊಂಬತ್ತು"),
        (999, "ಒಂಬೈನೂರ ತೊಂಬತ್ತೊಂಬತ್ತು"),
        (1_000, "ಒಂದು ಸಾವಿರ"),
        (1_01_000, "ಒಂದು ಲಕ್ಷದ ಒಂದು ಸಾವಿರ"),
        (1_25_00_00_000, "ನೂರ ಇಪ್ಪತ್ತೈದು ಕೋಟಿ"),
    ],
}


@pytest.mark.parametrize(
    ("language", "paise", "words"),
    [(language, paise, words) for language, cases in AMOUNTS.items() for paise, words in cases],
)
def test_amounts_read_as_invoices_print_them(language: str, paise: int, words: str) -> None:
    assert amount_in_words(paise, language) == words


@pytest.mark.parametrize(
    ("language", "n", "words"),
    [(language, n, words) for language, cases in NUMBERS.items() for n, words in cases],
)
def test_numbers_take_the_form_their_place_asks_for(language: str, n: int, words: str) -> None:
    assert number_in_words(n, language) == words


def test_every_language_is_checked_by_hand() -> None:
    assert set(AMOUNTS) == set(NUMBERS) == set(LANGUAGES)


def test_every_locale_has_number_words() -> None:
    assert set(LANGUAGES) == Locales().languages


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_basic_number_is_written_out(language: str) -> None:
    data = yaml.safe_load((NUMBERS_DIR / f"{language}.yml").read_text(encoding="utf-8"))
    numbers = data["numbers"]
    assert sorted(numbers) == list(range(100))
    for word in numbers.values():
        assert isinstance(word, str) and word.strip() == word != ""
        # One spelling per word: a decomposed and a composed য় must not both reach a PDF or a search.
        assert unicodedata.is_normalized("NFC", word)


# Every number below ten thousand, then every 97th up to ten lakh: each form of each position is reached
# (97 is prime, so the sample walks through every last-two-digit and hundreds combination).
SAMPLE = [*range(10_000), *range(10_000, 10_00_000, 97)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_numbers_below_ten_lakh_read_cleanly(language: str) -> None:
    for n in SAMPLE:
        words = number_in_words(n, language)
        assert words and "{" not in words and "  " not in words and words.strip() == words, n


def test_an_unknown_language_reads_english() -> None:
    assert amount_in_words(22_42_050_50, "fr") == amount_in_words(22_42_050_50, "en")


def test_a_negative_amount_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        amount_in_words(-50_000, "hi")
    with pytest.raises(ValueError, match="negative"):
        number_in_words(-1, "en")
