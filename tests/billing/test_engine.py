"""The charge engine against a scripted fake API: every outcome class, the durability rule, the
concurrency promises, cancellation, the monthly cap, and reconciliation of crash leftovers."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kpadmin.billing.due import SkipReason
from kpadmin.billing.engine import ChargeEngine, ChargeEvent, EngineBusy, EventKind
from kpadmin.billing.engine.results import MIN_RPS
from kpadmin.billing.order_ids import order_id_for
from kpadmin.billing.periods import SEOUL
from kpadmin.store import (
    AuditRepository,
    ChargeRepository,
    DatabaseBusy,
    NewCharge,
    NewSubscriber,
    Store,
    SubscriberRepository,
    open_store,
)
from kpadmin.store.models import ChargeState, SubscriberState
from tests.billing.fakes import FakeGateway
from tests.clock import NOW, TODAY, add_months
from tests.sql import sql

pytestmark = pytest.mark.anyio

# The injected instant (tests/clock.py); every date below is relative to it.
DUE = TODAY - timedelta(days=12)  # the subscribers' charge date: due, twelve days ago
PERIOD = f"{DUE:%Y-%m}"
NEXT = add_months(DUE, 1)  # where a paid charge moves the date


def clock() -> datetime:
    return NOW


@pytest.fixture
def db_path(tmp_path: Path, sqlite_only: None) -> Path:
    """The SQLite file (a test that looks at the file itself runs on SQLite only)."""
    return tmp_path / "kp.sqlite3"


@pytest.fixture
def conn(store_target: str) -> Iterator[Store]:
    """The engine's store on SQLite and on PostgreSQL (tests/fixtures/stores.py)."""
    store = open_store(store_target)
    yield store
    store.close()


def add_subscribers(conn: Store, n: int, **overrides: object) -> list[int]:
    fields: dict[str, object] = {"billing_day": DUE.day, "next_charge_date": DUE}
    fields.update(overrides)
    return SubscriberRepository(conn).add_many(
        NewSubscriber(f"cust-{i}", f"고객{i}", 10_000 + i, **fields)  # type: ignore[arg-type]
        for i in range(n)
    )


def engine(conn: Store, api: FakeGateway, **kw: object) -> ChargeEngine:
    kw.setdefault("retry_delays", (0.0,))
    return ChargeEngine(conn, api, clock=clock, **kw)  # type: ignore[arg-type]


def muid(i: int, attempt: int = 1, period: str = PERIOD) -> str:
    return order_id_for(f"cust-{i}", period, attempt)


def states(conn: Store) -> dict[str, ChargeState]:
    return {c.merchant_uid: c.state for c in ChargeRepository(conn).list_all()}


async def test_happy_batch_pays_advances_and_audits(conn: Store) -> None:
    ids = add_subscribers(conn, 3)
    api = FakeGateway()
    eng = engine(conn, api)
    plan = eng.plan(None, TODAY, "김직원")
    assert (plan.count, plan.total_amount) == (3, 30_003)
    events: list[ChargeEvent] = []
    result = await eng.run(plan, concurrency=2, on_event=events.append)
    assert result.ok and result.progress.paid == 3 and result.progress.paid_amount == 30_003
    assert [e.kind for e in events if e.kind is not EventKind.WRITTEN] == [
        EventKind.RECONCILING,
        EventKind.STARTED,
        EventKind.CHARGE,
        EventKind.CHARGE,
        EventKind.CHARGE,
        EventKind.FINISHED,
    ]
    # Each subscriber's intent is announced written once, before its outcome.
    written = [sid for e in events if e.kind is EventKind.WRITTEN for sid in e.ids]
    assert sorted(written) == sorted(ids)
    for n, event in enumerate(events):
        if event.outcome is not None:
            before = events[:n]
            assert any(event.outcome.subscriber_id in e.ids for e in before)
    assert events[-1].progress.done == 3 and events[-1].progress.in_flight == 0
    assert set(states(conn).values()) == {ChargeState.PAID}
    for sub in SubscriberRepository(conn).get_many(ids):
        assert sub.next_charge_date == NEXT
        assert sub.card_name == "카카오페이머니"
    charge_audits = AuditRepository(conn).list(action="charge")
    assert len(charge_audits) == 3 and {a.staff for a in charge_audits} == {"김직원"}
    # Nothing is due any more; a second run charges nobody.
    assert eng.plan(None, TODAY, "김직원").count == 0
    assert len(api.pay_calls) == 3
    # The batch id starts with its Korean date and time (what staff read), not UTC.
    (batch,) = {c.batch_id for c in ChargeRepository(conn).list_all()}
    assert batch is not None and batch.startswith(f"{NOW.astimezone(SEOUL):%Y%m%d%H%M%S}-")


