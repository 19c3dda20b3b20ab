"""PDF documents in Indian scripts: Noto fonts with HarfBuzz shaping, labels in two languages, and a
Latin-1 core font when the fonts are missing (fonts-noto-core not installed: "Rs." for ₹, "?" for other
scripts). Invoices and statements are laid out with this."""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from babel.dates import format_date
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import TTFFont

from bot.i18n import default_locales, format_inr

logger = logging.getLogger(__name__)

NOTO_DIR = Path("/usr/share/fonts/truetype/noto")
LATIN_FAMILY = "NotoSans"
CORE_FAMILY = "helvetica"
# Unicode blocks are 128 code points wide and aligned, so a character's block is `ord(c) & ~0x7F`.
SCRIPT_FAMILIES = {
    0x0900: "NotoSansDevanagari",  # Hindi, Marathi
    0x0980: "NotoSansBengali",
    0x0A00: "NotoSansGurmukhi",
    0x0A80: "NotoSansGujarati",
    0x0B00: "NotoSansOriya",
    0x0B80: "NotoSansTamil",
    0x0C00: "NotoSansTelugu",
    0x0C80: "NotoSansKannada",
    0x0D00: "NotoSansMalayalam",
}
MARGIN_MM = 12
GREY = (90, 90, 90)
LAYOUT_TABLES = ("GSUB", "GPOS", "GDEF")
LATIN_LANGUAGES = frozenset({"en", "hi-Latn"})


@dataclass(frozen=True)
class Labels:
    """Every label in English, then in the customer's language when it has a script of its own ("Total /
    कुल"): the accountant reads the one, the customer the other. A Hinglish reader reads the English."""

    language: str

    def __call__(self, key: str, **params: object) -> str:
        return " / ".join(self.both(key, **params))

    def both(self, key: str, **params: object) -> list[str]:
        locales = default_locales()
        english = locales.render(f"document.{key}", "en", params)
        if self.language in LATIN_LANGUAGES:
            return [english]
        theirs = locales.render(f"document.{key}", self.language, params)
        return [english] if theirs == english else [english, theirs]


class Writer:
    """The PDF with its fonts chosen: Noto with shaping and script fallbacks, or a core font."""

    def __init__(self, pdf: FPDF, font_dir: Path, texts: Iterable[str], language: str) -> None:
        self.pdf = pdf
        fonts = font_files(font_dir)
        self.unicode = LATIN_FAMILY in fonts
        # A core font writes Latin-1 only: then the labels stay English.
        self.label = Labels(language if self.unicode else "en")
        if not self.unicode:
            self.family, self.rupee = CORE_FAMILY, "Rs. "
            return
        self.family, self.rupee = LATIN_FAMILY, "₹"
        # Only the scripts this invoice uses: each font costs parsing and subsetting time.
        families = [LATIN_FAMILY, *(family for family in scripts_used(texts) if family in fonts)]
        for family in families:
            pdf.add_font(family, "", fonts[family][0])
            pdf.add_font(family, "B", fonts[family][1])
        pdf.set_fallback_fonts(families[1:])

    def shape_for(self, texts: Iterable[str]) -> None:
        """Shape with HarfBuzz only where an Indian script needs it: it triples layout time, and Latin
        text looks the same without it."""
        if self.unicode:
            self.pdf.set_text_shaping(bool(scripts_used(texts)))

    def clean(self, text: str) -> str:
        """Text the current fonts can write: unchanged with Noto, Latin-1 with a core font."""
        if self.unicode:
            return text
        return text.replace("₹", "Rs. ").encode("latin-1", "replace").decode("latin-1")

    def money(self, paise: int) -> str:
        return format_inr(paise, symbol=self.rupee, always_paise=True)

    def font(self, size: float, *, bold: bool = False) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", size)

    def line(
        self, text: str, *, size: float = 9, bold: bool = False, width: float = 0, align: str = "L"
    ) -> None:
        """One paragraph at the current position, wrapped to `width` (0: to the right margin)."""
        self.font(size, bold=bold)
        self.shape_for([text])
        self.pdf.multi_cell(
            width, size * 0.5, self.clean(text), align=align, new_x=XPos.LEFT, new_y=YPos.NEXT
        )


@functools.cache
def font_files(font_dir: Path) -> dict[str, tuple[Path, Path]]:
    """The Noto families found in `font_dir` with both weights, looked up (and missing fonts logged) once."""
    found = {}
    for family in (LATIN_FAMILY, *SCRIPT_FAMILIES.values()):
        regular, bold = font_dir / f"{family}-Regular.ttf", font_dir / f"{family}-Bold.ttf"
        if regular.is_file() and bold.is_file():
            found[family] = (regular, bold)
    if LATIN_FAMILY not in found:
        logger.warning("Noto fonts not found in %s: PDFs use a Latin-1 core font", font_dir)
    return found


def scripts_used(texts: Iterable[str]) -> list[str]:
    blocks = {ord(char) & ~0x7F for text in texts for char in text if ord(char) >= 0x0900}
    return [family for block, family in SCRIPT_FAMILIES.items() if block in blocks]


def drop_layout_tables(pdf: FPDF) -> None:
    # Shaping is done by now (HarfBuzz works on its own copy of each font file) and fpdf2 drops these
    # tables from the embedded subsets anyway, but fontTools' subsetter first decompiles them all:
    # 100-250 ms per document with the Noto fonts. Deleting them first gives byte-identical fonts.
    for font in pdf.fonts.values():
        if isinstance(font, TTFFont):
            for tag in LAYOUT_TABLES:
                if tag in font.ttfont:
                    del font.ttfont[tag]


def rule(pdf: FPDF) -> None:
    pdf.set_draw_color(180)
    pdf.line(MARGIN_MM, pdf.get_y(), pdf.w - MARGIN_MM, pdf.get_y())
    pdf.set_draw_color(0)


def day_text(day: date) -> str:
    """A date as Indian documents print it: 01 Dec 2026."""
    return str(format_date(day, format="dd MMM yyyy", locale="en_IN"))


def amount_text(paise: int) -> str:
    """An amount for a table column: Indian grouping, always two decimals, no ₹ (the heading says it)."""
    return format_inr(paise, symbol="", always_paise=True)
