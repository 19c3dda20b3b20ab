"""Bank statement exports (tests/fixtures/bank) read into one shape: each bank's layout, detection from the
content, preamble and footer skipped, money in exact paise, and clear refusals for what can't be read."""

from __future__ import annotations

import csv
import io
import itertools
import random
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]

from bot.errors import InvalidInput
from connectors.banks.formats import (
    KNOWN_FORMATS,
    BankFormat,
    UnreadableCell,
    parse_indian_date,
    parse_money,
)
from connectors.banks.statements import ColumnMapping, Statement, StatementLine, read_statement

FIXTURES = Path(__file__).parent / "fixtures" / "bank"
HDFC_HEADER = [
    "Date",
    "Narration",
    "Chq./Ref.No.",
    "Value Dt",
    "Withdrawal Amt.",
    "Deposit Amt.",
    "Closing Balance",
]
COOPERATIVE_MAPPING = ColumnMapping(
    date="Posting Date",
    narration="Particulars",
    reference="UTR / Chq No",
    amount="Txn Amount",
    indicator="Type",
    balance="Running Balance",
)


def _read(name: str, *, as_name: str | None = None, mapping: ColumnMapping | None = None) -> Statement:
    return read_statement((FIXTURES / name).read_bytes(), as_name or name, mapping=mapping)


def _refusal(data: bytes, filename: str, mapping: ColumnMapping | None = None) -> str:
    with pytest.raises(InvalidInput) as caught:
        read_statement(data, filename, mapping=mapping)
    assert caught.value.params["field"] == "statement"
    return str(caught.value)


