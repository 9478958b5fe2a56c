"""The app's daily automatic run rules (kpadmin/billing/daily.py): when, whether, and which desk
of a shared database runs it (two stores on one file are two desks)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path

from kpadmin.billing import daily
from kpadmin.billing.periods import SEOUL
from kpadmin.billing.settings import Settings
from kpadmin.store import open_store
from tests.clock import FrozenClock


def test_off_by_default_and_live_only_with_the_opt_in() -> None:
    assert daily.refusal(Settings()) == "auto_charge_time is off"
    assert daily.run_time(Settings()) is None
    on = Settings(auto_charge_time="09:30")
    assert daily.refusal(on) is None and daily.run_time(on) == time(9, 30)
    assert "auto_charge_live" in (
        daily.refusal(Settings(mode="live", auto_charge_time="09:30")) or ""
    )
    assert (
        daily.refusal(Settings(mode="live", auto_charge_time="09:30", auto_charge_live=True))
        is None
    )


def test_due_from_the_korean_time_on_that_day() -> None:
    morning = datetime(2026, 12, 8, 9, 0, tzinfo=SEOUL)
    assert not daily.is_due(morning - timedelta(minutes=1), time(9, 0))
    assert daily.is_due(morning, time(9, 0))
    assert daily.is_due(morning + timedelta(hours=14), time(9, 0))  # 23:00: made up that day


def test_one_desk_claims_the_day_the_other_sees_who(tmp_path: Path) -> None:
    clock = FrozenClock()
    db = tmp_path / "kp.sqlite3"
    desk_a, desk_b = open_store(db, clock=clock), open_store(db, clock=clock)
    today = clock().astimezone(SEOUL).date()
    try:
        assert daily.claim(desk_a, today, desk="김지원@카운터1", now=clock()) is None
        holder = daily.claim(desk_b, today, desk="박서준@카운터2", now=clock())
        assert holder is not None and "김지원@카운터1" in holder.english()
        assert daily.claim(desk_a, today, desk="김지원@카운터1", now=clock()) is not None
        tomorrow = today + timedelta(days=1)
        assert daily.claim(desk_b, tomorrow, desk="박서준@카운터2", now=clock()) is None
    finally:
        desk_a.close()
        desk_b.close()