async def test_intents_are_durable_before_any_request_leaves(conn: Store, db_path: Path) -> None:
    add_subscribers(conn, 5)
    api = FakeGateway()
    seen: list[tuple[str, set[str]]] = []

    def check(merchant_uid: str) -> None:
        # Another connection (another process, after a crash) must already see this intent.
        other = sqlite3.connect(db_path)
        try:
            seen.append(
                (merchant_uid, {r[0] for r in other.execute("SELECT merchant_uid FROM charges")})
            )
        finally:
            other.close()

    api.before_send = check
    await engine(conn, api).run(engine(conn, api).plan(None, TODAY, "k"), concurrency=1)
    assert sorted(uid for uid, _ in seen) == sorted(muid(i) for i in range(5))
    assert all(uid in on_disk for uid, on_disk in seen)


async def test_lost_answer_after_payment_is_looked_up_not_resent(conn: Store) -> None:
    add_subscribers(conn, 2)
    api = FakeGateway()
    api.when(muid(0), "drop_after")
    api.when(muid(1), "garbage_after")
    result = await engine(conn, api).run(engine(conn, api).plan(None, TODAY, "k"))
    assert result.ok and result.progress.paid == 2
    assert api.pay_calls.count(muid(0)) == 1 and api.pay_calls.count(muid(1)) == 1
    assert muid(0) in api.lookups and muid(1) in api.lookups
    assert all(len(ps) == 1 for ps in api.paid().values())


async def test_lost_request_is_resent_with_the_same_merchant_uid(conn: Store) -> None:
    add_subscribers(conn, 1)
    api = FakeGateway()
    api.when(muid(0), "drop_before", "drop_before")
    result = await engine(conn, api).run(engine(conn, api).plan(None, TODAY, "k"))
    assert result.ok
    assert api.pay_calls == [muid(0)] * 3  # looked up in between, same id each time
    assert api.lookups.count(muid(0)) == 2


async def test_nothing_found_after_every_resend_stays_planned(conn: Store) -> None:
    add_subscribers(conn, 1)
    api = FakeGateway()
    api.when(muid(0), "drop_before", "drop_before", "drop_before")
    eng = engine(conn, api, resends=2)
    result = await eng.run(eng.plan(None, TODAY, "k"))
    assert not result.ok and result.progress.unsent == 1
    assert states(conn) == {muid(0): ChargeState.PLANNED}
    # The next batch sends the very same merchant_uid again (after a lookup).
    again = await eng.run(eng.plan(None, TODAY, "k"))
    assert again.ok and states(conn) == {muid(0): ChargeState.PAID}


async def test_rejection_is_confirmed_by_lookup(conn: Store) -> None:
    add_subscribers(conn, 2)
    api = FakeGateway()
    api.when(muid(0), "reject")
    api.when(muid(1), "reject_after")  # code != 0, yet money moved (REFERENCE §0)
    result = await engine(conn, api).run(engine(conn, api).plan(None, TODAY, "k"))
    assert states(conn) == {muid(0): ChargeState.REJECTED, muid(1): ChargeState.PAID}
    assert result.progress.rejected == 1 and not result.ok
    assert muid(0) in api.lookups and muid(1) in api.lookups


async def test_declines_are_not_retried_within_a_run(conn: Store) -> None:
    add_subscribers(conn, 1)
    api = FakeGateway()
    api.when(muid(0), "decline")
    eng = engine(conn, api)
    result = await eng.run(eng.plan(None, TODAY, "k"))
    assert result.progress.declined == 1 and api.pay_calls == [muid(0)]
    (outcome,) = result.outcomes
    assert "잔액" in outcome.message
    # A later run writes attempt 2, after looking attempt 1 up again.
    api.lookups.clear()
    again = await eng.run(eng.plan(None, TODAY, "k"))
    assert again.ok and api.pay_calls == [muid(0), muid(0, 2)]
    assert api.lookups == [muid(0)]
    assert states(conn) == {muid(0): ChargeState.DECLINED, muid(0, 2): ChargeState.PAID}


