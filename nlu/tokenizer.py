"""The first component: the analysed part of the text as tokens with normalized keys."""

from __future__ import annotations

from nlu.message import Message
from nlu.text import NATIVE_DIGITS, tokenize


class Tokenizer:
    def process(self, message: Message) -> None:
        # Folding native digits keeps every offset, so entities still point into the original text.
        message.tokens = tokenize(message.analysed.translate(NATIVE_DIGITS))
