"""The sample data (training, screenshots, the GUI tests' `seeded` fixture) keeps its promises on
every day of the month: one charge in doubt, nothing paid twice, no charge after today."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from kpadmin.store import open_store
from kpadmin.store.charges import ChargeRepository
from tests.clock import TODAY, add_months
from tests.sample_data import seed


def _days() -> list[date]:
    """The injected today, and the first and last day of the months around it (month ends,
    year ends and 29 February are where a calendar rule breaks)."""
    days = {TODAY, date(2028, 2, 29), date(2027, 12, 31), date(2028, 1, 1)}
    for months in range(-2, 13):
        first = add_months(TODAY, months, day_of_month=1)
        days.update({first, first - timedelta(days=1)})
    return sorted(days)


@pytest.mark.parametrize("today", _days(), ids=str)
def test_seed_has_one_charge_in_doubt_on_any_day(tmp_path: Path, today: date) -> None:
    conn = open_store(tmp_path / "kp.sqlite3")
    try:
        ids = seed(conn, today=today, count=30)
        charges = ChargeRepository(conn).list_all()
    finally:
        conn.close()
    assert len(ids) == 30
    assert len([c for c in charges if c.state.in_doubt]) == 1
    paid = [(c.subscriber_id, c.period) for c in charges if c.state.value == "paid"]
    assert len(paid) == len(set(paid)), "a period paid twice"
    assert max(c.period for c in charges) <= f"{today:%Y-%m}"
