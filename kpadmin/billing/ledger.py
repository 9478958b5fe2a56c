"""i'mport is the ledger: what the gateway already holds for a key and period, before a new attempt.

The local journal is a memory of what this database meant to do, not of everything that happened
to a billing key. A second install with its own database, a lost database that was re-imported or
a backup restored from before a batch does not know the earlier attempts of a period; and i'mport
takes a new payment on an order id whose earlier attempts all failed (`order_ids.py`). Without a
look at i'mport such a desk pays a period again.

So before the engine writes a **new attempt** of a (key, period) — the first charge of the period
in this database, or the next one after a decline — it reads i'mport's own record of the key
(`Gateway.key_payments`: newest first, page by page), and stops reading at the period's start
(less `AHEAD`, for a charge made before its date with "charge now"). Of what it reads, the
payments whose order id is one of ours for this key and period (`order_ids.is_attempt_of`) are
grouped by order id and judged like a lookup (`reconcile.classify`):

* one is paid (or paid and refunded since) → the row is recorded paid (the after-paid move of the
  next charge date with it) and the subscriber is skipped: nothing is charged;
* one is neither paid nor failed (``ready``) → recorded ``unknown``: the subscriber is blocked until
  a reconciliation settles it, as after a lost answer;
* the failed ones are recorded declined, so the new attempt is numbered past every attempt
  i'mport knows (and the journal tells the retry policy about declines made elsewhere).

An attempt the journal already holds is left as it is, except a declined / rejected row that
i'mport now shows paid (another desk paid that order id after it failed here): it becomes paid.
A read that fails (after a few tries) skips the subscriber for this batch: never charge blind.

Cost: one GET per new attempt (20 payments a page; a key's older periods are not read). The
sequence is: reconcile → look up earlier attempts → then, for each new attempt, this check → its
intent written → its charge sent (`check_item`; the engine runs C of these pipelines at once, so
a batch's reads overlap its sends instead of all coming first).
What it cannot close: two desks on *separate* databases charging one subscriber in the same
seconds (each reads before the other's payment exists). Both then mint the same next order id in
most cases, which i'mport pays once; a shared database (one batch lock) closes it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from kpadmin.billing.due import PlanItem, Skip, SkipReason
from kpadmin.billing.gateway import AuthFailed, Gateway, GatewayError, GatewayPayment, NotFound
from kpadmin.billing.journal import Journal, RowRef, Write
from kpadmin.billing.messages import AuditAction, Message, MessageCode
from kpadmin.billing.order_ids import is_attempt_of, order_id_for
from kpadmin.billing.periods import month_span
from kpadmin.billing.reconcile import Verdict, classify
from kpadmin.clock import Clock
from kpadmin.store import NewCharge, Store
from kpadmin.store.models import Charge, ChargeState

log = logging.getLogger(__name__)

#: How far before its period a payment of that period may have been made ("charge now" on a
#: subscriber whose date has not come charges the next period up to about a month early).
AHEAD = timedelta(days=31)

_OPEN = frozenset({ChargeState.PLANNED, ChargeState.SENT, ChargeState.UNKNOWN})


@dataclass(frozen=True, slots=True)
class KeyRecord:
    """What i'mport holds for one key and period: its payments, grouped by our order ids, with
    their attempt numbers. ``error`` when it could not be read."""

    key_id: str
    period: str
    attempts: dict[str, tuple[int, tuple[GatewayPayment, ...]]] = field(default_factory=dict)
    error: str | None = None
    read: int = 0  # payments read (the cost)


def period_cutoff(period: str) -> datetime:
    """Reading a key's payments (newest first) stops before this instant."""
    return month_span(period).start - AHEAD


