"""The settlement report (정산): Korean days, months, refunds, declines, plans; `kpadmin report`."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from kpadmin import cli
from kpadmin.billing import reports
from kpadmin.billing.periods import SEOUL
from kpadmin.billing.settings import Settings, save_settings
from kpadmin.store import NewCharge, NewSubscriber, Store, open_store
from kpadmin.store.models import ChargeState
from kpadmin.store.refunds import CancelEntry, RefundFacts, RefundSource
from tests.clock import FrozenClock

_attempts = iter(range(1, 10_000))


def kst(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), SEOUL)


def charge(
    store: Store,
    sid: int,
    uid: str,
    state: ChargeState,
    at: datetime,
    amount: int,
    *,
    paid: int | None = None,
    refunded: int = 0,
) -> None:
    n = next(_attempts)
    with store.transaction():
        cid = store.charges.insert(
            NewCharge(sid, uid, f"{2000 + n}-01", 1, f"kp-{n}", amount),
            batch_id="b",
            staff="t",
            now=at,
        )
        if state is ChargeState.PAID:
            paid_amount = paid or amount
            store.charges.set_state(
                cid, state, now=at, paid_at=at, paid_amount=paid_amount, cancelled_amount=refunded
            )
        else:
            store.charges.set_state(cid, state, now=at)


@pytest.fixture
def store(any_store: Store) -> Store:
    """A new store on SQLite and on PostgreSQL (tests/fixtures/stores.py): the report's queries
    and its Korean days must agree on both."""
    return any_store


@pytest.fixture
def day(today: date) -> date:
    return today - timedelta(days=3)


@pytest.fixture
def filled(store: Store, day: date) -> Store:
    a, b = store.subscribers.add_many(
        [
            NewSubscriber("cu_a", "김민지", 9900, 1, day, plan="베이직"),
            NewSubscriber("cu_b", "이준호", 29000, 1, day, plan="프로"),
        ]
    )
    # 08:37 KST is 23:37 UTC the day before: it is this Korean day's payment.
    charge(store, a, "cu_a", ChargeState.PAID, kst(day, 8, 37), 9900)
    charge(store, b, "cu_b", ChargeState.PAID, kst(day, 23, 59), 29000, refunded=10000)
    charge(store, a, "cu_a", ChargeState.DECLINED, kst(day, 12), 9900)
    charge(store, b, "cu_b", ChargeState.REJECTED, kst(day + timedelta(days=1), 0, 0), 29000)
    # i'mport charged another amount than asked: the report counts what was paid.
    charge(store, a, "cu_a", ChargeState.PAID, kst(day + timedelta(days=1), 0, 1), 9900, paid=9000)
    # A payment outside the range is in no figure; an outcome not known yet neither.
    charge(store, a, "cu_a", ChargeState.PAID, kst(day - timedelta(days=1), 23, 59), 9900)
    charge(store, a, "cu_a", ChargeState.UNKNOWN, kst(day, 10), 9900)
    return store


def test_days_follow_korean_midnight_and_count_refunds_and_declines(
    filled: Store, day: date
) -> None:
    report = reports.settlement(filled, day, day + timedelta(days=1))
    first, second = (f.as_dict() for _, f in report.days)
    assert [d for d, _ in report.days] == [day, day + timedelta(days=1)]
    assert first == {
        "paid_count": 2,
        "paid_amount": 38900,
        "refunded_amount": 10000,
        "net_amount": 28900,
        "failed_count": 1,
    }
    assert second == {
        "paid_count": 1,
        "paid_amount": 9000,
        "refunded_amount": 0,
        "net_amount": 9000,
        "failed_count": 1,
    }
    assert report.total.as_dict() == {
        "paid_count": 3,
        "paid_amount": 47900,
        "refunded_amount": 10000,
        "net_amount": 37900,
        "failed_count": 2,
    }
    plans = {p: f.as_dict() for p, f in report.plans}
    assert plans["베이직"]["paid_amount"] == 18900 and plans["베이직"]["failed_count"] == 1
    assert plans["프로"]["net_amount"] == 19000 and plans["프로"]["failed_count"] == 1


def test_every_day_of_the_range_is_listed_and_months_add_up(filled: Store, day: date) -> None:
    start = day - timedelta(days=40)
    report = reports.settlement(filled, start, day + timedelta(days=1))
    assert len(report.days) == 42
    assert sum(f.paid_amount for _, f in report.months) == report.total.paid_amount == 47900 + 9900
    assert {m for m, _ in report.months} == {f"{d.year:04d}-{d.month:02d}" for d, _ in report.days}


def test_a_range_that_ends_before_it_starts_is_refused(store: Store, day: date) -> None:
    with pytest.raises(reports.ReportRangeError):
        reports.settlement(store, day, day - timedelta(days=1))


def test_the_report_command_prints_the_json_of_the_issue(
    data_dir: Path, clock: FrozenClock, day: date, capsys: pytest.CaptureFixture[str]
) -> None:
    save_settings(data_dir, Settings())
    store = open_store(data_dir / "sandbox" / "kpadmin.sqlite3", clock=clock, new_database=True)
    try:
        (a,) = store.subscribers.add_many([NewSubscriber("cu_a", "김민지", 9900, 1, day)])
        charge(store, a, "cu_a", ChargeState.PAID, kst(day, 8, 37), 9900, refunded=900)
    finally:
        store.close()
    code = cli.main(
        ["--data-dir", str(data_dir), "report", "--from", str(day), "--to", str(day), "--json"]
    )
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["days"] == [
        {
            "date": day.isoformat(),
            "paid_count": 1,
            "paid_amount": 9900,
            "refunded_amount": 900,
            "net_amount": 9000,
            "failed_count": 0,
        }
    ]
    assert out["total"] == {k: v for k, v in out["days"][0].items() if k != "date"}

    assert cli.main(["--data-dir", str(data_dir), "report", "--from", str(day)]) == 0
    text = capsys.readouterr().out
    assert day.isoformat() in text and "9,900" in text

    code = cli.main(
        ["--data-dir", str(data_dir), "report", "--from", str(day), "--to", str(day - timedelta(1))]
    )
    assert code == 2 and "before it starts" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["--data-dir", str(data_dir), "report", "--from", "2026.12.01"])


def test_the_ledger_query_is_dialect_neutral() -> None:
    """The ledger's SQL compiles for PostgreSQL as well (no SQLite function; the truth helper's
    PostgreSQL store runs the same statement)."""
    from sqlalchemy.dialects import postgresql, sqlite

    from kpadmin.store import ledger

    for dialect in (sqlite.dialect(), postgresql.dialect()):
        sql = str(ledger._LEDGER.compile(dialect=dialect)).lower()
        assert "coalesce(charges.paid_at, charges.updated_at)" in sql
        for sqlite_only in ("strftime", "julianday", "datetime(", "date(", "glob"):
            assert sqlite_only not in sql
        refunds = str(ledger._REFUNDS.compile(dialect=dialect)).lower()
        assert "refunds.refunded_at >=" in refunds
        for sqlite_only in ("strftime", "julianday", "datetime(", "date(", "glob"):
            assert sqlite_only not in refunds


def test_report_json_puts_a_later_refund_on_its_own_day(
    data_dir: Path, clock: FrozenClock, day: date, capsys: pytest.CaptureFixture[str]
) -> None:
    """Paid on `day`, refunded three days later (i'mport's cancelled_at): `report --json` shows
    the payment on its day and the refund on the refund's, and the payment's day did not move."""
    save_settings(data_dir, Settings())
    store = open_store(data_dir / "sandbox" / "kpadmin.sqlite3", clock=clock, new_database=True)
    later = day + timedelta(days=3)

    def report(start: date, end: date) -> dict[str, Any]:
        args = ["--data-dir", str(data_dir), "report", "--from", str(start), "--to", str(end)]
        assert cli.main([*args, "--json"]) == 0
        out: dict[str, Any] = json.loads(capsys.readouterr().out)
        return out

    try:
        (a,) = store.subscribers.add_many([NewSubscriber("cu_a", "김민지", 9900, 1, day)])
        charge(store, a, "cu_a", ChargeState.PAID, kst(day, 8, 37), 9900)
        closed = report(day, day)["days"]
        (row,) = store.charges.list_all()
        # 00:30 KST on `later` is the day before in UTC: the refund is `later`'s in Korea.
        entry = CancelEntry(2000, kst(later, 0, 30), "cancel-1", "고객 요청")
        store.charges.set_state(
            row.id,
            ChargeState.PAID,
            now=kst(later, 9),
            cancelled_amount=2000,
            refunds=RefundFacts(RefundSource.GATEWAY, (entry,)),
        )
    finally:
        store.close()
    assert report(day, day)["days"] == closed  # the closed day did not change
    out = report(day, later)
    days = {d["date"]: d for d in out["days"]}
    assert days[day.isoformat()]["refunded_amount"] == 0
    assert days[day.isoformat()]["net_amount"] == 9900
    assert days[later.isoformat()] == {
        "date": later.isoformat(),
        "paid_count": 0,
        "paid_amount": 0,
        "refunded_amount": 2000,
        "net_amount": -2000,
        "failed_count": 0,
    }
    assert out["total"]["refunded_amount"] == 2000 and out["total"]["net_amount"] == 7900
    assert sum(m["refunded_amount"] for m in out["months"]) == 2000
    assert sum(p["refunded_amount"] for p in out["plans"]) == 2000
