"""Adversarial tests of the charging path against the real sandbox over HTTP: stale plans, clock
edges, lost and garbled answers, rejections that hide a payment, refunds, the batch lock.

Each test tries to make money move twice (or a period look unpaid after it was paid) and checks
the sandbox's own record of payments, not only the local journal.
"""

from __future__ import annotations

import argparse
import json
import os
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from kpadmin.billing.due import SkipReason
from kpadmin.billing.engine import ChargeEngine, EngineBusy
from kpadmin.billing.order_ids import order_id_for
from kpadmin.commands import charge_due
from kpadmin.store import (
    ChargeRepository,
    InvariantViolated,
    NewSubscriber,
    Store,
    SubscriberRepository,
    open_store,
)
from kpadmin.store.models import ChargeState, SubscriberState
from tests.billing.helpers import db_path as data_db_path
from tests.billing.helpers import prepare
from tests.billing.sandboxed import gateway_for, open_db, sandbox_paid, seed, settle
from tests.clock import NOW, TODAY, add_months
from tests.fixtures.sandbox import RunningSandbox

pytestmark = pytest.mark.anyio

# Dates relative to the injected instant (tests/clock.py), except the designed clock edges below.
DUE = TODAY - timedelta(days=12)
PERIOD = f"{DUE:%Y-%m}"
# A billing date that needs no clamping in any month: the latest one on or before today.
LATEST = DUE.replace(day=min(DUE.day, 28))


def clock() -> datetime:
    return NOW


def make_engine(conn: Store, gateway: Any, **kw: Any) -> ChargeEngine:
    kw.setdefault("retry_delays", (0.0,))
    kw.setdefault("lookup_tries", 2)
    return ChargeEngine(conn, gateway, clock=kw.pop("clock", clock), **kw)


def payments_of(sandbox: RunningSandbox, customer_uid: str) -> list[dict[str, Any]]:
    return [p for p in sandbox.state.all_payments() if p["customer_uid"] == customer_uid]


def paid_count(sandbox: RunningSandbox, customer_uid: str) -> int:
    return sum(
        1 for p in payments_of(sandbox, customer_uid) if p["status"] in ("paid", "cancelled")
    )


# -- a stale plan: the subscriber changed between the confirmation and the run ------------------


@pytest.mark.parametrize(
    "state", [SubscriberState.PAUSED, SubscriberState.CANCELLED, SubscriberState.KEY_MISSING]
)
async def test_subscriber_stopped_after_the_plan_is_not_charged(
    sandbox: RunningSandbox, tmp_path: Path, state: SubscriberState
) -> None:
    db = open_db(tmp_path)
    uids = seed(sandbox, db, 2, due=DUE)
    async with gateway_for(sandbox) as gateway:
        engine = make_engine(db, gateway)
        plan = engine.plan(None, TODAY, "tester")
        assert plan.count == 2
        # Another staff member (or the GUI's detail pane) stops subscriber 0 while the
        # confirmation dialog is open.
        first = SubscriberRepository(db).get_by_uid(uids[0])
        assert first is not None
        SubscriberRepository(db).update(first.id, state=state)
        result = await engine.run(plan, concurrency=2)
    assert paid_count(sandbox, uids[0]) == 0, "a stopped subscriber was charged"
    assert paid_count(sandbox, uids[1]) == 1
    assert [c.customer_uid for c in ChargeRepository(db).list_all()] == [uids[1]]
    assert {s.reason for s in result.skipped} == {SkipReason(state.value)}


