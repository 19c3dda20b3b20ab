"""Reading text back out of our own uncompressed fpdf2 PDFs (invoices, statements), to test what they say."""

from __future__ import annotations

import re

_OBJECT = re.compile(rb"(\d+) 0 obj\n(.*?)\nendobj", re.DOTALL)
_STREAM = re.compile(rb"stream\n(.*)\nendstream", re.DOTALL)
_TOKEN = re.compile(rb"\((?:\\.|[^\\)])*\)|/[^\s/\[\]()<>]+|[^\s/\[\]()<>]+", re.DOTALL)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def pdf_text(pdf: bytes) -> str:
    """The text of every page, one line per text object: enough to look for words in our own PDFs.

    Handles what fpdf2 writes with compression off: Type0 fonts with a ToUnicode map (2-byte codes, one
    code per shaped glyph) and core fonts (Latin-1 bytes).
    """
    objects = {int(number): body for number, body in _OBJECT.findall(pdf)}
    font_maps = {
        number: _to_unicode(objects, body) for number, body in objects.items() if b"/Type /Font" in body
    }
    lines = []
    for body in objects.values():
        if b"/Type /Page\n" not in body:
            continue
        resources = objects[_ref(body, b"/Resources")]
        fonts = {name: font_maps[int(n)] for name, n in re.findall(rb"/(F\d+) (\d+) 0 R", resources)}
        lines += _show_text(_stream(objects[_ref(body, b"/Contents")]), fonts)
    return "\n".join(lines)


def _ref(body: bytes, key: bytes) -> int:
    match = re.search(re.escape(key) + rb" (\d+) 0 R", body)
    assert match is not None, key
    return int(match.group(1))


def _stream(body: bytes) -> bytes:
    match = _STREAM.search(body)
    assert match is not None and b"/Filter" not in body, "content must be uncompressed"
    return match.group(1)


def _to_unicode(objects: dict[int, bytes], font: bytes) -> dict[int, str] | None:
    if b"/ToUnicode" not in font:
        return None  # a core font: Latin-1 bytes
    cmap = _stream(objects[_ref(font, b"/ToUnicode")])
    return {
        int(code, 16): bytes.fromhex(text.decode()).decode("utf-16-be")
        for code, text in re.findall(rb"<([0-9A-F]{4})> <([0-9A-F]+)>", cmap)
    }


def _show_text(content: bytes, fonts: dict[bytes, dict[int, str] | None]) -> list[str]:
    lines: list[str] = []
    font: dict[int, str] | None = None
    operands: list[bytes] = []
    for token in _TOKEN.findall(content):
        if token.startswith((b"(", b"/")) or re.fullmatch(rb"-?[\d.]+", token):
            operands.append(token)
            continue
        if token == b"BT":
            lines.append("")
        elif token == b"Tf":
            font = fonts[operands[-2][1:]]
        elif token in (b"Tj", b"TJ", b"'", b'"'):
            for operand in operands:
                if operand.startswith(b"("):
                    lines[-1] += _decode(_unescape(operand[1:-1]), font)
        operands = []
    return [line for line in lines if line]


def _unescape(raw: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(raw):
        if raw[i : i + 1] == b"\\":
            nxt = raw[i + 1 : i + 2]
            octal = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
            if octal:
                out.append(int(octal.group(), 8))
                i += 1 + len(octal.group())
                continue
            out += _ESCAPES.get(nxt, nxt)
            i += 2
        else:
            out.append(raw[i])
            i += 1
    return bytes(out)


def _decode(raw: bytes, font: dict[int, str] | None) -> str:
    if font is None:
        return raw.decode("latin-1")
    # A shaped cluster's text hangs on its first glyph; the cluster's other glyphs map to nothing.
    return "".join(font.get(int.from_bytes(raw[i : i + 2], "big"), "") for i in range(0, len(raw), 2))
