"""Rows in doubt: every planned / sent / unknown row is looked up by its order id and settled
(paid → paid; only failed → declined; nothing → planned again, to be sent with the same order id;
unclear → unknown, which blocks the subscriber). A never-seen intent of a subscriber who is no
longer charged is withdrawn after a quiet period. `reconcile_rows` runs before every batch and
for `kpadmin reconcile`; the engine holds the batch lock around it.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from kpadmin.billing.gateway import GatewayPayment
from kpadmin.billing.journal import Journal, RowRef, Write
from kpadmin.billing.reconcile import Lookup, ReconcileReport, Settled, Verdict
from kpadmin.store.models import Charge, ChargeState, SubscriberState

if TYPE_CHECKING:
    from kpadmin.billing.engine.core import ChargeEngine


async def reconcile_rows(engine: ChargeEngine, staff: str, concurrency: int) -> ReconcileReport:
    rows = [c for c in engine.charges.in_doubt() if c.id not in engine.batch_rows]
    if not rows:
        return ReconcileReport()
    limit = asyncio.Semaphore(max(1, concurrency))

    async def one(charge: Charge) -> Lookup:
        async with limit:
            return await engine.look_up(charge.merchant_uid)

    results = await asyncio.gather(*(one(c) for c in rows))
    journal = Journal(engine.store, clock=engine.clock, collections=engine.collections)
    settled: list[Settled] = []
    inactive = inactive_subscribers(engine, {c.subscriber_id for c in rows})
    now = engine.clock()
    for charge, found in zip(rows, results, strict=True):
        after, payment, detail = verdict_state(found)
        if (
            after is ChargeState.PLANNED
            and charge.subscriber_id in inactive
            and now - last_activity(engine, charge) >= engine.quiet_period
        ):
            # i'mport never saw it and the subscriber is no longer charged (paused, key
            # missing, cancelled): withdraw the intent instead of leaving it in doubt forever.
            # The quiet period is far beyond any read timeout, so no request for it can still
            # be on its way; and should the subscriber be charged for this period again, the
            # earlier order id is looked up once more before a new attempt is written.
            after = ChargeState.REJECTED
            detail = (
                f"withdrawn: the subscriber is {inactive[charge.subscriber_id]} and i'mport "
                "never received this charge"
            )
        settled.append(
            Settled(
                charge.id,
                charge.subscriber_id,
                charge.merchant_uid,
                charge.state,
                after,
                detail,
                amount=charge.amount,
                paid_amount=payment.amount if after is ChargeState.PAID and payment else None,
            )
        )
        if after is charge.state and after is not ChargeState.UNKNOWN:
            continue
        journal.put(
            Write(
                ref(charge),
                after,
                frozenset({charge.state}),
                staff,
                payment,
                f"reconciled: {detail}" if detail else "reconciled",
                # An unknown row that is still unknown gets its detail refreshed, without a
                # new audit line at every reconciliation.
                audit_action=None if after is charge.state else "reconcile",
            )
        )
    applied = {w.row.charge_id: w.state for w in journal.flush()}
    # Report what is on disk now (a write may have been skipped because the row moved on).
    final = [replace(s, after=applied.get(s.charge_id, s.after)) for s in settled]
    return ReconcileReport(tuple(final))


def last_activity(engine: ChargeEngine, charge: Charge) -> datetime:
    """When the batch that last sent `charge` last wrote anything. An intent is written when
    its batch starts, but a paced batch may send it much later, and its 'sent' mark can die
    in the buffer with the process: the batch's last journal write bounds when it could
    still have sent this one."""
    if charge.batch_id is None:
        return charge.updated_at
    last = engine.charges.last_write_of_batch(charge.batch_id)
    return max(charge.updated_at, last) if last else charge.updated_at


def inactive_subscribers(engine: ChargeEngine, ids: set[int]) -> dict[int, str]:
    return {
        s.id: s.state.value
        for s in engine.subscribers.get_many(ids)
        if s.state is not SubscriberState.ACTIVE
    }


def verdict_state(found: Lookup) -> tuple[ChargeState, GatewayPayment | None, str]:
    if found.verdict is Verdict.PAID:
        return ChargeState.PAID, found.payment, ""
    if found.verdict is Verdict.DECLINED:
        return ChargeState.DECLINED, found.payment, found.detail
    if found.verdict is Verdict.NOTHING:
        return ChargeState.PLANNED, None, "i'mport has no attempt; it will be sent again"
    return ChargeState.UNKNOWN, None, found.detail


def ref(charge: Charge) -> RowRef:
    return RowRef(
        charge.id,
        charge.subscriber_id,
        charge.customer_uid,
        charge.period,
        charge.attempt,
        charge.merchant_uid,
        charge.amount,
    )
