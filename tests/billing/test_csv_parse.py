"""CSV import parsing and validation (no network): encodings, headers, rows, line numbers."""

from __future__ import annotations

import os
import random
from datetime import date
from pathlib import Path

import pytest

from kpadmin.billing.csvio import (
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    CsvFileError,
    ImportRow,
    decode_csv_bytes,
    defuse,
    parse_import_csv,
    read_import_file,
)

TODAY = date(2026, 11, 28)
HEADER = "customer_uid,name,phone,amount,email,plan,next_charge_date\n"


def parse(text: str, encoding: str = "utf-8"):  # type: ignore[no-untyped-def]
    return parse_import_csv(text.encode(encoding), today=TODAY)


def test_good_file_with_optional_columns() -> None:
    parsed = parse(
        HEADER
        + "cu_1,김민지,010-1234-5678,9900,minji@example.com,Basic,2026-12-05\n"
        + 'cu_2,"Lee, Jun",+82 10 9876 5432,"29,000",,Pro,\n'
        + "cu_3,박서준,011 123 4567,₩15000,,,\n"
    )
    assert parsed.problems == []
    assert parsed.encoding == "utf-8"
    assert parsed.has_next_charge_date
    assert parsed.rows == [
        ImportRow(
            2,
            "cu_1",
            "김민지",
            "010-1234-5678",
            9900,
            "minji@example.com",
            "Basic",
            date(2026, 12, 5),
        ),
        ImportRow(3, "cu_2", "Lee, Jun", "010-9876-5432", 29000, "", "Pro", None),
        ImportRow(4, "cu_3", "박서준", "011-123-4567", 15000, "", "", None),
    ]


def test_utf8_bom_and_cp949_are_detected() -> None:
    text = "customer_uid,name,phone,amount\ncu_1,김민지,01012345678,9900\n"
    with_bom = parse_import_csv(b"\xef\xbb\xbf" + text.encode(), today=TODAY)
    assert with_bom.encoding == "utf-8-sig"
    assert with_bom.rows[0].name == "김민지"
    cp949 = parse(text, "cp949")
    assert cp949.encoding == "cp949"
    assert cp949.rows[0].name == "김민지"
    assert cp949.rows[0].phone == "010-1234-5678"


def test_headers_are_case_and_space_insensitive_and_order_free() -> None:
    parsed = parse(" Amount ,PHONE,name,Customer_UID\n5000,010-1111-2222,A,cu_a\n")
    assert parsed.rows[0].customer_uid == "cu_a" and parsed.rows[0].amount == 5000


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"  \n\n", "the file is empty"),
        (b"customer_uid,name,phone,amount\n", "a header but no rows"),
        (b"customer_uid,name,amount\ncu_1,A,100\n", "missing required column(s): phone"),
        (
            b"customer_uid,name,phone,amount,next_charge_day\ncu_1,A,01012345678,100,2026-12-01\n",
            "unknown column(s): next_charge_day",
        ),
        (b"customer_uid,name,name,phone,amount\n", "repeats column(s): name"),
        (b"customer_uid;name;phone;amount\ncu;a;010;1\n", "not comma-separated"),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), "Excel workbook"),
        (b"\xff\xfec\x00u\x00", "UTF-16"),
        (b"customer_uid,name\x00,phone,amount\n", "binary data"),
        (b"customer_uid,name,phone,amount\ncu_1,\x07bell,010,1\n", "control characters"),
        (b'customer_uid,name,phone,amount\ncu_1,"open quote,010,1\n', "malformed"),
    ],
)
def test_file_level_problems(data: bytes, message: str) -> None:
    with pytest.raises(CsvFileError) as info:
        parse_import_csv(data, today=TODAY)
    assert message in str(info.value)


def test_binary_garbage_is_refused() -> None:
    rng = random.Random(1234)
    for _ in range(20):
        blob = bytes(rng.randrange(256) for _ in range(2000))
        with pytest.raises(CsvFileError):
            parse_import_csv(blob, today=TODAY)
    with pytest.raises(CsvFileError):
        parse_import_csv(os.urandom(4096).replace(b"\x00", b"") or b"\x01", today=TODAY)


def test_not_cp949_either() -> None:
    with pytest.raises(CsvFileError, match="neither UTF-8 nor CP949"):
        decode_csv_bytes(b"customer_uid\n\x80\xff\xfe\n")


