"""Shared set-up for engine tests against an in-process sandbox over real HTTP, through the
gateway port (`kpadmin.iamport.gateway.IamportGateway` over a real `IamportClient`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

import httpx

from kpadmin.billing.engine import ChargeEngine
from kpadmin.iamport.client import Timeouts
from kpadmin.iamport.gateway import IamportGateway, open_gateway
from kpadmin.store import ChargeRepository, NewSubscriber, Store, SubscriberRepository, open_store
from kpadmin.store.models import ChargeState
from tests.fixtures.sandbox import RunningSandbox
from tests.sql import sql


def seed(sandbox: RunningSandbox, db: Store, n: int, *, due: date, prefix: str = "cu") -> list[str]:
    uids = [f"{prefix}-{i:04d}" for i in range(n)]
    for uid in uids:
        sandbox.state.issue_billing_key(uid, card_name="신한카드")
    SubscriberRepository(db).add_many(
        NewSubscriber(uid, f"구독자{i}", 1000 + i, due.day, due) for i, uid in enumerate(uids)
    )
    return uids


@asynccontextmanager
async def gateway_for(
    sandbox: RunningSandbox,
    *,
    read_timeout: float = 5.0,
    transport: httpx.AsyncBaseTransport | None = None,
) -> AsyncIterator[IamportGateway]:
    """The port over a real client talking to ``sandbox`` (``transport``: a fault injector)."""
    timeouts = Timeouts(connect=2.0, read=read_timeout, write=5.0, pool=30.0)
    async with open_gateway(
        sandbox.base_url,
        sandbox.imp_key,
        sandbox.imp_secret,
        timeouts=timeouts,
        transport=transport,
        retry_backoff_s=0.05,
    ) as gateway:
        yield gateway


def sandbox_paid(sandbox: RunningSandbox) -> Counter[str]:
    """merchant_uid -> paid payments at the sandbox."""
    return Counter(p["merchant_uid"] for p in sandbox.state.all_payments() if p["status"] == "paid")


def check_end_state(sandbox: RunningSandbox, db: Store, uids: list[str], period: str) -> None:
    """Exactly one paid payment per subscriber, for `period`; local paid set == the sandbox's;
    nothing in doubt; the database intact."""
    remote = sandbox_paid(sandbox)
    charges = ChargeRepository(db).list_all()
    assert [c for c in charges if c.state.in_doubt] == []
    local_paid = {c.merchant_uid for c in charges if c.state is ChargeState.PAID}
    assert local_paid == set(remote)
    assert set(remote.values()) <= {1}
    owners = Counter((c.customer_uid, c.period) for c in charges if c.state is ChargeState.PAID)
    assert sorted(owners) == sorted((uid, period) for uid in uids)
    assert set(owners.values()) == {1}
    assert sql(db, "PRAGMA integrity_check") == [("ok",)]


async def settle(engine: ChargeEngine, *, rounds: int = 12, concurrency: int = 4) -> int:
    """Reconcile and run batches until nothing is due or in doubt; returns the rounds used."""
    for used in range(1, rounds + 1):
        report = await engine.reconcile(concurrency=concurrency)
        plan = engine.plan(None, None, "tester")
        if plan.count == 0 and report.unknown == 0 and not engine.charges.in_doubt():
            return used
        if plan.count:
            await engine.run(plan, concurrency=concurrency)
    raise AssertionError("the engine did not settle")


def open_db(tmp_path: Path) -> Store:
    return open_store(tmp_path / "kp.sqlite3")
