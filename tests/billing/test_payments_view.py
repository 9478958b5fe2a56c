"""Payments across customers: states, filters, totals, CSV and Excel exports in Korean time."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest

from kpadmin.billing import payments_view as pv
from kpadmin.billing.payments_view import PaymentFilter, PaymentState
from kpadmin.store import NewSubscriber, Store
from kpadmin.store.models import ChargeState
from tests.billing.test_reports import charge, kst


@pytest.fixture
def store(any_store: Store, today: date) -> Store:
    """The same journal on SQLite and on PostgreSQL (tests/fixtures/stores.py)."""
    db = any_store
    day = today - timedelta(days=2)
    a, b, c = db.subscribers.add_many(
        [
            NewSubscriber("cu_a", "김민지", 9900, 1, day, plan="베이직", phone="010-1234-5678"),
            NewSubscriber(
                "cu_b", "=HYPERLINK(1)", 29000, 1, day, plan="프로", phone="010-2222-3333"
            ),
            NewSubscriber("cu_c", "박서준", 5000, 1, day, plan="베이직", phone="010-4444-5555"),
        ]
    )
    charge(db, a, "cu_a", ChargeState.PAID, kst(day, 8, 37), 9900)
    charge(db, b, "cu_b", ChargeState.PAID, kst(day, 9), 29000, refunded=29000)
    charge(db, c, "cu_c", ChargeState.PAID, kst(day, 10), 5000, refunded=1000)
    charge(db, a, "cu_a", ChargeState.DECLINED, kst(day, 11), 9900)
    charge(db, b, "cu_b", ChargeState.REJECTED, kst(day, 12), 29000)
    charge(db, c, "cu_c", ChargeState.UNKNOWN, kst(day, 13), 5000)
    return db


def test_states_fold_the_journal_and_filters_narrow(store: Store, today: date) -> None:
    day = today - timedelta(days=2)
    every = pv.payments(store, PaymentFilter(day, day))
    assert [pv.payment_state(x) for x in every] == [
        PaymentState.UNKNOWN,
        PaymentState.DECLINED,
        PaymentState.DECLINED,
        PaymentState.PARTLY_REFUNDED,
        PaymentState.REFUNDED,
        PaymentState.PAID,
    ]
    only = pv.payments(store, PaymentFilter(day, day, states=frozenset({PaymentState.DECLINED})))
    assert {x.key_id for x in only} == {"cu_a", "cu_b"}
    assert {x.key_id for x in pv.payments(store, PaymentFilter(day, day, plan="프로"))} == {"cu_b"}
    assert [x.name for x in pv.payments(store, PaymentFilter(day, day, search="민지"))] == [
        "김민지",
        "김민지",
    ]
    by_phone = pv.payments(store, PaymentFilter(day, day, search="4444 5555"))
    assert {x.key_id for x in by_phone} == {"cu_c"}
    assert pv.payments(store, PaymentFilter(day + timedelta(days=1), today)) == []
    t = pv.totals(every)
    assert (t.count, t.paid_count, t.paid_amount, t.refunded_amount, t.net_amount) == (
        6,
        3,
        43900,
        30000,
        13900,
    )
    assert (t.declined_count, t.unknown_count) == (2, 1)


def test_csv_and_xlsx_exports_carry_korean_times_and_defuse_formulas(
    store: Store, today: date, tmp_path: Path
) -> None:
    day = today - timedelta(days=2)
    lines = pv.payments(store, PaymentFilter(day, day))
    path = tmp_path / "p.csv"
    assert pv.write_csv(path, lines) == 6
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][0] == "time (KST)"
    times = {r[0] for r in rows[1:]}
    # 08:37 in Seoul is 23:37 UTC the day before: the export says 08:37 of the Korean day.
    assert f"{day.isoformat()} 08:37:00" in times
    assert "'=HYPERLINK(1)" in {r[2] for r in rows[1:]}
    assert path.stat().st_mode & 0o077 == 0

    from openpyxl import load_workbook

    xlsx = tmp_path / "p.xlsx"
    labels = {s: f"상태-{s.value}" for s in PaymentState}
    assert pv.write_xlsx(xlsx, lines, headers=["시각"] * 15, state_label=labels.__getitem__) == 6
    sheet = load_workbook(xlsx).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "시각"
    assert f"{day.isoformat()} 08:37:00" in {r[0] for r in values[1:]}
    assert "상태-refunded" in {r[1] for r in values[1:]}
    names = {r[2] for r in values[1:]}
    assert "'=HYPERLINK(1)" in names
    paid = [r[7] for r in values[1:] if r[1] == "상태-paid"]
    assert paid == [9900]  # a number, not text