def _csv(rows: list[list[str]], delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode()


@dataclass(frozen=True)
class Expected:
    """What a sample file must read to."""

    file: str
    bank: str
    account: str | None
    count: int
    credit_paise: int
    debit_paise: int
    first: StatementLine
    last: StatementLine


EXPECTED = [
    Expected(
        "hdfc.csv",
        "hdfc",
        "50200012345678",
        10,
        25_137_578,
        3_061_270,
        StatementLine(
            day=date(2026, 11, 1),
            narration="UPI-SHARMA TRADERS-sharmatraders@okicici-ICIC0001234-412345678901-INV 0042",
            reference="0000412345678901",
            credit_paise=2_242_000,
            debit_paise=0,
            balance_paise=14_567_050,
        ),
        StatementLine(
            day=date(2026, 11, 30),
            narration="CHRG: SMS CHARGES FOR NOV 26 + GST",
            reference="0000000000000000",
            credit_paise=0,
            debit_paise=1_770,
            balance_paise=34_401_358,
        ),
    ),
    Expected(
        "hdfc_delimited.txt",
        "hdfc",
        None,
        6,
        20_137_578,
        325_000,
        StatementLine(
            day=date(2026, 11, 1),
            narration="UPI-SHARMA TRADERS-sharmatraders@okicici-ICIC0001234-412345678901-INV 0042",
            reference="0000412345678901",
            credit_paise=2_242_000,
            debit_paise=0,
            balance_paise=14_567_050,
        ),
        StatementLine(
            day=date(2026, 11, 15),
            narration="UPI-RAJESH KUMAR-rajeshkumar84@ybl-SBIN0004567-431987654321-PAYMENT FROM PHONE",
            reference="0000431987654321",
            credit_paise=199_900,
            debit_paise=0,
            balance_paise=32_137_628,
        ),
    ),
    Expected(
        "icici.xlsx",
        "icici",
        "XXXXXXXX1234",
        8,
        14_581_009,
        1_977_945,
        StatementLine(
            day=date(2026, 11, 1),
            narration="UPI/412345678901/SHARMA TRADERS/sharma@okicici/Payment from Ph",
            reference=None,
            credit_paise=2_242_000,
            debit_paise=0,
            balance_paise=4_067_035,
        ),
        StatementLine(
            day=date(2026, 11, 29),
            narration="INF/INFT/029876543210/GST PAYMENT/CBIC",
            reference=None,
            credit_paise=0,
            debit_paise=360_045,
            balance_paise=14_428_099,
        ),
    ),
    Expected(
        "icici_amount.csv",
        "icici",
        "012305001234",
        6,
        11_518_650,
        1_431_000,
        StatementLine(
            day=date(2026, 11, 2),
            narration="UPI/412398765432/Payment from Ph/sharmatraders@okicici/ICICI Bank",
            reference=None,
            credit_paise=2_242_000,
            debit_paise=0,
            balance_paise=7_642_000,
        ),
        StatementLine(
            day=date(2026, 11, 25),
            narration="ATM/CASH WDL/25-11-26/KAROL BAGH",
            reference=None,
            credit_paise=0,
            debit_paise=1_000_000,
            balance_paise=15_487_650,
        ),
    ),
    Expected(
        "sbi.txt",
        "sbi",
        "00000032109876543",
        8,
        22_437_678,
        4_873_600,
        StatementLine(
            day=date(2026, 11, 1),
            narration="BY TRANSFER-UPI/CR/412345678901/SHARMA TRADERS/ICIC/sharma@okicici/Payment from Ph--",
            reference="TRANSFER FROM 4897691162095",
            credit_paise=2_242_000,
            debit_paise=0,
            balance_paise=12_765_000,
        ),
        StatementLine(
            day=date(2026, 11, 30),
            narration="TO TRANSFER-INB Sharma Rent Nov--",
            reference="TRANSFER TO 4897691162095",
            credit_paise=0,
            debit_paise=3_000_000,
            balance_paise=28_087_078,
        ),
    ),
    Expected(
        "axis.csv",
        "axis",
        "912020012345678",
        8,
        14_580_900,
        1_751_670,
        StatementLine(
            day=date(2026, 11, 1),
            narration="UPI/P2M/412345678901/SHARMA TRADERS/Payment from Ph/ICIC",
            reference=None,
            credit_paise=2_242_000,
            debit_paise=0,
            balance_paise=11_087_000,
        ),
        StatementLine(
            day=date(2026, 11, 29),
            narration="GST @18% ON CHARGES/SMS ALERT CHARGES",
            reference=None,
            credit_paise=0,
            debit_paise=1_770,
            balance_paise=21_674_230,
        ),
    ),
    Expected(
        "kotak.csv",
        "kotak",
        "4512345678",
        7,
        20_137_578,
        7_000_000,
        StatementLine(
            day=date(2026, 11, 1),
            narration="UPI/SHARMA TRADERS/412345678901/INV 0042",
            reference="UPI-412345678901",
            credit_paise=2_242_000,
            debit_paise=0,
            balance_paise=3_442_000,
        ),
        StatementLine(
            day=date(2026, 11, 30),
            narration="UPI/RAJESH KUMAR/432912345678/Payment from Ph",
            reference="UPI-432912345678",
            credit_paise=199_900,
            debit_paise=0,
            balance_paise=14_337_578,
        ),
    ),
]


@pytest.mark.parametrize("expected", EXPECTED, ids=[expected.file for expected in EXPECTED])
def test_each_banks_sample_reads_to_its_lines(expected: Expected) -> None:
    statement = _read(expected.file)
    assert (statement.bank, statement.account, len(statement.lines)) == (
        expected.bank,
        expected.account,
        expected.count,
    )
    assert sum(line.credit_paise for line in statement.lines) == expected.credit_paise
    assert sum(line.debit_paise for line in statement.lines) == expected.debit_paise
    assert statement.lines[0] == expected.first
    assert statement.lines[-1] == expected.last


@pytest.mark.parametrize("expected", EXPECTED, ids=[expected.file for expected in EXPECTED])
def test_running_balances_add_up_line_by_line(expected: Expected) -> None:
    lines = _read(expected.file).lines
    for before, line in itertools.pairwise(lines):
        assert before.balance_paise is not None and line.balance_paise is not None
        assert line.balance_paise == before.balance_paise + line.credit_paise - line.debit_paise, line


def test_an_xlsx_with_date_cells_reads_like_the_same_statement_as_csv() -> None:
    workbook = load_workbook(FIXTURES / "hdfc.xlsx", read_only=True)
    first_line = list(workbook.active.iter_rows(values_only=True))[15]
    workbook.close()
    assert isinstance(first_line[0], datetime)  # a real Excel date, not text
    assert isinstance(first_line[6], float)
    assert _read("hdfc.xlsx") == _read("hdfc.csv")


def test_icici_xlsx_one_column_in_with_numeric_cheque_numbers() -> None:
    lines = _read("icici.xlsx").lines
    cheques = {line.narration.split("/")[1]: line.reference for line in lines if line.reference}
    assert cheques == {"MEHTA STORES": "104537", "000210": "210"}  # whole numbers, no ".0"
    assert lines[1].credit_paise == 6_789_010  # 67890.1 in the cell


def test_the_format_is_read_from_the_content_not_the_file_name() -> None:
    assert _read("sbi.txt", as_name="HDFC_statement.xlsx").bank == "sbi"
    assert _read("hdfc.xlsx", as_name="statement.csv").bank == "hdfc"
    assert _read("kotak.csv", as_name="icici.txt").bank == "kotak"
    assert _read("sbi.txt", as_name="statement.xls").bank == "sbi"  # "Excel" downloads that are text


def test_axis_is_known_by_its_header_alone() -> None:
    axis = (FIXTURES / "axis.csv").read_text()
    assert "axis" not in axis.casefold()  # no bank name anywhere in the file
    assert _read("axis.csv").bank == "axis"


def test_the_bank_named_above_the_header_decides_between_layouts_that_fit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sbi_layout = next(known for known in KNOWN_FORMATS if known.bank == "sbi").mapping
    lookalike = BankFormat("axis", sbi_layout)  # listed first, so it wins when nothing else decides
    monkeypatch.setattr("connectors.banks.statements.KNOWN_FORMATS", (lookalike, *KNOWN_FORMATS))
    rows = [
        ["Txn Date", "Value Date", "Description", "Ref No./Cheque No.", "Debit", "Credit", "Balance"],
        [
            "1 Nov 2026",
            "1 Nov 2026",
            "BY TRANSFER-NEFT*HDFC0000001*N332261234567*GUPTA HARDWARE",
            "",
            "",
            "5.00",
            "",
        ],
    ]
    assert read_statement(_csv(rows), "a.txt").bank == "axis"
    assert read_statement(_csv([["STATE BANK OF INDIA"], *rows]), "a.txt").bank == "sbi"


def test_the_layout_naming_more_columns_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    fewer = BankFormat("kotak", ColumnMapping(date="Date", narration="Narration", credit="Deposit Amt."))
    monkeypatch.setattr("connectors.banks.statements.KNOWN_FORMATS", (fewer, *KNOWN_FORMATS))
    only_the_smaller_fits = [
        ["Date", "Narration", "Deposit Amt."],
        ["01/11/26", "UPI-SHARMA TRADERS", "5.00"],
    ]
    assert read_statement(_csv(only_the_smaller_fits), "a.csv").bank == "kotak"
    assert _read("hdfc.csv").bank == "hdfc"


def test_preamble_opening_balance_and_footer_are_not_lines() -> None:
    narrations = [line.narration for line in _read("axis.csv").lines + _read("hdfc.csv").lines]
    for not_a_line in (
        "OPENING BALANCE",
        "TRANSACTION TOTAL",
        "CLOSING BALANCE",
        "STATEMENT SUMMARY",
        "Legends",
    ):
        assert not any(not_a_line in narration for narration in narrations)
    assert not any(narration.startswith("*") for narration in narrations)


def test_reading_stops_at_the_first_undated_row_even_if_dated_rows_follow() -> None:
    data = _csv(
        [
            HDFC_HEADER,
            ["01/11/26", "UPI-SHARMA TRADERS-412345678901", "", "01/11/26", "", "22,420.00", "22,420.00"],
            [],
            ["Closing balance as on 30/11/26", "", "", "", "", "", "22,420.00"],
            ["30/11/26", "a totals block laid out like a line", "", "", "", "99.00", ""],
        ]
    )
    statement = read_statement(data, "hdfc.csv")
    assert [line.narration for line in statement.lines] == ["UPI-SHARMA TRADERS-412345678901"]


def test_blank_rows_between_lines_are_skipped() -> None:
    data = _csv(
        [
            ["Tran Date", "CHQNO", "PARTICULARS", "DR", "CR", "BAL", "SOL"],
            ["01-11-2026", "", "UPI/P2M/412345678901/SHARMA TRADERS", "", "22420.00", "22420.00", "123"],
            ["", "", "", "", "", "", ""],
            ["02-11-2026", "", "TRF/LAKSHMI PACKAGING", "420.00", "", "22000.00", "123"],
        ]
    )
    assert [line.day.day for line in read_statement(data, "axis.csv").lines] == [1, 2]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1,23,456.78", (12_345_678, None)),
        ("1,23,456.00 Cr", (12_345_600, "cr")),
        ("5,580.00Dr", (558_000, "dr")),
        ("0.00", (0, None)),
        ("-500.00", (-50_000, None)),
        ("₹ 1,999", (199_900, None)),
        ("Rs. 25,000.5", (2_500_050, None)),
        ("  17.70  ", (1_770, None)),
        ("-", None),
        ("", None),
        (None, None),
        (22420, (2_242_000, None)),
        (67890.1, (6_789_010, None)),
        (1234.5600000000002, (123_456, None)),  # an Excel formula's float noise
        (0.1 + 0.2, (30, None)),  # 0.30000000000000004
        (0.3 - 0.1, (20, None)),  # 0.19999999999999998: rounded, not cut
    ],
)
def test_amounts_to_exact_paise(
    cell: str | int | float | None, expected: tuple[int, str | None] | None
) -> None:
    assert parse_money(cell) == expected