async def read_key(
    gateway: Gateway,
    key_id: str,
    period: str,
    *,
    tries: int = 3,
    delays: Sequence[float] = (0.2, 0.5, 1.0),
) -> KeyRecord:
    """Our attempts of ``period`` on ``key_id`` at i'mport (a read: retried when it fails)."""
    cutoff = period_cutoff(period)
    last = ""
    for attempt in range(max(1, tries)):
        found: dict[str, list[GatewayPayment]] = {}
        numbers: dict[str, int] = {}
        read = 0
        try:
            payments = gateway.key_payments(key_id)
            try:
                async for payment in payments:
                    read += 1
                    number = is_attempt_of(payment.order_id, key_id, period)
                    if number is not None:
                        found.setdefault(payment.order_id, []).append(payment)
                        numbers[payment.order_id] = number
                    started = payment.started_at or payment.paid_at or payment.failed_at
                    if started is not None and started < cutoff:
                        break  # newest first: everything further is older still
            finally:
                # Stop the pager now (an async generator left open is closed only by the GC).
                close = getattr(payments, "aclose", None)
                if close is not None:
                    await close()
        except NotFound:  # no such key at i'mport: nothing was ever charged with it
            return KeyRecord(key_id, period)
        except AuthFailed:
            raise  # the credentials: no read and no charge can go out (`check_item`)
        except GatewayError as exc:
            last = f"{type(exc).__name__}: {exc}"
            if attempt + 1 < tries:
                await asyncio.sleep(delays[min(attempt, len(delays) - 1)])
            continue
        return KeyRecord(
            key_id,
            period,
            {uid: (numbers[uid], tuple(ps)) for uid, ps in found.items()},
            read=read,
        )
    return KeyRecord(key_id, period, error=last or "no answer")


async def check_item(
    store: Store,
    gateway: Gateway,
    item: PlanItem,
    *,
    clock: Clock,
    staff: str,
    tries: int = 3,
    delays: Sequence[float] = (0.2, 0.5, 1.0),
) -> PlanItem | Skip:
    """Read i'mport's record of one new attempt's key and period, record what it holds, and
    return the item to charge (renumbered past every attempt i'mport knows) or the skip.

    The engine calls it for each new attempt just before that attempt's intent is written and
    sent (`ChargeEngine.run`), so the reads of a batch overlap its sends. `AuthFailed` is
    raised: no read and no charge can go out (the caller lets the charge say so)."""
    record = await read_key(gateway, item.key_id, item.period, tries=tries, delays=delays)
    if record.error is not None:
        return _skip(
            item,
            SkipReason.IN_DOUBT,
            Message.of(MessageCode.SKIP_LEDGER_UNREADABLE, detail=record.error),
        )
    if not record.attempts:
        return item
    written, _count = await store.run(_record_all, store, clock, staff, [(item, record)])
    return written[item.subscriber_id]


def _record_all(
    store: Store, clock: Clock, staff: str, todo: list[tuple[PlanItem, KeyRecord]]
) -> tuple[dict[int, PlanItem | Skip], int]:
    """On the store's worker: one transaction per subscriber (one that cannot be written skips
    that subscriber only)."""
    result: dict[int, PlanItem | Skip] = {}
    total = 0
    for item, record in todo:
        try:
            with store.transaction():
                decided, count = _record_one(store, clock, staff, item, record)
        except Exception as exc:
            log.warning("ledger: %s could not be recorded: %s", item.order_id, exc)
            detail = str(exc) if isinstance(exc, _Conflict) else type(exc).__name__
            decided = _skip(
                item,
                SkipReason.IN_DOUBT,
                Message.of(MessageCode.SKIP_LEDGER_CONFLICT, period=item.period, detail=detail),
            )
            count = 0
        result[item.subscriber_id] = decided
        total += count
    return result, total


