"""The plans catalogue: plans (name, monthly price) and the price changes scheduled from a billing
period on (`kpadmin.billing.plans` decides what they do to the subscribers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, update

from kpadmin.store import schema

if TYPE_CHECKING:
    from kpadmin.store.store import Store

P = schema.plans
PC = schema.plan_price_changes


@dataclass(frozen=True, slots=True)
class Plan:
    id: int
    name: str
    price: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class PriceChange:
    id: int
    plan_id: int
    from_period: str  # "YYYY-MM"
    old_price: int
    new_price: int
    staff: str
    created_at: datetime
    done_at: datetime | None


def _plan(r: Any) -> Plan:
    return Plan(r[0], r[1], r[2], schema.as_instant(r[3]) or r[3], schema.as_instant(r[4]) or r[4])


def _change(r: Any) -> PriceChange:
    return PriceChange(
        r[0], r[1], r[2], r[3], r[4], r[5], schema.as_instant(r[6]) or r[6], schema.as_instant(r[7])
    )


_PLAN_COLUMNS = (P.c.id, P.c.name, P.c.price, P.c.created_at, P.c.updated_at)
_CHANGE_COLUMNS = (
    PC.c.id,
    PC.c.plan_id,
    PC.c.from_period,
    PC.c.old_price,
    PC.c.new_price,
    PC.c.staff,
    PC.c.created_at,
    PC.c.done_at,
)


def list_plans(store: Store) -> list[Plan]:
    with store._read() as conn:
        return [_plan(r) for r in conn.execute(select(*_PLAN_COLUMNS).order_by(P.c.name))]


def get_plan(store: Store, plan_id: int) -> Plan | None:
    with store._read() as conn:
        row = conn.execute(select(*_PLAN_COLUMNS).where(P.c.id == plan_id)).first()
    return _plan(row) if row is not None else None


def add_plan(store: Store, name: str, price: int, *, now: datetime) -> Plan:
    """A new plan (`InvariantViolated` for a name the catalogue has)."""
    with store._write() as conn:
        new_id = conn.execute(
            insert(P)
            .values(name=name, price=price, created_at=now, updated_at=now)
            .returning(P.c.id)
        ).scalar_one()
    return Plan(int(new_id), name, price, now, now)


def set_price(store: Store, plan_id: int, price: int, *, now: datetime) -> None:
    with store._write() as conn:
        found = conn.execute(
            update(P).where(P.c.id == plan_id).values(price=price, updated_at=now)
        ).rowcount
    if found != 1:
        raise KeyError(plan_id)


def record_change(
    store: Store,
    plan_id: int,
    from_period: str,
    old_price: int,
    new_price: int,
    *,
    staff: str,
    now: datetime,
    done: bool,
) -> int:
    with store._write() as conn:
        return int(
            conn.execute(
                insert(PC)
                .values(
                    plan_id=plan_id,
                    from_period=from_period,
                    old_price=old_price,
                    new_price=new_price,
                    staff=staff,
                    created_at=now,
                    done_at=now if done else None,
                )
                .returning(PC.c.id)
            ).scalar_one()
        )


def pending_changes(store: Store) -> list[PriceChange]:
    """Price changes some subscriber still waits for, oldest first."""
    query = select(*_CHANGE_COLUMNS).where(PC.c.done_at.is_(None)).order_by(PC.c.id)
    with store._read() as conn:
        return [_change(r) for r in conn.execute(query)]


def changes_of(store: Store, plan_id: int) -> list[PriceChange]:
    query = select(*_CHANGE_COLUMNS).where(PC.c.plan_id == plan_id).order_by(PC.c.id)
    with store._read() as conn:
        return [_change(r) for r in conn.execute(query)]


def mark_done(store: Store, change_id: int, *, now: datetime) -> None:
    with store._write() as conn:
        conn.execute(update(PC).where(PC.c.id == change_id).values(done_at=now))
