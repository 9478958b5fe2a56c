"""i'mport is the ledger (issue #11 item 1): before a new attempt of a (key, period) the engine
reads i'mport's record of the key, records what it holds, charges nothing for a period paid
there, and numbers a new attempt past every attempt i'mport knows.

First the rules on the scripted fake; then the three ways a database forgets, on the real sandbox
over HTTP: two installs with their own databases, a lost database re-imported, a restored backup.
Each of those also runs with the check switched off, to show that the test sees the double charge
it guards against.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from kpadmin.billing.due import SkipReason
from kpadmin.billing.engine import ChargeEngine
from kpadmin.billing.gateway import AuthFailed, GatewayPayment, OutcomeUnknown, PaymentStatus
from kpadmin.billing.ledger import period_cutoff
from kpadmin.billing.messages import AuditAction, MessageCode
from kpadmin.billing.order_ids import is_attempt_of, order_id_for, parse_order_id
from kpadmin.store import (
    AuditRepository,
    ChargeRepository,
    NewSubscriber,
    Store,
    SubscriberRepository,
    open_store,
)
from kpadmin.store.models import ChargeState
from tests.billing.fakes import FakeGateway
from tests.billing.sandboxed import gateway_for
from tests.clock import NOW, TODAY, add_months
from tests.fixtures.sandbox import RunningSandbox

pytestmark = pytest.mark.anyio

DUE = TODAY - timedelta(days=12)
PERIOD = f"{DUE:%Y-%m}"


def engine_for(store: Store, gateway: object, *, ledger: bool = True) -> ChargeEngine:
    return ChargeEngine(
        store,
        gateway,  # type: ignore[arg-type]
        clock=lambda: NOW,
        retry_delays=(0.0,),
        lookup_tries=2,
        read_ledger=ledger,
    )


def subscribers(store: Store, uids: list[str]) -> list[int]:
    return SubscriberRepository(store).add_many(
        NewSubscriber(uid, f"고객{i}", 10_000 + i, DUE.day, DUE) for i, uid in enumerate(uids)
    )


# ------------------------------------------------------------------------------ order ids


def test_an_order_id_reads_back_into_its_parts() -> None:
    uid = order_id_for("cust-7", "2026-11", 12)
    parsed = parse_order_id(uid)
    assert parsed is not None and (parsed.period, parsed.attempt) == ("2026-11", 12)
    assert is_attempt_of(uid, "cust-7", "2026-11") == 12
    assert is_attempt_of(uid, "cust-8", "2026-11") is None
    assert is_attempt_of(uid, "cust-7", "2026-12") is None
    for other in ("kpa-su-abc", "kp-zz-202611-1", "imp_123", "kp-0123456789abcdef-202613-1"):
        assert parse_order_id(other) is None


# ------------------------------------------------------------------------------ the fake


async def test_a_period_paid_at_iamport_is_recorded_and_not_charged(any_store: Store) -> None:
    store = any_store
    (sid,) = subscribers(store, ["cust-0"])
    api = FakeGateway()
    # Another install paid attempt 2 after its attempt 1 was declined; this database knows none.
    api.add_payment(order_id_for("cust-0", PERIOD, 1), "cust-0", 10_000, "failed")
    api.add_payment(order_id_for("cust-0", PERIOD, 2), "cust-0", 10_000, "paid")
    engine = engine_for(store, api)
    result = await engine.run(engine.plan(None, None, "kim"))
    assert api.pay_calls == []
    assert result.progress.total == 0
    (skip,) = result.skipped
    assert skip.reason is SkipReason.ALREADY_PAID
    assert skip.note.code is MessageCode.SKIP_PAID_AT_GATEWAY
    rows = ChargeRepository(store).for_subscriber(sid)
    assert [(c.attempt, c.state) for c in rows] == [
        (1, ChargeState.DECLINED),
        (2, ChargeState.PAID),
    ]
    assert rows[1].paid_amount == 10_000 and rows[1].imp_uid
    sub = SubscriberRepository(store).get(sid)
    assert sub is not None and sub.next_charge_date == add_months(DUE, 1)
    actions = [e.action for e in AuditRepository(store).list()]
    assert actions.count(AuditAction.FOUND_AT_GATEWAY) == 2
    # The next plan knows it: nothing due, no read needed.
    assert engine.plan(None, None, "kim").count == 0


async def test_a_new_attempt_is_numbered_past_every_attempt_iamport_knows(any_store: Store) -> None:
    store = any_store
    (sid,) = subscribers(store, ["cust-0"])
    api = FakeGateway()
    for attempt in (1, 2, 3):
        api.add_payment(order_id_for("cust-0", PERIOD, attempt), "cust-0", 10_000, "failed")
    engine = engine_for(store, api)
    plan = engine.plan(None, None, "kim")
    assert [i.attempt for i in plan.items] == [1]  # the journal alone would send attempt 1
    result = await engine.run(plan)
    assert api.pay_calls == [order_id_for("cust-0", PERIOD, 4)]
    assert result.progress.paid == 1
    rows = ChargeRepository(store).for_subscriber(sid)
    assert [(c.attempt, c.state) for c in rows] == [
        (1, ChargeState.DECLINED),
        (2, ChargeState.DECLINED),
        (3, ChargeState.DECLINED),
        (4, ChargeState.PAID),
    ]


async def test_an_attempt_not_final_at_iamport_blocks_the_subscriber(any_store: Store) -> None:
    store = any_store
    (sid,) = subscribers(store, ["cust-0"])
    api = FakeGateway()
    api.add_payment(order_id_for("cust-0", PERIOD, 1), "cust-0", 10_000, "ready")
    engine = engine_for(store, api)
    result = await engine.run(engine.plan(None, None, "kim"))
    assert api.pay_calls == []
    (skip,) = result.skipped
    assert (skip.reason, skip.note.code) == (SkipReason.IN_DOUBT, MessageCode.SKIP_GATEWAY_UNCLEAR)
    (row,) = ChargeRepository(store).for_subscriber(sid)
    assert row.state is ChargeState.UNKNOWN
    # Once i'mport settles it, reconciliation brings it in like any row in doubt.
    api.payments[row.merchant_uid] = []
    api.add_payment(row.merchant_uid, "cust-0", 10_000, "paid")
    report = await engine.reconcile()
    assert report.paid == 1


async def test_a_decline_here_paid_there_becomes_paid(any_store: Store) -> None:
    store = any_store
    (sid,) = subscribers(store, ["cust-0"])
    api = FakeGateway()
    first = order_id_for("cust-0", PERIOD, 1)
    api.when(first, "decline")
    engine = engine_for(store, api)
    await engine.run(engine.plan(None, None, "kim"))
    # Another desk (its own database) sent attempt 1 again and i'mport took it.
    api.add_payment(first, "cust-0", 10_000, "paid")
    result = await engine.run(engine.plan(None, None, "kim"))
    assert api.pay_calls == [first]  # attempt 2 never left
    assert [s.reason for s in result.skipped] == [SkipReason.ALREADY_PAID]
    (row,) = ChargeRepository(store).for_subscriber(sid)
    assert (row.merchant_uid, row.state) == (first, ChargeState.PAID)


class _Unreadable(FakeGateway):
    async def key_payments(self, key_id: str) -> AsyncIterator[GatewayPayment]:
        raise OutcomeUnknown("i'mport did not answer")
        yield  # pragma: no cover - an async generator


async def test_an_unreadable_record_charges_nobody(any_store: Store) -> None:
    store = any_store
    subscribers(store, ["cust-0", "cust-1"])
    api = _Unreadable()
    engine = engine_for(store, api)
    result = await engine.run(engine.plan(None, None, "kim"))
    assert api.pay_calls == []
    assert {(s.reason, s.note.code) for s in result.skipped} == {
        (SkipReason.IN_DOUBT, MessageCode.SKIP_LEDGER_UNREADABLE)
    }
    assert ChargeRepository(store).list_all() == []


class _Refused(FakeGateway):
    async def key_payments(self, key_id: str) -> AsyncIterator[GatewayPayment]:
        raise AuthFailed("i'mport refused the key and secret")
        yield  # pragma: no cover - an async generator


async def test_refused_credentials_stop_the_batch_as_before(any_store: Store) -> None:
    """No access token: the read fails and so would any charge; the batch stops at its first
    charge with the usual message, and nothing is paid."""
    subscribers(any_store, ["cust-0", "cust-1"])
    api = _Refused()
    api.default = "auth"
    engine = engine_for(any_store, api)
    result = await engine.run(engine.plan(None, None, "kim"), concurrency=1)
    assert result.error is not None and "authentication failed" in result.error
    assert result.progress.paid == 0 and not any(api.paid().values())


class _Counting(FakeGateway):
    def __init__(self) -> None:
        super().__init__()
        self.read: list[str] = []
        self.extra: list[GatewayPayment] = []

    async def key_payments(self, key_id: str) -> AsyncIterator[GatewayPayment]:
        async for payment in super().key_payments(key_id):
            self.read.append(payment.order_id)
            yield payment
        for payment in self.extra:
            self.read.append(payment.order_id)
            yield payment


async def test_reading_stops_before_the_period(any_store: Store) -> None:
    """Newest first: the first payment older than the period's start (less a month for a charge
    made early) ends the read; older months are never read."""
    store = any_store
    subscribers(store, ["cust-0"])
    api = _Counting()
    old = period_cutoff(PERIOD) - timedelta(days=1)
    api.extra = [
        GatewayPayment(f"imp_old{i}", f"other-{i}", PaymentStatus.PAID, 1, started_at=old)
        for i in range(3)
    ]
    engine = engine_for(store, api)
    result = await engine.run(engine.plan(None, None, "kim"))
    assert result.progress.paid == 1
    # The charge itself is listed first (newest); then one old payment, and the read stops.
    assert api.read == ["other-0"]


async def test_resending_a_planned_row_needs_no_read(any_store: Store) -> None:
    store = any_store
    subscribers(store, ["cust-0"])
    api = _Counting()
    first = order_id_for("cust-0", PERIOD, 1)
    api.when(first, "not_sent", "not_sent", "not_sent", "not_sent")
    engine = engine_for(store, api)
    await engine.run(engine.plan(None, None, "kim"))
    reads_before = len(api.read)
    plan = engine.plan(None, None, "kim")
    assert plan.items[0].resend_charge_id is not None
    await engine.run(plan)
    assert len(api.read) == reads_before  # the planned row is looked up by order id instead


# ------------------------------------------------------------------- the sandbox, over HTTP


def _keys(sandbox: RunningSandbox, uids: list[str], *, declining: set[str]) -> None:
    for uid in uids:
        sandbox.state.issue_billing_key(
            uid, card_name="신한카드", behaviour="decline" if uid in declining else None
        )


def _paid_per_key(sandbox: RunningSandbox) -> Counter[str]:
    """customer_uid -> paid payments of PERIOD at the sandbox (the money that moved)."""
    paid: Counter[str] = Counter()
    for p in sandbox.state.all_payments():
        if p["status"] == "paid" and is_attempt_of(p["merchant_uid"], p["customer_uid"], PERIOD):
            paid[p["customer_uid"]] += 1
    return paid


async def _batch(store: Store, sandbox: RunningSandbox, *, ledger: bool) -> None:
    async with gateway_for(sandbox) as gateway:
        engine = engine_for(store, gateway, ledger=ledger)
        plan = engine.plan(None, None, "desk")
        if plan.count:
            await engine.run(plan, concurrency=4)


def _local_paid(store: Store) -> set[str]:
    charges = ChargeRepository(store).list_all()
    return {c.customer_uid for c in charges if c.state is ChargeState.PAID}


UIDS = [f"cu-{i:03d}" for i in range(24)]
DECLINING = set(UIDS[::3])  # a third of the cards decline at first


@pytest.mark.parametrize("ledger", [True, False], ids=["ledger", "journal-only"])
async def test_two_installs_with_declines_never_pay_twice(
    sandbox: RunningSandbox, tmp_path: Path, ledger: bool
) -> None:
    """Desk A charges (a third declined); desk B, with a database of its own, charges the same
    customers: declined twice more, then paid once the cards are fixed (its attempt 3). Then A
    retries. With the check: each customer paid once, and both desks know it. Journal-only: A
    sends its attempt 2, which failed at B, so i'mport takes it: the retried ones pay twice."""
    _keys(sandbox, UIDS, declining=DECLINING)
    desk_a = open_store(tmp_path / "a.sqlite3")
    desk_b = open_store(tmp_path / "b.sqlite3")
    subscribers(desk_a, UIDS)
    subscribers(desk_b, UIDS)
    await _batch(desk_a, sandbox, ledger=ledger)
    await _batch(desk_b, sandbox, ledger=ledger)
    await _batch(desk_b, sandbox, ledger=ledger)
    _keys(sandbox, sorted(DECLINING), declining=set())  # the customers fixed their cards
    await _batch(desk_b, sandbox, ledger=ledger)
    await _batch(desk_a, sandbox, ledger=ledger)
    await _batch(desk_b, sandbox, ledger=ledger)
    paid = _paid_per_key(sandbox)
    assert set(paid) == set(UIDS)
    doubles = sorted(uid for uid, n in paid.items() if n > 1)
    if not ledger:
        assert doubles == sorted(DECLINING)  # what issue #11 measured
        return
    assert doubles == []
    assert _local_paid(desk_a) == _local_paid(desk_b) == set(UIDS)
    for store in (desk_a, desk_b):
        assert [c for c in ChargeRepository(store).list_all() if c.state.in_doubt] == []


