"""The one rule set for name, phone, e-mail, amount and plan (`kpadmin.billing.fields`).

Each validator gives the normalised value or a `FieldError` (code + params + English). That
sign-up, the CSV import and the edit dialog agree is proved in tests/gui/test_field_rules.py.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpadmin.billing import fields
from kpadmin.billing.fields import FieldError
from kpadmin.billing.messages import MessageCode

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
        ("", MessageCode.NAME_EMPTY),
        (" \t ", MessageCode.NAME_EMPTY),
        ("가" * 51, MessageCode.NAME_TOO_LONG),
        ("<script>", MessageCode.NAME_CHARS),
        ("a\nb", MessageCode.NAME_CHARS),  # a line break inside a one-line field
        ("a\x00b", MessageCode.NAME_CHARS),
        ("abc\u202egnp.exe", MessageCode.NAME_CHARS),  # a bidi override (format char)
        ("a\u200db", MessageCode.NAME_CHARS),  # zero-width joiner
    ],
)
def test_bad_names(raw: str, code: MessageCode) -> None:
    error = fields.name(raw)
    assert isinstance(error, FieldError) and (error.field, error.code) == ("name", code)


def test_the_messages_name_the_limits_the_rules_apply() -> None:
    """The sentences carry the limits as text (the catalogue translates them as they are): they
    must say the numbers the rules use."""
    name = fields.name("x" * (fields.NAME_MAX + 1))
    plan = fields.plan("x" * (fields.PLAN_MAX + 1))
    amount = fields.amount(fields.AMOUNT_MAX + 1)
    assert isinstance(name, FieldError) and f"({fields.NAME_MAX} characters" in name.message
    assert isinstance(plan, FieldError) and f"({fields.PLAN_MAX} characters" in plan.message
    assert isinstance(amount, FieldError) and f"₩{fields.AMOUNT_MAX:,};" in amount.message


def test_the_plan_is_optional_and_one_line_of_at_most_40() -> None:
    assert fields.plan("") == "" and fields.plan("   ") == ""
    assert fields.plan(" 프리미엄   월 구독 ") == "프리미엄 월 구독"
    assert fields.plan("p" * 40) == "p" * 40
    long = fields.plan("p" * 41)
    assert isinstance(long, FieldError) and long.code is MessageCode.PLAN_TOO_LONG
    bad = fields.plan("a\x07")
    assert isinstance(bad, FieldError) and bad.code is MessageCode.PLAN_CHARS


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
        "101234567",  # one digit short even with the 0 Excel drops put back
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
    assert isinstance(error, FieldError) and error.code is MessageCode.PHONE_FORMAT
    assert error.message == "Enter a Korean mobile number, e.g. 010-1234-5678."


def test_an_empty_phone_is_asked_for() -> None:
    error = fields.phone("  ")
    assert isinstance(error, FieldError) and error.code is MessageCode.PHONE_EMPTY


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
    assert isinstance(error, FieldError) and error.code is MessageCode.EMAIL_FORMAT


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
        ("", MessageCode.AMOUNT_EMPTY),
        ("abc", MessageCode.AMOUNT_FORMAT),
        ("9.5", MessageCode.AMOUNT_FORMAT),
        ("9900.0", MessageCode.AMOUNT_FORMAT),
        ("9,9,00", MessageCode.AMOUNT_FORMAT),  # commas only between thousands
        ("-100", MessageCode.AMOUNT_FORMAT),
        ("1e6", MessageCode.AMOUNT_FORMAT),
        ("９９００", MessageCode.AMOUNT_FORMAT),  # full-width digits
        ("9" * 5000, MessageCode.AMOUNT_FORMAT),  # never handed to int()
        ("0", MessageCode.AMOUNT_ZERO),
        (0, MessageCode.AMOUNT_ZERO),
        (-5, MessageCode.AMOUNT_ZERO),
        ("10,000,001", MessageCode.AMOUNT_HIGH),
        (99_000_000, MessageCode.AMOUNT_HIGH),
    ],
)
def test_bad_amounts(raw: str | int, code: MessageCode) -> None:
    error = fields.amount(raw)
    assert isinstance(error, FieldError) and error.code is code


def test_the_amount_limit_is_said() -> None:
    error = fields.amount("99,000,000")
    assert isinstance(error, FieldError) and error.code is MessageCode.AMOUNT_HIGH
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
        assert result.field == key and result.message
        assert result.code.value.startswith(f"form.{key}_")
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
    assert {e.code for e in bad.errors} == {MessageCode.PHONE_FORMAT, MessageCode.NAME_TOO_LONG}
    # A change that normalises to the stored value is no change.
    stored_mobile = {**stored, "phone": "010-1234-5678"}
    assert fields.check_changes(stored_mobile, {"phone": "+82 10 1234 5678"}).values == {}