async def test_earlier_attempt_found_paid_blocks_a_new_attempt(conn: Store) -> None:
    (sid,) = add_subscribers(conn, 1)
    charges = ChargeRepository(conn)
    cid = charges.insert(
        NewCharge(sid, "cust-0", PERIOD, 1, muid(0), 10_000), batch_id=None, staff="k"
    )
    charges.set_state(cid, ChargeState.DECLINED, fail_reason="recorded from a stale lookup")
    api = FakeGateway()
    api.add_payment(muid(0), "cust-0", 10_000, "paid")  # the answer that was lost, long ago
    eng = engine(conn, api)
    result = await eng.run(eng.plan(None, TODAY, "k"))
    assert api.pay_calls == []
    assert [s.reason for s in result.skipped] == [SkipReason.ALREADY_PAID]
    assert states(conn) == {muid(0): ChargeState.PAID}
    sub = SubscriberRepository(conn).get(sid)
    assert sub is not None and sub.next_charge_date == NEXT


async def test_unsettled_lookup_blocks_the_subscriber_until_reconciled(
    conn: Store,
) -> None:
    add_subscribers(conn, 2)
    api = FakeGateway()
    api.when(muid(0), "drop_after")
    api.lookup_failures[muid(0)] = 4  # every lookup try of this run fails
    eng = engine(conn, api, lookup_tries=4)
    result = await eng.run(eng.plan(None, TODAY, "k"))
    assert result.progress.unknown == 1 and result.progress.paid == 1
    plan = eng.plan(None, TODAY, "k")
    assert plan.count == 0 and [s.reason for s in plan.skipped] == [SkipReason.IN_DOUBT]
    report = await eng.reconcile(staff="k")
    assert report.paid == 1 and report.unknown == 0
    assert set(states(conn).values()) == {ChargeState.PAID}
    assert sum(len(ps) for ps in api.paid().values()) == 2


async def test_not_sent_is_retried(conn: Store) -> None:
    add_subscribers(conn, 1)
    api = FakeGateway()
    api.when(muid(0), "not_sent", "not_sent")
    result = await engine(conn, api).run(engine(conn, api).plan(None, TODAY, "k"))
    assert result.ok and api.pay_calls == [muid(0)] * 3
    assert api.lookups == []  # surely not sent: no lookup needed


async def test_authentication_failure_stops_the_batch(conn: Store) -> None:
    add_subscribers(conn, 4)
    api = FakeGateway()
    api.default = "auth"
    eng = engine(conn, api)
    result = await eng.run(eng.plan(None, TODAY, "k"), concurrency=1)
    assert result.error is not None and "authentication" in result.error
    assert len(api.pay_calls) == 1
    # The refused one stays planned (sent again next time); the untouched ones are withdrawn.
    assert states(conn) == {muid(0): ChargeState.PLANNED}


async def test_cancel_stops_new_sends_and_withdraws_the_rest(conn: Store) -> None:
    add_subscribers(conn, 6)
    api = FakeGateway()
    cancel = asyncio.Event()

    def on_event(event: ChargeEvent) -> None:
        if event.kind is EventKind.CHARGE and event.progress.done == 2:
            cancel.set()

    eng = engine(conn, api)
    result = await eng.run(
        eng.plan(None, TODAY, "k"), concurrency=1, on_event=on_event, cancel=cancel
    )
    assert result.cancelled and result.progress.paid == 2
    # The other four were never written: each intent is written just before its own request.
    assert states(conn) == {muid(0): ChargeState.PAID, muid(1): ChargeState.PAID}
    assert eng.plan(None, TODAY, "k").count == 4


async def test_cancel_withdraws_an_intent_written_but_not_sent(conn: Store) -> None:
    """Two intents are written in one group; the second waits its turn (rps) when Stop comes:
    it never left, so it is deleted (audited), not left planned for a lookup."""
    add_subscribers(conn, 2)
    api = FakeGateway()
    cancel = asyncio.Event()

    def on_event(event: ChargeEvent) -> None:
        if event.kind is EventKind.CHARGE:
            cancel.set()

    eng = engine(conn, api)
    result = await eng.run(
        eng.plan(None, TODAY, "k"), concurrency=2, rps=MIN_RPS, on_event=on_event, cancel=cancel
    )
    assert result.cancelled and result.progress.paid == 1
    assert len(api.pay_calls) == 1
    assert list(states(conn).values()) == [ChargeState.PAID]
    assert AuditRepository(conn).list(action="charge_withdrawn")
    assert eng.plan(None, TODAY, "k").count == 1


