"""Changes made outside kpadmin come in (issue #11): refunds and cancellations made in the PortOne
console or by another system, billing keys deleted elsewhere, and paid payments of our order ids
that this journal does not hold (another install, a lost database).

`bring_in(store, gateway, …)` runs with every on-demand reconciliation (`kpadmin reconcile`, the
reconciliation `charge-due` and the GUI run before a batch: `ChargeEngine.reconcile`), after the
rows in doubt are settled. Its cost is bounded by a window (`WINDOW`, 90 days: i'mport's own
default listing window) and by multi-gets, never one request per row:

1. **Refunds**: the journal's paid rows of the window that carry a payment id are asked for in
   chunks of 100 (`Gateway.get_payments`, ``GET /payments?imp_uid[]=…``); where i'mport's
   refunded amount (V1 ``cancel_amount``) differs from the row's ``cancelled_amount``, the row
   takes i'mport's (a full refund too: the row stays paid — the period was paid, then refunded —
   with ``cancelled_amount`` = what was paid), and each refund of i'mport's ``cancel_history``
   not recorded yet becomes a refund row on its own ``cancelled_at`` (`kpadmin.store.refunds`):
   the settlement report puts it on the day it happened. The overview's net and the export
   follow.
2. **Keys deleted elsewhere**: every active subscriber's key, 50 a request (`Gateway.get_keys`);
   one i'mport says it does not have makes the subscriber ``key_missing`` (compare-and-set, so a
   subscriber re-signed-up or paused meanwhile is left alone; audited). A failed lookup changes
   nothing.
3. **Paid payments the journal lacks**: i'mport's paid and cancelled payments of the window, by
   status and time (`Gateway.payments_by_status`, 100 a page); one whose order id is ours
   (`order_ids.parse_order_id`) for a subscriber of this database and that the journal does not
   hold is recorded paid (the next charge date moves, audited ``found_at_gateway``). One the
   journal cannot hold (its attempt number taken, the subscriber in doubt) is reported, not
   forced.

Every write is a compare-and-set in a short transaction; a part that cannot ask i'mport is
reported in `OutsideReport.problems` and the others still run.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from kpadmin.billing.gateway import Gateway, GatewayError, GatewayPayment, PaymentStatus
from kpadmin.billing.journal import Journal, RowRef, Write
from kpadmin.billing.messages import AuditAction, Message, MessageCode
from kpadmin.billing.order_ids import key_hash, parse_order_id
from kpadmin.billing.refunds import refund_facts
from kpadmin.clock import Clock
from kpadmin.store import ChangeKind, NewCharge, Store
from kpadmin.store.models import ChargeState, SubscriberState
from kpadmin.store.refunds import RefundSource

log = logging.getLogger(__name__)

#: How far back refunds and payments made elsewhere are looked for.
WINDOW = timedelta(days=90)


@dataclass(frozen=True, slots=True)
class OutsideRefund:
    charge_id: int
    subscriber_id: int
    order_id: str
    before: int  # the journal's cancelled_amount
    after: int  # i'mport's


@dataclass(frozen=True, slots=True)
class OutsideReport:
    refunds: tuple[OutsideRefund, ...] = ()
    keys_missing: tuple[int, ...] = ()  # subscriber ids made key_missing
    found_paid: tuple[str, ...] = ()  # order ids recorded paid
    problems: tuple[str, ...] = field(default=())  # what could not be asked or recorded

    def summary(self) -> str:
        parts = []
        if self.refunds:
            parts.append(f"{len(self.refunds)} refund(s) made outside kpadmin brought in")
        if self.keys_missing:
            parts.append(f"{len(self.keys_missing)} billing key(s) deleted elsewhere")
        if self.found_paid:
            parts.append(f"{len(self.found_paid)} payment(s) found paid at i'mport")
        parts += self.problems
        return "; ".join(parts) if parts else "nothing changed outside kpadmin"


async def bring_in(
    store: Store,
    gateway: Gateway,
    *,
    clock: Clock,
    staff: str,
    window: timedelta = WINDOW,
) -> OutsideReport:
    """See the module docstring."""
    now = clock()
    since = now - window
    problems: list[str] = []
    refunds = await _refunds(store, gateway, clock, staff, since, problems)
    keys = await _deleted_keys(store, gateway, clock, staff, problems)
    found = await _paid_elsewhere(store, gateway, clock, staff, since, now, problems)
    return OutsideReport(tuple(refunds), tuple(keys), tuple(found), tuple(problems))


async def _refunds(
    store: Store,
    gateway: Gateway,
    clock: Clock,
    staff: str,
    since: datetime,
    problems: list[str],
) -> list[OutsideRefund]:
    rows = [c for c in store.charges.paid_since(since) if c.imp_uid]
    if not rows:
        return []
    try:
        payments = await gateway.get_payments([c.imp_uid for c in rows if c.imp_uid])
    except GatewayError as exc:
        problems.append(f"refunds could not be checked ({type(exc).__name__}: {exc})")
        return []
    by_id = {p.payment_id: p for p in payments}
    changed: list[OutsideRefund] = []
    now = clock()
    for charge in rows:
        payment = by_id.get(charge.imp_uid or "")
        if payment is None or payment.order_id != charge.merchant_uid:
            continue  # not found (or not ours): nothing to bring in
        if payment.refunded_amount == charge.cancelled_amount:
            continue
        with store.transaction():
            # Each refund on its own time (i'mport's cancel_history), not on the day it was found.
            store.charges.set_state(
                charge.id,
                ChargeState.PAID,
                now=now,
                cancelled_amount=payment.refunded_amount,
                refunds=refund_facts(payment, RefundSource.GATEWAY),
            )
            store.audit.record(
                staff,
                AuditAction.FOUND_AT_GATEWAY,
                Message.of(
                    MessageCode.AUDIT_OUTSIDE_REFUND,
                    order_id=charge.merchant_uid,
                    payment_id=payment.payment_id,
                    refunded=payment.refunded_amount,
                    here=charge.cancelled_amount,
                ),
                subscriber_id=charge.subscriber_id,
                at=now,
                kind=ChangeKind.CHARGES,
            )
        changed.append(
            OutsideRefund(
                charge.id,
                charge.subscriber_id,
                charge.merchant_uid,
                charge.cancelled_amount,
                payment.refunded_amount,
            )
        )
    return changed


async def _deleted_keys(
    store: Store, gateway: Gateway, clock: Clock, staff: str, problems: list[str]
) -> list[int]:
    active = [s for s in store.subscribers.list_all() if s.state is SubscriberState.ACTIVE]
    if not active:
        return []
    try:
        result = await gateway.get_keys([s.customer_uid for s in active])
    except GatewayError as exc:
        problems.append(f"billing keys could not be checked ({type(exc).__name__}: {exc})")
        return []
    missing = set(result.missing)
    gone: list[int] = []
    now = clock()
    for sub in active:
        if sub.customer_uid not in missing:
            continue
        with store.transaction():
            changed = store.subscribers.set_state_if(
                sub.id,
                customer_uid=sub.customer_uid,
                was=SubscriberState.ACTIVE,
                now_state=SubscriberState.KEY_MISSING,
                now=now,
                kind=ChangeKind.SUBSCRIBERS,
            )
            if changed:
                store.audit.record(
                    staff,
                    AuditAction.KEY_MISSING,
                    Message.of(MessageCode.AUDIT_KEY_GONE_OUTSIDE),
                    subscriber_id=sub.id,
                    at=now,
                    kind=ChangeKind.SUBSCRIBERS,
                )
        if changed:
            gone.append(sub.id)
    return gone


async def _paid_elsewhere(
    store: Store,
    gateway: Gateway,
    clock: Clock,
    staff: str,
    since: datetime,
    until: datetime,
    problems: list[str],
) -> list[str]:
    candidates: list[GatewayPayment] = []
    try:
        for status in (PaymentStatus.PAID, PaymentStatus.CANCELLED):
            async for payment in gateway.payments_by_status(status, since=since, until=until):
                parsed = parse_order_id(payment.order_id)
                if parsed is not None and payment.key_id:
                    candidates.append(payment)
    except GatewayError as exc:
        problems.append(f"i'mport's payments could not be listed ({type(exc).__name__}: {exc})")
        return []
    found: list[str] = []
    journal = Journal(store, clock=clock)
    for payment in candidates:
        parsed = parse_order_id(payment.order_id)
        assert parsed is not None and payment.key_id
        if parsed.key_hash != key_hash(payment.key_id):
            continue  # not an id we minted for this key
        if store.charges.by_merchant_uid(payment.order_id) is not None:
            continue  # the journal holds it (reconciliation keeps it right)
        sub = store.subscribers.get_by_uid(payment.key_id)
        if sub is None:
            continue  # another merchant system's customer, or one deleted here
        history = store.charges.for_subscribers([sub.id])[sub.id]
        if any(c.state.in_doubt for c in history):
            problems.append(
                f"{payment.order_id} is paid at i'mport; recorded once {sub.customer_uid}'s "
                "charge in doubt is settled"
            )
            continue
        if any(c.period == parsed.period and c.attempt == parsed.attempt for c in history):
            problems.append(f"{payment.order_id} is paid at i'mport but its attempt is taken here")
            continue
        now = clock()
        with store.transaction():
            charge_id = store.charges.insert(
                NewCharge(
                    sub.id,
                    sub.customer_uid,
                    parsed.period,
                    parsed.attempt,
                    payment.order_id,
                    payment.amount if payment.amount > 0 else sub.amount,
                ),
                batch_id=None,
                staff=staff,
                now=now,
            )
            ref = RowRef(
                charge_id,
                sub.id,
                sub.customer_uid,
                parsed.period,
                parsed.attempt,
                payment.order_id,
                payment.amount if payment.amount > 0 else sub.amount,
            )
            journal.apply_now(
                Write(
                    ref,
                    ChargeState.PAID,
                    frozenset({ChargeState.PLANNED}),
                    staff,
                    payment,
                    "paid at i'mport; the journal did not hold it",
                    audit_action=AuditAction.FOUND_AT_GATEWAY,
                ),
                now,
            )
        found.append(payment.order_id)
    return found


__all__ = ["WINDOW", "OutsideRefund", "OutsideReport", "bring_in"]
