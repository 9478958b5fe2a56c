"""Billing periods and charge dates, always in Asia/Seoul.

A period is the calendar month ("YYYY-MM") of a subscriber's next charge date. After a paid charge
the next charge date moves one month on, clamped to the month's end, and goes back to the billing
day whenever the month is long enough: billing day 31 gives Jan 31 → Feb 28 (29) → Mar 31.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from kpadmin.clock import Clock, default_clock
from kpadmin.store.models import Span

SEOUL = ZoneInfo("Asia/Seoul")


def today_in_seoul(clock: Clock | None = None) -> date:
    """Today's date in Asia/Seoul according to `clock` (an aware instant; default: the process's
    clock, `kpadmin.clock`)."""
    now = (clock or default_clock())()
    if now.tzinfo is None:
        raise ValueError("the clock must return an aware datetime")
    return now.astimezone(SEOUL).date()


#: The same, by its shorter name.
today_kst = today_in_seoul


def period_of(day: date) -> str:
    """The billing period ("YYYY-MM") a charge date belongs to."""
    return f"{day.year:04d}-{day.month:02d}"


def month_of(moment: datetime) -> str:
    """The Asia/Seoul calendar month ("YYYY-MM") of an aware instant."""
    return period_of(moment.astimezone(SEOUL).date())


def month_span(period: str) -> Span:
    """The instants of an Asia/Seoul month ("YYYY-MM"): from its first midnight in Seoul to the
    next month's. The store counts "paid this month" with it (a comparison of instants, the same
    in any database)."""
    year, month = (int(part) for part in period.split("-"))
    following = date(year + (month == 12), month % 12 + 1, 1)
    return Span(
        datetime.combine(date(year, month, 1), time(), SEOUL),
        datetime.combine(following, time(), SEOUL),
    )


def last_months(today: date, count: int) -> list[str]:
    """The `count` Asia/Seoul months up to and including `today`'s, oldest first."""
    index = today.year * 12 + today.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


def clamp_day(year: int, month: int, billing_day: int) -> date:
    """`billing_day` in that month, or the month's last day when the month is shorter."""
    if not 1 <= billing_day <= 31:
        raise ValueError(f"billing day must be 1..31, got {billing_day}")
    return date(year, month, min(billing_day, calendar.monthrange(year, month)[1]))


def next_charge_date(current: date, billing_day: int) -> date:
    """The charge date one month after `current`, on `billing_day` clamped to that month's end."""
    if current.month == 12:
        year, month = current.year + 1, 1
    else:
        year, month = current.year, current.month + 1
    return clamp_day(year, month, billing_day)


def first_charge_date(signup_day: date, billing_day: int | None = None) -> date:
    """A new subscriber's first re-charge: one cycle after sign-up (billing day = sign-up day)."""
    return next_charge_date(signup_day, billing_day or signup_day.day)
