"""open_store: durability pragmas, owner-only files, versioned schema, the invariants the schema
itself enforces (whatever the code above it does)."""

from __future__ import annotations

import sqlite3
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kpadmin.store import (
    InvariantViolated,
    NewCharge,
    NewSubscriber,
    SchemaTooNew,
    Store,
    open_store,
)
from kpadmin.store.migrations import SCHEMA_VERSION
from kpadmin.store.models import ChargeState
from tests.audit_text import text


def _db(tmp_path: Path) -> Store:
    return open_store(tmp_path / "kp.sqlite3")


def _subscriber(store: Store, uid: str = "c1") -> int:
    return store.subscribers.add(NewSubscriber(uid, "홍길동", 9900, 15, date(2026, 11, 15))).id


def _charge(sid: int, period: str = "2026-11", attempt: int = 1) -> NewCharge:
    return NewCharge(sid, "c1", period, attempt, f"m-{sid}-{period}-{attempt}", 9900)


def _pragma(path: Path, name: str) -> object:
    raw = sqlite3.connect(path)
    try:
        return raw.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        raw.close()


def test_pragmas_and_owner_only_files(tmp_path: Path) -> None:
    store = _db(tmp_path)
    # Each connection of the store (this thread's, the worker's) runs with the durability pragmas.
    conn = store._connection().connection.dbapi_connection
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    _subscriber(store)
    files = [p for p in tmp_path.iterdir() if p.name.startswith("kp.sqlite3")]
    assert {p.name for p in files} >= {"kp.sqlite3", "kp.sqlite3-wal", "kp.sqlite3-shm"}
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    store.close()


def test_schema_versions_are_kept_and_a_newer_one_is_refused(tmp_path: Path) -> None:
    store = _db(tmp_path)
    _subscriber(store)
    store.close()
    assert _pragma(tmp_path / "kp.sqlite3", "user_version") == SCHEMA_VERSION
    again = _db(tmp_path)  # re-opening applies nothing and keeps the data
    assert again.subscribers.count() == 1
    again.close()
    raw = sqlite3.connect(tmp_path / "kp.sqlite3")
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(SchemaTooNew):
        _db(tmp_path)


def test_transaction_rolls_back_on_error(any_store: Store) -> None:
    store = any_store
    sid = _subscriber(store)
    with pytest.raises(RuntimeError), store.transaction():
        store.charges.insert(_charge(sid), batch_id=None, staff="kim")
        raise RuntimeError("boom")
    assert store.charges.list_all() == []


def test_two_paid_charges_for_one_period_are_impossible(any_store: Store, now: datetime) -> None:
    store = any_store
    sid = _subscriber(store)
    charges = store.charges
    first = charges.insert(_charge(sid, attempt=1), batch_id=None, staff="kim")
    charges.set_state(first, ChargeState.PAID, paid_at=now)
    second = charges.insert(_charge(sid, attempt=2), batch_id=None, staff="kim")
    with pytest.raises(InvariantViolated):
        charges.set_state(second, ChargeState.PAID)
    # … but another period is fine.
    charges.set_state(second, ChargeState.DECLINED)
    third = charges.insert(_charge(sid, "2026-12"), batch_id=None, staff="kim")
    charges.set_state(third, ChargeState.PAID)


def test_one_open_row_per_subscriber(any_store: Store) -> None:
    store = any_store
    sid = _subscriber(store)
    charges = store.charges
    first = charges.insert(_charge(sid, attempt=1), batch_id=None, staff="kim")
    charges.set_state(first, ChargeState.UNKNOWN)
    with pytest.raises(InvariantViolated):
        charges.insert(_charge(sid, attempt=2), batch_id=None, staff="kim")
    with pytest.raises(InvariantViolated):
        charges.insert(_charge(sid, "2026-12"), batch_id=None, staff="kim")


def test_paid_is_final_and_merchant_uid_unique(any_store: Store) -> None:
    store = any_store
    sid = _subscriber(store)
    charges = store.charges
    cid = charges.insert(_charge(sid), batch_id=None, staff="kim")
    charges.set_state(cid, ChargeState.PAID)
    with pytest.raises(InvariantViolated, match="paid charge cannot change") as refused:
        charges.set_state(cid, ChargeState.UNKNOWN)
    # The database itself said no (sqlite3's IntegrityError, PostgreSQL's check_violation).
    cause = refused.value.__cause__
    assert isinstance(cause, sqlite3.IntegrityError) or type(cause).__module__ == "psycopg.errors"
    dup = NewCharge(sid, "c1", "2026-12", 1, _charge(sid).merchant_uid, 9900)
    with pytest.raises(InvariantViolated):
        charges.insert(dup, batch_id=None, staff="kim")
    bad_period = NewCharge(sid, "c1", "2026-1x", 1, "m-bad-period", 9900)
    with pytest.raises(InvariantViolated):
        charges.insert(bad_period, batch_id=None, staff="kim")


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
def test_absurd_subscribers_are_refused(any_store: Store, bad: dict[str, object]) -> None:
    store = any_store
    fields: dict[str, object] = {
        "customer_uid": "c1",
        "name": "n",
        "amount": 1000,
        "billing_day": 1,
        "next_charge_date": date(2026, 1, 1),
    } | bad
    with pytest.raises(InvariantViolated):
        store.subscribers.add(NewSubscriber(**fields))  # type: ignore[arg-type]
    assert store.subscribers.count() == 0


def test_audit_roundtrip(any_store: Store) -> None:
    store = any_store
    sid = _subscriber(store)
    audit = store.audit
    audit.record("kim", "charge", text("paid ₩9,900"), subscriber_id=sid)
    audit.record("lee", "settings", text("concurrency 8"))
    events = audit.list()
    assert [(e.staff, e.action) for e in events] == [("lee", "settings"), ("kim", "charge")]
    assert audit.list(subscriber_id=sid)[0].detail == "paid ₩9,900"
    assert events[0].at.tzinfo is not None


def test_instants_and_days_are_stored_as_the_first_kpadmin_wrote_them(
    tmp_path: Path, now: datetime
) -> None:
    """ISO 8601 UTC text and YYYY-MM-DD: files stay readable by older tools and text order is
    time order."""
    store = _db(tmp_path)
    sid = store.subscribers.add(NewSubscriber("c1", "n", 1000, 5, date(2026, 11, 5)), now=now).id
    store.close()
    raw = sqlite3.connect(tmp_path / "kp.sqlite3")
    created, day = raw.execute(
        "SELECT created_at, next_charge_date FROM subscribers WHERE id = ?", (sid,)
    ).fetchone()
    raw.close()
    assert created == now.astimezone(UTC).isoformat() and created.endswith("+00:00")
    assert day == "2026-11-05"