@pytest.mark.parametrize("cell", ["12.345", "8,5O0.00", "1.2.3", "twenty", "Cr"])
def test_what_is_not_an_amount_is_refused(cell: str) -> None:
    with pytest.raises(UnreadableCell):
        parse_money(cell)


def test_a_bad_amount_in_a_line_names_the_file_and_row() -> None:
    message = _refusal((FIXTURES / "hdfc_bad_amount.csv").read_bytes(), "nov.csv")
    assert "nov.csv" in message
    assert "row 3" in message
    assert "8,5O0.00" in message


@pytest.mark.parametrize(
    "text",
    [
        "28/11/26",
        "28/11/2026",
        "28-11-2026",
        "28-11-26",
        "28.11.2026",
        "28 Nov 2026",
        "28-Nov-2026",
        "28-NOV-26",
        "28 November 2026",
        "2026-11-28",
        "28/11/2026 10:15:32 AM",
        "2026-11-28 00:00:00",
    ],
)
def test_indian_date_forms(text: str) -> None:
    assert parse_indian_date(text) == date(2026, 11, 28)


def test_single_digit_days_and_months() -> None:
    assert parse_indian_date("1 Nov 2026") == date(2026, 11, 1)
    assert parse_indian_date("5/3/26") == date(2026, 3, 5)  # day first: 5 March


