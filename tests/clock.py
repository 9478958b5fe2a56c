"""The tests' "now": one injected instant, never the wall clock.

Every test builds its dates from `injected_now()` (through the `clock`, `now` and `today` fixtures
of tests/conftest.py, or the module constants below for module-level tables), hands the clock to
the product (`ChargeEngine(clock=…)`, `SandboxConfig(clock=…)`, `open_runtime(clock=…)`) and gives
the CLI processes it starts ``KPADMIN_NOW`` (`child_env`). So the suite passes, and means the same,
on any date, at any time, in any time zone.

The instant is a constant, ``DEFAULT_TEST_NOW``, unless ``KPADMIN_TEST_NOW`` names another (an ISO
8601 instant with an offset): run the suite at a month end, a year end or a leap day with e.g.

    KPADMIN_TEST_NOW=2027-01-31T15:30:00Z .venv/bin/python -m pytest

Dates a test needs are relative to it ("due twelve days ago", "the month after today"), never
literal dates that only make sense near November 2026.
"""

from __future__ import annotations

import calendar
import os
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Final

from kpadmin.billing.periods import period_of, today_in_seoul
from kpadmin.clock import ENV_VAR as PRODUCT_NOW_ENV
from kpadmin.clock import parse_instant

TEST_NOW_ENV: Final = "KPADMIN_TEST_NOW"
#: Noon in Seoul on an ordinary weekday; any instant must do (see the module docstring).
DEFAULT_TEST_NOW: Final = "2026-11-27T12:00:00+09:00"


def injected_now() -> datetime:
    """The tests' instant (aware UTC): ``KPADMIN_TEST_NOW`` or ``DEFAULT_TEST_NOW``."""
    raw = os.environ.get(TEST_NOW_ENV, "").strip() or DEFAULT_TEST_NOW
    return parse_instant(raw, name=TEST_NOW_ENV)


#: For module-level tables and defaults; fixtures give the same values.
NOW: Final = injected_now()
TODAY: Final = today_in_seoul(lambda: NOW)


class FrozenClock:
    """A `kpadmin.clock.Clock` that stands still until a test moves it."""

    def __init__(self, moment: datetime | None = None) -> None:
        self.moment = moment or injected_now()
        if self.moment.tzinfo is None:
            raise ValueError("a test clock needs an aware instant")

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, delta: timedelta | None = None, **parts: float) -> datetime:
        """Move forward by `delta` (or ``seconds=``, ``days=``…); returns the new instant."""
        self.moment += delta if delta is not None else timedelta(**parts)
        return self.moment

    def set(self, moment: datetime) -> None:
        self.moment = moment

    def today(self) -> date:
        """Today in Asia/Seoul."""
        return today_in_seoul(self)

    def month(self) -> str:
        """This Seoul month, "YYYY-MM"."""
        return period_of(self.today())


def child_env(
    base: Mapping[str, str] | None = None, *, now: datetime | None = None
) -> dict[str, str]:
    """An environment for a kpadmin child process that pretends it is `now` (default: the
    injected instant): ``KPADMIN_NOW`` set, ``KPADMIN_TEST_NOW`` passed along."""
    env = dict(os.environ if base is None else base)
    env[PRODUCT_NOW_ENV] = (now or injected_now()).isoformat()
    return env


def add_months(day: date, months: int, *, day_of_month: int | None = None) -> date:
    """The same day (or `day_of_month`) `months` months later or earlier, clamped to the month's
    end — for tests that need "last month" or "next month" relative to the injected today."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    wanted = day.day if day_of_month is None else day_of_month
    return date(year, month + 1, min(wanted, calendar.monthrange(year, month + 1)[1]))