async def test_concurrency_bound_and_one_request_per_subscriber(conn: Store) -> None:
    add_subscribers(conn, 40)
    api = FakeGateway(latency=0.005)
    eng = engine(conn, api)
    result = await eng.run(eng.plan(None, TODAY, "k"), concurrency=7)
    assert result.ok and result.progress.paid == 40
    assert 1 < api.max_in_flight <= 7


async def test_one_batch_at_a_time(conn: Store) -> None:
    add_subscribers(conn, 3)
    api = FakeGateway(latency=0.01)
    eng = engine(conn, api)
    first = asyncio.create_task(eng.run(eng.plan(None, TODAY, "k")))
    await asyncio.sleep(0)
    with pytest.raises(EngineBusy):
        await eng.run(eng.plan(None, TODAY, "k"))
    assert (await first).ok


async def test_plan_explains_every_skip(conn: Store) -> None:
    ids = add_subscribers(conn, 5)
    subs = SubscriberRepository(conn)
    subs.update(ids[0], state=SubscriberState.PAUSED)
    subs.update(ids[1], state=SubscriberState.KEY_MISSING)
    tomorrow = TODAY + timedelta(days=1)
    subs.update(ids[2], next_charge_date=tomorrow)
    subs.update(ids[3], state=SubscriberState.CANCELLED)
    eng = engine(conn, FakeGateway())
    plan = eng.plan(None, TODAY, "k")
    assert [i.subscriber_id for i in plan.items] == [ids[4]]
    assert {s.reason for s in plan.skipped} == {SkipReason.PAUSED, SkipReason.KEY_MISSING}
    chosen = eng.plan([ids[2], ids[3], 999], TODAY, "k")
    assert {s.reason for s in chosen.skipped} == {
        SkipReason.NOT_DUE,
        SkipReason.CANCELLED,
        SkipReason.UNKNOWN_SUBSCRIBER,
    }
    early = eng.plan([ids[2]], TODAY, "k", include_not_due=True)
    assert early.count == 1 and early.items[0].period == f"{tomorrow:%Y-%m}"
    assert [s.id for s in eng.due_subscribers(TODAY)] == [ids[4]]


async def test_monthly_cap_refuses_and_says_why(conn: Store) -> None:
    (sid,) = add_subscribers(conn, 1)
    api = FakeGateway()
    eng = engine(conn, api, monthly_limit=1)
    first = await eng.run(eng.plan(None, TODAY, "k"))  # pays DUE's period, today
    assert first.ok
    # Staff charges the next period early (charge now): one paid this month, the cap is reached.
    plan = eng.plan([sid], TODAY, "k", include_not_due=True)
    assert plan.count == 0
    (skip,) = plan.skipped
    assert skip.reason is SkipReason.MONTHLY_CAP and "cap" in skip.message
    assert skip.subscriber_id == sid


async def test_crash_leftovers_are_reconciled_before_the_batch(conn: Store) -> None:
    ids = add_subscribers(conn, 3)
    charges = ChargeRepository(conn)
    api = FakeGateway()
    # A crashed run left: #0 sent and paid at i'mport, #1 sent but never processed, #2 planned
    # and declined at i'mport.
    for i, state in ((0, ChargeState.SENT), (1, ChargeState.SENT), (2, ChargeState.PLANNED)):
        cid = charges.insert(
            NewCharge(ids[i], f"cust-{i}", PERIOD, 1, muid(i), 10_000 + i),
            batch_id="old",
            staff="k",
        )
        charges.set_state(cid, state)
    api.add_payment(muid(0), "cust-0", 10_000, "paid")
    api.add_payment(muid(2), "cust-2", 10_002, "failed")
    eng = engine(conn, api)
    # A plan made before reconciling offers to send #2's intent again; the run's own
    # reconciliation finds it declined and does not start attempt 2 in the same run.
    stale = await eng.run(eng.plan(None, TODAY, "k"))
    assert stale.reconcile.paid == 1 and stale.reconcile.to_resend == 1
    assert [s.reason for s in stale.skipped] == [
        SkipReason.IN_DOUBT,  # #0 and #1 were "sent" when planned
        SkipReason.IN_DOUBT,
        SkipReason.DECLINED_THIS_RUN,
    ]
    assert api.pay_calls == []
    # The CLI and the GUI reconcile, then plan: #1 (never processed) goes out with its old id.
    assert (await eng.reconcile()).checked == 1
    result = await eng.run(eng.plan(None, TODAY, "k"))
    # #0 needed no request; #1 goes out with its old id; #2's decline was in an earlier run, so
    # this run may try attempt 2.
    assert sorted(api.pay_calls) == sorted([muid(1), muid(2, 2)]) and result.ok
    assert states(conn) == {
        muid(0): ChargeState.PAID,
        muid(1): ChargeState.PAID,
        muid(2): ChargeState.DECLINED,
        muid(2, 2): ChargeState.PAID,
    }
    assert SubscriberRepository(conn).get(ids[0]).next_charge_date == NEXT  # type: ignore[union-attr]