def _record_one(
    store: Store, clock: Clock, staff: str, item: PlanItem, record: KeyRecord
) -> tuple[PlanItem | Skip, int]:
    charges = store.charges
    history = charges.for_subscribers([item.subscriber_id])[item.subscriber_id]
    mine = {c.merchant_uid: c for c in history}
    taken = {c.attempt for c in history if c.period == item.period}
    journal = Journal(store, clock=clock)
    now = clock()
    written = 0
    paid: str | None = None
    unclear: str | None = None
    for order_id, (attempt, payments) in sorted(record.attempts.items(), key=lambda kv: kv[1][0]):
        found = classify(order_id, payments)
        existing = mine.get(order_id)
        if existing is not None:
            failed_here = existing.state in (ChargeState.DECLINED, ChargeState.REJECTED)
            # Failed here, paid since (another desk sent the same order id again).
            if (
                found.verdict is Verdict.PAID
                and failed_here
                and journal.apply_now(_write(existing, found.payment, staff, ""), now)
            ):
                written += 1
            if existing.state is ChargeState.PAID or found.verdict is Verdict.PAID:
                paid = paid or order_id
            elif existing.state in _OPEN:
                unclear = unclear or order_id
            continue
        state = {
            Verdict.PAID: ChargeState.PAID,
            Verdict.DECLINED: ChargeState.DECLINED,
        }.get(found.verdict, ChargeState.UNKNOWN)
        if attempt in taken:
            # The journal holds another order id under this attempt number (a key that changed
            # hands): the two histories cannot be told apart here. Leave it to a person.
            raise _Conflict(f"attempt {attempt} of {item.period} is another order id here")
        if state is ChargeState.UNKNOWN and unclear is not None:
            continue  # one open row per subscriber; the first one blocks them anyway
        payment = found.payment or payments[0]
        amount = payment.amount if payment.amount > 0 else item.amount
        charge_id = charges.insert(
            NewCharge(item.subscriber_id, item.key_id, item.period, attempt, order_id, amount),
            batch_id=None,
            staff=staff,
            now=now,
        )
        ref = RowRef(
            charge_id, item.subscriber_id, item.key_id, item.period, attempt, order_id, amount
        )
        if state is ChargeState.UNKNOWN:
            detail = found.detail or "not final at i'mport"
            journal.apply_now(
                Write(
                    ref,
                    state,
                    frozenset({ChargeState.PLANNED}),
                    staff,
                    None,
                    f"found at i'mport: {detail}",
                    audit_action=AuditAction.FOUND_AT_GATEWAY,
                ),
                now,
            )
            unclear = order_id
        else:
            message = found.detail if state is ChargeState.DECLINED else ""
            journal.apply_now(
                Write(
                    ref,
                    state,
                    frozenset({ChargeState.PLANNED}),
                    staff,
                    found.payment,
                    message,
                    audit_action=AuditAction.FOUND_AT_GATEWAY,
                ),
                now,
            )
            if state is ChargeState.PAID:
                paid = paid or order_id
        taken.add(attempt)
        written += 1
    if paid is not None:
        return (
            _skip(
                item,
                SkipReason.ALREADY_PAID,
                Message.of(MessageCode.SKIP_PAID_AT_GATEWAY, period=item.period, merchant_uid=paid),
            ),
            written,
        )
    if unclear is not None:
        return (
            _skip(
                item,
                SkipReason.IN_DOUBT,
                Message.of(
                    MessageCode.SKIP_GATEWAY_UNCLEAR, period=item.period, merchant_uid=unclear
                ),
            ),
            written,
        )
    attempt = max(taken, default=0) + 1
    if attempt == item.attempt:
        return item, written
    return (
        replace(
            item,
            attempt=attempt,
            order_id=order_id_for(item.key_id, item.period, attempt),
        ),
        written,
    )


class _Conflict(Exception):
    """i'mport's attempts and the journal's cannot both be held (rolled back; the subscriber is
    skipped)."""


def _write(charge: Charge, payment: GatewayPayment | None, staff: str, message: str) -> Write:
    return Write(
        RowRef(
            charge.id,
            charge.subscriber_id,
            charge.customer_uid,
            charge.period,
            charge.attempt,
            charge.merchant_uid,
            charge.amount,
        ),
        ChargeState.PAID,
        frozenset({charge.state}),
        staff,
        payment,
        message,
        audit_action=AuditAction.FOUND_AT_GATEWAY,
    )


def _skip(item: PlanItem, reason: SkipReason, note: Message) -> Skip:
    return Skip(item.subscriber_id, item.key_id, item.name, reason, note)


__all__ = ["AHEAD", "KeyRecord", "check_item", "period_cutoff", "read_key"]
