"""Deterministic crash points: a child process runs the engine against the in-process sandbox (over
HTTP) and dies with ``os._exit`` — no clean-up, no flush, like SIGKILL — exactly at one of the
narrow windows the random kills of `test_crash_safety.py` hit only by chance:

* ``before_send``: the intents are committed, the first request has not left;
* ``after_paid``: i'mport processed (paid) the first charge, its answer is in hand, nothing written;
* ``lost_then_paid``: the answer was lost, the lookup found it paid, nothing written;
* ``mid_flush``: inside the transaction writing a group of results, after the first row;
* ``after_resend``: a request lost before i'mport saw it, the lookup found nothing, the same
  merchant_uid was sent again and paid, nothing written.

Then the database is reopened and settled; the sandbox must hold exactly one paid payment per
subscriber and period, equal to the local paid set, nothing in doubt, integrity ok.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from kpadmin.billing.engine import ChargeEngine
from kpadmin.billing.order_ids import order_id_for
from kpadmin.store import ChargeRepository, SubscriberRepository, open_store
from kpadmin.store.models import ChargeState, SubscriberState
from tests.billing.helpers import REPO_ROOT, child_env
from tests.billing.sandboxed import (
    check_end_state,
    gateway_for,
    open_db,
    sandbox_paid,
    seed,
    settle,
)
from tests.clock import NOW, TODAY
from tests.fixtures.sandbox import RunningSandbox

pytestmark = pytest.mark.anyio

DUE = TODAY - timedelta(days=12)  # relative to the injected instant (tests/clock.py)
PERIOD = f"{DUE:%Y-%m}"
CRASHED = 86

CHILD = r"""
import asyncio, os, sys
from datetime import UTC, datetime
from kpadmin.billing import journal as journal_mod
from kpadmin.billing.engine import ChargeEngine
from kpadmin.billing.order_ids import order_id_for
from kpadmin.billing.gateway import OutcomeUnknown, PaymentStatus
from kpadmin.iamport.gateway import open_gateway
from kpadmin.store import ChargeRepository, SubscriberRepository, open_store
from kpadmin.store.models import ChargeState, SubscriberState

db_path, base_url, key, secret, point = sys.argv[1:6]
NOW = datetime.fromisoformat(os.environ["KPADMIN_NOW"])  # the tests' instant (child_env)

def die():
    os._exit(86)

class Api:  # the real gateway (i'mport over HTTP) with a crash point
    def __init__(self, gateway):
        self.gateway = gateway
        self.sent = 0
        self.lost = False
        self.first = None

    async def charge_key(self, customer_uid, merchant_uid, amount, name):
        self.sent += 1
        mine = self.sent  # self.sent moves on while this request is in flight
        if point == "before_send":
            die()
        if point == "after_resend" and mine == 1:
            self.first = merchant_uid
            raise OutcomeUnknown("request lost before i'mport saw it (simulated)")
        payment = await self.gateway.charge_key(customer_uid, merchant_uid, amount, name)
        resent = mine > 1 and merchant_uid == self.first
        if point == "after_paid" or (point == "after_resend" and resent):
            die()
        if point == "lost_then_paid" and not self.lost:
            self.lost = True
            raise OutcomeUnknown("answer lost (simulated)")
        return payment

    async def payments_for_order(self, merchant_uid):
        found = await self.gateway.payments_for_order(merchant_uid)
        paid = [p for p in found if p.status is PaymentStatus.PAID]
        if point == "lost_then_paid" and paid:
            die()
        return found

    def __getattr__(self, name):
        return getattr(self.gateway, name)

if point == "mid_flush":
    original = journal_mod.Journal._apply_all
    def _apply_all(self, writes, now):
        done = original(self, writes, now)
        if sum(w.state.value == "paid" for w in done) >= 2:
            die()  # inside the group's transaction: its paid rows written, not committed
        return done
    journal_mod.Journal._apply_all = _apply_all

