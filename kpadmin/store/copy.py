"""Copying a desk's database into a shared one (`kpadmin db copy --to URL`, issue #11).

    report = copy_database(source, target)   # two open Stores: this PC's file, the shared one

Everything is copied in **one** write transaction on the target — subscribers, the charge journal
with its refund rows, the audit trail — or nothing is: a target that already holds any of the
source's billing keys (``customer_uid``) or order ids (``merchant_uid``) is refused before anything
is written (`CopyConflict`, naming how many and the first few), so two desks' data can be brought
together only when they do not overlap, and the same desk copied twice is refused. Row ids are the
target's own (a shared database may hold another desk's rows); the journal and the audit follow
their subscribers to the new ids, the refund rows their charges (found again by order id). Both
databases' batch locks are held meanwhile, so nobody charges either while it runs.

Afterwards the copy is checked, inside the same transaction: the number of subscribers, charges,
refund rows and audit lines, and the money (subscribers' amounts, what was paid, what was refunded:
by the charges and by the refund rows) added to the target equal the source's; otherwise it rolls
back (`CopyMismatch`). The source is left as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection, Table, func, insert, select

from kpadmin.store import schema
from kpadmin.store.changes import ChangeKind
from kpadmin.store.store import Store

T = TypeVar("T")

#: The audit action a shared database records its mode with (`postgres.py`): never copied.
_MODE_ACTION = "shared_database"


def _chunks(items: Sequence[T], size: int = 500) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _some(items: Sequence[str]) -> str:
    return ", ".join(items[:3]) + ("…" if len(items) > 3 else "")


class CopyConflict(Exception):
    """The target already holds some of the source's keys or order ids; nothing was copied."""

    def __init__(self, keys: Sequence[str], orders: Sequence[str]) -> None:
        parts = []
        if keys:
            parts.append(f"{len(keys)} billing key(s) ({_some(keys)})")
        if orders:
            parts.append(f"{len(orders)} order id(s) ({_some(orders)})")
        super().__init__(
            "the target database already holds " + " and ".join(parts) + " of this one's; "
            "nothing was copied (was this desk copied already?)"
        )
        self.keys = tuple(keys)
        self.orders = tuple(orders)


class CopyMismatch(Exception):
    """The check after copying found a difference; the copy was rolled back."""


@dataclass(frozen=True, slots=True)
class Totals:
    subscribers: int
    charges: int
    audit: int
    subscribed_amount: int  # the subscribers' amounts
    paid_amount: int  # what i'mport charged, over paid rows
    refunded_amount: int  # cancelled_amount over all rows
    refunds: int = 0  # refund rows
    refunds_amount: int = 0  # their amounts (equal to refunded_amount on a sound database)

    def minus(self, other: Totals) -> Totals:
        return Totals(*(a - b for a, b in zip(_fields(self), _fields(other), strict=True)))


def _fields(totals: Totals) -> tuple[int, ...]:
    return (
        totals.subscribers,
        totals.charges,
        totals.audit,
        totals.subscribed_amount,
        totals.paid_amount,
        totals.refunded_amount,
        totals.refunds,
        totals.refunds_amount,
    )


@dataclass(frozen=True, slots=True)
class CopyReport:
    source: Totals
    added: Totals  # what the target gained: equal to `source`


def totals(conn: Connection) -> Totals:
    s, c, a, r = schema.subscribers, schema.charges, schema.audit, schema.refunds
    subscribers, amount = conn.execute(
        select(func.count(), func.coalesce(func.sum(s.c.amount), 0))
    ).one()
    charges, refunded = conn.execute(
        select(func.count(), func.coalesce(func.sum(c.c.cancelled_amount), 0))
    ).one()
    paid = conn.execute(
        select(func.coalesce(func.sum(func.coalesce(c.c.paid_amount, c.c.amount)), 0)).where(
            c.c.state == "paid"
        )
    ).scalar_one()
    audit = conn.execute(
        select(func.count()).select_from(a).where(a.c.action != _MODE_ACTION)
    ).scalar_one()
    refunds, refunds_amount = conn.execute(
        select(func.count(), func.coalesce(func.sum(r.c.amount), 0))
    ).one()
    return Totals(
        int(subscribers),
        int(charges),
        int(audit),
        int(amount),
        int(paid),
        int(refunded),
        int(refunds),
        int(refunds_amount),
    )