async def test_cancelling_the_task_leaves_in_flight_rows_in_doubt(
    conn: Store,
) -> None:
    add_subscribers(conn, 2)
    api = FakeGateway(latency=10)
    eng = engine(conn, api)
    task = asyncio.create_task(eng.run(eng.plan(None, TODAY, "k"), concurrency=2))
    while len(api.pay_calls) < 2:
        await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    # Recorded by the time run() has returned (not by a timer that might never fire).
    assert set(states(conn).values()) == {ChargeState.UNKNOWN}
    assert not eng.running


async def test_intent_of_a_paused_subscriber_is_withdrawn_after_a_quiet_period(
    conn: Store,
) -> None:
    (sid,) = add_subscribers(conn, 1)
    charges = ChargeRepository(conn)
    charges.insert(
        NewCharge(sid, "cust-0", PERIOD, 1, muid(0), 10_000),
        batch_id="crashed",
        staff="k",
        now=NOW,
    )
    SubscriberRepository(conn).update(sid, state=SubscriberState.PAUSED)
    api = FakeGateway()
    moments = [NOW]
    eng = ChargeEngine(conn, api, clock=lambda: moments[0], retry_delays=(0.0,))
    early = await eng.reconcile()  # a request for it could still be on its way: keep it
    assert early.to_resend == 1 and states(conn) == {muid(0): ChargeState.PLANNED}
    moments[0] = NOW + timedelta(minutes=11)
    later = await eng.reconcile()
    assert later.count(ChargeState.REJECTED) == 1
    assert states(conn) == {muid(0): ChargeState.REJECTED}
    assert charges.in_doubt() == []


