"""Properties of the due rule (`decide`) over arbitrary journal histories: it never plans a charge
for a period that is paid, never a new attempt while an earlier one is open or unsettled, and
numbers a new attempt after every earlier one of its period."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from kpadmin.billing.due import PlanItem, Skip, SkipReason, catch_up, decide
from kpadmin.billing.order_ids import order_id_for
from kpadmin.billing.periods import next_charge_date, period_of
from kpadmin.store.models import Charge, ChargeState, SignupChannel, Subscriber, SubscriberState

T = datetime(2026, 11, 1, tzinfo=UTC)
TODAY = date(2026, 11, 20)


def subscriber(next_date: date) -> Subscriber:
    return Subscriber(
        id=1,
        customer_uid="c",
        name="n",
        phone="",
        email="",
        plan="",
        amount=1000,
        billing_day=next_date.day,
        next_charge_date=next_date,
        state=SubscriberState.ACTIVE,
        card_name=None,
        card_number=None,
        channel=SignupChannel.PHONE,
        memo="",
        created_at=T,
        updated_at=T,
    )


periods = st.sampled_from(["2026-09", "2026-10", "2026-11"])
states = st.sampled_from(list(ChargeState))


@st.composite
def histories(draw: st.DrawFn) -> list[Charge]:
    rows: list[Charge] = []
    attempts: dict[str, int] = {}
    open_used = False
    for i in range(draw(st.integers(0, 6))):
        period = draw(periods)
        state = draw(states)
        if state.in_doubt:
            if open_used:  # the schema allows one open row per subscriber
                state = ChargeState.DECLINED
            open_used = True
        if state is ChargeState.PAID and any(
            r.period == period and r.state is ChargeState.PAID for r in rows
        ):
            state = ChargeState.REJECTED  # and one paid row per period
        attempts[period] = attempts.get(period, 0) + 1
        n = attempts[period]
        rows.append(
            Charge(
                i + 1,
                1,
                "c",
                period,
                n,
                order_id_for("c", period, n),
                1000,
                state,
                None,
                None,
                None,
                None,
                0,
                None,
                T,
                T,
            )
        )
    return rows


@given(
    histories(),
    st.dates(min_value=date(2026, 9, 1), max_value=date(2026, 12, 31)),
    st.integers(0, 3),
    st.one_of(st.none(), st.integers(1, 3)),
)
def test_decide_never_breaks_the_journal_rules(
    rows: list[Charge], next_date: date, paid_this_month: int, limit: int | None
) -> None:
    result = decide(
        subscriber(next_date),
        rows,
        today=TODAY,
        paid_this_month=paid_this_month,
        monthly_limit=limit,
    )
    open_rows = [r for r in rows if r.state.in_doubt]
    if isinstance(result, Skip):
        if result.reason is SkipReason.MONTHLY_CAP:
            assert limit is not None and paid_this_month >= limit
        return
    assert isinstance(result, PlanItem)
    if open_rows:
        # Only a planned intent is taken up again, with its own merchant_uid: never a new attempt.
        (row,) = open_rows
        assert row.state is ChargeState.PLANNED
        assert (result.order_id, result.resend_charge_id) == (row.merchant_uid, row.id)
        return
    assert next_date <= TODAY
    # Months behind: the latest billing date that has come, never one charge per missed month.
    charge_day = catch_up(next_date, next_date.day, TODAY)
    assert next_date <= charge_day <= TODAY
    period = period_of(charge_day)
    assert charge_day == next_date or period_of(charge_day) > period_of(next_date)
    same = [r for r in rows if r.period == period]
    assert not any(r.state is ChargeState.PAID for r in same)
    assert result.period == period
    assert result.attempt == len(same) + 1
    assert result.order_id not in {r.merchant_uid for r in rows}
    passed_over = {
        r.merchant_uid
        for r in rows
        if period_of(next_date) <= r.period < period and r.state is not ChargeState.PAID
    }
    assert set(result.earlier_order_ids) == {r.merchant_uid for r in same} | passed_over
    assert limit is None or paid_this_month < limit


@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(1, 31),
    st.integers(0, 2000),
)
def test_catch_up_is_the_latest_billing_date_that_has_come(
    start: date, billing_day: int, days_later: int
) -> None:
    today = start + timedelta(days=days_later)
    day = catch_up(start, billing_day, today)
    assert start <= day <= today
    assert next_charge_date(day, billing_day) > today  # one charge, however far behind