async def test_amount_edited_after_the_plan_is_not_charged_unconfirmed(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    db = open_db(tmp_path)
    uids = seed(sandbox, db, 1, due=DUE)
    async with gateway_for(sandbox) as gateway:
        engine = make_engine(db, gateway)
        plan = engine.plan(None, TODAY, "tester")
        assert plan.total_amount == 1000
        sub = SubscriberRepository(db).get_by_uid(uids[0])
        assert sub is not None
        SubscriberRepository(db).update(sub.id, amount=1_000_000)  # e.g. a CSV re-import
        result = await engine.run(plan, concurrency=1)
        # Staff confirmed ₩1,000: ₩1,000,000 must not leave without a new confirmation.
        assert [p["amount"] for p in payments_of(sandbox, uids[0])] == []
        assert [s.reason for s in result.skipped] == [SkipReason.CHANGED]
        # Planned again, the new amount is what staff sees and confirms.
        again = engine.plan(None, TODAY, "tester")
        assert again.total_amount == 1_000_000
        await engine.run(again, concurrency=1)
    assert [p["amount"] for p in payments_of(sandbox, uids[0])] == [1_000_000]


# -- clock edges -------------------------------------------------------------------------------


async def test_months_overdue_is_charged_once_not_once_per_missed_month(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    db = open_db(tmp_path)
    # Paused three billing dates ago, resumed today.
    uids = seed(sandbox, db, 1, due=add_months(LATEST, -3))
    async with gateway_for(sandbox) as gateway:
        engine = make_engine(db, gateway)
        rounds = await settle(engine, rounds=8)
    assert paid_count(sandbox, uids[0]) == 1, "one charge per missed month"
    charges = ChargeRepository(db).list_all()
    assert [(c.period, c.state) for c in charges] == [(f"{LATEST:%Y-%m}", ChargeState.PAID)]
    sub = SubscriberRepository(db).get_by_uid(uids[0])
    assert sub is not None and sub.next_charge_date == add_months(LATEST, 1)
    assert rounds <= 2


@pytest.mark.parametrize(
    ("day", "billing_day", "expected_next"),
    [
        (date(2026, 11, 30), 31, date(2026, 12, 31)),
        (date(2026, 11, 29), 29, date(2026, 12, 29)),
        # A whole billing date behind: the latest one (Nov 30) is charged, once; then back to 31.
        (date(2026, 10, 31), 31, date(2026, 12, 31)),
    ],
)
async def test_month_end_billing_days(
    sandbox_factory: Any,
    tmp_path: Path,
    day: date,
    billing_day: int,
    expected_next: date,
) -> None:
    # A designed edge, not the injected today: the engine and the sandbox share this clock.
    late = datetime(2026, 11, 30, 14, 59, 59, tzinfo=UTC)  # 23:59:59 on Nov 30 in Seoul
    sandbox = sandbox_factory(clock=lambda: late, seed=0)
    db = open_db(tmp_path)
    sandbox.state.issue_billing_key("cu-end", card_name="신한카드")
    SubscriberRepository(db).add(NewSubscriber("cu-end", "말일", 5000, billing_day, day))
    async with gateway_for(sandbox) as gateway:
        engine = make_engine(db, gateway, clock=lambda: late)
        await settle(engine, rounds=4)
    (charge,) = ChargeRepository(db).list_all()
    assert charge.period == "2026-11" and charge.state is ChargeState.PAID
    sub = SubscriberRepository(db).get_by_uid("cu-end")
    assert sub is not None and sub.next_charge_date == expected_next
    assert paid_count(sandbox, "cu-end") == 1


async def test_batch_spanning_midnight_into_a_new_month_charges_each_once(
    sandbox_factory: Any, tmp_path: Path
) -> None:
    """The clock crosses Nov 30 → Dec 1 (Seoul) between the plan and the sends (a designed
    edge: the engine's clock is scripted; the sandbox's is already past midnight)."""
    sandbox = sandbox_factory(clock=lambda: datetime(2026, 11, 30, 15, 0, 1, tzinfo=UTC), seed=0)
    db = open_db(tmp_path)
    uids = seed(sandbox, db, 6, due=date(2026, 11, 30))
    ticks = iter(
        [datetime(2026, 11, 30, 14, 59, 59, tzinfo=UTC)] * 3
        + [datetime(2026, 11, 30, 15, 0, 1, tzinfo=UTC)] * 10_000
    )
    async with gateway_for(sandbox) as gateway:
        engine = make_engine(db, gateway, clock=lambda: next(ticks), monthly_limit=1)
        plan = engine.plan(None, date(2026, 11, 30), "tester")
        assert plan.count == 6
        await engine.run(plan, concurrency=3)
        again = engine.plan(None, date(2026, 12, 1), "tester")
        assert again.count == 0
    assert all(paid_count(sandbox, uid) == 1 for uid in uids)
    assert {c.period for c in ChargeRepository(db).list_all()} == {"2026-11"}  # designed edge


# -- answers lost, garbled, or rejections hiding a payment --------------------------------------


@pytest.mark.parametrize("kind", ["drop_after", "error_after", "delay_after"])
async def test_every_answer_lost_then_healed(
    sandbox: RunningSandbox, tmp_path: Path, kind: str
) -> None:
    db = open_db(tmp_path)
    uids = seed(sandbox, db, 4, due=DUE)
    # Every charge is processed but its answer is lost, and every lookup fails too.
    sandbox.set_faults(**{kind: 1.0}, delay_s=1.5, endpoints={"again", "payment_find_all"})
    async with gateway_for(sandbox, read_timeout=0.5) as gateway:
        engine = make_engine(db, gateway)
        result = await engine.run(engine.plan(None, TODAY, "tester"), concurrency=4)
        assert result.progress.unknown == 4 and result.progress.paid == 0
        # Still broken: nothing new is planned for subscribers in doubt.
        assert engine.plan(None, TODAY, "tester").count == 0
        await engine.reconcile()
        assert engine.plan(None, TODAY, "tester").count == 0
        sandbox.clear_faults()
        await settle(engine)
    assert sandbox_paid(sandbox) == Counter({order_id_for(u, PERIOD, 1): 1 for u in uids})
    assert {c.state for c in ChargeRepository(db).list_all()} == {ChargeState.PAID}


class Garbling(httpx.AsyncHTTPTransport):
    """Forwards `again` to the sandbox (it is processed), then answers 200 with garbage."""

    def __init__(self, body: bytes) -> None:
        super().__init__()
        self.body = body

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        answer = await super().handle_async_request(request)
        if request.url.path.endswith("/subscribe/payments/again"):
            await answer.aread()
            return httpx.Response(200, content=self.body, request=request)
        return answer


@pytest.mark.parametrize(
    "body",
    [
        b"<html>proxy</html>",
        b'{"code": 0, "message": null, "response": {"status": "paid"}}',
        b'{"code": 0, "message": null, "response": null}',
        b'{"code": "0", "response": []}',
    ],
)
async def test_garbage_200_after_a_real_payment_is_looked_up(
    sandbox: RunningSandbox, tmp_path: Path, body: bytes
) -> None:
    db = open_db(tmp_path)
    uids = seed(sandbox, db, 2, due=DUE)
    async with gateway_for(sandbox, transport=Garbling(body)) as gateway:
        engine = make_engine(db, gateway)
        result = await engine.run(engine.plan(None, TODAY, "tester"), concurrency=2)
    assert result.progress.paid == 2
    assert sandbox_paid(sandbox) == Counter({order_id_for(u, PERIOD, 1): 1 for u in uids})


async def test_rejection_of_an_already_paid_merchant_uid_is_recorded_paid(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """The journal lost the row (a restored backup), but i'mport has the payment: the resend is
    refused with code != 0, and that must read as paid — not rejected, not a new attempt.
    (The ledger check would find the payment before sending: it is off here, as when the
    payment is made at the same moment by a desk with its own database.)"""
    db = open_db(tmp_path)
    (uid,) = seed(sandbox, db, 1, due=DUE)
    merchant_uid = order_id_for(uid, PERIOD, 1)
    sandbox.state.pay_again(customer_uid=uid, merchant_uid=merchant_uid, amount=1000, name="x")
    async with gateway_for(sandbox) as gateway:
        engine = make_engine(db, gateway, read_ledger=False)
        # The lookup after the rejection fails at first: unknown, never rejected.
        sandbox.set_faults(error_before=1.0, endpoints={"payment_find_all"})
        first = await engine.run(engine.plan(None, TODAY, "tester"), concurrency=1)
        assert [o.state for o in first.outcomes] == [ChargeState.UNKNOWN]
        assert engine.plan(None, TODAY, "tester").count == 0
        sandbox.clear_faults()
        await settle(engine)
    (charge,) = ChargeRepository(db).list_all()
    assert (charge.merchant_uid, charge.state) == (merchant_uid, ChargeState.PAID)
    assert paid_count(sandbox, uid) == 1


async def test_refunded_payment_counts_as_paid_everywhere(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """findAll shows the period's merchant_uid fully refunded (status cancelled): it was paid,
    and the period is never charged again automatically."""
    db = open_db(tmp_path)
    (uid,) = seed(sandbox, db, 1, due=DUE)
    merchant_uid = order_id_for(uid, PERIOD, 1)
    sandbox.state.pay_again(customer_uid=uid, merchant_uid=merchant_uid, amount=1000, name="x")
    sandbox.state.cancel(merchant_uid=merchant_uid, reason="환불")
    async with gateway_for(sandbox) as gateway:
        engine = make_engine(db, gateway)
        await settle(engine)
        assert engine.plan(None, TODAY, "tester").count == 0
        # …nor on the last day before the next billing date.
        last_day = add_months(DUE, 1) - timedelta(days=1)
        assert engine.plan(None, last_day, "tester").count == 0
    (charge,) = ChargeRepository(db).list_all()
    assert charge.state is ChargeState.PAID and charge.cancelled_amount == 1000
    assert len(payments_of(sandbox, uid)) == 1


async def test_refund_recorded_by_the_store_keeps_the_period_paid(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """The GUI records a refund with `ChargeRepository.set_state(id, PAID, cancelled_amount=…)`;
    a full refund then a reconcile and a plan never make the period due again."""
    db = open_db(tmp_path)
    (uid,) = seed(sandbox, db, 1, due=DUE)
    async with gateway_for(sandbox) as gateway:
        engine = make_engine(db, gateway)
        await settle(engine)
        (charge,) = ChargeRepository(db).list_all()
        payment = await gateway.refund(payment_id=charge.imp_uid, reason="환불")
        ChargeRepository(db).set_state(
            charge.id, ChargeState.PAID, cancelled_amount=payment.refunded_amount
        )
        with pytest.raises(InvariantViolated):
            ChargeRepository(db).set_state(charge.id, ChargeState.DECLINED)
        # Staff moves the date back by hand: the period is still paid.
        SubscriberRepository(db).update(charge.subscriber_id, next_charge_date=DUE)
        await engine.reconcile()
        plan = engine.plan(None, TODAY, "tester")
        assert plan.count == 0 and [s.reason for s in plan.skipped] == [SkipReason.ALREADY_PAID]
    assert len(payments_of(sandbox, uid)) == 1


async def test_lookup_404_is_nothing_but_a_bare_404_is_not(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """A proxy's bare 404 on findAll must not read as 'never paid' (that would resend)."""

    class Bare404(httpx.AsyncHTTPTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if "findAll" in request.url.path:
                return httpx.Response(404, content=b"Not Found", request=request)
            return await super().handle_async_request(request)

    db = open_db(tmp_path)
    (uid,) = seed(sandbox, db, 1, due=DUE)
    sandbox.set_faults(drop_after=1.0, endpoints={"again"})
    async with gateway_for(sandbox, transport=Bare404()) as gateway:
        engine = make_engine(db, gateway)
        result = await engine.run(engine.plan(None, TODAY, "tester"), concurrency=1)
    assert [o.state for o in result.outcomes] == [ChargeState.UNKNOWN]
    sandbox.clear_faults()
    async with gateway_for(sandbox) as gateway:
        await settle(make_engine(db, gateway))
    assert paid_count(sandbox, uid) == 1


# -- the monthly cap ---------------------------------------------------------------------------


async def test_monthly_cap_decline_is_not_retried_within_a_run(
    sandbox_factory: Any, tmp_path: Path
) -> None:
    box = sandbox_factory(monthly_limit=1, seed=0)
    db = open_db(tmp_path)
    (uid,) = seed(box, db, 1, due=DUE)
    # Charged once this month outside this journal: the card side's cap is reached.
    box.state.pay_again(customer_uid=uid, merchant_uid="elsewhere-1", amount=1000, name="x")
    async with gateway_for(box) as gateway:
        engine = make_engine(db, gateway)
        result = await engine.run(engine.plan(None, TODAY, "tester"), concurrency=1)
        assert [o.state for o in result.outcomes] == [ChargeState.DECLINED]
        # Locally capped at 1 as well: a paid row this month refuses with a reason.
        capped = make_engine(db, gateway, monthly_limit=1)
        assert capped.plan(None, TODAY, "tester").count == 1  # the local journal has none paid
    assert sum(1 for p in payments_of(box, uid) if p["status"] == "failed") == 1


def test_charge_due_never_retries_a_decline_its_own_reconcile_found(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """charge-due = reconcile → plan → run. A crash left an intent that i'mport declined: the
    command's reconcile finds the decline; the same run must not send attempt 2."""
    data = tmp_path / "data"
    (uid,) = prepare(data, sandbox.base_url, 1, due=DUE)
    conn = open_store(data_db_path(data))
    sub = SubscriberRepository(conn).get_by_uid(uid)
    assert sub is not None
    from kpadmin.store.charges import NewCharge

    merchant_uid = order_id_for(uid, PERIOD, 1)
    with conn.transaction():
        ChargeRepository(conn).insert(
            NewCharge(sub.id, uid, PERIOD, 1, merchant_uid, sub.amount), batch_id=None, staff=""
        )
    sandbox.state.pay_again(
        customer_uid=uid,
        merchant_uid=merchant_uid,
        amount=sub.amount,
        name="x",
        decline_reason="잔액 부족",
    )
    conn.close()
    args = argparse.Namespace(
        data_dir=str(data), dry_run=False, yes=True, concurrency=None, json=True
    )
    charge_due.run(args)
    assert [p["status"] for p in payments_of(sandbox, uid)] == ["failed"]
    conn = open_store(data_db_path(data))
    assert [(c.attempt, c.state) for c in ChargeRepository(conn).list_all()] == [
        (1, ChargeState.DECLINED)
    ]


# -- the batch lock ------------------------------------------------------------------------------


async def test_lock_holds_through_a_symlinked_path(sandbox: RunningSandbox, tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    a = open_store(real / "kp.sqlite3")
    b = open_store(tmp_path / "link" / "kp.sqlite3")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        c = open_store(Path("link/../real/./kp.sqlite3"))
    finally:
        os.chdir(cwd)
    (tmp_path / "file-link.sqlite3").symlink_to(real / "kp.sqlite3")
    d = open_store(tmp_path / "file-link.sqlite3")
    async with gateway_for(sandbox) as gateway:
        with a.batch_lock("desk A"):
            for other in (b, c, d):
                with pytest.raises(EngineBusy):
                    await make_engine(other, gateway).reconcile()


def test_two_command_lines_at_once_charge_each_subscriber_once(
    sandbox_factory: Any, tmp_path: Path
) -> None:
    """Two `charge-due` processes on one data dir while the sandbox is slow: one charges, the
    other is refused (exit 2) or finds nothing due."""
    import subprocess

    from tests.billing.helpers import child_env, kpadmin_command

    box = sandbox_factory(seed=0, latency_ms=100)
    data = tmp_path / "data"
    uids = prepare(data, box.base_url, 8, due=DUE)
    procs = [
        subprocess.Popen(
            kpadmin_command(data, "charge-due", "--yes", "--json", "--concurrency", "2"),
            env=child_env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=60) for p in procs]
    codes = sorted(p.returncode for p in procs)
    assert codes[0] == 0, outs
    paid = sandbox_paid(box)
    assert paid == Counter({order_id_for(u, PERIOD, 1): 1 for u in uids})
    assert codes[1] in (0, 2), outs  # 2: refused, another process is charging
    assert all(json.loads(o) for o, _ in outs if o.strip())


class Impostor(httpx.AsyncHTTPTransport):
    """A misbehaving proxy: `again` is never forwarded; the answer is a well-formed paid payment
    of another order (a cached answer)."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/subscribe/payments/again"):
            body = json.loads(request.content)
            payment = {
                "imp_uid": "imp_cached",
                "merchant_uid": "someone-elses-order",
                "customer_uid": body["customer_uid"],
                "amount": body["amount"],
                "cancel_amount": 0,
                "currency": "KRW",
                "status": "paid",
                "sandbox": True,
                "paid_at": 1795000000,
            }
            return httpx.Response(
                200, json={"code": 0, "message": None, "response": payment}, request=request
            )
        return await super().handle_async_request(request)


async def test_paid_answer_for_another_merchant_uid_is_not_taken_as_ours(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    db = open_db(tmp_path)
    (uid,) = seed(sandbox, db, 1, due=DUE)
    async with gateway_for(sandbox, transport=Impostor()) as gateway:
        engine = make_engine(db, gateway, resends=0)
        result = await engine.run(engine.plan(None, TODAY, "tester"), concurrency=1)
    # Nothing reached i'mport: the period must not look paid (it would never be charged).
    assert [o.state for o in result.outcomes] != [ChargeState.PAID]
    assert paid_count(sandbox, uid) == 0
    async with gateway_for(sandbox) as gateway:
        await settle(make_engine(db, gateway))
    assert paid_count(sandbox, uid) == 1
    assert {c.state for c in ChargeRepository(db).list_all()} == {ChargeState.PAID}


async def test_two_engines_in_one_process_cannot_run_at_once(
    sandbox_factory: Any, tmp_path: Path
) -> None:
    """The GUI replaces its engine when the connection changes; an old one still running and a
    new one (another connection to the same file) must not both send."""
    import asyncio

    box = sandbox_factory(seed=0, latency_ms=50)
    db = open_db(tmp_path)
    uids = seed(box, db, 4, due=DUE)
    other = open_db(tmp_path)
    async with gateway_for(box) as gateway:
        a, b = make_engine(db, gateway), make_engine(other, gateway)
        plan_a, plan_b = a.plan(None, TODAY, "a"), b.plan(None, TODAY, "b")
        results = await asyncio.gather(
            a.run(plan_a, concurrency=2), b.run(plan_b, concurrency=2), return_exceptions=True
        )
    assert sum(isinstance(r, EngineBusy) for r in results) == 1, results
    assert sandbox_paid(box) == Counter({order_id_for(u, PERIOD, 1): 1 for u in uids})


@pytest.mark.parametrize("late", ["resent", "found_paid"])
async def test_a_months_old_intent_settling_now_is_the_one_charge(
    sandbox: RunningSandbox, tmp_path: Path, late: str
) -> None:
    """An intent three months old left by a crash (never sent, or paid with its answer lost)
    settles today: that is the charge for the time it covers, not the first of a row of
    back-charges."""
    from kpadmin.store.charges import NewCharge

    db = open_db(tmp_path)
    old = add_months(LATEST, -3)
    (uid,) = seed(sandbox, db, 1, due=old)
    sub = SubscriberRepository(db).get_by_uid(uid)
    assert sub is not None
    august = order_id_for(uid, f"{old:%Y-%m}", 1)  # "August" when today is in November
    with db.transaction():
        ChargeRepository(db).insert(
            NewCharge(sub.id, uid, f"{old:%Y-%m}", 1, august, sub.amount), batch_id=None, staff=""
        )
    if late == "found_paid":
        sandbox.state.pay_again(customer_uid=uid, merchant_uid=august, amount=1000, name="x")
    async with gateway_for(sandbox) as gateway:
        await settle(make_engine(db, gateway), rounds=6)
    assert paid_count(sandbox, uid) == 1
    assert [(c.period, c.state) for c in ChargeRepository(db).list_all()] == [
        (f"{old:%Y-%m}", ChargeState.PAID)
    ]
    after = SubscriberRepository(db).get(sub.id)
    assert after is not None and after.next_charge_date == add_months(LATEST, 1)


async def test_two_databases_on_one_account_charge_a_period_once(
    sandbox_factory: Any, tmp_path: Path
) -> None:
    """Two data dirs (or two modes: their locks are different files) that both hold the same
    subscribers and point at the same i'mport account charge at the same time. The lock cannot
    help; the deterministic merchant_uid must: one payment per period, both journals paid."""
    import asyncio

    box = sandbox_factory(seed=0, latency_ms=30)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    db_a, db_b = open_db(tmp_path / "a"), open_db(tmp_path / "b")
    uids = seed(box, db_a, 5, due=DUE)
    SubscriberRepository(db_b).add_many(
        NewSubscriber(uid, f"구독자{i}", 1000 + i, DUE.day, DUE) for i, uid in enumerate(uids)
    )
    with db_a.batch_lock("a"), db_b.batch_lock("b"):
        pass  # two databases, two locks: both can be held at once
    async with gateway_for(box) as gateway:
        a, b = make_engine(db_a, gateway), make_engine(db_b, gateway)
        await asyncio.gather(
            a.run(a.plan(None, TODAY, "a"), concurrency=3),
            b.run(b.plan(None, TODAY, "b"), concurrency=2),
        )
        await settle(a)
        await settle(b)
    assert sandbox_paid(box) == Counter({order_id_for(u, PERIOD, 1): 1 for u in uids})
    for db in (db_a, db_b):
        charges = ChargeRepository(db).list_all()
        assert {(c.customer_uid, c.state) for c in charges} == {(u, ChargeState.PAID) for u in uids}


async def test_catching_up_still_looks_up_a_skipped_periods_decline(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """August's attempt is recorded declined, but i'mport in fact paid it (a lost answer looked
    up too early). Catching up to November must look it up again before charging: it is found
    paid, and November is not charged on top. (August and November: three billing dates before
    the injected today, and the latest one.)"""
    from kpadmin.store.charges import NewCharge

    db = open_db(tmp_path)
    old = add_months(LATEST, -3)
    (uid,) = seed(sandbox, db, 1, due=old)
    sub = SubscriberRepository(db).get_by_uid(uid)
    assert sub is not None
    august = order_id_for(uid, f"{old:%Y-%m}", 1)
    with db.transaction():
        cid = ChargeRepository(db).insert(
            NewCharge(sub.id, uid, f"{old:%Y-%m}", 1, august, sub.amount), batch_id=None, staff=""
        )
        ChargeRepository(db).set_state(cid, ChargeState.DECLINED, fail_reason="looked up early")
    sandbox.state.pay_again(customer_uid=uid, merchant_uid=august, amount=1000, name="x")
    async with gateway_for(sandbox) as gateway:
        await settle(make_engine(db, gateway), rounds=6)
    assert paid_count(sandbox, uid) == 1
    assert [(c.period, c.state) for c in ChargeRepository(db).list_all()] == [
        (f"{old:%Y-%m}", ChargeState.PAID)
    ]
    after = SubscriberRepository(db).get(sub.id)
    assert after is not None and after.next_charge_date == add_months(LATEST, 1)


async def test_quiet_period_counts_from_the_crashed_batchs_last_write(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """A long (rps-paced) batch wrote A's intent an hour ago and sent it just before dying; its
    'sent' mark was still buffered, but B's result from the same moment reached the disk. A is
    then paused: reconcile must not withdraw A as never seen while its request may still land."""
    from datetime import timedelta

    from kpadmin.store.charges import NewCharge

    db = open_db(tmp_path)
    ua, ub = seed(sandbox, db, 2, due=DUE)
    subs = SubscriberRepository(db)
    a, b = subs.get_by_uid(ua), subs.get_by_uid(ub)
    assert a is not None and b is not None
    muid_a, muid_b = order_id_for(ua, PERIOD, 1), order_id_for(ub, PERIOD, 1)
    charges = ChargeRepository(db)
    hour_ago = NOW - timedelta(hours=1)
    with db.transaction():
        for sub, muid in ((a, muid_a), (b, muid_b)):
            charges.insert(
                NewCharge(sub.id, sub.customer_uid, PERIOD, 1, muid, sub.amount),
                batch_id="long",
                staff="",
                now=hour_ago,
            )
    paid_b = sandbox.state.pay_again(customer_uid=ub, merchant_uid=muid_b, amount=1001, name="x")
    row_b = charges.by_merchant_uid(muid_b)
    assert row_b is not None
    with db.transaction():
        charges.set_state(
            row_b.id, ChargeState.PAID, now=NOW, imp_uid=paid_b["imp_uid"], paid_at=NOW
        )
    subs.update(a.id, state=SubscriberState.PAUSED)
    soon = NOW + timedelta(minutes=1)
    async with gateway_for(sandbox) as gateway:
        await make_engine(db, gateway, clock=lambda: soon).reconcile()
        row_a = charges.by_merchant_uid(muid_a)
        assert row_a is not None and row_a.state is ChargeState.PLANNED, row_a.fail_reason
        sandbox.state.pay_again(customer_uid=ua, merchant_uid=muid_a, amount=1000, name="x")
        later = NOW + timedelta(hours=1)
        await make_engine(db, gateway, clock=lambda: later).reconcile()
    row_a = charges.by_merchant_uid(muid_a)
    assert row_a is not None and row_a.state is ChargeState.PAID


class BlindLookups(httpx.AsyncHTTPTransport):
    """findAll that never shows anything (i'mport's 404 envelope) — e.g. test-mode payments that
    a lookup does not list — and the first `again` answer lost after i'mport processed it."""

    def __init__(self) -> None:
        super().__init__()
        self.again = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if "findAll" in request.url.path:
            body = {"code": 1, "message": "존재하지 않는 결제정보입니다.", "response": None}
            return httpx.Response(404, json=body, request=request)
        answer = await super().handle_async_request(request)
        if request.url.path.endswith("/subscribe/payments/again"):
            self.again += 1
            if self.again == 1:
                await answer.aread()
                raise httpx.ReadError("connection reset after the charge", request=request)
        return answer


async def test_a_resend_rejected_while_lookups_see_nothing_never_opens_a_new_attempt(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """The first answer is lost, the lookup sees nothing, the same merchant_uid is sent again and
    i'mport refuses it (code != 0: it is already paid). With a blind lookup, recording that as
    'rejected' would let the next run write attempt 2 — a second payment for the period."""
    db = open_db(tmp_path)
    (uid,) = seed(sandbox, db, 1, due=DUE)
    async with gateway_for(sandbox, transport=BlindLookups()) as gateway:
        engine = make_engine(db, gateway)
        first = await engine.run(engine.plan(None, TODAY, "tester"), concurrency=1)
        assert [o.state for o in first.outcomes] == [ChargeState.UNKNOWN]
        for _ in range(3):  # later runs (the scheduler) while the lookups stay blind
            await engine.run(engine.plan(None, TODAY, "tester"), concurrency=1)
    assert paid_count(sandbox, uid) == 1
    assert [c.attempt for c in ChargeRepository(db).list_all()] == [1]


class GarbledLookups(httpx.AsyncHTTPTransport):
    """`again` answers lost after processing; findAll answers 200 with a body that is not a page."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        answer = await super().handle_async_request(request)
        if request.url.path.endswith("/subscribe/payments/again"):
            await answer.aread()
            raise httpx.ReadError("reset", request=request)
        if "findAll" in request.url.path:
            await answer.aread()
            return httpx.Response(200, content=b'{"code": 0, "response": "ok"}', request=request)
        return answer


async def test_garbage_lookup_after_a_lost_answer_is_unknown_never_a_resend(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    db = open_db(tmp_path)
    (uid,) = seed(sandbox, db, 1, due=DUE)
    async with gateway_for(sandbox, transport=GarbledLookups()) as gateway:
        engine = make_engine(db, gateway)
        result = await engine.run(engine.plan(None, TODAY, "tester"), concurrency=1)
        assert [o.state for o in result.outcomes] == [ChargeState.UNKNOWN]
        await engine.run(engine.plan(None, TODAY, "tester"), concurrency=1)
    assert len(payments_of(sandbox, uid)) == 1  # sent once: no resend on a garbled lookup
    async with gateway_for(sandbox) as gateway:
        await settle(make_engine(db, gateway))
    assert {c.state for c in ChargeRepository(db).list_all()} == {ChargeState.PAID}
    assert paid_count(sandbox, uid) == 1
