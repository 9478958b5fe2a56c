"""The plans catalogue: plans, a price change from a chosen period with its preview, the change
applied at once to subscribers already charged from that period and later to the others."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from kpadmin.billing import outbox, plans
from kpadmin.billing.engine import ChargeEngine
from kpadmin.billing.notices import NewPrice
from kpadmin.billing.outbox import NoticePolicy
from kpadmin.billing.periods import next_charge_date, period_of
from kpadmin.store import NewSubscriber, Store, open_store
from kpadmin.store.errors import DiskError
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


# --- the customers told: price-change notices written with the change --------------------------

EMAIL_ON = NoticePolicy("email", days_before=3)


def with_addresses(store: Store, ids: dict[str, int]) -> None:
    """cu_now and cu_later have an e-mail address; cu_custom has none (nothing to send to)."""
    store.subscribers.update(ids["now"], email="ga@example.com")
    store.subscribers.update(ids["later"], email="na@example.com")


def test_the_preview_counts_the_customers_told(
    store: Store, setup, today: date, clock: FrozenClock
) -> None:
    plan, ids = setup
    with_addresses(store, ids)
    from_period = period_of(following(today))
    preview = plans.preview_price_change(
        store, plan, 12900, from_period, today=today, notices=EMAIL_ON
    )
    assert preview.notices_on and preview.lead_days == 3
    # cu_later is charged today at the old price, then at the new one a month later.
    assert preview.notified == {ids["now"]: following(today), ids["later"]: following(today)}
    off = plans.preview_price_change(store, plan, 12900, from_period, today=today)
    assert not off.notices_on and off.notified == {} and off.short_notice == []
    assert store.notices.entries() == []  # a preview writes nothing


def test_applying_writes_one_notice_per_customer_told_once(
    store: Store, setup, today: date, clock: FrozenClock
) -> None:
    plan, ids = setup
    with_addresses(store, ids)
    from_period = period_of(following(today))
    preview = plans.preview_price_change(
        store, plan, 12900, from_period, today=today, notices=EMAIL_ON
    )
    assert plans.apply_price_change(store, preview, staff="t", now=clock(), notices=EMAIL_ON) == 2
    written = store.notices.entries()
    assert sorted(n.subscriber_id for n in written) == sorted([ids["now"], ids["later"]])
    (change,) = plans.pending_changes(store)
    assert {n.key for n in written} == {
        f"price_change:{change.id}:cu_now",
        f"price_change:{change.id}:cu_later",
    }
    # Stored as what it is (the table's check knows price_change since revision 0007).
    assert {n.kind for n in written} == {"price_change"}
    assert {outbox.describe(n)["kind"] for n in written} == {"price_change"}
    facts = outbox.facts_from_json(written[0].kind, written[0].facts)
    assert isinstance(facts, NewPrice)
    assert (facts.plan, facts.old_amount, facts.amount, facts.from_period) == (
        "베이직",
        9900,
        12900,
        from_period,
    )
    assert facts.charge_date == following(today)
    assert "2 customer(s) notified" in store.audit.list(action="plan_price")[0].detail
    # Applied again (a second click, a second desk): refused, nothing more written.
    with pytest.raises(plans.PlanError, match="changed since the preview"):
        plans.apply_price_change(store, preview, staff="t", now=clock(), notices=EMAIL_ON)
    # cu_later's next charge reaches the period: its amount changes, it is not told again.
    store.subscribers.update(ids["later"], next_charge_date=following(today))
    assert plans.apply_due_price_changes(store, staff="", now=clock()) == 1
    assert len(store.notices.entries()) == 2
    assert plans.list_plans(store)[0].price == 12900


def test_no_notice_when_notices_are_off(
    store: Store, setup, today: date, clock: FrozenClock
) -> None:
    plan, ids = setup
    with_addresses(store, ids)
    preview = plans.preview_price_change(store, plan, 12900, period_of(today), today=today)
    assert plans.apply_price_change(store, preview, staff="t", now=clock()) == 3
    assert store.notices.entries() == []


def test_a_crash_before_the_commit_leaves_neither_the_change_nor_its_notices(
    store: Store, setup, today: date, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan, ids = setup
    with_addresses(store, ids)
    before = amounts(store)
    preview = plans.preview_price_change(
        store, plan, 12900, period_of(today), today=today, notices=EMAIL_ON
    )

    def disk_full(*args: object, **kw: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(store.audit, "record", disk_full)  # the transaction's last write
        with pytest.raises(DiskError):
            plans.apply_price_change(store, preview, staff="t", now=clock(), notices=EMAIL_ON)
    assert amounts(store) == before and plans.list_plans(store)[0].price == 9900
    assert store.notices.entries() == [] and plans.pending_changes(store) == []
    # Run again after the crash: the change and each notice once.
    plans.apply_price_change(store, preview, staff="t", now=clock(), notices=EMAIL_ON)
    assert sorted(n.subscriber_id for n in store.notices.entries()) == sorted(
        [ids["now"], ids["later"]]
    )


def test_a_change_sooner_than_the_notice_lead_time_is_named(
    store: Store, setup, today: date, clock: FrozenClock
) -> None:
    plan, ids = setup
    with_addresses(store, ids)
    # From this month: cu_later is charged today, sooner than any lead time.
    soon = plans.preview_price_change(
        store, plan, 12900, period_of(today), today=today, notices=EMAIL_ON
    )
    assert [(s.customer_uid, day) for s, day in soon.short_notice] == [("cu_later", today)]
    # From the month after next: every first charge at the new price is a month or more away.
    far = period_of(following(following(today)))
    ahead = plans.preview_price_change(store, plan, 12900, far, today=today, notices=EMAIL_ON)
    assert ahead.short_notice == [] and len(ahead.notified) == 2
    assert all(day >= following(today) for day in ahead.notified.values())


def test_the_first_charge_at_the_new_price_follows_the_billing_day(store: Store) -> None:
    """Pure calendar arithmetic (no "today" in it): the 31st clamps to each month's end."""
    sub = store.subscribers.add(NewSubscriber("cu", "가", 9900, 31, date(2027, 1, 31)))
    assert plans.first_charge_from(sub, "2027-01") == date(2027, 1, 31)
    assert plans.first_charge_from(sub, "2027-02") == date(2027, 2, 28)
    assert plans.first_charge_from(sub, "2027-04") == date(2027, 4, 30)
