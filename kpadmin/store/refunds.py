"""Refund events: one row per refund of a journal charge, on the moment it happened (revision 0005).

A charge keeps the amount refunded so far (``charges.cancelled_amount``, what i'mport shows); this
table keeps *when* each part was refunded, so the settlement report puts a refund on its own
Korean day and the figures of a day already closed never move when a later refund happens.

The invariant — the sum of a charge's rows equals its ``cancelled_amount`` — is kept by the one
writer of ``cancelled_amount``, `ChargeRepository.set_state`, which calls `record` in the same
transaction. `record` turns the change of the total into rows:

* i'mport's cancellations (``cancel_history``, given as `CancelEntry`) not recorded yet, newest
  first, as long as they fit the change: each on its own ``cancelled_at``. A cancellation is
  known by its gateway reference (``gateway_ref``: i'mport's ``cancellation_id``, else the PG's
  cancellation number with its time and amount), unique per charge, so the same cancellation is
  never recorded twice;
* what no entry explains (an answer without a history, rows back-filled without a reference) as
  one row at the time we learned of it (``now``);
* a total that went *down* (never expected: a refund at i'mport is final) as one negative row, so
  the sum still holds and the day we learned of it shows the correction.

Rows are only ever added. ``source``: ``staff`` (refunded from kpadmin), ``gateway`` (found at
i'mport: reconcile, a lookup, a refund made in the console), ``backfill`` (refunded before this
table existed: one row per charge at its last change).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, insert, select

from kpadmin.redact import redact_text
from kpadmin.store import schema

if TYPE_CHECKING:
    from kpadmin.store.store import Store

R = schema.refunds
C = schema.charges

#: Longest reason kept (i'mport's console allows long texts; a report line does not need them).
MAX_REASON = 200


class RefundSource(enum.StrEnum):
    STAFF = "staff"  # a staff refund sent from kpadmin (GUI, `kpadmin refund`)
    GATEWAY = "gateway"  # found at i'mport (reconcile, a lookup, the PortOne console)
    BACKFILL = "backfill"  # refunded before refund rows existed (revision 0005)


@dataclass(frozen=True, slots=True)
class CancelEntry:
    """One cancellation as i'mport lists it (``cancel_history[]``), in the store's words."""

    amount: int
    cancelled_at: datetime | None
    gateway_ref: str | None  # unique per charge (see the module docstring); None: unknown
    reason: str = ""
    receipt_url: str | None = None


@dataclass(frozen=True, slots=True)
class RefundFacts:
    """What a writer of ``cancelled_amount`` knows of the refunds behind the new total."""

    source: RefundSource
    history: tuple[CancelEntry, ...] = ()
    #: For the part no entry explains (a staff refund: the reason staff gave).
    reason: str = ""


#: When a writer says nothing: the total is i'mport's, so what changed was found there.
FOUND_AT_GATEWAY = RefundFacts(RefundSource.GATEWAY)


@dataclass(frozen=True, slots=True)
class Refund:
    id: int
    charge_id: int
    amount: int
    refunded_at: datetime
    source: RefundSource
    reason: str
    gateway_ref: str | None
    receipt_url: str | None
    created_at: datetime


_COLUMNS = (
    R.c.id,
    R.c.charge_id,
    R.c.amount,
    R.c.refunded_at,
    R.c.source,
    R.c.reason,
    R.c.gateway_ref,
    R.c.receipt_url,
    R.c.created_at,
)
_SOURCES = {s.value: s for s in RefundSource}


def record(conn: Connection, charge_id: int, total: int, facts: RefundFacts, now: datetime) -> int:
    """Add the rows that bring charge `charge_id`'s refunds to `total` (inside the write that sets
    its ``cancelled_amount`` to `total`); returns how many rows were added."""
    existing = conn.execute(
        select(R.c.amount, R.c.gateway_ref).where(R.c.charge_id == charge_id)
    ).all()
    delta = total - sum(int(r[0]) for r in existing)
    if delta == 0:
        return 0
    rows: list[dict[str, object]] = []
    if delta > 0:
        known = {r[1] for r in existing if r[1] is not None}
        fresh = [
            e
            for e in facts.history
            if e.amount > 0 and (e.gateway_ref is None or e.gateway_ref not in known)
        ]
        # Newest first: a change of the total is what happened last.
        fresh.sort(key=lambda e: e.cancelled_at or now, reverse=True)
        taken = 0
        seen: set[str] = set()
        for entry in fresh:
            if taken + entry.amount > delta:
                break
            if entry.gateway_ref is not None:
                if entry.gateway_ref in seen:
                    continue
                seen.add(entry.gateway_ref)
            taken += entry.amount
            rows.append(
                _row(
                    charge_id,
                    entry.amount,
                    entry.cancelled_at or now,
                    facts.source,
                    entry.reason or facts.reason,
                    entry.gateway_ref,
                    entry.receipt_url,
                    now,
                )
            )
        delta -= taken
    if delta != 0:
        rows.append(_row(charge_id, delta, now, facts.source, facts.reason, None, None, now))
    conn.execute(insert(R), rows)
    return len(rows)


def _row(
    charge_id: int,
    amount: int,
    at: datetime,
    source: RefundSource,
    reason: str,
    gateway_ref: str | None,
    receipt_url: str | None,
    now: datetime,
) -> dict[str, object]:
    return {
        "charge_id": charge_id,
        "amount": amount,
        "refunded_at": at,
        "source": source.value,
        "reason": redact_text(" ".join(reason.split()))[:MAX_REASON],
        "gateway_ref": gateway_ref,
        "receipt_url": receipt_url,
        "created_at": now,
    }


class RefundRepository:
    """Reads of the refund rows of one `Store` (`ChargeRepository.set_state` writes them)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def for_charge(self, charge_id: int) -> list[Refund]:
        """A charge's refunds, oldest first."""
        query = (
            select(*_COLUMNS).where(R.c.charge_id == charge_id).order_by(R.c.refunded_at, R.c.id)
        )
        with self._store._read() as conn:
            return [_refund(r) for r in conn.execute(query)]

    def unbalanced(self, charge_ids: Iterable[int] | None = None) -> list[int]:
        """Ids of the charges whose refund rows do not add up to their ``cancelled_amount`` (the
        invariant: empty on a sound database)."""
        sums = (
            select(R.c.charge_id, func.sum(R.c.amount).label("total"))
            .group_by(R.c.charge_id)
            .subquery("sums")
        )
        query = (
            select(C.c.id)
            .select_from(C.outerjoin(sums, sums.c.charge_id == C.c.id))
            .where(C.c.cancelled_amount != func.coalesce(sums.c.total, 0))
            .order_by(C.c.id)
        )
        if charge_ids is not None:
            query = query.where(C.c.id.in_(sorted(set(charge_ids))))
        with self._store._read() as conn:
            return [int(r[0]) for r in conn.execute(query)]


def _refund(row: Sequence[Any]) -> Refund:
    at, created = schema.as_instant(row[3]), schema.as_instant(row[8])
    assert at is not None and created is not None  # NOT NULL columns
    return Refund(
        id=int(row[0]),
        charge_id=int(row[1]),
        amount=int(row[2]),
        refunded_at=at,
        source=_SOURCES[row[4]],
        reason=row[5],
        gateway_ref=row[6],
        receipt_url=row[7],
        created_at=created,
    )


__all__ = [
    "FOUND_AT_GATEWAY",
    "CancelEntry",
    "Refund",
    "RefundFacts",
    "RefundRepository",
    "RefundSource",
    "record",
]