@pytest.mark.parametrize("ledger", [True, False], ids=["ledger", "journal-only"])
async def test_a_lost_database_and_a_reimport_never_pay_twice(
    sandbox: RunningSandbox, tmp_path: Path, ledger: bool
) -> None:
    _keys(sandbox, UIDS, declining=DECLINING)
    first = open_store(tmp_path / "first.sqlite3")
    subscribers(first, UIDS)
    await _batch(first, sandbox, ledger=ledger)  # two thirds paid, a third declined
    _keys(sandbox, sorted(DECLINING), declining=set())
    await _batch(first, sandbox, ledger=ledger)  # attempt 2 pays the rest
    first.close()
    (tmp_path / "first.sqlite3").unlink()  # the disk died; staff re-import the customer list
    again = open_store(tmp_path / "again.sqlite3")
    subscribers(again, UIDS)
    await _batch(again, sandbox, ledger=ledger)
    await _batch(again, sandbox, ledger=ledger)
    paid = _paid_per_key(sandbox)
    doubles = sorted(uid for uid, n in paid.items() if n > 1)
    if not ledger:
        assert doubles == sorted(DECLINING)
        return
    assert doubles == [] and set(paid) == set(UIDS)
    assert _local_paid(again) == set(UIDS)


@pytest.mark.parametrize("ledger", [True, False], ids=["ledger", "journal-only"])
async def test_a_restored_backup_never_pays_twice(
    sandbox: RunningSandbox, tmp_path: Path, ledger: bool
) -> None:
    """The backup knows attempt 1 (declined); after it, attempt 2 was declined and attempt 3
    paid. Restored, the journal alone would send attempt 2, which i'mport takes."""
    _keys(sandbox, UIDS, declining=DECLINING)
    path = tmp_path / "kp.sqlite3"
    store = open_store(path)
    subscribers(store, UIDS)
    await _batch(store, sandbox, ledger=ledger)  # a third declined (attempt 1)
    store.close()
    backup = tmp_path / "backup"
    backup.mkdir()
    shutil.copy2(path, backup / path.name)
    store = open_store(path)
    await _batch(store, sandbox, ledger=ledger)  # attempt 2: declined again
    _keys(sandbox, sorted(DECLINING), declining=set())
    await _batch(store, sandbox, ledger=ledger)  # attempt 3 pays them
    store.close()
    for name in ("kp.sqlite3-wal", "kp.sqlite3-shm"):
        (tmp_path / name).unlink(missing_ok=True)
    shutil.copy2(backup / path.name, path)  # the backup from before those batches comes back
    store = open_store(path)
    await _batch(store, sandbox, ledger=ledger)
    await _batch(store, sandbox, ledger=ledger)
    paid = _paid_per_key(sandbox)
    doubles = sorted(uid for uid, n in paid.items() if n > 1)
    if not ledger:
        assert doubles == sorted(DECLINING)
        return
    assert doubles == [] and set(paid) == set(UIDS)
    assert _local_paid(store) == set(UIDS)
    assert [c for c in ChargeRepository(store).list_all() if c.state.in_doubt] == []