async def test_a_second_process_cannot_charge_the_same_database(conn: Store, db_path: Path) -> None:
    import subprocess
    import sys
    import textwrap

    add_subscribers(conn, 2)
    holder = textwrap.dedent(
        f"""
        import fcntl, os, sys, time
        fd = os.open({str(db_path) + ".charge-lock"!r}, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        print("locked", flush=True)
        sys.stdin.read()
        """
    )
    # The with block closes the child's pipes (and waits for it) however the test ends.
    with subprocess.Popen(
        [sys.executable, "-c", holder], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as other:
        try:
            assert other.stdout is not None and other.stdout.readline().strip() == "locked"
            eng = engine(conn, FakeGateway())
            with pytest.raises(EngineBusy, match="another kpadmin process"):
                await eng.run(eng.plan(None, TODAY, "k"))
            with pytest.raises(EngineBusy):
                await eng.reconcile()
        finally:
            other.kill()
    assert (await eng.run(eng.plan(None, TODAY, "k"))).ok  # the lock died with the process


async def test_a_failing_progress_callback_does_not_stop_the_batch(
    conn: Store,
) -> None:
    add_subscribers(conn, 3)

    def broken(event: ChargeEvent) -> None:
        raise RuntimeError("GUI bug")

    eng = engine(conn, FakeGateway())
    result = await eng.run(eng.plan(None, TODAY, "k"), on_event=broken)
    assert result.ok and result.progress.paid == 3


async def test_journal_keeps_writes_when_the_group_cannot_commit(
    conn: Store, db_path: Path
) -> None:
    from kpadmin.billing.journal import Journal, RowRef, Write

    (sid,) = add_subscribers(conn, 1)
    charges = ChargeRepository(conn)
    cid = charges.insert(
        NewCharge(sid, "cust-0", PERIOD, 1, muid(0), 10_000), batch_id="b", staff="k"
    )
    row = RowRef(cid, sid, "cust-0", PERIOD, 1, muid(0), 10_000)
    journal = Journal(conn, clock=clock, flush_interval=60)  # flushed by hand below
    journal.put(
        Write(row, ChargeState.DECLINED, frozenset({ChargeState.PLANNED}), "k", message="no")
    )
    sql(conn, "PRAGMA busy_timeout = 50")  # this thread's connection: the journal's
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    with pytest.raises(DatabaseBusy):
        journal.flush()
    assert charges.get(cid).state is ChargeState.PLANNED  # type: ignore[union-attr]
    other.execute("ROLLBACK")
    other.close()
    assert [w.state for w in journal.flush()] == [ChargeState.DECLINED]
    assert charges.get(cid).state is ChargeState.DECLINED  # type: ignore[union-attr]


async def test_a_plan_gone_stale_never_charges_the_next_period(conn: Store) -> None:
    (sid,) = add_subscribers(conn, 1)
    charges = ChargeRepository(conn)
    charges.insert(
        NewCharge(sid, "cust-0", PERIOD, 1, muid(0), 10_000), batch_id="crashed", staff="k"
    )
    api = FakeGateway()
    api.add_payment(muid(0), "cust-0", 10_000, "paid")  # the crashed run's request went through
    eng = engine(conn, api)
    plan = eng.plan(None, TODAY, "k")  # offers to send the planned intent again
    assert plan.items[0].resend_charge_id is not None
    result = await eng.run(plan)
    assert api.pay_calls == []  # not the intent (paid), and not the next period either
    assert [s.reason for s in result.skipped] == [SkipReason.CHANGED]
    assert states(conn) == {muid(0): ChargeState.PAID}


async def test_requests_per_second_spaces_the_sends(conn: Store) -> None:
    import time

    add_subscribers(conn, 6)
    api = FakeGateway()
    starts: list[float] = []
    api.before_send = lambda merchant_uid: starts.append(time.monotonic())
    eng = engine(conn, api)
    result = await eng.run(eng.plan(None, TODAY, "k"), concurrency=6, rps=40)
    assert result.ok
    # Six workers would all start at once; paced at 40/s the six starts span at least 5/40 s
    # (a lower bound only: a slow machine can only make the span longer).
    assert len(starts) == 6 and starts[-1] - starts[0] >= 0.1


async def test_a_stop_ends_the_pacers_wait_whatever_its_length() -> None:
    from kpadmin.billing.engine.send import Pacer as _Pacer

    pacer = _Pacer(1e-9)  # one start every 31 years: far below the settings' bounds, on purpose
    cancel = asyncio.Event()
    await pacer.wait(cancel)  # the first start never waits
    waiting = asyncio.create_task(pacer.wait(cancel))
    for _ in range(5):
        await asyncio.sleep(0)
    assert not waiting.done()
    cancel.set()
    await asyncio.wait_for(waiting, 60)  # a hang guard: the wait itself is 31 years


async def test_rates_outside_the_settings_bounds_are_refused(conn: Store) -> None:
    add_subscribers(conn, 1)
    api = FakeGateway()
    eng = engine(conn, api)
    for rps in (1e-300, 0.0, -1.0, float("nan"), 1e9):
        with pytest.raises(ValueError, match=r"rps must be 0\.1\.\.1000"):
            await eng.run(eng.plan(None, TODAY, "k"), rps=rps)
    assert api.pay_calls == [] and states(conn) == {}


@pytest.mark.parametrize("first", ["not_sent", "drop_before"])
async def test_a_stop_ends_the_back_off_and_nothing_more_is_sent(conn: Store, first: str) -> None:
    """A retry (not sent) or a re-send (lost answer, lookup shows nothing) waits first; a stop
    during that wait ends it and the charge is not sent again: it stays planned, not in doubt."""
    add_subscribers(conn, 1)
    api = FakeGateway()
    api.when(muid(0), first, "pay")
    eng = engine(conn, api, retry_delays=(3600.0,))
    cancel = asyncio.Event()
    task = asyncio.create_task(eng.run(eng.plan(None, TODAY, "k"), cancel=cancel))
    while not api.pay_calls or (first == "drop_before" and not api.lookups):
        await asyncio.sleep(0.01)
    for _ in range(5):
        await asyncio.sleep(0)
    cancel.set()
    result = await asyncio.wait_for(task, 60)  # a hang guard: the back-off is an hour
    assert api.pay_calls == [muid(0)]
    assert result.progress.unsent == 1 and result.progress.paid == 0
    assert states(conn) == {muid(0): ChargeState.PLANNED}
