"""The plans catalogue: plans, a price change from a chosen period with its preview, the change
applied at once to subscribers already charged from that period and later to the others."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from kpadmin.billing import plans
from kpadmin.billing.engine import ChargeEngine
from kpadmin.billing.periods import next_charge_date, period_of
from kpadmin.store import NewSubscriber, Store, open_store
from kpadmin.store.models import SubscriberState
from tests.billing.fakes import FakeGateway
from tests.clock import FrozenClock


@pytest.fixture
def store(tmp_path: Path, clock: FrozenClock) -> Iterator[Store]:
    db = open_store(tmp_path / "kp.sqlite3", clock=clock)
    yield db
    db.close()


def following(day: date) -> date:
    return next_charge_date(day, day.day)


@pytest.fixture
def setup(store: Store, clock: FrozenClock, today: date):
    plan = plans.add_plan(store, "베이직", "9,900", staff="김직원", now=clock())
    this_month = today
    next_month = following(today)
    ids = store.subscribers.add_many(
        [
            NewSubscriber("cu_now", "가", 9900, today.day, next_month, plan="베이직"),
            NewSubscriber("cu_later", "나", 9900, today.day, this_month, plan="베이직"),
            NewSubscriber("cu_custom", "다", 7000, today.day, next_month, plan="베이직"),
            NewSubscriber(
                "cu_gone",
                "라",
                9900,
                today.day,
                next_month,
                plan="베이직",
                state=SubscriberState.CANCELLED,
            ),
            NewSubscriber("cu_other", "마", 9900, today.day, next_month, plan="프로"),
        ]
    )
    return plan, dict(zip(["now", "later", "custom", "gone", "other"], ids, strict=True))


def amounts(store: Store) -> dict[str, int]:
    return {s.customer_uid: s.amount for s in store.subscribers.list_all()}


def test_plans_are_checked_like_the_fields(store: Store, clock: FrozenClock) -> None:
    plans.add_plan(store, "프로", 29000, staff="t", now=clock())
    with pytest.raises(plans.PlanError, match="already has"):
        plans.add_plan(store, "프로", 1000, staff="t", now=clock())
    with pytest.raises(plans.PlanError):
        plans.add_plan(store, "x" * 41, 1000, staff="t", now=clock())
    with pytest.raises(plans.PlanError):
        plans.add_plan(store, "라이트", "0", staff="t", now=clock())
    assert [p.name for p in plans.list_plans(store)] == ["프로"]
    assert store.audit.list(action="plan_added")


def test_preview_writes_nothing_and_splits_now_and_later(
    store: Store, setup, today: date, clock: FrozenClock
) -> None:
    plan, _ids = setup
    from_period = period_of(following(today))
    before = amounts(store)
    preview = plans.preview_price_change(store, plan, "12,900", from_period, today=today)
    assert {s.customer_uid for s, _ in preview.now} == {"cu_now", "cu_custom"}
    assert [(s.customer_uid, old) for s, old in preview.later] == [("cu_later", 9900)]
    assert amounts(store) == before
    with pytest.raises(plans.PlanError, match="past"):
        plans.preview_price_change(
            store, plan, 12900, period_of(today - timedelta(days=40)), today=today
        )


def test_a_price_change_applies_now_then_when_the_next_charge_reaches_the_period(
    store: Store, setup, today: date, clock: FrozenClock
) -> None:
    plan, ids = setup
    from_period = period_of(following(today))
    preview = plans.preview_price_change(store, plan, 12900, from_period, today=today)
    assert plans.apply_price_change(store, preview, staff="김직원", now=clock()) == 2
    got = amounts(store)
    assert got == {
        "cu_now": 12900,
        "cu_later": 9900,  # its charge this month is still at the old price
        "cu_custom": 12900,
        "cu_gone": 9900,
        "cu_other": 9900,
    }
    assert plans.list_plans(store)[0].price == 12900
    # Another change waits until this one is done.
    with pytest.raises(plans.PlanError, match="still waits"):
        plans.preview_price_change(store, plan, 15000, from_period, today=today)
    # Nothing due yet: nothing moves.
    assert plans.apply_due_price_changes(store, staff="", now=clock()) == 0
    # The charge of this month happened: the next charge date moves into the new period.
    store.subscribers.update(ids["later"], next_charge_date=following(today))
    assert plans.apply_due_price_changes(store, staff="", now=clock()) == 1
    assert amounts(store)["cu_later"] == 12900
    assert plans.apply_due_price_changes(store, staff="", now=clock()) == 0  # done
    audited = store.audit.list(action="plan_price")
    assert len(audited) == 4  # the plan's line and one per subscriber
    assert any("₩9,900 → ₩12,900" in e.detail and e.subscriber_id == ids["later"] for e in audited)


def test_the_charge_plan_takes_a_due_price_change_first(
    store: Store, setup, today: date, clock: FrozenClock
) -> None:
    plan, ids = setup
    # From this month: cu_later (due today) is charged the new price.
    preview = plans.preview_price_change(store, plan, 11000, period_of(today), today=today)
    assert {s.customer_uid for s, _ in preview.now} >= {"cu_later"}
    plans.apply_price_change(store, preview, staff="t", now=clock())
    engine = ChargeEngine(store, FakeGateway(), clock=clock)
    items = {item.subscriber_id: item.amount for item in engine.plan(None, today, "t").items}
    assert items[ids["later"]] == 11000
