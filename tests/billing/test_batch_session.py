"""billing's one batch session (`kpadmin.billing.batch.BatchSession`), used by the GUI and
`charge-due`: reconcile (only when something is in doubt) → plan → minus the declines that
reconciliation found → run. On the port fake, without Qt."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from kpadmin.billing.batch import BatchSession
from kpadmin.billing.due import SkipReason
from kpadmin.billing.engine import ChargeEngine
from kpadmin.billing.order_ids import order_id_for
from kpadmin.store import ChargeRepository, NewCharge, NewSubscriber, Store
from kpadmin.store.models import ChargeState
from tests.billing.fakes import FakeGateway
from tests.billing.sandboxed import open_db
from tests.clock import NOW, TODAY

pytestmark = pytest.mark.anyio

DUE = TODAY - timedelta(days=3)
PERIOD = f"{DUE:%Y-%m}"


def seed(db: Store, n: int) -> list[int]:
    return db.subscribers.add_many(
        NewSubscriber(f"cu-{i}", f"고객{i}", 1_000 + i, DUE.day, DUE) for i in range(n)
    )


def session(db: Store, gateway: FakeGateway) -> BatchSession:
    engine = ChargeEngine(db, gateway, clock=lambda: NOW, retry_delays=(0.0,), lookup_tries=1)
    return BatchSession(engine, staff="김직원")


async def test_nothing_in_doubt_plans_without_a_lookup(tmp_path: Path) -> None:
    db = open_db(tmp_path)
    seed(db, 3)
    gateway = FakeGateway()
    prepared = await session(db, gateway).prepare()
    assert not prepared.reconciled and gateway.lookups == []
    assert prepared.plan.count == 3 and prepared.mismatches == ()
    result = await session(db, gateway).run(prepared.plan, concurrency=2, rps=None)
    assert result.ok and result.progress.paid == 3


async def test_a_decline_reconcile_found_is_skipped_not_retried(tmp_path: Path) -> None:
    db = open_db(tmp_path)
    first, second = seed(db, 2)
    # A crash left attempt 1 of the first subscriber planned; i'mport declined it meanwhile.
    order_id = order_id_for("cu-0", PERIOD, 1)
    with db.transaction():
        ChargeRepository(db).insert(
            NewCharge(first, "cu-0", PERIOD, 1, order_id, 1_000), batch_id=None, staff=""
        )
    gateway = FakeGateway()
    gateway.add_payment(order_id, "cu-0", 1_000, "failed")
    prepared = await session(db, gateway).prepare()
    assert prepared.reconciled and gateway.lookups == [order_id]
    assert [i.subscriber_id for i in prepared.plan.items] == [second]
    (skip,) = [s for s in prepared.plan.skipped if s.subscriber_id == first]
    assert skip.reason is SkipReason.DECLINED_THIS_RUN
    result = await session(db, gateway).run(prepared.plan, concurrency=1, rps=None)
    assert [o.subscriber_id for o in result.outcomes] == [second]
    states = [(c.subscriber_id, c.attempt, c.state) for c in ChargeRepository(db).list_all()]
    assert (first, 1, ChargeState.DECLINED) in states
    assert not any(sid == first and attempt == 2 for sid, attempt, _ in states)


async def test_a_mismatch_reconcile_found_is_named(tmp_path: Path) -> None:
    db = open_db(tmp_path)
    (sid,) = seed(db, 1)
    order_id = order_id_for("cu-0", PERIOD, 1)
    with db.transaction():
        ChargeRepository(db).insert(
            NewCharge(sid, "cu-0", PERIOD, 1, order_id, 1_000), batch_id=None, staff=""
        )
    gateway = FakeGateway()
    gateway.add_payment(order_id, "cu-0", 1_500, "paid")  # paid, for another amount
    prepared = await session(db, gateway).prepare([sid])
    (mismatch,) = prepared.mismatches
    assert (mismatch.asked, mismatch.paid, mismatch.order_id) == (1_000, 1_500, order_id)
    assert prepared.plan.count == 0  # paid for the period
