"""The `Store` interface itself: transactions (the write lock up front, nesting joins, all or
nothing, typed errors), `run()` on the store's own thread, change events, the batch lock across
processes, closing."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kpadmin.store import (
    BatchBusy,
    Change,
    ChangeKind,
    DatabaseBusy,
    NewCharge,
    NewSubscriber,
    Store,
    StoreClosed,
    open_store,
)
from kpadmin.store.models import ChargeState
from tests.audit_text import text
from tests.billing.helpers import REPO_ROOT, child_env
from tests.sql import sql


@pytest.fixture
def store(any_store: Store) -> Store:
    """On SQLite and on PostgreSQL (tests/fixtures/stores.py)."""
    return any_store


def _new(uid: str = "c1") -> NewSubscriber:
    return NewSubscriber(uid, "홍길동", 9900, 15, date(2026, 11, 15))


def _other(store: Store) -> sqlite3.Connection:
    """Another connection to the file, like another kpadmin process."""
    assert store.path is not None
    return sqlite3.connect(store.path, timeout=0.05, isolation_level=None)


# -- transactions --------------------------------------------------------------------------------


def test_a_transaction_takes_the_write_lock_before_its_first_statement(
    store: Store, sqlite_only: None
) -> None:
    other = _other(store)
    with store.transaction():
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")  # another writer cannot get in, even now
        store.subscribers.add(_new())
    other.execute("BEGIN IMMEDIATE")  # free again after the COMMIT
    other.execute("ROLLBACK")
    other.close()


def _reader(store: Store, target: str) -> Any:
    """Another connection, like another desk: sqlite3 on the file, psycopg on the server."""
    if store.path is not None:
        return _other(store)
    import psycopg

    return psycopg.connect(target, autocommit=True)


def test_nested_transactions_join_the_outer_one(store: Store, store_target: str) -> None:
    other = _reader(store, store_target)
    with pytest.raises(RuntimeError), store.transaction():
        with store.transaction():  # joins: no COMMIT of its own
            store.subscribers.add(_new("inner"))
        assert other.execute("SELECT count(*) FROM subscribers").fetchone()[0] == 0
        store.subscribers.add(_new("outer"))
        raise RuntimeError("the outer block fails")
    assert store.subscribers.count() == 0  # all or nothing, the inner write too
    with store.transaction():
        with store.transaction():
            store.subscribers.add(_new("inner"))
        store.subscribers.add(_new("outer"))
    assert other.execute("SELECT count(*) FROM subscribers").fetchone()[0] == 2
    other.close()


def test_a_writer_held_past_the_busy_timeout_is_database_busy(
    store: Store, sqlite_only: None
) -> None:
    sql(store, "PRAGMA busy_timeout = 50")
    other = _other(store)
    other.execute("BEGIN IMMEDIATE")
    with pytest.raises(DatabaseBusy) as busy:
        store.subscribers.add(_new())
    assert isinstance(busy.value.__cause__, sqlite3.OperationalError)
    other.execute("ROLLBACK")
    other.close()
    assert store.subscribers.count() == 0
    store.subscribers.add(_new())  # and the store goes on
    assert store.subscribers.count() == 1


# -- change events -------------------------------------------------------------------------------


def test_changes_arrive_after_the_commit_once_per_kind_and_never_for_a_rollback(
    store: Store,
) -> None:
    heard: list[Change] = []
    subscription = store.on_change(heard.append)
    sid = store.subscribers.add(_new()).id
    assert heard == [Change(ChangeKind.SUBSCRIBERS, (sid,))]
    heard.clear()
    with store.transaction():
        cid = store.charges.insert(
            NewCharge(sid, "c1", "2026-11", 1, "m-1", 9900), batch_id=None, staff="k"
        )
        store.audit.record("k", "charge", text("planned"), subscriber_id=sid)
        store.audit.record("k", "settings", text("a line about no one"))
        assert heard == []  # nothing before the COMMIT
    assert heard == [Change(ChangeKind.AUDIT, (sid,)), Change(ChangeKind.CHARGES, (sid,))]
    heard.clear()
    with pytest.raises(RuntimeError), store.transaction():
        store.charges.set_state(cid, ChargeState.PAID)
        raise RuntimeError("rolled back")
    assert heard == []
    subscription.close()
    store.subscribers.add(_new("c2"))
    assert heard == []


def test_a_failing_listener_neither_undoes_the_write_nor_silences_the_others(
    store: Store,
) -> None:
    heard: list[Change] = []

    def broken(change: Change) -> None:
        raise ValueError("a display bug")

    store.on_change(broken)
    store.on_change(heard.append)
    sid = store.subscribers.add(_new()).id
    assert heard == [Change(ChangeKind.SUBSCRIBERS, (sid,))]
    assert store.subscribers.get(sid) is not None


# -- the worker thread ---------------------------------------------------------------------------


def test_run_writes_on_the_store_thread_and_delivers_changes_on_the_callers(store: Store) -> None:
    caller = threading.get_ident()
    heard: list[tuple[Change, int]] = []
    store.on_change(lambda change: heard.append((change, threading.get_ident())))
    seen: dict[str, object] = {}

    def write() -> int:
        seen["thread"] = threading.current_thread().name
        seen["connection"] = store._connection()
        return store.subscribers.add(_new()).id

    sid = asyncio.run(store.run(write))
    assert str(seen["thread"]).startswith("kpadmin-store")
    assert seen["connection"] is not store._connection()  # the worker's own connection
    assert heard == [(Change(ChangeKind.SUBSCRIBERS, (sid,)), caller)]

    def fail() -> None:
        store.subscribers.add(_new("c2"))
        raise LookupError("after a committed write")

    with pytest.raises(LookupError):
        asyncio.run(store.run(fail))
    assert store.subscribers.get_by_uid("c2") is not None


def test_a_cancelled_caller_waits_for_its_write_to_finish(store: Store) -> None:
    started = threading.Event()

    def slow_write() -> None:
        with store.transaction():
            store.subscribers.add(_new())
            started.set()
            time.sleep(0.3)

    async def main() -> None:
        task = asyncio.create_task(store.run(slow_write))
        await asyncio.to_thread(started.wait)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # The cancellation took effect only once the write was done: committed, nothing after.
        assert store.subscribers.count() == 1

    asyncio.run(main())


def test_submit_queues_writes_in_order(store: Store) -> None:
    jobs = [store.submit(store.subscribers.add, _new(f"c{i}")) for i in range(5)]
    ids = [job.wait().id for job in jobs]
    assert ids == sorted(ids)
    assert all(job.done() for job in jobs)


# -- the batch lock ------------------------------------------------------------------------------

HOLDER = r"""
import sys, time
from kpadmin.store import open_store
store = open_store(sys.argv[1])
with store.batch_lock("김지원 on DESK-2 (process 4242)"):
    print("held", flush=True)
    time.sleep(120)