BAD_ROWS = [
    ("cu_a,A,010-1234-5678,abc,,,", "must be a whole number of won"),
    ("cu_b,A,010-1234-5678,9900.5,,,", "whole number of won"),
    ("cu_c,A,010-1234-5678,-100,,,", "whole number of won"),
    ("cu_d,A,010-1234-5678,0,,,", "more than ₩0"),
    ('cu_e,A,010-1234-5678,"99,000,000",,,', "above ₩10,000,000"),
    ("cu_f,A,010-1234-5678,,,,", "Enter the monthly amount"),
    ("cu_g,A,010-1234-5678,1e6,,,", "whole number of won"),
    ("cu_h,A,010-1234-5678,100,,,2026-02-30", "not a real date"),
    ("cu_i,A,010-1234-5678,100,,,01/12/2026", "must be a date like 2026-12-06"),
    ("cu_j,A,010-1234-5678,100,,,2026-11-27", "in the past"),
    ("cu_k,A,010-1234-5678,100,,,2030-01-01", "days ahead"),
    ("cu_l,A,12345,100,,,", "Enter a Korean mobile number"),
    ("cu_l2,A,02-123-4567,100,,,", "Enter a Korean mobile number"),  # landlines: fields.py
    ("cu_m,A,,100,,,", "Enter a mobile number"),
    ("cu_n,A,010-1234-5678,100,not-an-email,,", "valid e-mail address"),
    ("cu_o,,010-1234-5678,100,,,", "Enter the customer's name"),
    ("cu_o2," + "가" * 51 + ",010-1234-5678,100,,,", "50 characters at most"),
    ("cu_o3,A,010-1234-5678,100,," + "p" * 41 + ",", "40 characters at most"),
    (",A,010-1234-5678,100,,,", "customer_uid is empty"),
    ("cu/../x,A,010-1234-5678,100,,,", "may only contain"),
    ("cu with space,A,010-1234-5678,100,,,", "may only contain"),
    ("x" * 81 + ",A,010-1234-5678,100,,,", "longer than 80"),
    ("cu_p,A,010-1234-5678,100,,,,,extra", "has 9 fields but the header has 7"),
    ("cu_q,A,010-1234-5678", "has 3 fields"),
]


@pytest.mark.parametrize(("row", "message"), BAD_ROWS)
def test_bad_rows_are_reported_with_line_numbers(row: str, message: str) -> None:
    parsed = parse(HEADER + "cu_ok,OK,010-0000-0000,100,,,\n" + row + "\n")
    assert [r.customer_uid for r in parsed.rows] == ["cu_ok"]
    assert len(parsed.problems) == 1
    problem = parsed.problems[0]
    assert problem.line == 3
    assert message in problem.message
    assert str(problem).startswith("line 3")


def test_phone_numbers_are_not_echoed_in_messages() -> None:
    parsed = parse(HEADER + "cu_1,A,010-99,100,,,\n")
    assert "010-99" not in str(parsed.problems[0])


def test_every_problem_of_a_row_is_listed() -> None:
    parsed = parse(HEADER + "cu_1,,bad,zero,,,someday\n")
    problem = parsed.problems[0]
    for part in ("customer's name", "mobile number", "amount", "next_charge_date"):
        assert part in problem.message
    # The shared rules' errors travel with their codes, for a translated message.
    assert [e.field for e in problem.errors] == ["name", "phone", "amount"]


def test_duplicates_are_all_bad() -> None:
    parsed = parse(
        HEADER
        + "cu_1,A,010-1111-1111,100,,,\n"
        + "cu_2,B,010-2222-2222,100,,,\n"
        + "cu_1,C,010-3333-3333,200,,,\n"
        + "cu_1,D,bad,200,,,\n"
    )
    assert [r.customer_uid for r in parsed.rows] == ["cu_2"]
    lines = {p.line: p.message for p in parsed.problems}
    assert "also on line 4, 5" in lines[2]
    assert "also on line 2, 5" in lines[4]
    assert 5 in lines


def test_line_numbers_count_physical_lines() -> None:
    parsed = parse(
        HEADER
        + '\n"cu_1","multi\nline name",010-1111-1111,100,,,\n'
        + "\n"
        + "cu_2,B,010-2222-2222,oops,,,\n"
    )
    # A line break inside a name is itself a problem; the record still starts on line 3 and
    # the next one on line 6, not 4.
    assert [(p.line, p.customer_uid) for p in parsed.problems] == [(3, "cu_1"), (6, "cu_2")]
    assert "characters that cannot be used" in parsed.problems[0].message


def test_trailing_empty_columns_from_excel_are_fine() -> None:
    parsed = parse("customer_uid,name,phone,amount,,\ncu_1,A,010-1111-1111,100,,\n")
    assert parsed.problems == [] and len(parsed.rows) == 1
    unnamed = parse("customer_uid,name,phone,amount,\ncu_1,A,010-1111-1111,100,surprise\n")
    assert "column 5 has no name" in unnamed.problems[0].message


def test_export_columns_are_accepted_and_ignored() -> None:
    parsed = parse(
        "customer_uid,name,phone,amount,state,card_number\ncu_1,A,010-1111-1111,100,cancelled,1234\n"
    )
    assert parsed.ignored_columns == ["state", "card_number"]
    assert parsed.rows[0].amount == 100


