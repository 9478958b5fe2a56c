"""Billing periods and next charge dates (Asia/Seoul, month-end clamping)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpadmin.billing.periods import (
    first_charge_date,
    month_of,
    next_charge_date,
    period_of,
    today_in_seoul,
)


def test_period_is_the_month_of_the_charge_date() -> None:
    assert period_of(date(2026, 1, 31)) == "2026-01"
    assert period_of(date(987, 12, 1)) == "0987-12"


def test_31st_clamps_to_february_and_comes_back_in_march() -> None:
    day = date(2027, 1, 31)
    seen = []
    for _ in range(4):
        day = next_charge_date(day, 31)
        seen.append(day)
    assert seen == [date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30), date(2027, 5, 31)]


def test_leap_february_and_year_end() -> None:
    assert next_charge_date(date(2028, 1, 30), 30) == date(2028, 2, 29)
    assert next_charge_date(date(2028, 2, 29), 30) == date(2028, 3, 30)
    assert next_charge_date(date(2026, 12, 15), 15) == date(2027, 1, 15)


def test_billing_day_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError):
        next_charge_date(date(2026, 1, 1), 32)


def test_first_charge_is_one_cycle_after_signup() -> None:
    assert first_charge_date(date(2026, 1, 31)) == date(2026, 2, 28)


def test_today_is_seoul_not_utc() -> None:
    # 15:30 UTC is already 00:30 the next day in Seoul (UTC+9, no DST).
    assert today_in_seoul(lambda: datetime(2026, 3, 31, 15, 30, tzinfo=UTC)) == date(2026, 4, 1)
    assert today_in_seoul(lambda: datetime(2026, 3, 31, 14, 59, tzinfo=UTC)) == date(2026, 3, 31)
    assert month_of(datetime(2026, 3, 31, 15, 30, tzinfo=UTC)) == "2026-04"
    with pytest.raises(ValueError):
        today_in_seoul(lambda: datetime(2026, 3, 31))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(1, 31))
def test_next_date_is_next_month_on_the_billing_day_or_its_end(
    start: date, billing_day: int
) -> None:
    nxt = next_charge_date(start, billing_day)
    month_after = (start.replace(day=1) + timedelta(days=32)).replace(day=1)
    assert (nxt.year, nxt.month) == (month_after.year, month_after.month)
    if nxt.day != billing_day:
        assert nxt.day < billing_day
        assert (nxt + timedelta(days=1)).month != nxt.month  # clamped: it is the month's last day
