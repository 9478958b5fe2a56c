"""Korean Excel's formats read back: amounts with \\ ₩ ￦ 원, dates with dots and slashes, mobile
numbers without their leading 0, Korean headers; names that a spreadsheet would run refused."""

from __future__ import annotations

from datetime import date

import pytest

from kpadmin.billing import fields
from kpadmin.billing.fields import FieldError
from kpadmin.billing.import_formats import KOREAN_HEADERS, NotADate, column_key, parse_day
from kpadmin.billing.messages import MessageCode


@pytest.mark.parametrize(
    "raw",
    ["9900", "9,900", "₩9,900", "￦9,900", "\\9,900", "₩ 9,900", "9,900원", "9,900 원", " 9900 "],
)
def test_amounts_as_korean_excel_writes_them(raw: str) -> None:
    assert fields.amount(raw) == 9900


@pytest.mark.parametrize("raw", ["9.900", "9,90", "$9,900", "₩₩9,900", "9900원원", "구천"])
def test_other_amounts_stay_refused(raw: str) -> None:
    assert isinstance(fields.amount(raw), FieldError)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("010-1234-5678", "010-1234-5678"),
        ("01012345678", "010-1234-5678"),
        ("1012345678", "010-1234-5678"),  # Excel read the cell as a number
        ("10-1234-5678", "010-1234-5678"),
        ("111234567", "011-123-4567"),
        ("+82 10 1234 5678", "010-1234-5678"),
    ],
)
def test_mobile_numbers_with_and_without_dashes_and_the_dropped_zero(
    raw: str, expected: str
) -> None:
    assert fields.phone(raw) == expected


@pytest.mark.parametrize("raw", ["212345678", "1012345", "7012345678", "101234567890"])
def test_other_numbers_stay_refused(raw: str) -> None:
    assert isinstance(fields.phone(raw), FieldError)


@pytest.mark.parametrize("raw", ['=HYPERLINK("x")', "+김철수", "@SUM(1+1)", "-1+2", " =1"])
def test_names_a_spreadsheet_would_run_are_refused_with_their_own_message(raw: str) -> None:
    result = fields.name(raw)
    assert isinstance(result, FieldError)
    assert result.code is MessageCode.NAME_FORMULA
    assert result.params["first"] == raw.strip()[0]
    assert "formula" in result.message


def test_names_with_those_characters_inside_are_fine() -> None:
    assert fields.name("김-철수") == "김-철수"
    assert fields.name("A+B 상사") == "A+B 상사"


@pytest.mark.parametrize(
    "raw", ["2026-12-06", "2026.12.06", "2026. 12. 6.", "2026.12.6", "2026/12/06", "2026/12/6"]
)
def test_dates_as_korean_excel_writes_them(raw: str) -> None:
    assert parse_day(raw) == date(2026, 12, 6)


@pytest.mark.parametrize("raw", ["06.12.2026", "2026-12", "20261206", "2026.12/06", "2026-12-06."])
def test_other_date_shapes_are_not_dates(raw: str) -> None:
    with pytest.raises(NotADate):
        parse_day(raw)


def test_an_impossible_day_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_day("2026. 2. 30.")


def test_korean_headers_name_the_columns_and_the_export_headers_round_trip() -> None:
    assert column_key("휴대폰 번호") == "phone"
    assert column_key("\ufeff고객 UID") == "customer_uid"
    assert column_key("Phone") == "phone"
    assert column_key("다음결제일") == "next_charge_date"
    for column, header in KOREAN_HEADERS.items():
        assert column_key(header) == column
