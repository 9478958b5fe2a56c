"""The retry policy wired into planning and recording (kpadmin/billing/collections.py), run over
several (fake) days: retries only on the retry days, once a day however many runs, past due
after the last retry, staff retry, and the monthly-cap decline that waits for the 1st."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from kpadmin.billing.collections import Collections, outlook, request_retry
from kpadmin.billing.due import SkipReason
from kpadmin.billing.engine import ChargeEngine
from kpadmin.billing.gateway import GatewayPayment
from kpadmin.billing.messages import AuditAction
from kpadmin.billing.periods import SEOUL, today_in_seoul
from kpadmin.billing.retry_policy import first_of_next_month
from kpadmin.sandbox.state import MONTHLY_LIMIT_REASON
from kpadmin.store import NewSubscriber, Store, open_store
from kpadmin.store.models import ChargeState, SubscriberState
from tests.billing.fakes import FakeGateway
from tests.clock import FrozenClock

pytestmark = pytest.mark.anyio


class CapGateway(FakeGateway):
    """Declines the keys in ``capped`` with Kakao Pay's monthly-cap reason (the sandbox's)."""

    def __init__(self, clock: FrozenClock) -> None:
        super().__init__(clock=clock)
        self.capped: set[str] = set()

    def _process(
        self, customer_uid: str, merchant_uid: str, amount: int, status: str
    ) -> GatewayPayment:
        payment = super()._process(customer_uid, merchant_uid, amount, status)
        if status == "failed" and customer_uid in self.capped:
            payment = replace(payment, fail_reason=MONTHLY_LIMIT_REASON)
            self.payments[merchant_uid][-1] = payment
        return payment


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def store(tmp_path: Path, clock: FrozenClock) -> Store:
    return open_store(tmp_path / "kp.sqlite3", clock=clock)


def today(clock: FrozenClock) -> date:
    return today_in_seoul(clock)


def add(store: Store, clock: FrozenClock, uid: str = "cu-1") -> int:
    due = today(clock)
    return store.subscribers.add(NewSubscriber(uid, "홍길동", 9900, due.day, due)).id


def engine(store: Store, api: FakeGateway, clock: FrozenClock, days=(1, 3, 5)) -> ChargeEngine:
    return ChargeEngine(
        store, api, clock=clock, retry_delays=(0.0,), collections=Collections(tuple(days))
    )


async def run_once(eng: ChargeEngine) -> int:
    """One charge-due run: the plan, then the batch; how many were charged."""
    plan = eng.plan(None, None, "자동")
    if plan.count:
        await eng.run(plan, concurrency=2)
    return plan.count


def to_day(clock: FrozenClock, offset: int, start: datetime) -> None:
    """Noon-ish on day `start + offset` (Asia/Seoul), whatever the injected instant."""
    clock.moment = start + timedelta(days=offset)


async def test_a_declined_card_is_retried_on_days_1_3_5_once_a_day_then_past_due(
    store: Store, clock: FrozenClock
) -> None:
    sid = add(store, clock)
    api = FakeGateway(clock=clock)
    api.default = "decline"
    eng = engine(store, api, clock)
    # 09:00 Korean time today: three runs 20 minutes apart stay on one Korean day whatever the
    # injected instant's hour.
    start = datetime.combine(today(clock), time(9), tzinfo=SEOUL)
    charged_on: list[int] = []
    for offset in range(9):
        to_day(clock, offset, start)
        for _run in range(3):  # an hourly scheduler: three runs a day
            if await run_once(eng):
                charged_on.append(offset)
            clock.advance(minutes=20)
    assert charged_on == [0, 1, 3, 5]  # the first attempt, then days 1, 3, 5; once a day
    assert len(api.pay_calls) == 4
    assert store.subscribers.get(sid).state is SubscriberState.PAST_DUE
    past = store.audit.list(action=AuditAction.PAST_DUE.value)
    assert len(past) == 1 and past[0].subscriber_id == sid
    rows = store.charges.for_subscriber(sid)
    assert [c.state for c in rows] == [ChargeState.DECLINED] * 4
    assert len({c.period for c in rows}) == 1
    # The plan names why and (while waiting) when.
    to_day(clock, 2, start)
    eng2 = engine(store, api, clock)
    skip = next(s for s in eng2.plan(None, None, "x").skipped if s.subscriber_id == sid)
    assert skip.reason is SkipReason.PAST_DUE and skip.next_retry is None


async def test_the_plan_and_the_outlook_give_the_next_retry_date(
    store: Store, clock: FrozenClock
) -> None:
    sid = add(store, clock)
    api = FakeGateway(clock=clock)
    api.default = "decline"
    eng = engine(store, api, clock)
    first = today(clock)
    assert await run_once(eng) == 1
    skip = eng.plan(None, None, "x").skipped[0]
    assert skip.reason is SkipReason.ATTEMPTED_TODAY
    assert skip.next_retry == first + timedelta(days=1)
    assert "next retry on" in skip.message
    clock.advance(days=1)
    assert await run_once(eng) == 1
    skip = eng.plan(None, None, "x").skipped[0]
    assert skip.reason is SkipReason.ATTEMPTED_TODAY and skip.next_retry == first + timedelta(3)
    clock.advance(days=1)
    skip = eng.plan(None, None, "x").skipped[0]
    assert skip.reason is SkipReason.RETRY_WAIT and skip.next_retry == first + timedelta(3)
    seen = outlook(store, clock=clock, retry_days=(1, 3, 5))
    assert seen[sid].next_retry == first + timedelta(days=3) and not seen[sid].past_due


async def test_staff_retry_charges_a_past_due_subscriber_once_now(
    store: Store, clock: FrozenClock
) -> None:
    sid = add(store, clock)
    api = FakeGateway(clock=clock)
    api.default = "decline"
    eng = engine(store, api, clock, days=())  # retries off: the first decline is past due
    assert await run_once(eng) == 1
    assert store.subscribers.get(sid).state is SubscriberState.PAST_DUE
    assert await run_once(eng) == 0
    clock.advance(minutes=5)
    assert request_retry(store, [sid], staff="김직원", now=clock()) == [sid]
    assert store.subscribers.get(sid).state is SubscriberState.ACTIVE
    assert await run_once(eng) == 1  # the same day: a staff retry beats "once a day"
    assert store.subscribers.get(sid).state is SubscriberState.PAST_DUE  # declined again
    clock.advance(days=2)
    assert await run_once(eng) == 0  # the press was used up
    # A staff retry that pays settles the period.
    api.default = "pay"
    request_retry(store, [sid], staff="김직원", now=clock())
    assert await run_once(eng) == 1
    sub = store.subscribers.get(sid)
    assert sub.state is SubscriberState.ACTIVE and sub.next_charge_date > today(clock)
    assert len(store.audit.list(action=AuditAction.RETRY_REQUESTED.value)) == 2


async def test_a_monthly_cap_decline_waits_for_the_first_and_does_not_count(
    store: Store, clock: FrozenClock
) -> None:
    sid = add(store, clock)
    api = CapGateway(clock)
    api.default = "decline"
    api.capped.add("cu-1")
    eng = engine(store, api, clock, days=())  # one card decline would be past due
    assert await run_once(eng) == 1
    assert store.subscribers.get(sid).state is SubscriberState.ACTIVE  # no card failure
    skip = eng.plan(None, None, "x").skipped[0]
    first = first_of_next_month(today(clock))
    assert skip.reason is SkipReason.CAP_WAIT and skip.next_retry == first
    clock.advance(days=1)
    if today(clock) < first:
        assert await run_once(eng) == 0
    while today(clock) < first:
        clock.advance(days=1)
    api.capped.clear()
    api.default = "pay"
    assert await run_once(eng) == 1
    assert [c.state for c in store.charges.for_subscriber(sid)] == [
        ChargeState.DECLINED,
        ChargeState.PAID,
    ]


async def test_without_the_policy_the_engine_charges_a_declined_card_again(
    store: Store, clock: FrozenClock
) -> None:
    """The engine's own tests run without it (collections=None): the policy is what stops it."""
    add(store, clock)
    api = FakeGateway(clock=clock)
    api.default = "decline"
    eng = ChargeEngine(store, api, clock=clock, retry_delays=(0.0,))
    assert await run_once(eng) == 1
    assert await run_once(eng) == 1


