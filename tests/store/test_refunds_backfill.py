"""Revision 0005 on SQLite and PostgreSQL: a database at 0004 with refunded charges gets one
``backfill`` refund row per refunded charge, at its last change, and every total stays equal."""

from __future__ import annotations

from datetime import timedelta

from alembic import command
from sqlalchemy import create_engine, func, insert, select

from kpadmin.billing import reports
from kpadmin.billing.periods import SEOUL
from kpadmin.store import migrations, open_store, schema
from kpadmin.store.copy import totals
from kpadmin.store.models import ChargeState
from kpadmin.store.postgres import parse_url
from kpadmin.store.refunds import RefundSource
from tests.clock import FrozenClock


def _engine_url(target: str) -> object:
    return parse_url(target) if "://" in target else f"sqlite:///{target}"


def test_the_backfill_gives_each_refunded_charge_one_row_and_keeps_the_totals(
    store_target: str, clock: FrozenClock
) -> None:
    paid_at = clock() - timedelta(days=10)
    refunded_at = clock() - timedelta(days=3)  # the row's last change: when the refund came in
    engine = create_engine(_engine_url(target=store_target))  # type: ignore[call-overload]
    with engine.begin() as conn:
        command.upgrade(migrations._config(conn), "0004")
        assert migrations.current_revision(conn) == "0004"
        conn.execute(
            insert(schema.subscribers),
            [
                {
                    "id": 1,
                    "customer_uid": "cu-1",
                    "name": "김민지",
                    "amount": 9_900,
                    "billing_day": 1,
                    "next_charge_date": paid_at.date(),
                    "state": "active",
                    "channel": "phone",
                    "created_at": paid_at,
                    "updated_at": paid_at,
                }
            ],
        )
        base = {
            "subscriber_id": 1,
            "customer_uid": "cu-1",
            "amount": 9_900,
            "state": "paid",
            "paid_amount": 9_900,
            "paid_at": paid_at,
            "created_at": paid_at,
        }
        conn.execute(
            insert(schema.charges),
            [
                # refunded in part, later than paid
                {**base, "period": "2026-01", "attempt": 1, "merchant_uid": "kp-1",
                 "cancelled_amount": 1_000, "updated_at": refunded_at},
                # not refunded
                {**base, "period": "2026-02", "attempt": 1, "merchant_uid": "kp-2",
                 "cancelled_amount": 0, "updated_at": paid_at},
                # refunded in full, recorded paid and refunded at once (found late)
                {**base, "period": "2026-03", "attempt": 1, "merchant_uid": "kp-3",
                 "cancelled_amount": 9_900, "updated_at": paid_at},
            ],
        )  # fmt: skip
        refunded_before = conn.execute(
            select(func.sum(schema.charges.c.cancelled_amount))
        ).scalar_one()
    engine.dispose()

    store = open_store(store_target, clock=clock)
    try:
        with store._read() as conn:
            assert migrations.current_revision(conn) == migrations.HEAD
            after = totals(conn)
        assert after.refunded_amount == refunded_before == 10_900
        assert (after.refunds, after.refunds_amount) == (2, 10_900)
        assert store.refunds.unbalanced() == []
        charges = {c.merchant_uid: c.id for c in store.charges.list_all()}
        (first,) = store.refunds.for_charge(charges["kp-1"])
        assert (first.amount, first.source, first.refunded_at) == (
            1_000,
            RefundSource.BACKFILL,
            refunded_at,
        )
        assert first.gateway_ref is None
        assert store.refunds.for_charge(charges["kp-2"]) == []
        (third,) = store.refunds.for_charge(charges["kp-3"])
        assert (third.amount, third.refunded_at) == (9_900, paid_at)
        # The report's totals over the whole time are what they were; the refund of kp-1 sits
        # on the day it came in.
        start = paid_at.astimezone(SEOUL).date()
        end = clock().astimezone(SEOUL).date()
        report = reports.settlement(store, start, end)
        assert report.total.refunded_amount == 10_900
        by_day = {d: f.refunded_amount for d, f in report.days}
        assert by_day[start] == 9_900
        assert by_day[refunded_at.astimezone(SEOUL).date()] == 1_000
        # A refund after the back-fill adds to it, it does not repeat it.
        clock.advance(days=1)
        store.charges.set_state(charges["kp-1"], ChargeState.PAID, cancelled_amount=1_500)
        assert [r.amount for r in store.refunds.for_charge(charges["kp-1"])] == [1_000, 500]
        assert store.refunds.unbalanced() == []
    finally:
        store.close()
