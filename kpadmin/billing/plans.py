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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from kpadmin.billing import fields
from kpadmin.billing.messages import AuditAction, Message, MessageCode
from kpadmin.billing.periods import period_of
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


def _period(text: str) -> str:
    try:
        year, month = (int(part) for part in text.split("-"))
        return period_of(date(year, month, 1))
    except ValueError:
        raise PlanError(f"not a period (YYYY-MM): {text!r}") from None


def preview_price_change(
    store: Store, plan: Plan, new_price: str | int, from_period: str, *, today: date
) -> PricePreview:
    """What `apply_price_change` would do, writing nothing. The period may not lie before
    today's (charges already made keep their price)."""
    _, price = _checked(plan.name, new_price)
    period = _period(from_period)
    if period < period_of(today):
        raise PlanError(f"the period {period} is past; choose {period_of(today)} or later")
    waiting = [c for c in repo.changes_of(store, plan.id) if c.done_at is None]
    if waiting:
        raise PlanError(
            f"the change to ₩{waiting[0].new_price:,} from {waiting[0].from_period} still waits "
            "for some subscribers' next charge; change the price again after it is done"
        )
    preview = PricePreview(plan, price, period)
    for sub in _on_plan(store, plan.name):
        if sub.amount == price:
            continue
        target = preview.now if period_of(sub.next_charge_date) >= period else preview.later
        target.append((sub, sub.amount))
    return preview


def apply_price_change(store: Store, preview: PricePreview, *, staff: str, now: datetime) -> int:
    """Apply a previewed change in one transaction; returns the subscribers changed now."""
    with store.transaction():
        current = repo.get_plan(store, preview.plan.id)
        if current is None:
            raise PlanError("the plan is gone")
        repo.set_price(store, preview.plan.id, preview.new_price, now=now)
        for sub, old in preview.now:
            _reprice(store, sub, old, preview, staff=staff, now=now)
        repo.record_change(
            store,
            preview.plan.id,
            preview.from_period,
            current.price,
            preview.new_price,
            staff=staff,
            now=now,
            done=not preview.later,
        )
        store.audit.record(
            staff,
            AuditAction.PLAN_PRICE,
            Message.of(
                MessageCode.AUDIT_PLAN_PRICE,
                plan=preview.plan.name,
                old=current.price,
                new=preview.new_price,
                period=preview.from_period,
                now=len(preview.now),
                later=len(preview.later),
            ),
            at=now,
        )
    return len(preview.now)


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
