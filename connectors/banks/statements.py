"""Read a bank statement export (CSV, TXT or XLSX) into one shape, for reconciliation against invoices.

The file says what it is: its bytes (XLSX is a ZIP; old XLS and PDF are refused), then the header row, found
by its column names (formats.py), and the bank's name above it. Rows above the header (preamble) and from
the first undated row after the lines (totals, legends) are not lines. Money is integer paise via Decimal.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl import load_workbook  # type: ignore[import-untyped]

from bot.errors import InvalidInput
from connectors.banks.formats import (
    KNOWN_FORMATS,
    BankFormat,
    Cell,
    ColumnMapping,
    UnreadableCell,
    bank_display_name,
    bank_named_in,
    cell_text,
    has_content,
    header_key,
    parse_day,
    parse_money,
    parse_side,
)

__all__ = ["ColumnMapping", "Statement", "StatementLine", "read_statement"]

Table = list[Sequence[Cell]]

HEADER_SEARCH_ROWS = 60  # preambles run to ~25 rows (address, nominee, period); no header sits lower
DELIMITERS = (",", "\t", ";", "|")
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # old Excel .xls (BIFF inside an OLE2 container)
PDF_MAGIC = b"%PDF"
ACCOUNT = re.compile(r"\b(?:account|a/c)\s*(?:number|no)\b\.?\s*[:\-]?\s*([0-9Xx*]{4,24})", re.IGNORECASE)


@dataclass(frozen=True)
class StatementLine:
    """One transaction as the bank printed it; money in integer paise."""

    day: date  # transaction date (value date if that is all there is)
    narration: str  # as the bank wrote it, whitespace collapsed: UPI refs and payer names live here
    reference: str | None  # the bank's reference / cheque / UTR column, stripped
    credit_paise: int  # money in (0 if none)
    debit_paise: int  # money out (0 if none)
    balance_paise: int | None  # running balance if the file has one; negative when overdrawn ("Dr")


@dataclass(frozen=True)
class Statement:
    """A statement file's lines, in file order, and whose they are."""

    bank: str  # "hdfc" | "icici" | "sbi" | "axis" | "kotak" | "generic"
    account: str | None  # as printed above the header (often masked), if it is there
    lines: tuple[StatementLine, ...]


@dataclass(frozen=True)
class _Columns:
    """Where each field of a line sits in a row: indices into it."""

    date: int
    narration: int
    reference: int | None
    credit: int | None
    debit: int | None
    amount: int | None
    indicator: int | None
    balance: int | None
    balance_indicator: int | None


@dataclass(frozen=True)
class _Header:
    format: BankFormat
    row: int
    columns: _Columns


def read_statement(data: bytes, filename: str, *, mapping: ColumnMapping | None = None) -> Statement:
    """The statement in `data`, in whichever known layout it is, or in `mapping`'s (bank "generic").

    `filename` only names the file in errors: the format is read from the content.

    Raises:
        InvalidInput: (field "statement") empty, not CSV/TXT/XLSX (old .xls, PDF, binary), no header row
            of a known layout (or of `mapping`), or a line whose amount or Cr/Dr can't be read.
    """
    formats = (BankFormat("generic", mapping),) if mapping is not None else KNOWN_FORMATS
    first_table: Table | None = None
    for table in _tables(data, filename):
        if first_table is None:
            first_table = table
        header = _find_header(table, formats)
        if header is not None:
            return Statement(
                bank=header.format.bank,
                account=_account(table[: header.row]),
                lines=tuple(_lines(table, header, filename)),
            )
    raise _unknown_layout(first_table or [], mapping, filename)


def _invalid(filename: str, problem: str) -> InvalidInput:
    return InvalidInput(f"{filename}: {problem}", field="statement", filename=filename)


def _tables(data: bytes, filename: str) -> Iterator[Table]:
    """Each way of reading the file as rows of cells: an XLSX's sheets, or a text file split by each
    delimiter in turn (banks use commas, tabs, semicolons or pipes and say nothing of which)."""
    if not data.strip():
        raise _invalid(filename, "the file is empty")
    if data.startswith(OLE2_MAGIC):
        raise _invalid(
            filename, "an old Excel .xls file can't be read: download the statement as CSV or XLSX"
        )
    if data.startswith(PDF_MAGIC):
        raise _invalid(filename, "a PDF statement can't be read: download the statement as CSV or XLSX")
    if data.startswith(ZIP_MAGIC):
        yield from _xlsx_sheets(data, filename)
        return
    text = _decode(data, filename)
    for delimiter in DELIMITERS:
        yield list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx_sheets(data: bytes, filename: str) -> list[Table]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return [_sheet_rows(sheet) for sheet in workbook.worksheets]
        finally:
            workbook.close()
    except Exception as exc:  # openpyxl fails in many ways (zip, XML, KeyError...) on a file that isn't XLSX
        raise _invalid(filename, "not a readable XLSX file: download the statement again") from exc


def _sheet_rows(sheet: Any) -> Table:
    sheet.reset_dimensions()  # some exporters write a wrong used range: read every row there is
    return list(sheet.iter_rows(values_only=True))


def _decode(data: bytes, filename: str) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text" export
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")  # Excel on Windows saves CSV in its code page
    if "\x00" in text:
        raise _invalid(filename, "not a CSV, TXT or XLSX file")
    return text


