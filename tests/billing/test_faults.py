"""Each sandbox fault kind at 20% (on charges and on lookups) gives the same end state as no
faults: one paid payment per subscriber and period, the local journal equal to the sandbox."""

from __future__ import annotations

import zlib
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from kpadmin.billing.engine import ChargeEngine
from kpadmin.store.models import ChargeState
from tests.billing.sandboxed import check_end_state, gateway_for, open_db, seed, settle
from tests.clock import NOW, TODAY
from tests.fixtures.sandbox import SandboxFactory

pytestmark = pytest.mark.anyio


class Counting(httpx.AsyncHTTPTransport):
    """Counts requests by name: getToken, again, findAll (any findAll path)."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: dict[str, int] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        parts = request.url.path.strip("/").split("/")
        name = "findAll" if "findAll" in parts else parts[-1]
        self.paths[name] = self.paths.get(name, 0) + 1
        return await super().handle_async_request(request)


DUE = TODAY - timedelta(days=15)  # relative to the injected instant (tests/clock.py)


@pytest.mark.parametrize(
    "kind", ["none", "error_before", "error_after", "drop_after", "delay_after"]
)
async def test_fault_kind_at_20_percent(
    kind: str, sandbox_factory: SandboxFactory, tmp_path: Path
) -> None:
    # A stable seed (str hashes change with PYTHONHASHSEED): the same dice on every run, so the
    # fault really fires and the test cannot pass or fail by luck.
    sandbox = sandbox_factory(seed=zlib.crc32(kind.encode()) % 1000)
    db = open_db(tmp_path)
    uids = seed(sandbox, db, 24, due=DUE)
    if kind != "none":
        sandbox.set_faults(
            **{kind: 0.2},
            delay_s=0.6,
            endpoints={"again", "payment_find_all"},
        )
    counting = Counting()
    async with gateway_for(sandbox, read_timeout=0.3, transport=counting) as gateway:
        engine = ChargeEngine(db, gateway, clock=lambda: NOW, retry_delays=(0.05, 0.1, 0.2))
        await settle(engine)
    check_end_state(sandbox, db, uids, f"{DUE:%Y-%m}")
    lookups = counting.paths.get("findAll", 0)
    # The faults really happened: lost answers were looked up (and only then).
    assert (lookups > 0) == (kind != "none"), counting.paths


async def test_token_expiry_mid_batch_costs_one_refresh(
    sandbox_factory: SandboxFactory, tmp_path: Path
) -> None:
    """The sandbox's clock jumps 31 minutes mid-batch: the token it issued is now expired (401).
    The client refreshes once and the batch carries on: every charge paid, nothing twice."""
    offset = [0.0]

    def sandbox_clock() -> datetime:
        return NOW + timedelta(seconds=offset[0])

    sandbox = sandbox_factory(seed=3, clock=sandbox_clock, latency_ms=5)
    db = open_db(tmp_path)
    uids = seed(sandbox, db, 30, due=DUE)
    counting = Counting()

    def on_event(event: object) -> None:
        progress = getattr(event, "progress", None)
        if progress is not None and progress.done == 10:
            offset[0] = 31 * 60  # every token issued so far is now expired

    async with gateway_for(sandbox, transport=counting) as gateway:
        engine = ChargeEngine(db, gateway, clock=lambda: NOW)
        result = await engine.run(engine.plan(None, None, "k"), concurrency=4, on_event=on_event)
    assert result.ok and result.progress.paid == 30
    assert counting.paths["getToken"] == 2  # the first token, and exactly one refresh
    # Requests sent with the expired token were refused (401) and sent once more: at most one
    # per worker, and at least one (the jump happened mid-batch). A worker's request is its
    # charge (again) or the ledger read before it (payments: one per new attempt).
    assert counting.paths["again"] >= 30 and counting.paths["payments"] >= 30
    assert 60 < counting.paths["again"] + counting.paths["payments"] <= 60 + 4
    check_end_state(sandbox, db, uids, f"{DUE:%Y-%m}")
    assert all(o.state is ChargeState.PAID for o in result.outcomes)
