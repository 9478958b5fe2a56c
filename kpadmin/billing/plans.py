"""The plans catalogue and price changes from a chosen period on.

A subscriber is charged its own ``amount``; its ``plan`` is the plan's name. Changing a plan's
price from period P (``YYYY-MM``, Asia/Seoul) means: every charge of the plan's subscribers for P
and later is at the new price, every charge before P at the old one. So, when the change is
applied (`apply_price_change`, after its `preview_price_change`):

* **now** — subscribers whose next charge date is in P or later get the new amount at once;
* **later** — those whose next charge is still before P keep the old amount for it; the change
  stays pending, and `apply_due_price_changes` (run before every charge plan) gives each of them
  the new amount once their next charge date has reached P. The change is done when none is left.

Cancelled subscribers are left as they are. A subscriber whose amount was set by hand to
something else than the old price is changed too (the plan is what staff chose to reprice);
the preview lists every one with its old and new amount. Every amount change is audited.

**The customers are told** when notices are on (`kpadmin.billing.outbox.NoticePolicy`): applying
the change writes, in its own transaction, one price-change notice (`NewPrice`: the plan, the old
and the new amount, the period and the first charge date at the new amount) per subscriber whose
amount it changes — now or later — and who has an address for the channel; the outbox's sender
(the daily run, `kpadmin notices send`) sends them. Its key is (price change, subscriber), and a
preview applies once only (`apply_price_change` refuses a preview the plan or its subscribers have
moved away from — it was applied already, or another desk changed them), so each customer is told
once. The preview counts the customers told and names those whose first charge at the new price
comes sooner than the notice lead time (``notice_days_before``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from kpadmin.billing import fields, outbox
from kpadmin.billing.messages import AuditAction, Message, MessageCode
from kpadmin.billing.outbox import NoticePolicy
from kpadmin.billing.periods import SEOUL, next_charge_date, period_of
from kpadmin.store import Store
from kpadmin.store import plans as repo
from kpadmin.store.models import Subscriber, SubscriberState
from kpadmin.store.plans import Plan, PriceChange

__all__ = [
    "Plan",
    "PlanError",
    "PriceChange",
    "PricePreview",
    "add_plan",
    "apply_due_price_changes",
    "apply_price_change",
    "first_charge_from",
    "list_plans",
    "pending_changes",
    "preview_price_change",
    "subscriber_counts",
]


class PlanError(ValueError):
    """A plan or a price change refused (the message says why)."""


def list_plans(store: Store) -> list[Plan]:
    return repo.list_plans(store)


def pending_changes(store: Store) -> list[PriceChange]:
    """Price changes some subscriber still waits for."""
    return repo.pending_changes(store)


def _on_plan(store: Store, name: str) -> list[Subscriber]:
    return [
        s
        for s in store.subscribers.list_all()
        if s.plan == name and s.state is not SubscriberState.CANCELLED
    ]


def subscriber_counts(store: Store) -> dict[str, int]:
    """Subscribers (not cancelled) per plan name."""
    counts: dict[str, int] = {}
    for s in store.subscribers.list_all():
        if s.state is not SubscriberState.CANCELLED and s.plan:
            counts[s.plan] = counts.get(s.plan, 0) + 1
    return counts


def _checked(name: str, price: str | int) -> tuple[str, int]:
    checked_name = fields.plan(name)
    if isinstance(checked_name, fields.FieldError) or not checked_name:
        raise PlanError(
            checked_name.message if isinstance(checked_name, fields.FieldError) else "no name"
        )
    checked_price = fields.amount(price)
    if isinstance(checked_price, fields.FieldError):
        raise PlanError(checked_price.message)
    return checked_name, checked_price


def add_plan(store: Store, name: str, price: str | int, *, staff: str, now: datetime) -> Plan:
    plan_name, plan_price = _checked(name, price)
    if any(p.name == plan_name for p in repo.list_plans(store)):
        raise PlanError(f"the catalogue already has a plan named {plan_name!r}")
    with store.transaction():
        plan = repo.add_plan(store, plan_name, plan_price, now=now)
        store.audit.record(
            staff,
            AuditAction.PLAN_ADDED,
            Message.of(MessageCode.AUDIT_PLAN_ADDED, plan=plan_name, price=plan_price),
            at=now,
        )
    return plan


@dataclass(frozen=True, slots=True)
class PricePreview:
    plan: Plan
    new_price: int
    from_period: str
    #: (subscriber, old amount) changed at once: their next charge is in the period or later.
    now: list[tuple[Subscriber, int]] = field(default_factory=list)
    #: (subscriber, old amount) changed once their next charge date reaches the period.
    later: list[tuple[Subscriber, int]] = field(default_factory=list)
    #: Notices on (the policy the preview was made with)?
    notices_on: bool = False
    #: The customers told of the change: subscriber id -> the first charge at the new price.
    notified: dict[int, date] = field(default_factory=dict)
    #: The notice lead time (``notice_days_before``; None: none set) and the customers told
    #: whose first charge at the new price comes sooner than it (subscriber, that charge date).
    lead_days: int | None = None
    short_notice: list[tuple[Subscriber, date]] = field(default_factory=list)


def _period(text: str) -> str:
    try:
        year, month = (int(part) for part in text.split("-"))
        return period_of(date(year, month, 1))
    except ValueError:
        raise PlanError(f"not a period (YYYY-MM): {text!r}") from None


def first_charge_from(sub: Subscriber, period: str) -> date:
    """The subscriber's first charge date in ``period`` or later (its charge dates follow its
    billing day from its next charge date on)."""
    day = sub.next_charge_date
    while period_of(day) < period:
        day = next_charge_date(day, sub.billing_day)
    return day


def _split(
    store: Store, plan_name: str, price: int, period: str
) -> tuple[list[tuple[Subscriber, int]], list[tuple[Subscriber, int]]]:
    now: list[tuple[Subscriber, int]] = []
    later: list[tuple[Subscriber, int]] = []
    for sub in _on_plan(store, plan_name):
        if sub.amount == price:
            continue
        target = now if period_of(sub.next_charge_date) >= period else later
        target.append((sub, sub.amount))
    return now, later


def preview_price_change(
    store: Store,
    plan: Plan,
    new_price: str | int,
    from_period: str,
    *,
    today: date,
    notices: NoticePolicy | None = None,
) -> PricePreview:
    """What `apply_price_change` would do, writing nothing. The period may not lie before
    today's (charges already made keep their price). ``notices``: the settings' notice policy
    (None: off), for who would be told."""
    _, price = _checked(plan.name, new_price)
    period = _period(from_period)
    if period < period_of(today):
        raise PlanError(f"the period {period} is past; choose {period_of(today)} or later")
    _refuse_waiting(store, plan)
    now, later = _split(store, plan.name, price, period)
    if price == plan.price and not now and not later:
        raise PlanError(f"the plan already costs ₩{price:,} and so do its subscribers")
    policy = notices or NoticePolicy()
    notified = {
        sub.id: first_charge_from(sub, period)
        for sub, _old in now + later
        if outbox.addressed(policy, sub)
    }
    lead = policy.days_before if policy.on else None
    subs = {sub.id: sub for sub, _old in now + later}
    short = sorted(
        (
            (subs[sid], day)
            for sid, day in notified.items()
            if lead is not None and (day - today).days < lead
        ),
        key=lambda pair: (pair[1], pair[0].id),
    )
    return PricePreview(plan, price, period, now, later, policy.on, notified, lead, short)


def _refuse_waiting(store: Store, plan: Plan) -> None:
    waiting = [c for c in repo.changes_of(store, plan.id) if c.done_at is None]
    if waiting:
        raise PlanError(
            f"the change to ₩{waiting[0].new_price:,} from {waiting[0].from_period} still waits "
            "for some subscribers' next charge; change the price again after it is done"
        )


def _pairs(items: list[tuple[Subscriber, int]]) -> list[tuple[int, int]]:
    return [(sub.id, old) for sub, old in items]


def apply_price_change(
    store: Store,
    preview: PricePreview,
    *,
    staff: str,
    now: datetime,
    notices: NoticePolicy | None = None,
) -> int:
    """Apply a previewed change in one transaction with its notices (``notices``: the settings'
    policy; None: off); returns the subscribers changed now. A preview the plan or its
    subscribers have moved away from (applied already, changed by another desk) is refused and
    nothing is written, so a change and its notices are never written twice."""
    with store.transaction():
        current = repo.get_plan(store, preview.plan.id)
        if current is None:
            raise PlanError("the plan is gone")
        today = now.astimezone(SEOUL).date()
        if preview.from_period < period_of(today):
            raise PlanError(f"the period {preview.from_period} is past; preview the change again")
        stale = PlanError(
            "the plan or its subscribers changed since the preview (was it applied already?); "
            "nothing was changed: preview the change again"
        )
        if current.price != preview.plan.price or current.name != preview.plan.name:
            raise stale
        _refuse_waiting(store, current)
        fresh_now, fresh_later = _split(store, current.name, preview.new_price, preview.from_period)
        if _pairs(fresh_now) != _pairs(preview.now) or _pairs(fresh_later) != _pairs(preview.later):
            raise stale
        repo.set_price(store, current.id, preview.new_price, now=now)
        for sub, old in fresh_now:
            _reprice(store, sub, old, preview, staff=staff, now=now)
        change_id = repo.record_change(
            store,
            current.id,
            preview.from_period,
            current.price,
            preview.new_price,
            staff=staff,
            now=now,
            done=not fresh_later,
        )
        told = 0
        policy = notices or NoticePolicy()
        for sub, old in fresh_now + fresh_later:
            facts = outbox.new_price_facts(
                sub,
                plan=current.name,
                old_amount=old,
                new_amount=preview.new_price,
                from_period=preview.from_period,
                charge_date=first_charge_from(sub, preview.from_period),
                change_id=change_id,
            )
            told += outbox.enqueue(store, policy, facts, sub.id, now)
        store.audit.record(
            staff,
            AuditAction.PLAN_PRICE,
            Message.of(
                MessageCode.AUDIT_PLAN_PRICE,
                plan=current.name,
                old=current.price,
                new=preview.new_price,
                period=preview.from_period,
                now=len(fresh_now),
                later=len(fresh_later),
                told=told,
            ),
            at=now,
        )
    return len(fresh_now)


def _reprice(
    store: Store, sub: Subscriber, old: int, preview: PricePreview, *, staff: str, now: datetime
) -> None:
    store.subscribers.update(sub.id, now=now, amount=preview.new_price)
    store.audit.record(
        staff,
        AuditAction.PLAN_PRICE,
        Message.of(
            MessageCode.AUDIT_PLAN_PRICE_SUBSCRIBER,
            old=old,
            new=preview.new_price,
            plan=preview.plan.name,
            period=preview.from_period,
        ),
        subscriber_id=sub.id,
        at=now,
    )


def apply_due_price_changes(store: Store, *, staff: str, now: datetime) -> int:
    """Give the new price to the subscribers whose next charge has reached a pending change's
    period (before a charge plan is made); returns how many changed. Cheap when nothing is
    pending (one query)."""
    pending = repo.pending_changes(store)
    if not pending:
        return 0
    changed = 0
    with store.transaction():
        for change in pending:
            plan = repo.get_plan(store, change.plan_id)
            if plan is None:
                continue
            preview = PricePreview(plan, change.new_price, change.from_period)
            waiting = 0
            for sub in _on_plan(store, plan.name):
                if sub.amount == change.new_price:
                    continue
                if period_of(sub.next_charge_date) >= change.from_period:
                    _reprice(store, sub, sub.amount, preview, staff=staff or change.staff, now=now)
                    changed += 1
                else:
                    waiting += 1
            if not waiting:
                repo.mark_done(store, change.id, now=now)
    return changed
