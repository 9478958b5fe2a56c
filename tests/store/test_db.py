"""open_database: durability pragmas, owner-only files, versioned migrations, schema invariants."""

from __future__ import annotations

import sqlite3
import stat
from datetime import date, datetime
from pathlib import Path

import pytest

from kpadmin.store import (
    AuditRepository,
    ChargeRepository,
    NewCharge,
    NewSubscriber,
    SubscriberRepository,
    open_database,
    transaction,
)
from kpadmin.store.db import SCHEMA_VERSION, SchemaTooNew
from kpadmin.store.models import ChargeState


def _db(tmp_path: Path) -> sqlite3.Connection:
    return open_database(tmp_path / "kp.sqlite3")


def _subscriber(conn: sqlite3.Connection, uid: str = "c1") -> int:
    return (
        SubscriberRepository(conn)
        .add(NewSubscriber(uid, "홍길동", 9900, 15, date(2026, 11, 15)))
        .id
    )


def _charge(sid: int, period: str = "2026-11", attempt: int = 1) -> NewCharge:
    return NewCharge(sid, "c1", period, attempt, f"m-{sid}-{period}-{attempt}", 9900)


def test_pragmas_and_owner_only_files(tmp_path: Path) -> None:
    conn = _db(tmp_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    _subscriber(conn)
    files = [p for p in tmp_path.iterdir() if p.name.startswith("kp.sqlite3")]
    assert {p.name for p in files} >= {"kp.sqlite3", "kp.sqlite3-wal", "kp.sqlite3-shm"}
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_migrations_are_versioned_and_idempotent(tmp_path: Path) -> None:
    conn = _db(tmp_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    _subscriber(conn)
    conn.close()
    again = _db(tmp_path)  # re-opening applies nothing and keeps the data
    assert SubscriberRepository(again).count() == 1
    again.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    again.close()
    with pytest.raises(SchemaTooNew):
        _db(tmp_path)


def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    conn = _db(tmp_path)
    sid = _subscriber(conn)
    charges = ChargeRepository(conn)
    with pytest.raises(RuntimeError), transaction(conn):
        charges.insert(_charge(sid), batch_id=None, staff="kim")
        raise RuntimeError("boom")
    assert charges.list_all() == []


def test_two_paid_charges_for_one_period_are_impossible(tmp_path: Path, now: datetime) -> None:
    conn = _db(tmp_path)
    sid = _subscriber(conn)
    charges = ChargeRepository(conn)
    first = charges.insert(_charge(sid, attempt=1), batch_id=None, staff="kim")
    charges.set_state(first, ChargeState.PAID, paid_at=now)
    second = charges.insert(_charge(sid, attempt=2), batch_id=None, staff="kim")
    with pytest.raises(sqlite3.IntegrityError):
        charges.set_state(second, ChargeState.PAID)
    # … but another period is fine.
    charges.set_state(second, ChargeState.DECLINED)
    third = charges.insert(_charge(sid, "2026-12"), batch_id=None, staff="kim")
    charges.set_state(third, ChargeState.PAID)


def test_one_open_row_per_subscriber(tmp_path: Path) -> None:
    conn = _db(tmp_path)
    sid = _subscriber(conn)
    charges = ChargeRepository(conn)
    first = charges.insert(_charge(sid, attempt=1), batch_id=None, staff="kim")
    charges.set_state(first, ChargeState.UNKNOWN)
    with pytest.raises(sqlite3.IntegrityError):
        charges.insert(_charge(sid, attempt=2), batch_id=None, staff="kim")
    with pytest.raises(sqlite3.IntegrityError):
        charges.insert(_charge(sid, "2026-12"), batch_id=None, staff="kim")


def test_paid_is_final_and_merchant_uid_unique(tmp_path: Path) -> None:
    conn = _db(tmp_path)
    sid = _subscriber(conn)
    charges = ChargeRepository(conn)
    cid = charges.insert(_charge(sid), batch_id=None, staff="kim")
    charges.set_state(cid, ChargeState.PAID)
    with pytest.raises(sqlite3.IntegrityError, match="paid charge cannot change"):
        charges.set_state(cid, ChargeState.UNKNOWN)
    dup = NewCharge(sid, "c1", "2026-12", 1, _charge(sid).merchant_uid, 9900)
    with pytest.raises(sqlite3.IntegrityError):
        charges.insert(dup, batch_id=None, staff="kim")


@pytest.mark.parametrize(
    "bad",
    [
        {"amount": 0},
        {"amount": -5},
        {"billing_day": 0},
        {"billing_day": 32},
        {"customer_uid": ""},
        {"customer_uid": "x" * 81},
    ],
)
def test_absurd_subscribers_are_refused(tmp_path: Path, bad: dict[str, object]) -> None:
    conn = _db(tmp_path)
    fields: dict[str, object] = {
        "customer_uid": "c1",
        "name": "n",
        "amount": 1000,
        "billing_day": 1,
        "next_charge_date": date(2026, 1, 1),
    } | bad
    with pytest.raises(sqlite3.IntegrityError):
        SubscriberRepository(conn).add(NewSubscriber(**fields))  # type: ignore[arg-type]
    assert SubscriberRepository(conn).count() == 0


def test_audit_roundtrip(tmp_path: Path) -> None:
    conn = _db(tmp_path)
    sid = _subscriber(conn)
    audit = AuditRepository(conn)
    audit.record("kim", "charge", "paid ₩9,900", subscriber_id=sid)
    audit.record("lee", "settings", "concurrency 8")
    events = audit.list()
    assert [(e.staff, e.action) for e in events] == [("lee", "settings"), ("kim", "charge")]
    assert audit.list(subscriber_id=sid)[0].detail == "paid ₩9,900"
    assert events[0].at.tzinfo is not None
