"""Disk full mid-batch: the first journal write that fails stops the sending (requests in flight
finish), what could not be written stays in doubt on disk, and the next run settles everything:
one paid payment per subscriber and period, the journal equal to the sandbox.

Two ways to fill the disk: an injected failure (the journal's transaction raises SQLite's "database
or disk is full" at COMMIT, everywhere) and a real tmpfs filled to the last block (root only).
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from kpadmin.billing.engine import ChargeEngine
from kpadmin.billing.gateway import Gateway
from kpadmin.store import ChargeRepository, DiskError, Store, open_store
from kpadmin.store.models import ChargeState
from tests.billing.sandboxed import (
    check_end_state,
    gateway_for,
    open_db,
    sandbox_paid,
    seed,
    settle,
)
from tests.clock import NOW, TODAY
from tests.fixtures.disk import SmallDisk, fill
from tests.fixtures.sandbox import RunningSandbox

pytestmark = pytest.mark.anyio

DUE = TODAY - timedelta(days=12)  # relative to the injected instant (tests/clock.py)


class Disk:
    """The injected disk: once `full`, every transaction of the store (the journal's, the
    engine's) fails at COMMIT, as SQLite fails them on a full disk."""

    def __init__(self, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
        self.full = False
        self.failures = 0
        self.sends_at_first_failure: int | None = None
        self.api: CountingApi | None = None
        self._real = store.transaction
        monkeypatch.setattr(store, "transaction", self.transaction)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._real():
            yield
            if self.full:
                self.failures += 1
                if self.sends_at_first_failure is None and self.api is not None:
                    self.sends_at_first_failure = self.api.started
                raise sqlite3.OperationalError("database or disk is full")


class CountingApi:
    """The real gateway (i'mport over HTTP), counting charge requests; fills the disk after the
    `fill_after`-th answer (mid-batch, with other requests in flight). Each answer takes at least
    `PACE_S`, as i'mport's do: the local sandbox answers in about a millisecond, and a fast client
    could then send the whole batch before the journal's next group write (every 50 ms) fails."""

    PACE_S = 0.02

    def __init__(self, gateway: Gateway, fill_after: int, on_fill: Any) -> None:
        self.gateway = gateway
        self.fill_after = fill_after
        self.on_fill = on_fill
        self.started = 0
        self.answered = 0

    async def charge_key(self, *args: Any, **kwargs: Any) -> Any:
        self.started += 1
        try:
            await asyncio.sleep(self.PACE_S)
            return await self.gateway.charge_key(*args, **kwargs)
        finally:
            self.answered += 1
            if self.answered == self.fill_after:
                self.on_fill()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.gateway, name)


def _assert_nothing_paid_is_lost(sandbox: RunningSandbox, conn: Store) -> None:
    """Before any reconciliation: every payment i'mport holds is recorded paid or still in doubt
    locally (never declined, never missing): the next run will find it."""
    local = {c.merchant_uid: c.state for c in ChargeRepository(conn).list_all()}
    for merchant_uid in sandbox_paid(sandbox):
        assert merchant_uid in local, merchant_uid
        assert local[merchant_uid] is ChargeState.PAID or local[merchant_uid].in_doubt


async def test_injected_disk_full_mid_batch_stops_sending_then_the_next_run_pays_each_once(
    sandbox: RunningSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_db(tmp_path)
    uids = seed(sandbox, db, 24, due=DUE)
    disk = Disk(db, monkeypatch)

    def fill_up() -> None:
        disk.full = True

    async with gateway_for(sandbox) as gateway:
        api = CountingApi(gateway, fill_after=5, on_fill=fill_up)
        disk.api = api
        engine = ChargeEngine(db, api, clock=lambda: NOW, retry_delays=(0.0,))
        result = await engine.run(engine.plan(None, None, "tester"), concurrency=3)
        # Stopped at the first failed write: nothing was sent after it, only what was in flight.
        assert disk.sends_at_first_failure is not None
        assert api.started == disk.sends_at_first_failure
        assert api.started < 24
        assert isinstance(result.journal_error, DiskError)
        assert result.error is not None and "no more charges were sent" in result.error
        assert not result.ok
        _assert_nothing_paid_is_lost(sandbox, db)
        assert len(sandbox_paid(sandbox)) == api.started  # the sandbox pays each one it gets

        # The disk has room again: a normal next run settles everything.
        disk.full = False
        await settle(ChargeEngine(db, gateway, clock=lambda: NOW, retry_delays=(0.0,)))
    check_end_state(sandbox, db, uids, f"{DUE:%Y-%m}")


async def test_injected_disk_full_before_the_intents_sends_nothing(
    sandbox: RunningSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_db(tmp_path)
    seed(sandbox, db, 3, due=DUE)
    disk = Disk(db, monkeypatch)
    disk.full = True  # from the first write on: the intents'
    async with gateway_for(sandbox) as gateway:
        engine = ChargeEngine(db, gateway, clock=lambda: NOW, retry_delays=(0.0,))
        with pytest.raises(DiskError, match="the disk is full"):
            await engine.run(engine.plan(None, None, "tester"), concurrency=2)
    assert sandbox_paid(sandbox) == {}
    assert ChargeRepository(db).list_all() == []


async def test_reconcile_on_a_full_disk_raises_instead_of_reporting(
    sandbox: RunningSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lookup result that cannot be written is an error, not a report of a settled journal."""
    db = open_db(tmp_path)
    (uid,) = seed(sandbox, db, 1, due=DUE)
    async with gateway_for(sandbox) as gateway:
        engine = ChargeEngine(db, gateway, clock=lambda: NOW, retry_delays=(0.0,))
        plan = engine.plan(None, None, "tester")
        intents, _ = engine._journal_intents(plan, "b-1", {})  # an intent left by a crash
        sandbox.state.pay_again(
            customer_uid=uid, merchant_uid=intents[0].row.order_id, amount=1000, name="x"
        )
        disk = Disk(db, monkeypatch)
        disk.full = True  # the reconciliation's journal write
        after_crash = ChargeEngine(db, gateway, clock=lambda: NOW, retry_delays=(0.0,))
        with pytest.raises(DiskError):
            await after_crash.reconcile(staff="tester")
        (charge,) = ChargeRepository(db).list_all()
        assert charge.state is ChargeState.PLANNED  # still in doubt: looked up again next time


async def test_a_real_full_disk_mid_batch_stops_sending_then_the_next_run_pays_each_once(
    sandbox: RunningSandbox, small_disk: SmallDisk
) -> None:
    where = small_disk(2048)
    db_file = where / "kp.sqlite3"
    db = open_store(db_file)
    uids = seed(sandbox, db, 24, due=DUE)
    fillers: list[Path] = []
    async with gateway_for(sandbox) as gateway:
        api = CountingApi(gateway, fill_after=5, on_fill=lambda: fillers.append(fill(where)))
        engine = ChargeEngine(db, api, clock=lambda: NOW, retry_delays=(0.0,))
        result = await engine.run(engine.plan(None, None, "tester"), concurrency=3)
        assert fillers, "the disk was never filled"
        assert isinstance(result.journal_error, DiskError)
        assert result.journal_error.kind == "full"
        assert api.started < 24  # stopped early: not everyone was sent
        _assert_nothing_paid_is_lost(sandbox, db)

        fillers[0].unlink()
        await settle(ChargeEngine(db, gateway, clock=lambda: NOW, retry_delays=(0.0,)))
    check_end_state(sandbox, db, uids, f"{DUE:%Y-%m}")
    db.close()
    open_store(db_file).close()  # the file came through intact (quick_check at open)