async def main():
    conn = open_store(db_path)
    async with open_gateway(base_url, key, secret) as gateway:
        engine = ChargeEngine(conn, Api(gateway), clock=lambda: NOW, retry_delays=(0.0,),
                              flush_interval=5.0)
        await engine.run(engine.plan(None, None, "crash"), concurrency=3)
    sys.exit(0)

asyncio.run(main())
"""


@pytest.mark.parametrize(
    "point", ["before_send", "after_paid", "lost_then_paid", "mid_flush", "after_resend"]
)
async def test_crash_at_a_narrow_window_loses_nothing_and_pays_once(
    sandbox: RunningSandbox, tmp_path: Path, point: str
) -> None:
    db = open_db(tmp_path)
    uids = seed(sandbox, db, 3, due=DUE)
    db.close()
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            str(tmp_path / "kp.sqlite3"),
            sandbox.base_url,
            sandbox.imp_key,
            sandbox.imp_secret,
            point,
        ],
        cwd=REPO_ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert child.returncode == CRASHED, child.stderr
    conn = open_store(tmp_path / "kp.sqlite3")
    # The crash really hit its window: money moved (except before the first send) that the
    # journal does not show as paid, and rows are left in doubt.
    local = {c.merchant_uid: c.state for c in ChargeRepository(conn).list_all()}
    assert sorted(local.values()) == [ChargeState.PLANNED] * 3
    unrecorded = set(sandbox_paid(sandbox))
    assert (len(unrecorded) == 0) == (point == "before_send")
    async with gateway_for(sandbox) as gateway:
        engine = ChargeEngine(conn, gateway, clock=lambda: NOW, retry_delays=(0.0,))
        await settle(engine)
    check_end_state(sandbox, conn, uids, PERIOD)


def run_child(sandbox: RunningSandbox, db_file: Path, point: str) -> None:
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            str(db_file),
            sandbox.base_url,
            sandbox.imp_key,
            sandbox.imp_secret,
            point,
        ],
        cwd=REPO_ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert child.returncode == CRASHED, child.stderr


async def test_an_old_intent_resent_then_crashed_is_not_withdrawn_while_it_may_land(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """An intent written an hour ago is sent again; the process dies with the request on its way.
    Staff then pauses the subscriber. The quiet period that lets reconcile withdraw a never-seen
    intent of a paused subscriber must count from that last send, not from when it was written:
    the request may still land at i'mport."""
    from kpadmin.store.charges import NewCharge

    db = open_db(tmp_path)
    (uid,) = seed(sandbox, db, 1, due=DUE)
    sub = SubscriberRepository(db).get_by_uid(uid)
    assert sub is not None
    merchant_uid = order_id_for(uid, PERIOD, 1)
    with db.transaction():
        ChargeRepository(db).insert(
            NewCharge(sub.id, uid, PERIOD, 1, merchant_uid, sub.amount),
            batch_id="earlier",
            staff="",
            now=NOW - timedelta(hours=1),
        )
    db.close()
    run_child(sandbox, tmp_path / "kp.sqlite3", "before_send")
    conn = open_store(tmp_path / "kp.sqlite3")
    SubscriberRepository(conn).update(sub.id, state=SubscriberState.PAUSED)
    soon = NOW + timedelta(minutes=1)
    async with gateway_for(sandbox) as gateway:
        engine = ChargeEngine(conn, gateway, clock=lambda: soon, retry_delays=(0.0,))
        await engine.reconcile()
        (charge,) = ChargeRepository(conn).list_all()
        assert charge.state is ChargeState.PLANNED, charge.fail_reason
        # The request lands late; much later, reconcile finds it paid.
        sandbox.state.pay_again(customer_uid=uid, merchant_uid=merchant_uid, amount=1000, name="x")
        later = NOW + timedelta(hours=1)
        await ChargeEngine(conn, gateway, clock=lambda: later, retry_delays=(0.0,)).reconcile()
    (charge,) = ChargeRepository(conn).list_all()
    assert charge.state is ChargeState.PAID
