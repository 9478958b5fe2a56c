"""Subscriber and charge repositories: typed round trips and the GUI's one-query bulk load."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kpadmin.billing.periods import SEOUL, month_span
from kpadmin.store import (
    ChargeRepository,
    InvariantViolated,
    NewCharge,
    NewSubscriber,
    Store,
    SubscriberRepository,
    TableRow,
)
from kpadmin.store.models import ChargeState, SignupChannel, SubscriberState


@pytest.fixture
def conn(any_store: Store) -> Store:
    """The store on SQLite and on PostgreSQL (tests/fixtures/stores.py)."""
    return any_store


def test_subscriber_round_trip_and_update(conn: Store) -> None:
    subs = SubscriberRepository(conn)
    new = NewSubscriber(
        "cust-1",
        "김철수",
        15000,
        31,
        date(2026, 1, 31),
        phone="010-1234-5678",
        email="a@b.kr",
        plan="기본",
        channel=SignupChannel.PHONE,
        card_name="카카오페이",
        card_number="5365-****-****-1234",
        memo="memo",
    )
    got = subs.add(new)
    assert (got.customer_uid, got.name, got.amount) == ("cust-1", "김철수", 15000)
    assert got.billing_day == 31
    assert got.next_charge_date == date(2026, 1, 31) and got.state is SubscriberState.ACTIVE
    assert got.channel is SignupChannel.PHONE and got.created_at.tzinfo is not None
    subs.update(got.id, state=SubscriberState.PAUSED, next_charge_date=date(2026, 2, 28))
    again = subs.get_by_uid("cust-1")
    assert again is not None and again.state is SubscriberState.PAUSED
    assert again.next_charge_date == date(2026, 2, 28)
    with pytest.raises(ValueError):
        subs.update(got.id, customer_uid="other")
    with pytest.raises(KeyError):
        subs.update(9999, name="x")
    with pytest.raises(InvariantViolated):
        subs.add(new)  # customer_uid is unique


def test_due_candidates_are_active_and_not_in_the_future(conn: Store) -> None:
    subs = SubscriberRepository(conn)
    subs.add_many(
        [
            NewSubscriber("due", "a", 1000, 1, date(2026, 11, 1)),
            NewSubscriber("today", "b", 1000, 27, date(2026, 11, 27)),
            NewSubscriber("future", "c", 1000, 28, date(2026, 11, 28)),
            NewSubscriber("paused", "d", 1000, 1, date(2026, 11, 1), state=SubscriberState.PAUSED),
        ]
    )
    uids = [s.customer_uid for s in subs.with_next_charge_on_or_before(date(2026, 11, 27))]
    assert uids == ["due", "today"]


def test_summaries_in_one_query(conn: Store) -> None:
    subs = SubscriberRepository(conn)
    charges = ChargeRepository(conn)
    a, b, c = subs.add_many(
        [NewSubscriber(f"c{i}", "n", 1000, 1, date(2026, 11, 1)) for i in range(3)]
    )
    # a: declined then paid this month (Seoul); b: one in doubt; c: never charged.
    a1 = charges.insert(NewCharge(a, "c0", "2026-11", 1, "a1", 1000), batch_id=None, staff="k")
    charges.set_state(a1, ChargeState.DECLINED, fail_reason="no money")
    a2 = charges.insert(NewCharge(a, "c0", "2026-11", 2, "a2", 1000), batch_id=None, staff="k")
    # 2026-11-30 16:00 UTC is already December in Seoul: it must not count for November.
    charges.set_state(a2, ChargeState.PAID, paid_at=datetime(2026, 11, 30, 14, 0, tzinfo=UTC))
    a3 = charges.insert(NewCharge(a, "c0", "2026-12", 1, "a3", 1000), batch_id=None, staff="k")
    charges.set_state(a3, ChargeState.PAID, paid_at=datetime(2026, 11, 30, 16, 0, tzinfo=UTC))
    charges.insert(NewCharge(b, "c1", "2026-11", 1, "b1", 1000), batch_id=None, staff="k")

    rows = subs.list_with_summaries(month_span("2026-11"))
    assert [s.id for s, _ in rows] == [a, b, c]
    sa, sb, sc = (summary for _, summary in rows)
    assert (sa.last_state, sa.paid_this_month, sa.in_doubt) == (ChargeState.PAID, 1, False)
    assert (sb.last_state, sb.paid_this_month, sb.in_doubt) == (ChargeState.PLANNED, 0, True)
    assert (sc.last_state, sc.last_at, sc.paid_this_month, sc.in_doubt) == (None, None, 0, False)
    assert subs.summaries(month_span("2026-12"))[a].paid_this_month == 1
    assert charges.paid_in([a, b], month_span("2026-11")) == {a: 1, b: 0}
    # The table's lean read says the same, with the newest attempt's day in Seoul.
    lines = {r.id: r for r in subs.table_rows(month_span("2026-11"), TableRow)}
    assert (lines[a].last_charge_state, lines[a].charges_this_month) == (ChargeState.PAID, 1)
    assert (lines[b].in_doubt, lines[c].last_charge_state, lines[c].last_charge_on) == (
        True,
        None,
        None,
    )
    assert lines[a].last_charge_on == sa.last_at.astimezone(SEOUL).date()  # type: ignore[union-attr]
    # A refresh of a few ids (the charging UI's ticks) reads the same lines, in id order.
    some = subs.table_columns(month_span("2026-11"), [c, a, c])
    assert [TableRow(*line) for line in zip(*some, strict=True)] == [lines[a], lines[c]]
    only_b = subs.table_columns(month_span("2026-11"), [b])
    assert [TableRow(*line) for line in zip(*only_b, strict=True)] == [lines[b]]


def test_bulk_load_of_many_subscribers(conn: Store) -> None:
    subs = SubscriberRepository(conn)
    n = 20_000
    subs.add_many(NewSubscriber(f"c{i}", f"n{i}", 1000 + i, 1, date(2026, 1, 1)) for i in range(n))
    rows = subs.list_with_summaries(month_span("2026-01"))
    assert len(rows) == n and rows[-1][0].amount == 1000 + n - 1
    lines = subs.table_rows(month_span("2026-01"), TableRow)
    assert [r.id for r in lines] == [s.id for s, _ in rows]
    assert lines[-1] == TableRow(
        n,
        f"c{n - 1}",
        f"n{n - 1}",
        "",
        "",
        1000 + n - 1,
        SubscriberState.ACTIVE,
        None,
        None,
        date(2026, 1, 1),
        None,
        None,
        0,
        False,
    )
    assert len(subs.list_all()) == n
    assert [s.customer_uid for s in subs.get_many([5, 3, 1200])] == ["c4", "c2", "c1199"]