@pytest.mark.parametrize(
    "text",
    [
        "",
        "31/02/2026",
        "28/13/2026",
        "28 Foo 2026",
        "Opening Balance",
        "********",
        "20261128",
        "Nov 28, 2026",
    ],
)
def test_what_is_not_a_date(text: str) -> None:
    assert parse_indian_date(text) is None


def test_kotak_amount_and_balance_each_take_their_own_dr_cr_column() -> None:
    rent = _read("kotak.csv").lines[1]
    assert (rent.credit_paise, rent.debit_paise) == (0, 4_000_000)
    assert rent.balance_paise == -558_000  # "5,580.00" and the second "Dr / Cr" column says DR: overdrawn


def test_icici_amount_with_a_cr_dr_column() -> None:
    lines = _read("icici_amount.csv").lines
    assert [(line.credit_paise, line.debit_paise) for line in lines[1:3]] == [(6_789_000, 0), (0, 431_000)]
    assert lines[4].reference == "104533"


def test_a_generic_bank_through_a_column_mapping() -> None:
    statement = _read("generic_cooperative.csv", mapping=COOPERATIVE_MAPPING)
    assert (statement.bank, statement.account, len(statement.lines)) == ("generic", "001234567890123", 6)
    assert statement.lines[2] == StatementLine(
        day=date(2026, 11, 10),
        narration="CHQ PAID-000211-LAKSHMI PACKAGING",
        reference="000211",
        credit_paise=0,
        debit_paise=1_500_000,
        balance_paise=10_531_000,  # "1,05,310.00 Cr"
    )
    assert statement.lines[4].reference is None
    assert sum(line.credit_paise for line in statement.lines) == 34_381_000


def test_a_mapping_with_a_date_format_and_a_signed_amount_in_xlsx() -> None:
    workbook = Workbook()
    workbook.active.append(["Some Urban Co-op Bank"])
    workbook.active.append(["Value Date", "Remarks", "Amount (INR)"])
    workbook.active.append(["28.11.2026", "UPI/412345678901/SHARMA TRADERS", "22420.00"])
    workbook.active.append(["29.11.2026", "ATM WDL", -2000])
    workbook.active.append(["Total", "", 20420])
    out = io.BytesIO()
    workbook.save(out)
    mapping = ColumnMapping(
        date="Value Date", narration="Remarks", amount="Amount (INR)", date_format="%d.%m.%Y"
    )
    statement = read_statement(out.getvalue(), "coop.xlsx", mapping=mapping)
    assert [(line.day, line.credit_paise, line.debit_paise) for line in statement.lines] == [
        (date(2026, 11, 28), 2_242_000, 0),
        (date(2026, 11, 29), 0, 200_000),
    ]
    assert statement.lines[0].balance_paise is None
    assert statement.account is None


def test_a_mapping_whose_columns_are_not_in_the_file() -> None:
    message = _refusal((FIXTURES / "hdfc.csv").read_bytes(), "hdfc.csv", mapping=COOPERATIVE_MAPPING)
    assert "'Posting Date'" in message and "'Running Balance'" in message


