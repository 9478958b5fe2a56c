"""The one rule set for name, phone, e-mail, amount and plan (`kpadmin.billing.fields`).

Each validator gives the normalised value or a `FieldError` (code + params + English). That
sign-up, the CSV import and the edit dialog agree is proved in tests/gui/test_field_rules.py.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpadmin.billing import fields
from kpadmin.billing.fields import FieldCode, FieldError

# --- name and plan --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("김하늘", "김하늘"),
        ("  김  하늘\t", "김 하늘"),
        ("Lee, Jun", "Lee, Jun"),
        ("가" * 50, "가" * 50),
        ("\u1100\u1161\u11a8", "\uac01"),  # decomposed Hangul (a Mac's) becomes one syllable
        ("김\u3000하늘", "김 하늘"),  # the ideographic space is a space
    ],
)
def test_names_are_cleaned(raw: str, expected: str) -> None:
    assert fields.name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", FieldCode.NAME_EMPTY),
        (" \t ", FieldCode.NAME_EMPTY),
        ("가" * 51, FieldCode.NAME_TOO_LONG),
        ("<script>", FieldCode.NAME_BAD_CHARACTERS),
        ("a\nb", FieldCode.NAME_BAD_CHARACTERS),  # a line break inside a one-line field
        ("a\x00b", FieldCode.NAME_BAD_CHARACTERS),
        ("abc\u202egnp.exe", FieldCode.NAME_BAD_CHARACTERS),  # a bidi override (format char)
        ("a\u200db", FieldCode.NAME_BAD_CHARACTERS),  # zero-width joiner
    ],
)
def test_bad_names(raw: str, code: FieldCode) -> None:
    error = fields.name(raw)
    assert isinstance(error, FieldError) and (error.field, error.code) == ("name", code)


def test_the_too_long_message_names_the_limit() -> None:
    error = fields.name("x" * 51)
    assert isinstance(error, FieldError) and dict(error.params) == {"max": 50}
    assert error.message == "The name is too long (50 characters at most)."


def test_the_plan_is_optional_and_one_line_of_at_most_40() -> None:
    assert fields.plan("") == "" and fields.plan("   ") == ""
    assert fields.plan(" 프리미엄   월 구독 ") == "프리미엄 월 구독"
    assert fields.plan("p" * 40) == "p" * 40
    long = fields.plan("p" * 41)
    assert isinstance(long, FieldError) and long.code is FieldCode.PLAN_TOO_LONG
    assert long.message == "The plan name is too long (40 characters at most)."
    bad = fields.plan("a\x07")
    assert isinstance(bad, FieldError) and bad.code is FieldCode.PLAN_BAD_CHARACTERS


# --- phone ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("010-1234-5678", "010-1234-5678"),
        ("01012345678", "010-1234-5678"),
        ("010 1234 5678", "010-1234-5678"),
        ("010.1234.5678", "010-1234-5678"),
        ("(010) 1234-5678", "010-1234-5678"),
        ("+82 10-1234-5678", "010-1234-5678"),
        ("+821012345678", "010-1234-5678"),
        ("+82 010 1234 5678", "010-1234-5678"),
        ("011-123-4567", "011-123-4567"),
        ("016-1234-5678", "016-1234-5678"),
        (" 019 987 6543 ", "019-987-6543"),
    ],
)
def test_korean_mobiles_are_normalised(raw: str, normalised: str) -> None:
    assert fields.phone(raw) == normalised


@pytest.mark.parametrize(
    "raw",
    [
        "02-123-4567",  # Seoul landline: refused now at import too (the module docstring says why)
        "(02) 1234-5678",
        "031-123-4567",
        "070-1234-5678",  # internet phone
        "050-1234-5678",
        "010-123-4567",  # 010 needs 4+4
        "010-12345-6789",
        "1012345678",
        "+1 10-1234-5678",
        "010+1234-5678",
        "010-1234-567a",
        "０１０-1234-5678",  # full-width digits
        "010-١٢٣٤-٥٦٧٨",  # Arabic-Indic digits
        "010-1234-5678-9",
        "010-1234-5678\x1f",  # str.strip would drop it; the CSV import refuses the file
    ],
)
def test_anything_but_a_korean_mobile_is_refused(raw: str) -> None:
    error = fields.phone(raw)
    assert isinstance(error, FieldError) and error.code is FieldCode.PHONE_NOT_MOBILE
    assert error.message == "Enter a Korean mobile number, e.g. 010-1234-5678."


def test_an_empty_phone_is_asked_for() -> None:
    error = fields.phone("  ")
    assert isinstance(error, FieldError) and error.code is FieldCode.PHONE_EMPTY


# --- e-mail ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", ["minji@example.com", "A.B+tag@mail.ex-ample.co.kr", "x_1%y@d.io", " a@b.kr "]
)
def test_good_emails(raw: str) -> None:
    assert fields.email(raw) == raw.strip()


@pytest.mark.parametrize(
    "raw",
    [
        "nope",
        "a@b",
        "a@b.c",  # a one-letter top-level domain
        "a@@b.com",
        ".a@b.com",
        "a.@b.com",
        "a..b@c.com",
        "a@-b.com",
        "a@b-.com",
        "a@b..com",
        "a b@c.com",
        "김@example.com",
        "a@xn--3e0b707e",  # a punycode top-level label: not one staff type
        "x" * 65 + "@example.com",
        "a@" + "b" * 250 + ".com",
        "<a@b.com>",
    ],
)
def test_bad_emails(raw: str) -> None:
    error = fields.email(raw)
    assert isinstance(error, FieldError) and error.code is FieldCode.EMAIL_INVALID


def test_an_empty_email_is_fine() -> None:
    assert fields.email("") == "" and fields.email("   ") == ""


@settings(max_examples=300, deadline=None)
@given(st.emails())
def test_accepted_emails_keep_their_shape(address: str) -> None:
    """Hypothesis's RFC-shaped addresses: what the rule accepts it returns as typed."""
    result = fields.email(address)
    assert isinstance(result, FieldError) or result == address