def copy_database(source: Store, target: Store, *, holder: str = "kpadmin db copy") -> CopyReport:
    """Copy everything of `source` into `target` (module docstring). Raises `CopyConflict`,
    `CopyMismatch`, `BatchBusy` (someone is charging one of them) or the stores' errors."""
    with source.batch_lock(holder), target.batch_lock(holder):
        with source._read() as conn:
            subscribers = _all(conn, schema.subscribers)
            charges = _all(conn, schema.charges)
            refunds = _all(conn, schema.refunds)
            audit = [r for r in _all(conn, schema.audit) if r["action"] != _MODE_ACTION]
            before = totals(conn)
        with target._write() as conn:
            _refuse_conflicts(
                conn, [r["customer_uid"] for r in subscribers], [r["merchant_uid"] for r in charges]
            )
            start = totals(conn)
            ids = _insert_with_new_ids(conn, schema.subscribers, subscribers)
            _insert_rows(
                conn,
                schema.charges,
                [{**r, "subscriber_id": ids[r["subscriber_id"]]} for r in charges],
            )
            charge_ids = _new_charge_ids(conn, charges)
            _insert_rows(
                conn,
                schema.refunds,
                [{**r, "charge_id": charge_ids[r["charge_id"]]} for r in refunds],
            )
            _insert_rows(
                conn,
                schema.audit,
                [
                    {
                        **r,
                        "subscriber_id": None
                        if r["subscriber_id"] is None
                        else ids.get(r["subscriber_id"]),
                    }
                    for r in audit
                ],
            )
            added = totals(conn).minus(start)
            if added != before:
                raise CopyMismatch(f"copied {added}, the source has {before}")
            target._note(ChangeKind.SUBSCRIBERS, ids.values())
            target._note(ChangeKind.CHARGES, ids.values())
    return CopyReport(before, added)


def _all(conn: Connection, table: Table) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in conn.execute(select(table).order_by(table.c.id))]


def _new_charge_ids(conn: Connection, charges: list[dict[str, Any]]) -> dict[int, int]:
    """The source's charge id → the target's, by order id (unique in both)."""
    by_order = {r["merchant_uid"]: r["id"] for r in charges}
    c = schema.charges
    mapping: dict[int, int] = {}
    for chunk in _chunks(list(by_order)):
        for new_id, order in conn.execute(
            select(c.c.id, c.c.merchant_uid).where(c.c.merchant_uid.in_(chunk))
        ):
            mapping[by_order[order]] = int(new_id)
    return mapping


def _refuse_conflicts(conn: Connection, keys: Iterable[str], orders: Iterable[str]) -> None:
    s, c = schema.subscribers, schema.charges
    taken_keys: list[str] = []
    for chunk in _chunks(list(keys)):
        taken_keys += conn.execute(
            select(s.c.customer_uid).where(s.c.customer_uid.in_(chunk))
        ).scalars()
    taken_orders: list[str] = []
    for chunk in _chunks(list(orders)):
        taken_orders += conn.execute(
            select(c.c.merchant_uid).where(c.c.merchant_uid.in_(chunk))
        ).scalars()
    if taken_keys or taken_orders:
        raise CopyConflict(sorted(taken_keys), sorted(taken_orders))


def _insert_with_new_ids(
    conn: Connection, table: Table, rows: list[dict[str, Any]]
) -> dict[int, int]:
    """Insert without the source's ids; old id → new id."""
    mapping: dict[int, int] = {}
    for row in rows:
        values = {k: v for k, v in row.items() if k != "id"}
        new_id = conn.execute(insert(table).values(values).returning(table.c.id)).scalar_one()
        mapping[row["id"]] = int(new_id)
    return mapping


def _insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    values = [{k: v for k, v in row.items() if k != "id"} for row in rows]
    for chunk in _chunks(values, 1000):
        conn.execute(insert(table), list(chunk))