@pytest.mark.parametrize(
    "fields",
    [
        {},  # no money column
        {"credit": "Credit", "amount": "Amount"},  # both ways at once
        {"credit": "Credit", "indicator": "Cr/Dr"},  # an indicator with no amount
        {"credit": "Credit", "balance_indicator": "Dr / Cr"},  # and with no balance
        {"credit": "-"},  # a name that would match any blank header cell
    ],
)
def test_a_mapping_that_cannot_work_is_refused(fields: dict[str, str]) -> None:
    with pytest.raises(InvalidInput) as caught:
        ColumnMapping(date="Date", narration="Narration", **fields)
    assert caught.value.params["field"] == "mapping"


def test_an_unknown_layout_without_a_mapping_says_what_to_do() -> None:
    message = _refusal((FIXTURES / "generic_cooperative.csv").read_bytes(), "janata.csv")
    assert "not a statement layout we know" in message
    assert "HDFC, ICICI, SBI, Axis, Kotak" in message
    assert "column mapping" in message


def test_a_known_bank_with_unknown_columns_is_named() -> None:
    message = _refusal((FIXTURES / "hdfc_changed_columns.csv").read_bytes(), "statement.csv")
    assert "looks like a statement from HDFC Bank" in message
    assert "column mapping" in message


def test_a_csv_that_is_no_statement() -> None:
    assert "not a statement layout we know" in _refusal(
        (FIXTURES / "price_list.csv").read_bytes(), "rates.csv"
    )


@pytest.mark.parametrize("data", [b"", b"\r\n \r\n"])
def test_an_empty_file(data: bytes) -> None:
    assert "empty" in _refusal(data, "statement.csv")


def test_garbage_bytes() -> None:
    garbage = random.Random(7).randbytes(4096)
    assert "not a CSV, TXT or XLSX file" in _refusal(garbage, "statement.csv")
    high_bytes_only = bytes(random.Random(7).randrange(0x80, 0x100) for _ in range(4096))
    assert "not a statement layout we know" in _refusal(high_bytes_only, "statement.txt")


@pytest.mark.parametrize("filename", ["statement.xls", "statement.csv"])
def test_an_old_xls_asks_for_csv_or_xlsx(filename: str) -> None:
    message = _refusal((FIXTURES / "old_excel.xls").read_bytes(), filename)
    assert ".xls" in message and "CSV or XLSX" in message


def test_a_pdf_asks_for_csv_or_xlsx() -> None:
    assert "CSV or XLSX" in _refusal(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "statement.pdf")


def test_a_broken_xlsx() -> None:
    xlsx = (FIXTURES / "icici.xlsx").read_bytes()
    assert "not a readable XLSX file" in _refusal(xlsx[: len(xlsx) // 2], "statement.xlsx")


@pytest.mark.parametrize("delimiter", ["\t", ";", "|"])
def test_other_delimiters(delimiter: str) -> None:
    rows = list(csv.reader(io.StringIO((FIXTURES / "kotak.csv").read_text())))
    assert read_statement(_csv(rows, delimiter), "kotak.txt") == _read("kotak.csv")


def test_excel_unicode_text_and_windows_code_page_exports() -> None:
    utf16 = (FIXTURES / "sbi.txt").read_text().encode("utf-16")
    assert read_statement(utf16, "sbi.txt") == _read("sbi.txt")
    cp1252 = _csv(
        [
            ["Tran Date", "CHQNO", "PARTICULARS", "DR", "CR", "BAL", "SOL"],
            ["01-11-2026", "", "NEFT/SHARMA TRADERS – INV 0042", "", "22420.00", "22420.00", "123"],
        ]
    ).decode()
    line = read_statement(cp1252.encode("cp1252"), "axis.csv").lines[0]
    assert line.narration == "NEFT/SHARMA TRADERS – INV 0042"


def test_twenty_thousand_lines() -> None:
    rows = [["HDFC BANK Ltd."], ["Account No :50200012345678"], HDFC_HEADER]
    balance = 0
    for number in range(20_000):
        day = f"{number % 28 + 1:02d}/11/26"
        balance += 1_00
        rows.append(
            [
                day,
                f"UPI-CUSTOMER {number}-{412345000000 + number}",
                "",
                day,
                "",
                "1.00",
                f"{balance / 100:.2f}",
            ]
        )
    rows.append(["STATEMENT SUMMARY  :-"])
    statement = read_statement(_csv(rows), "year.csv")
    assert len(statement.lines) == 20_000
    assert sum(line.credit_paise for line in statement.lines) == 20_000_00
    assert statement.lines[-1].balance_paise == 20_000_00
    assert statement.lines[-1].narration == "UPI-CUSTOMER 19999-412345019999"