# --- amount ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("9900", 9900),
        ("9,900", 9900),
        ("₩9,900", 9900),
        ("9,900원", 9900),
        (" ₩ 12,900 원 ", 12900),
        ("10,000,000", 10_000_000),
        ("1", 1),
        (9900, 9900),
    ],
)
def test_amounts(raw: str | int, expected: int) -> None:
    assert fields.amount(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", FieldCode.AMOUNT_EMPTY),
        ("abc", FieldCode.AMOUNT_NOT_WHOLE_WON),
        ("9.5", FieldCode.AMOUNT_NOT_WHOLE_WON),
        ("9900.0", FieldCode.AMOUNT_NOT_WHOLE_WON),
        ("9,9,00", FieldCode.AMOUNT_NOT_WHOLE_WON),  # commas only between thousands
        ("-100", FieldCode.AMOUNT_NOT_WHOLE_WON),
        ("1e6", FieldCode.AMOUNT_NOT_WHOLE_WON),
        ("９９００", FieldCode.AMOUNT_NOT_WHOLE_WON),  # full-width digits
        ("9" * 5000, FieldCode.AMOUNT_NOT_WHOLE_WON),  # never handed to int()
        ("0", FieldCode.AMOUNT_TOO_LOW),
        (0, FieldCode.AMOUNT_TOO_LOW),
        (-5, FieldCode.AMOUNT_TOO_LOW),
        ("10,000,001", FieldCode.AMOUNT_TOO_HIGH),
        (99_000_000, FieldCode.AMOUNT_TOO_HIGH),
    ],
)
def test_bad_amounts(raw: str | int, code: FieldCode) -> None:
    error = fields.amount(raw)
    assert isinstance(error, FieldError) and error.code is code


def test_the_amount_limit_is_said_with_its_parameter() -> None:
    error = fields.amount("99,000,000")
    assert isinstance(error, FieldError) and dict(error.params) == {"max": 10_000_000}
    assert error.message == "The amount is above ₩10,000,000; check it."


# --- every field, any text --------------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(sorted(fields.VALIDATORS)),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=80),
)
def test_any_text_gives_a_value_or_an_error_never_an_exception(key: str, raw: str) -> None:
    result = fields.VALIDATORS[key](raw)
    if isinstance(result, FieldError):
        assert result.field == key and result.message and result.code.value.startswith(key)
    else:
        # Normalising is idempotent: a stored value passes its own rule unchanged.
        assert fields.VALIDATORS[key](str(result)) == result


def test_check_changes_judges_only_what_staff_changed() -> None:
    stored = {"name": "x" * 80, "phone": "02-123-4567", "email": "", "plan": "", "amount": 9900}
    # Old values that today's rules refuse stay as they were when left alone.
    same = fields.check_changes(stored, {"name": "x" * 80, "phone": "02 123 4567", "amount": 9900})
    assert same.ok and same.values == {}
    edited = fields.check_changes(
        stored, {"phone": "01012345678", "amount": 12_000, "email": " a@b.kr "}
    )
    assert edited.ok
    assert edited.values == {"phone": "010-1234-5678", "amount": 12_000, "email": "a@b.kr"}
    bad = fields.check_changes(stored, {"phone": "02-123-4568", "name": "가" * 51})
    assert {e.code for e in bad.errors} == {FieldCode.PHONE_NOT_MOBILE, FieldCode.NAME_TOO_LONG}
    # A change that normalises to the stored value is no change.
    stored_mobile = {**stored, "phone": "010-1234-5678"}
    assert fields.check_changes(stored_mobile, {"phone": "+82 10 1234 5678"}).values == {}
