"""Who is due, and the plan of a batch: what the confirmation dialog shows before money moves.

`build_plan` reads the store only (no network, fast, synchronous) and returns a `Plan`: one item per
subscriber to charge (with the period and attempt it would charge) and, for everyone else that was
asked for or is due, the reason they are skipped. The engine re-checks every item inside the
transaction that journals the intents, so a plan that went stale while the dialog was open cannot
charge anyone twice.

A subscriber is due when they are active, their next charge date is today or earlier (Asia/Seoul),
the period of that date has no paid charge, no earlier attempt is in doubt (sent / unknown), and
Kakao Pay's monthly cap (a setting) would not be exceeded.

A next charge date more than one billing date in the past (a subscriber paused for months and
resumed, a scheduler that did not run) is charged **once**, for the latest billing date that has
come (`catch_up`): never once per missed month in a row of batches. The journal then moves the
date one month past the period it charged.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from kpadmin.billing.collections import retry_hold
from kpadmin.billing.messages import Message, MessageCode
from kpadmin.billing.order_ids import order_id_for
from kpadmin.billing.periods import next_charge_date, period_of
from kpadmin.store import Store
from kpadmin.store.models import Charge, ChargeState, Span, Subscriber, SubscriberState


class SkipReason(enum.StrEnum):
    PAUSED = "paused"
    CANCELLED = "cancelled"
    KEY_MISSING = "key_missing"
    NOT_DUE = "not_due"
    ALREADY_PAID = "already_paid"
    IN_DOUBT = "in_doubt"
    MONTHLY_CAP = "monthly_cap"
    UNKNOWN_SUBSCRIBER = "unknown_subscriber"
    DECLINED_THIS_RUN = "declined_this_run"
    CHANGED = "changed"  # the journal moved on between the plan and the run
    # the retry policy (billing/collections.py)
    PAST_DUE = "past_due"  # every retry declined: staff retry or re-enrolment
    RETRY_WAIT = "retry_wait"  # declined; the next retry day has not come
    ATTEMPTED_TODAY = "attempted_today"  # at most one attempt per Asia/Seoul day
    CAP_WAIT = "cap_wait"  # Kakao Pay's monthly cap: waits for the 1st of the next month


@dataclass(frozen=True, slots=True)
class Skip:
    subscriber_id: int
    key_id: str  # the subscriber's billing key (the schema's customer_uid)
    name: str
    reason: SkipReason
    note: Message  # the detail for staff (code + values; `message` is its English)
    #: The retry policy's next automatic attempt (Asia/Seoul date) for a held subscriber.
    next_retry: date | None = None

    @property
    def message(self) -> str:
        return self.note.english()


@dataclass(frozen=True, slots=True)
class PlanItem:
    subscriber_id: int
    key_id: str  # the billing key to charge (the schema's customer_uid)
    name: str
    plan_name: str
    amount: int
    period: str
    attempt: int
    order_id: str  # the gateway's idempotency key (the journal's merchant_uid)
    #: An open planned row to send again (same order id) instead of writing a new attempt.
    resend_charge_id: int | None = None
    #: Order ids of earlier settled attempts for this period; looked up again before a new
    #: attempt is written (an answer lost long ago must not become a second payment).
    earlier_order_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Plan:
    today: date
    staff: str
    items: tuple[PlanItem, ...]
    skipped: tuple[Skip, ...] = field(default=())

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def total_amount(self) -> int:
        return sum(item.amount for item in self.items)

    def skip_counts(self) -> dict[SkipReason, int]:
        counts: dict[SkipReason, int] = {}
        for skip in self.skipped:
            counts[skip.reason] = counts.get(skip.reason, 0) + 1
        return counts


_STATE_SKIPS = {
    SubscriberState.PAUSED: (SkipReason.PAUSED, Message.of(MessageCode.SKIP_PAUSED)),
    SubscriberState.CANCELLED: (SkipReason.CANCELLED, Message.of(MessageCode.SKIP_CANCELLED)),
    SubscriberState.KEY_MISSING: (
        SkipReason.KEY_MISSING,
        Message.of(MessageCode.SKIP_KEY_MISSING),
    ),
    SubscriberState.PAST_DUE: (SkipReason.PAST_DUE, Message.of(MessageCode.SKIP_PAST_DUE)),
}
_HOLD_SKIPS = {
    "past_due": SkipReason.PAST_DUE,
    "waiting": SkipReason.RETRY_WAIT,
    "attempted_today": SkipReason.ATTEMPTED_TODAY,
    "cap_wait": SkipReason.CAP_WAIT,
}


def build_plan(
    store: Store,
    *,
    today: date,
    staff: str,
    month: Span,
    monthly_limit: int | None,
    subscriber_ids: Iterable[int] | None = None,
    include_not_due: bool = False,
    retry_days: Sequence[int] | None = None,
) -> Plan:
    """Plan a batch. `month` is the current Asia/Seoul month the monthly cap counts in
    (`periods.month_span`).

    With `subscriber_ids` None every due subscriber is planned (paused and key-missing ones whose
    date has come are listed as skipped, cancelled ones are not mentioned). With explicit ids each
    one is planned or skipped with a reason; `include_not_due` charges them before their date.
    `retry_days` applies the retry policy (`kpadmin.billing.collections`); None = none (every
    run charges a declined subscriber again: tests of the engine alone).
    """
    subs = store.subscribers
    if subscriber_ids is None:
        candidates = subs.due_candidates(today)
        asked: list[int] = []
    else:
        asked = list(dict.fromkeys(subscriber_ids))
        candidates = subs.get_many(asked)
    skipped: list[Skip] = []
    found = {s.id for s in candidates}
    for missing in (sid for sid in asked if sid not in found):
        skipped.append(
            Skip(
                missing,
                "",
                "",
                SkipReason.UNKNOWN_SUBSCRIBER,
                Message.of(MessageCode.SKIP_NO_SUCH_SUBSCRIBER),
            )
        )
    active = [s for s in candidates if s.state is SubscriberState.ACTIVE]
    history = store.charges.for_subscribers(s.id for s in active)
    paid_counts = store.charges.paid_in((s.id for s in active), month)
    retry_requests = store.subscribers.retry_requests(s.id for s in active) if active else {}
    items: list[PlanItem] = []
    for sub in candidates:
        stopped = state_skip(sub)
        if stopped is not None:
            skipped.append(stopped)
            continue
        decision = decide(
            sub,
            history[sub.id],
            today=today,
            paid_this_month=paid_counts.get(sub.id, 0),
            monthly_limit=monthly_limit,
            include_not_due=include_not_due,
            retry_days=retry_days,
            staff_retry_at=retry_requests.get(sub.id),
        )
        if isinstance(decision, Skip):
            skipped.append(decision)
        else:
            items.append(decision)
    return Plan(today=today, staff=staff, items=tuple(items), skipped=tuple(skipped))


def state_skip(sub: Subscriber) -> Skip | None:
    """The skip for a subscriber who is not active (paused, cancelled, key missing), else None."""
    if sub.state is SubscriberState.ACTIVE:
        return None
    reason, text = _STATE_SKIPS[sub.state]
    return _skip(sub, reason, text)


def catch_up(next_date: date, billing_day: int, today: date) -> date:
    """The charge date to bill for: `next_date`, or — when later billing dates have come too —
    the latest billing date on or before `today` (the missed ones are not charged one by one)."""
    day = next_date
    while (following := next_charge_date(day, billing_day)) <= today:
        day = following
    return day


def decide(
    sub: Subscriber,
    charges: Sequence[Charge],
    *,
    today: date,
    paid_this_month: int,
    monthly_limit: int | None,
    include_not_due: bool = False,
    retry_days: Sequence[int] | None = None,
    staff_retry_at: datetime | None = None,
) -> PlanItem | Skip:
    """The rule for one active subscriber, given their journal rows (oldest first); with
    `retry_days`, the retry policy too (``staff_retry_at``: when staff last pressed retry)."""
    open_rows = [c for c in charges if c.state.in_doubt]
    if any(c.state in (ChargeState.SENT, ChargeState.UNKNOWN) for c in open_rows):
        doubt = next(c for c in open_rows if c.state is not ChargeState.PLANNED)
        return _skip(
            sub,
            SkipReason.IN_DOUBT,
            Message.of(
                MessageCode.SKIP_IN_DOUBT, merchant_uid=doubt.merchant_uid, period=doubt.period
            ),
        )
    if open_rows:
        # A planned row is an intent whose request may or may not have left (a crash, a cancelled
        # batch): it is sent again with the same order id, after a lookup (engine.run).
        row = open_rows[0]
        return PlanItem(
            subscriber_id=sub.id,
            key_id=sub.customer_uid,
            name=sub.name,
            plan_name=sub.plan,
            amount=row.amount,
            period=row.period,
            attempt=row.attempt,
            order_id=row.merchant_uid,
            resend_charge_id=row.id,
        )
    if sub.next_charge_date > today and not include_not_due:
        return _skip(
            sub,
            SkipReason.NOT_DUE,
            Message.of(MessageCode.SKIP_NOT_DUE, date=sub.next_charge_date),
        )
    period = period_of(catch_up(sub.next_charge_date, sub.billing_day, today))
    this_period = [c for c in charges if c.period == period]
    # Periods a catch-up passes over: their settled attempts are looked up again too (one of them
    # may have been paid after all; then that is the one charge, not this period).
    passed_over = [
        c
        for c in charges
        if period_of(sub.next_charge_date) <= c.period < period and c.state is not ChargeState.PAID
    ]
    if any(c.state is ChargeState.PAID for c in this_period):
        return _skip(
            sub, SkipReason.ALREADY_PAID, Message.of(MessageCode.SKIP_ALREADY_PAID, period=period)
        )
    if monthly_limit is not None and paid_this_month >= monthly_limit:
        return _skip(
            sub,
            SkipReason.MONTHLY_CAP,
            Message.of(MessageCode.SKIP_MONTHLY_CAP, paid=paid_this_month, cap=monthly_limit),
        )
    if retry_days is not None:
        hold = retry_hold(
            this_period, today=today, retry_days=retry_days, staff_retry_at=staff_retry_at
        )
        if hold is not None:
            return Skip(
                sub.id,
                sub.customer_uid,
                sub.name,
                _HOLD_SKIPS[hold.reason.value],
                hold.note,
                hold.next_retry,
            )
    attempt = max((c.attempt for c in this_period), default=0) + 1
    return PlanItem(
        subscriber_id=sub.id,
        key_id=sub.customer_uid,
        name=sub.name,
        plan_name=sub.plan,
        amount=sub.amount,
        period=period,
        attempt=attempt,
        order_id=order_id_for(sub.customer_uid, period, attempt),
        earlier_order_ids=tuple(c.merchant_uid for c in (*passed_over, *this_period)),
    )


def _skip(sub: Subscriber, reason: SkipReason, note: Message) -> Skip:
    return Skip(sub.id, sub.customer_uid, sub.name, reason, note)
