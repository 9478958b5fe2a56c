"""Refunds on their own day (issue #13 item 2): the refund rows (`kpadmin.store.refunds`) and the
settlement report on SQLite and PostgreSQL — a staff refund on a later day, two partial refunds
on two days, refunds made in the PortOne console found by reconcile (each on i'mport's own
``cancelled_at``), and the invariant: the rows of a charge add up to its ``cancelled_amount``.

Every moment comes from the test's clock (shared by the store, the engine and the sandbox)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kpadmin.billing import records, reports
from kpadmin.billing.engine import ChargeEngine
from kpadmin.billing.gateway import GatewayPayment, GatewayRefund, PaymentStatus
from kpadmin.billing.journal import Journal, RowRef, Write
from kpadmin.billing.periods import SEOUL, period_of
from kpadmin.billing.refunds import refund_charge, refund_facts
from kpadmin.iamport.gateway import to_payment
from kpadmin.iamport.models import Payment
from kpadmin.store import NewCharge, NewSubscriber, Store
from kpadmin.store.models import Charge, ChargeState
from kpadmin.store.refunds import CancelEntry, RefundFacts, RefundSource
from tests.billing.sandboxed import gateway_for, seed
from tests.clock import FrozenClock
from tests.fixtures.sandbox import RunningSandbox

STAFF = "김직원"
REAL = Path(__file__).parents[1] / "iamport" / "real_answers"


def kst_day(moment: datetime) -> date:
    return moment.astimezone(SEOUL).date()


def day_row(store: Store, start: date, end: date, day: date) -> dict[str, Any]:
    report = reports.settlement(store, start, end).as_json()
    (row,) = [d for d in report["days"] if d["date"] == day.isoformat()]
    return {k: v for k, v in row.items() if k != "date"}


async def pay_one(sandbox: RunningSandbox, store: Store, clock: FrozenClock) -> Charge:
    """One subscriber charged now (through the engine and the sandbox): its paid row."""
    today = clock.today()
    seed(sandbox, store, 1, due=today)
    async with gateway_for(sandbox) as gateway:
        engine = ChargeEngine(store, gateway, clock=clock, retry_delays=(0.0,), lookup_tries=2)
        result = await engine.run(engine.plan(None, today, STAFF))
    assert result.progress.paid == 1
    (charge,) = store.charges.list_all()
    assert charge.state is ChargeState.PAID and charge.imp_uid
    return charge


@pytest.mark.anyio
async def test_a_refund_on_a_later_day_lands_on_that_day(
    sandbox: RunningSandbox, any_store: Store, clock: FrozenClock
) -> None:
    store = any_store
    charge = await pay_one(sandbox, store, clock)
    paid_day = clock.today()
    paid = charge.paid_amount or charge.amount
    closed = day_row(store, paid_day, paid_day, paid_day)
    assert closed == {
        "paid_count": 1,
        "paid_amount": paid,
        "refunded_amount": 0,
        "net_amount": paid,
        "failed_count": 0,
    }
    clock.advance(days=4)
    refund_day = clock.today()
    async with gateway_for(sandbox) as gateway:
        done = await refund_charge(
            store, gateway, charge.id, amount=300, reason="고객 요청", staff=STAFF, clock=clock
        )
    assert done.ok and done.refunded_total == 300
    # The payment's day is as it was when it closed; the refund is on its own day.
    assert day_row(store, paid_day, refund_day, paid_day) == closed
    assert day_row(store, paid_day, refund_day, refund_day) == {
        "paid_count": 0,
        "paid_amount": 0,
        "refunded_amount": 300,
        "net_amount": -300,
        "failed_count": 0,
    }
    report = reports.settlement(store, paid_day, refund_day)
    assert report.total.as_dict()["refunded_amount"] == 300
    assert report.total.net_amount == paid - 300
    assert sum(f.refunded_amount for _, f in report.months) == 300
    # A range of the payment's day alone has no refund in it.
    assert reports.settlement(store, paid_day, paid_day).total.refunded_amount == 0
    (row,) = store.refunds.for_charge(charge.id)
    history = sandbox.state.get_payment(charge.imp_uid)["cancel_history"]
    assert (row.amount, row.source, row.reason) == (300, RefundSource.STAFF, "고객 요청")
    assert row.gateway_ref == history[0]["cancellation_id"]
    assert kst_day(row.refunded_at) == refund_day
    assert store.refunds.unbalanced() == []


@pytest.mark.anyio
async def test_the_overview_nets_a_refund_in_the_month_it_was_made(
    sandbox: RunningSandbox, any_store: Store, clock: FrozenClock
) -> None:
    """The main window's monthly figures agree with the settlement report: a refund made the next
    month lowers that month's collected amount; the payment's month, closed, stays as it was."""
    store = any_store
    charge = await pay_one(sandbox, store, clock)
    paid = charge.paid_amount or charge.amount
    paid_month = period_of(clock.today())
    before = {m.month: m.collected for m in records.monthly_totals(store, clock.today(), 3)}
    assert before[paid_month] == paid
    clock.advance(days=35)
    refund_month = period_of(clock.today())
    assert refund_month != paid_month
    async with gateway_for(sandbox) as gateway:
        done = await refund_charge(
            store, gateway, charge.id, amount=300, reason="고객 요청", staff=STAFF, clock=clock
        )
    assert done.ok
    after = {m.month: m.collected for m in records.monthly_totals(store, clock.today(), 3)}
    assert after[paid_month] == paid
    assert after[refund_month] == -300
    report = reports.settlement(store, clock.today() - timedelta(days=60), clock.today())
    net = {month: f.net_amount for month, f in report.months}
    assert (net[paid_month], net[refund_month]) == (paid, -300)


@pytest.mark.anyio
async def test_two_partial_refunds_on_two_days(
    sandbox: RunningSandbox, any_store: Store, clock: FrozenClock
) -> None:
    store = any_store
    charge = await pay_one(sandbox, store, clock)
    paid_day = clock.today()
    days = []
    async with gateway_for(sandbox) as gateway:
        for gap, amount in ((1, 300), (2, 200)):
            clock.advance(days=gap)
            days.append(clock.today())
            done = await refund_charge(
                store, gateway, charge.id, amount=amount, reason="부분 환불", staff=STAFF
            )
            assert done.ok and done.refunded_now == amount
    first, second = days
    assert day_row(store, paid_day, second, first)["refunded_amount"] == 300
    assert day_row(store, paid_day, second, second)["refunded_amount"] == 200
    assert day_row(store, paid_day, second, paid_day)["refunded_amount"] == 0
    between = second - timedelta(days=1)
    assert day_row(store, paid_day, second, between)["refunded_amount"] == 0
    after = store.charges.get(charge.id)
    assert after is not None and after.cancelled_amount == 500
    rows = store.refunds.for_charge(charge.id)
    assert [(r.amount, kst_day(r.refunded_at)) for r in rows] == [(300, first), (200, second)]
    assert len({r.gateway_ref for r in rows}) == 2 and store.refunds.unbalanced() == []
    # Per plan and per month the same money.
    report = reports.settlement(store, paid_day, second)
    assert sum(f.refunded_amount for _, f in report.plans) == 500
    assert sum(f.refunded_amount for _, f in report.months) == 500


@pytest.mark.anyio
async def test_refunds_made_in_the_console_land_on_their_own_days(
    sandbox: RunningSandbox, any_store: Store, clock: FrozenClock
) -> None:
    """Two partial refunds in the PortOne console on two days, found by one reconcile days later:
    each on i'mport's ``cancelled_at``; a staff refund before them is not recorded twice."""
    store = any_store
    charge = await pay_one(sandbox, store, clock)
    paid_day = clock.today()
    async with gateway_for(sandbox) as gateway:
        done = await refund_charge(store, gateway, charge.id, amount=100, reason="r", staff=STAFF)
    assert done.ok
    console_days = []
    for amount in (300, 200):
        clock.advance(days=1)
        console_days.append(clock.today())
        sandbox.state.cancel(merchant_uid=charge.merchant_uid, amount=amount, reason="콘솔 환불")
    clock.advance(days=5)
    found_day = clock.today()
    async with gateway_for(sandbox) as gateway:
        engine = ChargeEngine(store, gateway, clock=clock, retry_delays=(0.0,), lookup_tries=2)
        report = await engine.reconcile(staff="kim")
    assert report.outside is not None and len(report.outside.refunds) == 1
    rows = store.refunds.for_charge(charge.id)
    assert [(r.amount, r.source, kst_day(r.refunded_at)) for r in rows] == [
        (100, RefundSource.STAFF, paid_day),
        (300, RefundSource.GATEWAY, console_days[0]),
        (200, RefundSource.GATEWAY, console_days[1]),
    ]
    assert rows[1].reason == "콘솔 환불"
    settlement = reports.settlement(store, paid_day, found_day)
    by_day = {d: f.refunded_amount for d, f in settlement.days}
    assert by_day[paid_day] == 100
    assert by_day[console_days[0]] == 300 and by_day[console_days[1]] == 200
    assert by_day[found_day] == 0
    # Again: nothing new at i'mport, nothing new here.
    async with gateway_for(sandbox) as gateway:
        engine = ChargeEngine(store, gateway, clock=clock, retry_delays=(0.0,), lookup_tries=2)
        again = await engine.reconcile(staff="kim")
    assert again.outside is not None and again.outside.refunds == ()
    assert len(store.refunds.for_charge(charge.id)) == 3
    assert store.refunds.unbalanced() == []


# --------------------------------------------------------------------------- the invariant


def _paid_charge(store: Store, now: datetime) -> int:
    (sid,) = store.subscribers.add_many([NewSubscriber("cu-inv", "김민지", 10_000, 1, now.date())])
    with store.transaction():
        cid = store.charges.insert(
            NewCharge(sid, "cu-inv", "2026-01", 1, "kp-inv-1", 10_000), batch_id="b", staff="t"
        )
        store.charges.set_state(cid, ChargeState.PAID, paid_at=now, paid_amount=10_000)
    return cid


def test_the_refund_rows_always_add_up_to_the_refunded_amount(
    any_store: Store, clock: FrozenClock
) -> None:
    store = any_store
    start = clock()
    cid = _paid_charge(store, start)
    charges = store.charges

    def entry(ref: str | None, amount: int, days: int) -> CancelEntry:
        return CancelEntry(amount, start + timedelta(days=days), ref, "console")

    def write(total: int, facts: RefundFacts | None = None) -> list[tuple[int, str | None]]:
        """Set the total; the rows it added (amount, gateway reference)."""
        before = {r.id for r in store.refunds.for_charge(cid)}
        clock.advance(hours=7)
        charges.set_state(cid, ChargeState.PAID, cancelled_amount=total, refunds=facts)
        charge = charges.get(cid)
        assert charge is not None and charge.cancelled_amount == total
        rows = store.refunds.for_charge(cid)
        assert sum(r.amount for r in rows) == total
        assert store.refunds.unbalanced() == []
        return sorted(
            ((r.amount, r.gateway_ref) for r in rows if r.id not in before),
            key=lambda r: (r[1] or "", r[0]),
        )

    # Told nothing (a total from i'mport without its list): one row, now.
    assert write(1_000) == [(1_000, None)]
    (first,) = store.refunds.for_charge(cid)
    assert (first.source, first.refunded_at) == (RefundSource.GATEWAY, clock())
    # The same total again adds nothing; a list holding an old entry and a new one adds the new
    # one, on its own time.
    assert write(1_000) == []
    history = (entry("c1", 1_000, 1), entry("c2", 2_000, 2))
    gateway = RefundFacts(RefundSource.GATEWAY, history)
    assert write(3_000, gateway) == [(2_000, "c2")]
    (c2,) = [r for r in store.refunds.for_charge(cid) if r.gateway_ref == "c2"]
    assert c2.refunded_at == start + timedelta(days=2) and c2.reason == "console"
    # The same list again, and a list repeating an entry: never recorded twice.
    assert write(3_000, gateway) == []
    twice = RefundFacts(RefundSource.GATEWAY, (*history, entry("c3", 500, 3), entry("c3", 500, 3)))
    assert write(3_500, twice) == [(500, "c3")]
    # A list that explains only part of the change: the rest is one row of its own, now.
    more = RefundFacts(RefundSource.STAFF, (entry("c4", 200, 4),), reason="staff")
    assert write(4_000, more) == [(300, None), (200, "c4")]
    # A total that went down (never expected): a negative row keeps the sum.
    assert write(3_900) == [(-100, None)]
    # A refund inside a transaction that fails leaves no row.
    with pytest.raises(RuntimeError), store.transaction():
        charges.set_state(cid, ChargeState.PAID, cancelled_amount=5_000)
        raise RuntimeError("boom")
    assert sum(r.amount for r in store.refunds.for_charge(cid)) == 3_900
    assert store.refunds.unbalanced() == []


# ------------------------------------------------------------------ i'mport's cancel_history


def test_a_real_cancel_history_gives_each_refund_its_time_and_reference() -> None:
    """The live answer of a cancelled Kakao Pay payment (tests/iamport/real_answers): its one
    cancellation keeps i'mport's time and ``cancellation_id``; without that id, two partial
    refunds that share the payment's TID (Kakao Pay's) still get two references."""
    answer = json.loads((REAL / "kakaopay-test-payment-cancelled.json").read_text("utf-8"))
    payment = to_payment(Payment.from_api(answer["response"]))
    (refund,) = payment.refunds
    assert refund.ref == "06JC8FVHJTW2WY16FEY0" and refund.amount == 10
    assert refund.refunded_at == datetime.fromtimestamp(1695005582, UTC)
    facts = refund_facts(payment, RefundSource.GATEWAY)
    assert facts.history == (
        CancelEntry(
            10, refund.refunded_at, "06JC8FVHJTW2WY16FEY0", "취소요청api", refund.receipt_url
        ),
    )
    first = answer["response"]["cancel_history"][0]
    older = {**first, "cancellation_id": None, "amount": 4, "cancelled_at": 1695000000}
    newer = {**first, "cancellation_id": None, "amount": 6}
    two = to_payment(Payment.from_api({**answer["response"], "cancel_history": [older, newer]}))
    refs = [r.ref for r in two.refunds]
    assert None not in refs and len(set(refs)) == 2
    assert all(ref.startswith(first["pg_tid"]) for ref in refs if ref)


def test_a_payment_found_paid_and_refunded_gets_its_refunds_on_their_days(
    any_store: Store, clock: FrozenClock
) -> None:
    """The journal records a payment found late (a lookup, the ledger check) that i'mport shows
    paid and refunded twice since: the row is paid with both refunds, each on its own time."""
    store = any_store
    paid_at = clock() - timedelta(days=6)
    (sid,) = store.subscribers.add_many(
        [NewSubscriber("cu-late", "이준호", 5_000, 1, paid_at.date())]
    )
    with store.transaction():
        cid = store.charges.insert(
            NewCharge(sid, "cu-late", "2026-01", 1, "kp-late-1", 5_000), batch_id="b", staff="t"
        )
    refunds = (
        GatewayRefund(1_000, paid_at + timedelta(days=1), "a", "cx-1"),
        GatewayRefund(1_500, paid_at + timedelta(days=4), "b", "cx-2"),
    )
    payment = GatewayPayment(
        "imp_late", "kp-late-1", PaymentStatus.PAID, 5_000, 2_500, paid_at=paid_at, refunds=refunds
    )
    ref = RowRef(cid, sid, "cu-late", "2026-01", 1, "kp-late-1", 5_000)
    write = Write(ref, ChargeState.PAID, frozenset({ChargeState.PLANNED}), STAFF, payment, "")
    with store.transaction():
        assert Journal(store, clock=clock).apply_now(write)
    rows = store.refunds.for_charge(cid)
    assert [(r.amount, r.refunded_at, r.source) for r in rows] == [
        (1_000, paid_at + timedelta(days=1), RefundSource.GATEWAY),
        (1_500, paid_at + timedelta(days=4), RefundSource.GATEWAY),
    ]
    assert store.refunds.unbalanced() == []
    start, end = kst_day(paid_at), clock.today()
    by_day = {d: f.refunded_amount for d, f in reports.settlement(store, start, end).days}
    assert by_day[kst_day(paid_at + timedelta(days=1))] == 1_000
    assert by_day[kst_day(paid_at + timedelta(days=4))] == 1_500
    assert sum(by_day.values()) == 2_500