def _find_header(table: Table, formats: Sequence[BankFormat]) -> _Header | None:
    """The first row near the top holding every column of a format."""
    for index, row in enumerate(table[:HEADER_SEARCH_ROWS]):
        keys = [header_key(cell_text(cell)) for cell in row]
        headers = [
            _Header(candidate, index, columns)
            for candidate in formats
            if (columns := _locate(keys, candidate.mapping)) is not None
        ]
        if headers:
            return _best(headers, named=bank_named_in(_row_text(above) for above in table[:index]))
    return None


def _best(headers: list[_Header], *, named: str | None) -> _Header:
    """Of several layouts fitting one row: the bank named above it, then the layout naming most columns."""
    return max(
        headers,
        key=lambda header: (header.format.bank == named, len(header.format.mapping.column_names())),
    )


def _locate(keys: list[str], mapping: ColumnMapping) -> _Columns | None:
    """Where `mapping`'s columns are among a header row's `keys`; None if any is missing. An indicator is
    the first column of its name right of the column it qualifies (else the first of its name)."""
    if not all(header_key(name) in keys for name in mapping.column_names()):
        return None

    def find(name: str | None, after: int | None = None) -> int | None:
        if name is None:
            return None
        key = header_key(name)
        if after is not None and key in keys[after + 1 :]:
            return keys.index(key, after + 1)
        return keys.index(key)

    amount = find(mapping.amount)
    balance = find(mapping.balance)
    return _Columns(
        date=keys.index(header_key(mapping.date)),
        narration=keys.index(header_key(mapping.narration)),
        reference=find(mapping.reference),
        credit=find(mapping.credit),
        debit=find(mapping.debit),
        amount=amount,
        indicator=find(mapping.indicator, after=amount),
        balance=balance,
        balance_indicator=find(mapping.balance_indicator, after=balance),
    )


def _lines(table: Table, header: _Header, filename: str) -> Iterator[StatementLine]:
    """Lines from below the header to the first undated row with content after them. Blank and ruled
    rows ("*****") are skipped, and so are undated rows before the first line (an opening balance).

    Raises:
        InvalidInput: a dated row whose amount, balance or Cr/Dr can't be read, with its row number.
    """
    columns = header.columns
    seen_a_line = False
    for number, row in enumerate(table[header.row + 1 :], start=header.row + 2):
        if not any(has_content(cell) for cell in row):
            continue
        day = parse_day(_cell(row, columns.date), header.format.mapping.date_format)
        if day is None:
            if seen_a_line:
                return
            continue
        seen_a_line = True
        try:
            credit, debit = _credit_and_debit(row, columns)
            balance = _balance(row, columns)
        except UnreadableCell as exc:
            raise _invalid(filename, f"row {number}: {exc}") from exc
        yield StatementLine(
            day=day,
            narration=cell_text(_cell(row, columns.narration)),
            reference=_reference(row, columns),
            credit_paise=credit,
            debit_paise=debit,
            balance_paise=balance,
        )


def _cell(row: Sequence[Cell], index: int | None) -> Cell:
    return row[index] if index is not None and index < len(row) else None


def _row_text(row: Sequence[Cell]) -> str:
    return " ".join(text for cell in row if (text := cell_text(cell)))


def _account(preamble: Table) -> str | None:
    for row in preamble:
        match = ACCOUNT.search(_row_text(row))
        if match:
            return match.group(1)
    return None


def _reference(row: Sequence[Cell], columns: _Columns) -> str | None:
    text = cell_text(_cell(row, columns.reference))
    return text if text.strip("-") else None


def _credit_and_debit(row: Sequence[Cell], columns: _Columns) -> tuple[int, int]:
    """Credit and debit paise: from their own columns, or from one amount and its direction (the indicator
    column, else a Cr/Dr after the number, else the sign)."""
    if columns.amount is None:
        # Some banks print debits as negative numbers in their own column: the column says the direction.
        credit = parse_money(_cell(row, columns.credit))
        debit = parse_money(_cell(row, columns.debit))
        return abs(credit[0]) if credit else 0, abs(debit[0]) if debit else 0
    money = parse_money(_cell(row, columns.amount))
    if money is None or money[0] == 0:
        return 0, 0
    paise, suffix = money
    side = _side(_cell(row, columns.indicator), suffix) or ("dr" if paise < 0 else "cr")
    return (abs(paise), 0) if side == "cr" else (0, abs(paise))


def _balance(row: Sequence[Cell], columns: _Columns) -> int | None:
    """The running balance; negative when the bank marks it "Dr" (an overdrawn account)."""
    money = parse_money(_cell(row, columns.balance))
    if money is None:
        return None
    paise, suffix = money
    return -abs(paise) if _side(_cell(row, columns.balance_indicator), suffix) == "dr" else paise


def _side(indicator: Cell, suffix: str | None) -> str | None:
    """The indicator column's "cr"/"dr" where it has one, else the one written after the number."""
    return parse_side(indicator) if has_content(indicator) else suffix


def _unknown_layout(table: Table, mapping: ColumnMapping | None, filename: str) -> InvalidInput:
    if mapping is not None:
        wanted = ", ".join(repr(name) for name in mapping.column_names())
        return _invalid(filename, f"no row near the top has all the mapped columns ({wanted})")
    named = bank_named_in(_row_text(row) for row in table[:HEADER_SEARCH_ROWS])
    if named is not None:
        return _invalid(
            filename,
            f"this looks like a statement from {bank_display_name(named)}, but its columns are not in a "
            "layout we know: download it again as CSV or XLSX, or give a column mapping for it",
        )
    return _invalid(
        filename,
        "not a statement layout we know (HDFC, ICICI, SBI, Axis, Kotak): no row near the top has their "
        "column names; download it from net banking as CSV or XLSX, or give a column mapping for it",
    )