def test_csv_injection_prefix_round_trips() -> None:
    assert defuse("=1+2") == "'=1+2"
    assert defuse("+82") == "'+82"
    assert defuse("-5") == "'-5"
    assert defuse("@SUM(A1)") == "'@SUM(A1)"
    assert defuse("\tx") == "'\tx"
    assert defuse("김민지") == "김민지" and defuse(None) == "" and defuse(9900) == "9900"
    parsed = parse(
        f"customer_uid,name,phone,amount,plan\ncu_1,{defuse('-김')},010-1111-1111,100,{defuse('-plan')}\n"
        f"cu_2,{defuse('=HYPERLINK(1)')},010-1111-1112,100,\n"
    )
    # The plan round-trips; a name a spreadsheet would run is refused with its own message
    # (fields.NAME_FORMULA), whether or not the export's ' guard is in front of it.
    assert parsed.rows == [] or parsed.rows[0].plan == "-plan"
    assert [p.line for p in parsed.problems] == [2, 3]
    assert all("formula" in p.message for p in parsed.problems)
    ok = parse(f"customer_uid,name,phone,amount,plan\ncu_1,김,010-1111-1111,100,{defuse('-p')}\n")
    assert ok.rows[0].plan == "-p"


def test_phones_follow_the_one_rule() -> None:
    """Mobile numbers only, normalised as sign-up does (the cases: tests/billing/test_fields.py)."""
    parsed = parse(
        HEADER
        + "cu_1,A,01012345678,100,,,\n"
        + "cu_2,B,+82-10-1234-5678,100,,,\n"
        + "cu_3,C,(02) 1234-5678,100,,,\n"
        + "cu_4,D,070-1234-5678,100,,,\n"
    )
    assert [r.phone for r in parsed.rows] == ["010-1234-5678", "010-1234-5678"]
    assert [p.customer_uid for p in parsed.problems] == ["cu_3", "cu_4"]


# --- hostile files: bounded, linear, one clear message ------------------------------------------


def test_a_header_of_100000_columns_is_refused_by_its_count() -> None:
    """The issue's file: 100,000 columns took 136 s (a quadratic duplicate check). The count is
    refused before any per-column work; no name is echoed back."""
    header = ",".join(f"c{i}" for i in range(100_000))
    with pytest.raises(CsvFileError) as info:
        parse_import_csv(f"{header}\ncu_1,A,010-1111-1111,100\n".encode(), today=TODAY)
    message = str(info.value)
    assert message.startswith("line 1: the header has 100,000 columns")
    assert f"at most {MAX_COLUMNS}" in message and "c99999" not in message
    assert len(message) < 300


def test_a_header_of_100000_columns_after_blank_lines_names_its_line() -> None:
    header = ",".join(["customer_uid", "name", "phone", "amount"] * 25_000)
    with pytest.raises(CsvFileError, match=r"^line 3: the header has 100,000 columns"):
        parse_import_csv(f"\n\n{header}\n".encode(), today=TODAY)


def test_header_checks_are_one_pass_and_list_a_few_names() -> None:
    """At the column limit every check still runs (duplicates by counting, unknown names by set
    lookup); the message names ten and counts the rest."""
    many = [f"extra_{i}" for i in range(MAX_COLUMNS - 4)]
    header = ",".join(["customer_uid", "name", "phone", "amount", *many])
    with pytest.raises(CsvFileError) as info:
        parse_import_csv(f"{header}\ncu_1,A,010-1111-1111,100\n".encode(), today=TODAY)
    message = str(info.value)
    assert "line 1: bad header: unknown column(s): extra_0, extra_1" in message
    assert f"and {MAX_COLUMNS - 4 - 10} more" in message and "extra_95" not in message
    dupes = ",".join(["customer_uid", "name", "phone", "amount"] * (MAX_COLUMNS // 4))
    with pytest.raises(CsvFileError, match=r"line 1: the header repeats column\(s\): amount, "):
        parse_import_csv(f"{dupes}\n".encode(), today=TODAY)


def test_a_row_with_too_many_fields_is_a_bad_row_not_a_crash() -> None:
    wide = "cu_2,B,010-2222-2222,100" + "," * 50_000
    parsed = parse(f"customer_uid,name,phone,amount\ncu_1,A,010-1111-1111,100\n{wide}\n")
    assert [r.customer_uid for r in parsed.rows] == ["cu_1"]
    assert str(parsed.problems[0]) == f"line 3: has 50,004 fields; a line has at most {MAX_COLUMNS}"


def test_file_size_is_bounded_before_reading_it_all(tmp_path: Path) -> None:
    """A huge file is refused after MAX_FILE_BYTES + 1 bytes, with the limit in the message."""
    big = tmp_path / "big.csv"
    with open(big, "wb") as handle:
        handle.write(b"customer_uid,name,phone,amount\n")
        handle.truncate(MAX_FILE_BYTES + 10)  # sparse: no 50 MB written to the disk
    with pytest.raises(CsvFileError, match=r"larger than 50 MB"):
        read_import_file(big)
    with pytest.raises(CsvFileError, match=r"larger than 50 MB"):
        decode_csv_bytes(b"a" * (MAX_FILE_BYTES + 1))
    small = tmp_path / "small.csv"
    small.write_bytes(b"customer_uid,name,phone,amount\n")
    assert read_import_file(small) == b"customer_uid,name,phone,amount\n"


def test_row_count_is_bounded_with_the_line_number() -> None:
    rows = "".join(f"cu_{i},A,010-1111-1111,100\n" for i in range(MAX_ROWS + 1))
    with pytest.raises(CsvFileError, match=rf"^line {MAX_ROWS + 2}: the file has more than"):
        parse("customer_uid,name,phone,amount\n" + rows)