async def test_the_export_says_past_due(store: Store, clock: FrozenClock, tmp_path: Path) -> None:
    import csv

    from kpadmin.billing.csvio import export_subscribers

    add(store, clock)
    api = FakeGateway(clock=clock)
    api.default = "decline"
    assert await run_once(engine(store, api, clock, days=())) == 1
    out = tmp_path / "subs.csv"
    export_subscribers(store, out)
    with out.open(encoding="utf-8-sig", newline="") as f:
        (row,) = list(csv.DictReader(f))
    assert row["state"] == "past_due"


async def test_a_missing_key_wins_over_past_due(store: Store, clock: FrozenClock) -> None:
    """Retries off, the key deleted at i'mport: the rejection would make the subscriber past due,
    but the key lookup after the batch says key missing — what staff must act on."""
    sid = add(store, clock)
    api = FakeGateway(clock=clock)
    api.missing_keys.add("cu-1")
    eng = engine(store, api, clock, days=())
    assert await run_once(eng) == 1
    assert store.subscribers.get(sid).state is SubscriberState.KEY_MISSING


def test_an_old_unpaid_period_shows_no_retry(store: Store, clock: FrozenClock) -> None:
    """A decline in a period a catch-up passed over, the current period paid: nothing to retry
    (the table must not say "Retry …" for it)."""
    from kpadmin.store import NewCharge

    today = today_in_seoul(clock)
    sid = store.subscribers.add(
        NewSubscriber("cu-old", "홍길동", 9900, today.day, today + timedelta(days=20))
    ).id
    cid = store.charges.insert(
        NewCharge(sid, "cu-old", "2020-01", 1, "kp-old-1", 9900), batch_id=None, staff="t"
    )
    store.charges.set_state(cid, ChargeState.DECLINED, fail_reason="[8008]")
    assert store.charges.unpaid_failures([sid])  # the old period is there…
    assert outlook(store, clock=clock, retry_days=(1, 3, 5)) == {}  # …but not retried