"""


def test_the_batch_lock_holds_across_processes_names_its_holder_and_dies_with_it(
    store: Store, store_target: str
) -> None:
    """SQLite: an OS file lock; PostgreSQL: an advisory lock (the holder's words in its
    session's application_name). Both die with the holder's process."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, store_target],
        cwd=REPO_ROOT,
        env=child_env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        with pytest.raises(BatchBusy) as busy, store.batch_lock("민지 on DESK-1"):
            pass
        assert busy.value.holder == "김지원 on DESK-2 (process 4242)"
    finally:
        os.kill(child.pid, signal.SIGKILL)  # a crash: the OS lets the lock go
        child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()
    with store.batch_lock("민지 on DESK-1"):
        # A second holder in the same process is refused too (another store on the file).
        other = open_store(store_target)
        with pytest.raises(BatchBusy) as busy, other.batch_lock("second"):
            pass
        assert busy.value.holder == "민지 on DESK-1"
        other.close()
    with store.batch_lock("again"):  # released at the end of the block
        pass


# -- closing -------------------------------------------------------------------------------------


def test_close_is_idempotent_and_a_closed_store_says_so(tmp_path: Path) -> None:
    store = open_store(tmp_path / "kp.sqlite3")
    asyncio.run(store.run(store.subscribers.add, _new()))  # the worker has a connection too
    store.close()
    store.close()
    assert store.closed
    with pytest.raises(StoreClosed):
        store.subscribers.count()
    with pytest.raises(StoreClosed):
        asyncio.run(store.run(store.subscribers.count))
    reopened = open_store(tmp_path / "kp.sqlite3")
    assert reopened.subscribers.count() == 1
    reopened.close()
