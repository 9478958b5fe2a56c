"""Sign-up, the CSV import and the edit dialog accept and refuse the same values, and store the
same normalised value (one rule set: `kpadmin.billing.fields`).

Each entry point is driven the way staff reach it: the sign-up form's `RawSignupForm` through
`signup.form_errors` / `validate_form`; a CSV file (written with `csv`, cells defused like
our export) through `csvio.parse_import_csv`, where a file-level refusal also counts as refused;
the edit dialog's check (`edit_dialog.check`, what the dialog calls on every key) on what its line
edits hold. Arbitrary text, Korean names, phone- and amount-shaped strings, RFC-shaped e-mails.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date
from types import SimpleNamespace
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kpadmin.billing import fields
from kpadmin.billing import signup as su
from kpadmin.billing.csvio import CsvFileError, defuse, parse_import_csv
from kpadmin.gui import edit_dialog

TODAY = date(2026, 11, 28)
FORM = su.RawSignupForm(
    name="김하늘",
    phone="010-1234-5678",
    email="haneul@example.com",
    plan="프리미엄 월 구독",
    amount="9,900",
    billing_day="5",
    first_payment_now=True,
    channel="phone",
)
#: What the edit dialog has loaded: values no generated one equals (checked per example).
STORED = SimpleNamespace(
    name="기존 이름", phone="010-9999-8888", email="old@example.com", plan="기존", amount=5_000
)
COLUMNS = ("customer_uid", "name", "phone", "amount", "email", "plan")

#: (accepted, the normalised value or the refusal's code)
Outcome = tuple[bool, Any]

ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
HANGUL = st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)
SPACING = st.sampled_from([" ", "  ", "\t", "\u3000", "\xa0", "\n", "\r", "\x1f", "\x0b"])
NAMES = st.one_of(
    ANY_TEXT,
    st.lists(st.one_of(HANGUL, SPACING, st.sampled_from("<>,.'-=+@")), max_size=60).map("".join),
    st.integers(45, 55).map(lambda n: "가" * n),
)
PHONES = st.one_of(
    ANY_TEXT,
    st.text(alphabet="0123456789-+(). ", max_size=20),
    st.from_regex(r"\+?(82)?[ -]?0?1[016789][ .-]?[0-9]{3,4}[ .-]?[0-9]{4}", fullmatch=True),
    st.from_regex(r"0[2-7][0-9]?-?[0-9]{3,4}-?[0-9]{4}", fullmatch=True),  # landlines
)
EMAILS = st.one_of(
    st.emails(),
    ANY_TEXT,
    st.from_regex(r"[A-Za-z0-9.%+_-]{0,6}@[A-Za-z0-9.-]{0,12}", fullmatch=True),
)
AMOUNTS = st.one_of(
    ANY_TEXT,
    st.integers(-10, 20_000_000).map(str),
    st.integers(-10, 20_000_000).map(lambda n: f"{n:,}"),
    st.integers(1, 20_000_000).map(lambda n: f"₩{n:,}원"),
    st.text(alphabet="0123456789,.₩원 -", max_size=14),
)
VALUES = {"name": NAMES, "phone": PHONES, "email": EMAILS, "plan": NAMES, "amount": AMOUNTS}


def by_signup(key: str, value: str) -> Outcome:
    raw = replace(FORM, **{key: value})
    errors = su.form_errors(raw)
    assert set(errors) <= {key}  # the other fields are fine
    if key in errors:
        return False, errors[key].code
    return True, getattr(su.validate_form(raw), key)


def by_import(key: str, value: str) -> Outcome:
    cells = {"customer_uid": "cu_1", **{k: getattr(FORM, k) for k in COLUMNS[1:]}, key: value}
    out = io.StringIO()
    writer = csv.writer(out)  # "\r\n": a cell holding either line end is quoted
    writer.writerow(COLUMNS)
    writer.writerow([defuse(cells[c]) for c in COLUMNS])
    try:
        parsed = parse_import_csv(out.getvalue().encode("utf-8"), today=TODAY)
    except CsvFileError:
        return False, "file refused"  # control characters: the whole file is refused
    if parsed.rows:
        (row,) = parsed.rows
        return True, getattr(row, key)
    (problem,) = parsed.problems
    assert {e.field for e in problem.errors} == {key}, problem
    return False, problem.errors[0].code


def by_edit(key: str, value: str | int) -> Outcome:
    values = {k: getattr(STORED, k) for k in fields.VALIDATORS} | {key: value}
    checked = edit_dialog.check(STORED, values)  # type: ignore[arg-type]
    if checked.errors:
        (error,) = checked.errors
        return False, error.code
    return True, checked.values.get(key, getattr(STORED, key))


def same(a: Outcome, b: Outcome) -> bool:
    """Accepted alike with the same value, or refused alike (a refused file has no code)."""
    if a[0] != b[0]:
        return False
    return a == b if a[0] else "file refused" in (a[1], b[1]) or a[1] == b[1]


def _is_stored(key: str, value: str) -> bool:
    """The edit dialog does not judge a field left as loaded (the rule for old values)."""
    return not fields.check_changes({key: getattr(STORED, key)}, {key: value}).values and not (
        fields.check_changes({key: getattr(STORED, key)}, {key: value}).errors
    )


def _reinjected(value: str) -> bool:
    """A value that already looks like our export's injection guard ('=…): the import takes
    the guard off, by design, so it cannot round-trip as typed."""
    return value.startswith("'") and value[1:2] in ("=", "+", "-", "@", "\t", "\r")


@settings(
    max_examples=600,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(st.sampled_from(sorted(VALUES)).flatmap(lambda k: st.tuples(st.just(k), VALUES[k])))
def test_the_three_entry_points_agree(case: tuple[str, str]) -> None:
    key, value = case
    assume(not _reinjected(value))
    signup, imported = by_signup(key, value), by_import(key, value)
    assert same(signup, imported), (signup, imported)
    if key != "amount":  # the dialog's amount is a spin box: an int (next test)
        assume(not _is_stored(key, value))
        edited = by_edit(key, value)
        assert same(signup, edited), (signup, edited)
    if signup[0]:
        # What was stored passes every entry point unchanged (normalising is idempotent).
        assert by_signup(key, str(signup[1]))[1] == signup[1]


@settings(max_examples=300, deadline=None)
@given(st.integers(-1_000, 30_000_000))
def test_amounts_typed_imported_or_spun_agree(amount: int) -> None:
    assume(amount != STORED.amount)
    edited = by_edit("amount", amount)
    for text in (str(amount), f"{amount:,}"):
        # Refused alike; the reason may differ: "-1" typed is not written like an amount at all,
        # -1 from a spin box is below ₩1.
        for outcome in (by_signup("amount", text), by_import("amount", text)):
            assert outcome[0] == edited[0] and (not outcome[0] or outcome == edited)
    assert edited[0] == (1 <= amount <= fields.AMOUNT_MAX)


def test_the_examples_staff_meet() -> None:
    """Named cases, so a failure reads plainly (the properties above cover the rest)."""
    cases = [
        ("phone", "02-123-4567", False),  # a landline: refused everywhere now
        ("phone", "+82 10 1234 5678", True),
        ("name", "가" * 51, False),  # sign-up's 50 (import took 100, edit 60)
        ("name", "  김  하늘 ", True),
        ("email", "a@b.c", False),
        ("plan", "", True),  # optional everywhere
        ("plan", "p" * 41, False),
        ("amount", "9,9,00", False),
    ]
    for key, value, accepted in cases:
        outcomes = [by_signup(key, value), by_import(key, value)]
        if key != "amount":
            outcomes.append(by_edit(key, value))
        assert {o[0] for o in outcomes} == {accepted}, (key, value, outcomes)
