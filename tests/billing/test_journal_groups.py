"""A group of outcomes is read and written set-wise (`Journal._apply_all`): the rules a write
follows are those of a write on its own, and a write sees the group's earlier writes."""

from __future__ import annotations

import pytest

from kpadmin.billing.gateway import GatewayPayment, PaymentStatus
from kpadmin.billing.journal import AMOUNT_MISMATCH, Journal, RowRef, Write
from kpadmin.store import NewCharge, NewSubscriber, Store
from kpadmin.store.models import ChargeState
from tests.clock import NOW, TODAY

pytestmark = pytest.mark.anyio
PERIOD = f"{TODAY:%Y-%m}"


def _row(store: Store, sid: int, uid: str, attempt: int) -> RowRef:
    order_id = f"kp-{uid}-{attempt}"
    with store.transaction():
        cid = store.charges.insert(
            NewCharge(sid, uid, PERIOD, attempt, order_id, 9900), batch_id="b", staff="t", now=NOW
        )
    return RowRef(cid, sid, uid, PERIOD, attempt, order_id, 9900)


def _paid(row: RowRef, amount: int = 9900) -> GatewayPayment:
    return GatewayPayment(
        payment_id=f"imp-{row.order_id}",
        order_id=row.order_id,
        status=PaymentStatus.PAID,
        amount=amount,
        key_id=row.key_id,
        paid_at=NOW,
    )


async def test_a_group_applies_each_rule_and_sees_its_own_earlier_writes(any_store: Store) -> None:
    store = any_store
    a, b, c = store.subscribers.add_many(
        NewSubscriber(f"cu-{i}", f"구독자{i}", 9900, TODAY.day, TODAY) for i in range(3)
    )
    first = _row(store, a, "cu-0", 1)
    journal = Journal(store, clock=lambda: NOW)
    journal.put(Write(first, ChargeState.DECLINED, frozenset({ChargeState.PLANNED}), "t"))
    journal.flush()
    second = _row(store, a, "cu-0", 2)  # the next attempt of the same period
    other = _row(store, b, "cu-1", 1)
    moved = _row(store, c, "cu-2", 1)
    with store.transaction():
        store.charges.set_state(moved.charge_id, ChargeState.SENT, now=NOW)
    journal = Journal(store, clock=lambda: NOW)
    # One group (put on a running loop: buffered): attempt 1 turns out paid after all, and
    # attempt 2 is paid too (money moved twice); another subscriber paid for another amount; a
    # write that expects a state the row is no longer in.
    journal.put(
        Write(first, ChargeState.PAID, frozenset({ChargeState.DECLINED}), "t", _paid(first))
    )
    journal.put(
        Write(second, ChargeState.PAID, frozenset({ChargeState.PLANNED}), "t", _paid(second))
    )
    journal.put(
        Write(other, ChargeState.PAID, frozenset({ChargeState.PLANNED}), "t", _paid(other, 1000))
    )
    journal.put(Write(moved, ChargeState.DECLINED, frozenset({ChargeState.PLANNED}), "t"))
    applied = journal.flush()
    assert [w.row.charge_id for w in applied] == [
        first.charge_id,
        second.charge_id,
        other.charge_id,
    ]
    charges = {ch.id: ch for ch in store.charges.list_all()}
    assert charges[first.charge_id].state is ChargeState.PAID
    # The group's own earlier write made the period paid: the second payment is not.
    assert charges[second.charge_id].state is ChargeState.UNKNOWN
    assert "DOUBLE PAYMENT" in (charges[second.charge_id].fail_reason or "")
    assert charges[other.charge_id].state is ChargeState.PAID
    assert charges[other.charge_id].paid_amount == 1000
    assert charges[moved.charge_id].state is ChargeState.SENT  # left alone
    # The paid subscribers' next charge dates moved past the period; the other did not.
    after = {s.id: s.next_charge_date for s in store.subscribers.list_all()}
    assert after[a] > TODAY and after[b] > TODAY and after[c] == TODAY
    audit = store.audit.list()
    assert len(store.audit.list(action=AMOUNT_MISMATCH)) == 1
    assert [e.subscriber_id for e in reversed(audit) if e.action == "charge"][-3:] == [a, a, b]
