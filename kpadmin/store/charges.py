"""The charge journal: one row per attempt to charge a subscriber for a billing period.

The engine (`kpadmin.billing.engine`, `journal.py`) is the only writer of charge states. The schema
(`schema.py`) enforces the invariants — one paid row per subscriber and period, one open
(planned / sent / unknown) row per subscriber, a paid row stays paid — so a bug above fails loudly
with `InvariantViolated` instead of moving money twice.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Connection,
    Text,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    select,
    update,
)

from kpadmin.redact import redact_text
from kpadmin.store import schema
from kpadmin.store.changes import ChangeKind
from kpadmin.store.models import BatchSummary, Charge, ChargeState, MonthTotal, Span
from kpadmin.store.prepared import Prepared
from kpadmin.store.refunds import FOUND_AT_GATEWAY, RefundFacts
from kpadmin.store.refunds import record as record_refunds
from kpadmin.store.subscribers import _instant, chunks

if TYPE_CHECKING:
    from kpadmin.store.store import Store

C = schema.charges
R = schema.refunds
_COLUMNS = (
    C.c.id,
    C.c.subscriber_id,
    C.c.customer_uid,
    C.c.period,
    C.c.attempt,
    C.c.merchant_uid,
    C.c.amount,
    C.c.state,
    C.c.imp_uid,
    C.c.fail_reason,
    C.c.receipt_url,
    C.c.paid_at,
    C.c.cancelled_amount,
    C.c.batch_id,
    C.c.created_at,
    C.c.updated_at,
    C.c.paid_amount,
)
_STATES = {s.value: s for s in ChargeState}
IN_DOUBT_STATES: tuple[str, ...] = tuple(s.value for s in ChargeState if s.in_doubt)
_FAILED = (ChargeState.DECLINED.value, ChargeState.REJECTED.value)
#: Fields `set_state` may set besides the state.
SETTABLE = frozenset(
    {
        "imp_uid",
        "fail_reason",
        "receipt_url",
        "paid_at",
        "batch_id",
        "cancelled_amount",
        "paid_amount",
    }
)


_INSERT = Prepared(
    lambda _dialect: (
        insert(C)
        .values(
            {
                name: bindparam(name)
                for name in (
                    "subscriber_id",
                    "customer_uid",
                    "period",
                    "attempt",
                    "merchant_uid",
                    "amount",
                    "state",
                    "batch_id",
                    "staff",
                    "created_at",
                    "updated_at",
                )
            }
        )
        .returning(C.c.id)
    )
)
# Reads built once (bound values, expanding id lists): compiled once, then found in the cache.
_GET = select(*_COLUMNS).where(C.c.id == bindparam("id"))
_BY_MERCHANT_UID = select(*_COLUMNS).where(C.c.merchant_uid == bindparam("merchant_uid"))
_BY_IMP_UID = select(*_COLUMNS).where(C.c.imp_uid == bindparam("imp_uid")).order_by(C.c.id)
_FOR_SUBSCRIBER = select(*_COLUMNS).where(C.c.subscriber_id == bindparam("id")).order_by(C.c.id)
_FOR_SUBSCRIBERS = (
    select(*_COLUMNS)
    .where(C.c.subscriber_id.in_(bindparam("ids", expanding=True)))
    .order_by(C.c.id)
)
_PAID_SINCE = (
    select(*_COLUMNS)
    .where(
        C.c.state == ChargeState.PAID.value,
        C.c.paid_at >= bindparam("since", type_=schema.Instant()),
    )
    .order_by(C.c.id)
)
_IN_DOUBT = select(*_COLUMNS).where(C.c.state.in_(IN_DOUBT_STATES)).order_by(C.c.id)
_PAID_IN = (
    select(C.c.subscriber_id, func.count())
    .where(
        C.c.state == ChargeState.PAID.value,
        C.c.paid_at >= bindparam("paid_from", type_=schema.Instant()),
        C.c.paid_at < bindparam("paid_until", type_=schema.Instant()),
        C.c.subscriber_id.in_(bindparam("ids", expanding=True)),
    )
    .group_by(C.c.subscriber_id)
)
_PAID_THROUGH = (
    select(C.c.subscriber_id, func.max(C.c.period))
    .where(
        C.c.state == ChargeState.PAID.value,
        C.c.subscriber_id.in_(bindparam("ids", expanding=True)),
    )
    .group_by(C.c.subscriber_id)
)
_MISMATCHED = select(*_COLUMNS).where(
    C.c.state == ChargeState.PAID.value, C.c.paid_amount != C.c.amount
)
_MISMATCHED_AMONG = _MISMATCHED.where(C.c.id.in_(bindparam("ids", expanding=True)))
_LAST_WRITE = select(func.max(C.c.updated_at)).where(C.c.batch_id == bindparam("batch_id"))
_PAGE_SIZE = 5000
_PAGE = Prepared(
    lambda _dialect: (
        select(*_COLUMNS)
        .where(C.c.id > bindparam("after"))
        .order_by(C.c.id)
        .limit(bindparam("size"))
    )
)
_BATCH = (
    select(
        C.c.state,
        func.count(),
        func.sum(func.coalesce(C.c.paid_amount, C.c.amount)),
        func.max(C.c.updated_at),
    )
    .where(C.c.batch_id == bindparam("batch_id"))
    .group_by(C.c.state)
)
_STATE_OF = Prepared(lambda _dialect: select(C.c.state).where(C.c.id == bindparam("id")))
_PAID_OTHER = Prepared(
    lambda _dialect: (
        select(C.c.merchant_uid)
        .where(
            C.c.subscriber_id == bindparam("subscriber_id"),
            C.c.period == bindparam("period"),
            C.c.state == ChargeState.PAID.value,
            C.c.id != bindparam("id"),
        )
        .limit(1)
    )
)
_STATES_OF = Prepared(
    lambda _dialect: select(C.c.id, C.c.state).where(C.c.id.in_(bindparam("ids", expanding=True)))
)
_PAID_AMONG = Prepared(
    lambda _dialect: select(C.c.id, C.c.subscriber_id, C.c.period, C.c.merchant_uid).where(
        C.c.state == ChargeState.PAID.value,
        C.c.subscriber_id.in_(bindparam("ids", expanding=True)),
        C.c.period.in_(bindparam("periods", expanding=True)),
    )
)
#: `set_state` statements, one per set of fields (the journal uses a handful).
_SET_STATE: dict[tuple[frozenset[str], bool], Prepared] = {}


def _set_state_statement(fields: frozenset[str], *, returning: bool = True) -> Prepared:
    """``UPDATE … SET state, updated_at, <fields>`` by id (``returning``: RETURNING the row's
    subscriber; an executemany has none, sqlite3 refuses rows there)."""
    found = _SET_STATE.get((fields, returning))
    if found is None:
        names = ("state", "updated_at", *sorted(fields))

        def build(_dialect: str) -> Any:
            statement = (
                update(C)
                .where(C.c.id == bindparam("id"))
                .values({name: bindparam(name) for name in names})
            )
            return statement.returning(C.c.subscriber_id) if returning else statement

        found = _SET_STATE[fields, returning] = Prepared(build)
    return found


@dataclass(frozen=True, slots=True)
class NewCharge:
    """An intent about to be journaled."""

    subscriber_id: int
    customer_uid: str
    period: str
    attempt: int
    merchant_uid: str
    amount: int


def row_to_charge(row: Sequence[Any]) -> Charge:
    return Charge(
        id=row[0],
        subscriber_id=row[1],
        customer_uid=row[2],
        period=row[3],
        attempt=row[4],
        merchant_uid=row[5],
        amount=row[6],
        state=_STATES[row[7]],
        imp_uid=row[8],
        fail_reason=row[9],
        receipt_url=row[10],
        paid_at=schema.as_instant(row[11]),
        cancelled_amount=row[12],
        batch_id=row[13],
        created_at=_instant(row[14]),
        updated_at=_instant(row[15]),
        paid_amount=row[16],
    )


class ChargeRepository:
    """Charges of one `Store`. Callers group writes with `store.transaction()`."""

    def __init__(self, store: Store) -> None:
        self._store = store

    # -- writes ---------------------------------------------------------------------------------

    def insert(
        self,
        new: NewCharge,
        *,
        batch_id: str | None,
        staff: str,
        now: datetime | None = None,
    ) -> int:
        """Journal one intent in state planned; returns its id (call inside a transaction)."""
        stamp = now or self._store.clock()
        store = self._store
        with store._write() as conn:
            ((charge_id,),) = store._rows(
                conn,
                _INSERT,
                _intent_values(new, batch_id, staff, stamp),
            )
            store._note(ChangeKind.CHARGES, [new.subscriber_id])
        return int(charge_id)

    def insert_many(
        self,
        news: Sequence[NewCharge],
        *,
        batch_id: str | None,
        staff: str,
        now: datetime | None = None,
    ) -> list[int]:
        """Journal many intents in state planned (one executemany: on PostgreSQL one round trip,
        not one per row); their ids in the order given (call inside a transaction)."""
        if not news:
            return []
        stamp = now or self._store.clock()
        store = self._store
        with store._write() as conn:
            rows = store._many(
                conn,
                _INSERT,
                [_intent_values(new, batch_id, staff, stamp) for new in news],
                returning=True,
            )
            if len(rows) != len(news):  # never: one RETURNING row per INSERT
                raise RuntimeError(f"{len(news)} intents inserted, {len(rows)} ids returned")
            store._note(ChangeKind.CHARGES, [new.subscriber_id for new in news])
        return [int(row[0]) for row in rows]

    def set_states(
        self,
        changes: Sequence[tuple[int, int, ChargeState, dict[str, Any]]],
        *,
        now: datetime | None = None,
        refunds: Mapping[int, RefundFacts] | None = None,
    ) -> None:
        """`set_state` for many rows at once: ``(charge_id, subscriber_id, state, fields)`` each,
        for rows the caller has just read inside its write transaction (their ids exist). One
        executemany per set of fields (a group of outcomes has two or three). Refund rows are
        written as `set_state` writes them (`refunds`: a charge's facts, by id)."""
        refunds = refunds or {}
        stamp = now or self._store.clock()
        by_fields: dict[frozenset[str], list[dict[str, Any]]] = {}
        for charge_id, _subscriber_id, state, fields in changes:
            values = _state_values(charge_id, state, fields, stamp)
            by_fields.setdefault(frozenset(fields), []).append(values)
        store = self._store
        with store._write() as conn:
            for names, rows in by_fields.items():
                store._many(conn, _set_state_statement(names, returning=False), rows)
            for charge_id, _subscriber_id, _state, fields in changes:
                _record_refunds(conn, charge_id, fields, refunds.get(charge_id), stamp)
            store._note(ChangeKind.CHARGES, [change[1] for change in changes])

    def set_state(
        self,
        charge_id: int,
        state: ChargeState,
        *,
        now: datetime | None = None,
        refunds: RefundFacts | None = None,
        **fields: Any,
    ) -> None:
        """Move a row to `state`, setting imp_uid / fail_reason / receipt_url / paid_at / batch_id /
        cancelled_amount / paid_amount when given. ``fail_reason`` is redacted on the way in.
        Raises KeyError for an unknown id.

        The one writer of ``cancelled_amount``: a new total gets its refund rows in the same
        write (`kpadmin.store.refunds.record`, from `refunds`: who refunded, i'mport's history),
        so the rows of a charge always add up to it. A total of 0 with no `refunds` is a payment
        recorded for the first time (nothing refunded, nothing to look up)."""
        stamp = now or self._store.clock()
        values = _state_values(charge_id, state, fields, stamp)
        store = self._store
        with store._write() as conn:
            found = store._rows(conn, _set_state_statement(frozenset(fields)), values)
            if not found:
                raise KeyError(charge_id)
            _record_refunds(conn, charge_id, fields, refunds, stamp)
            store._note(ChangeKind.CHARGES, [found[0][0]])

    def mark_resent(self, charge_id: int, *, batch_id: str, now: datetime | None = None) -> None:
        """An open planned row is sent again by batch `batch_id`: its batch and ``updated_at``
        (reconcile's quiet period counts from the last time a row may have left)."""
        with self._store._write() as conn:
            found = conn.execute(
                update(C)
                .where(C.c.id == charge_id)
                .values(batch_id=batch_id, updated_at=now or self._store.clock())
                .returning(C.c.subscriber_id)
            ).first()
            if found is not None:
                self._store._note(ChangeKind.CHARGES, [found[0]])

    def delete_planned(self, charge_ids: Iterable[int]) -> int:
        """Withdraw intents that never left: delete those of `charge_ids` still planned."""
        wanted = list(dict.fromkeys(charge_ids))
        deleted = 0
        with self._store._write() as conn:
            for chunk in chunks(wanted):
                gone = conn.execute(
                    delete(C)
                    .where(C.c.id.in_(chunk), C.c.state == ChargeState.PLANNED.value)
                    .returning(C.c.subscriber_id)
                ).all()
                deleted += len(gone)
                self._store._note(ChangeKind.CHARGES, (r[0] for r in gone))
        return deleted

    # -- reads ----------------------------------------------------------------------------------

    def get(self, charge_id: int) -> Charge | None:
        with self._store._read() as conn:
            row = conn.execute(_GET, {"id": charge_id}).first()
        return row_to_charge(row) if row is not None else None

    def state_of(self, charge_id: int) -> ChargeState | None:
        """Just the state (the journal's compare-and-set); None for an unknown id."""
        store = self._store
        with store._read() as conn:
            found = store._rows(conn, _STATE_OF, {"id": charge_id})
        return _STATES[found[0][0]] if found else None

    def states_of(self, charge_ids: Iterable[int]) -> dict[int, ChargeState]:
        """The states of these rows (unknown ids left out), in one query per chunk."""
        wanted = list(dict.fromkeys(charge_ids))
        found: dict[int, ChargeState] = {}
        store = self._store
        with store._read() as conn:
            for chunk in chunks(wanted):
                for charge_id, state in store._rows(conn, _STATES_OF, {"ids": list(chunk)}):
                    found[charge_id] = _STATES[state]
        return found

    def paid_among(
        self, subscriber_ids: Iterable[int], periods: Iterable[str]
    ) -> dict[tuple[int, str], list[tuple[int, str]]]:
        """The paid rows of these subscribers in these periods: (subscriber, period) → [(id,
        merchant_uid)] (the journal's double-payment guard for a whole group)."""
        wanted = list(dict.fromkeys(subscriber_ids))
        months = list(dict.fromkeys(periods))
        found: dict[tuple[int, str], list[tuple[int, str]]] = {}
        if not wanted or not months:
            return found
        store = self._store
        with store._read() as conn:
            for chunk in chunks(wanted):
                values = {"ids": list(chunk), "periods": months}
                for charge_id, sid, period, uid in store._rows(conn, _PAID_AMONG, values):
                    found.setdefault((sid, period), []).append((charge_id, uid))
        return found

    def paid_other(self, subscriber_id: int, period: str, charge_id: int) -> str | None:
        """The merchant_uid of another row already paid for this subscriber and period."""
        store = self._store
        values = {"subscriber_id": subscriber_id, "period": period, "id": charge_id}
        with store._read() as conn:
            found = store._rows(conn, _PAID_OTHER, values)
        return str(found[0][0]) if found else None

    def by_merchant_uid(self, merchant_uid: str) -> Charge | None:
        with self._store._read() as conn:
            row = conn.execute(_BY_MERCHANT_UID, {"merchant_uid": merchant_uid}).first()
        return row_to_charge(row) if row is not None else None

    def by_imp_uid(self, imp_uid: str) -> Charge | None:
        """The row i'mport's payment `imp_uid` settled (a refund names a payment by it)."""
        with self._store._read() as conn:
            row = conn.execute(_BY_IMP_UID, {"imp_uid": imp_uid}).first()
        return row_to_charge(row) if row is not None else None

    def for_subscriber(self, subscriber_id: int) -> list[Charge]:
        """A subscriber's attempts, oldest first."""
        with self._store._read() as conn:
            return list(map(row_to_charge, conn.execute(_FOR_SUBSCRIBER, {"id": subscriber_id})))

    def for_subscribers(self, ids: Iterable[int]) -> dict[int, list[Charge]]:
        """Attempts of many subscribers at once (oldest first), in chunks."""
        wanted = list(dict.fromkeys(ids))
        result: dict[int, list[Charge]] = {sid: [] for sid in wanted}
        with self._store._read() as conn:
            for chunk in chunks(wanted):
                for row in conn.execute(_FOR_SUBSCRIBERS, {"ids": list(chunk)}):
                    result[row[1]].append(row_to_charge(row))
        return result

    def unpaid_failures(self, ids: Iterable[int] | None = None) -> dict[int, list[Charge]]:
        """Per subscriber, every attempt of each period that has a declined or rejected attempt
        and no paid one (oldest first): what the retry policy reads for the table and the
        notices. All subscribers' with `ids` None."""
        # The failed (subscriber, period) pairs through charges_by_state, then their rows; a
        # paid period is left out through charges_one_paid (the partial index of paid rows).
        failed = (
            select(C.c.subscriber_id, C.c.period)
            .where(C.c.state.in_((ChargeState.DECLINED.value, ChargeState.REJECTED.value)))
            .distinct()
            .subquery("failed")
        )
        paid = C.alias("paid")
        query = (
            select(*_COLUMNS)
            .join(
                failed,
                and_(failed.c.subscriber_id == C.c.subscriber_id, failed.c.period == C.c.period),
            )
            .where(
                ~select(paid.c.id)
                .where(
                    paid.c.subscriber_id == C.c.subscriber_id,
                    paid.c.period == C.c.period,
                    paid.c.state == ChargeState.PAID.value,
                )
                .exists()
            )
            .order_by(C.c.subscriber_id, C.c.id)
        )
        result: dict[int, list[Charge]] = {}
        with self._store._read() as conn:
            if ids is None:
                rows = list(conn.execute(query))
            else:
                rows = []
                wanted = list(dict.fromkeys(ids))
                for chunk in chunks(wanted):
                    rows += conn.execute(query.where(C.c.subscriber_id.in_(list(chunk))))
        for row in rows:
            result.setdefault(row[1], []).append(row_to_charge(row))
        return result

    def paid_since(self, since: datetime) -> list[Charge]:
        """Paid rows whose payment is at or after ``since`` (outside refunds are looked for in
        these: `kpadmin.billing.outside`)."""
        with self._store._read() as conn:
            return [row_to_charge(row) for row in conn.execute(_PAID_SINCE, {"since": since})]

    def in_doubt(self) -> list[Charge]:
        """Rows whose outcome is not known (planned / sent / unknown), oldest first."""
        with self._store._read() as conn:
            return list(map(row_to_charge, conn.execute(_IN_DOUBT)))

    def in_state(self, state: ChargeState) -> list[Charge]:
        query = select(*_COLUMNS).where(C.c.state == state.value).order_by(C.c.id)
        with self._store._read() as conn:
            return list(map(row_to_charge, conn.execute(query)))

    def paid_in(self, subscriber_ids: Iterable[int], month: Span) -> dict[int, int]:
        """Paid charges per subscriber whose ``paid_at`` falls in `month` (an Asia/Seoul month:
        `kpadmin.billing.periods.month_span`)."""
        wanted = list(dict.fromkeys(subscriber_ids))
        counts = dict.fromkeys(wanted, 0)
        span = {"paid_from": month.start, "paid_until": month.end}
        with self._store._read() as conn:
            for chunk in chunks(wanted):
                for sid, n in conn.execute(_PAID_IN, {**span, "ids": list(chunk)}):
                    counts[sid] = n
        return counts

    def paid_through(self, subscriber_ids: Iterable[int]) -> dict[int, str]:
        """The latest paid period ("YYYY-MM") of each subscriber that has one."""
        wanted = list(dict.fromkeys(subscriber_ids))
        found: dict[int, str] = {}
        with self._store._read() as conn:
            for chunk in chunks(wanted):
                for sid, period in conn.execute(_PAID_THROUGH, {"ids": list(chunk)}):
                    found[sid] = period
        return found

    def amount_mismatches(self, charge_ids: Iterable[int] | None = None) -> list[Charge]:
        """Paid rows whose paid amount differs from the amount asked for (oldest first), among
        ``charge_ids`` (None: all of them)."""
        with self._store._read() as conn:
            if charge_ids is None:
                return list(map(row_to_charge, conn.execute(_MISMATCHED.order_by(C.c.id))))
            found: list[Charge] = []
            for chunk in chunks(sorted(set(charge_ids))):
                found += map(row_to_charge, conn.execute(_MISMATCHED_AMONG, {"ids": list(chunk)}))
        return sorted(found, key=lambda c: c.id)

    def last_write_of_batch(self, batch_id: str) -> datetime | None:
        """When batch `batch_id` last wrote any of its rows."""
        with self._store._read() as conn:
            found: datetime | None = conn.execute(_LAST_WRITE, {"batch_id": batch_id}).scalar()
        return found

    def iter_all(self) -> Iterator[Charge]:
        """Every row, oldest first (exports), read in pages."""
        after = 0
        store = self._store
        while True:
            with store._read() as conn:
                rows = store._rows(conn, _PAGE, {"after": after, "size": _PAGE_SIZE})
            page = list(map(row_to_charge, rows))
            yield from page
            if len(page) < _PAGE_SIZE:
                return
            after = page[-1].id

    def list_all(self) -> list[Charge]:
        return list(self.iter_all())

    def count_by_state(self) -> dict[ChargeState, int]:
        counts = dict.fromkeys(ChargeState, 0)
        with self._store._read() as conn:
            for state, n in conn.execute(select(C.c.state, func.count()).group_by(C.c.state)):
                counts[_STATES[state]] = n
        return counts

    # -- the overview ---------------------------------------------------------------------------

    def last_batch(self) -> tuple[str, datetime | None] | None:
        """The newest row a batch wrote (by id: no scan of the journal): its batch id and time."""
        query = (
            select(C.c.batch_id, C.c.updated_at)
            .where(C.c.batch_id.is_not(None))
            .order_by(C.c.id.desc())
            .limit(1)
        )
        with self._store._read() as conn:
            row = conn.execute(query).first()
        return (str(row[0]), row[1]) if row is not None else None

    def batch_summary(self, batch_id: str) -> BatchSummary:
        """Counts and money of the rows batch `batch_id` wrote (aggregated in the database)."""
        paid = failed = doubt = collected = 0
        latest: datetime | None = None
        with self._store._read() as conn:
            for state, n, amount, updated in conn.execute(_BATCH, {"batch_id": batch_id}):
                cs = _STATES[state]
                if cs is ChargeState.PAID:
                    paid += n
                    collected += amount
                elif cs.in_doubt:
                    doubt += n
                else:
                    failed += n
                latest = updated if latest is None or updated > latest else latest
        return BatchSummary(batch_id, latest, paid, failed, doubt, collected)

    def month_totals(self, months: Sequence[tuple[str, Span]]) -> list[MonthTotal]:
        """Collected (paid, net of refunds) and failed (declined + rejected) per month, two
        queries: a charge belongs to the month its ``paid_at`` (else ``updated_at``) falls in, a
        refund to the month it was made in (``refunds.refunded_at``), as in the settlement
        report: a month already closed does not change when a later refund happens."""
        if not months:
            return []
        values: dict[str, Any] = {"from": min(span.start for _, span in months)}
        for i, (name, span) in enumerate(months):
            values.update({f"name_{i}": name, f"start_{i}": span.start, f"end_{i}": span.end})
        with self._store._read() as conn:
            rows = conn.execute(_month_totals(len(months)), values)
            found = {r[0]: (int(r[1] or 0), int(r[2] or 0)) for r in rows}
            refunded = {
                r[0]: int(r[1] or 0) for r in conn.execute(_month_refunds(len(months)), values)
            }
        totals = []
        for name, _ in months:
            paid, failed = found.get(name, (0, 0))
            totals.append(MonthTotal(name, paid - refunded.get(name, 0), failed))
        return totals


def _intent_values(
    new: NewCharge, batch_id: str | None, staff: str, stamp: datetime
) -> dict[str, Any]:
    """The bound values of `_INSERT` for one planned intent."""
    return {
        "subscriber_id": new.subscriber_id,
        "customer_uid": new.customer_uid,
        "period": new.period,
        "attempt": new.attempt,
        "merchant_uid": new.merchant_uid,
        "amount": new.amount,
        "state": ChargeState.PLANNED.value,
        "batch_id": batch_id,
        "staff": staff,
        "created_at": stamp,
        "updated_at": stamp,
    }


def _state_values(
    charge_id: int, state: ChargeState, fields: Mapping[str, Any], stamp: datetime
) -> dict[str, Any]:
    """The bound values of a state change: only settable fields, ``fail_reason`` redacted."""
    bad = set(fields) - SETTABLE
    if bad:
        raise ValueError(f"cannot set {sorted(bad)}")
    values = dict(fields)
    if values.get("fail_reason"):
        values["fail_reason"] = redact_text(values["fail_reason"])
    values.update(id=charge_id, state=state.value, updated_at=stamp)
    return values


def _record_refunds(
    conn: Connection,
    charge_id: int,
    fields: Mapping[str, Any],
    facts: RefundFacts | None,
    stamp: datetime,
) -> None:
    """A new ``cancelled_amount`` gets its refund rows in the same write. A total of 0 with no
    `facts` is a payment recorded for the first time (nothing refunded, nothing to look up)."""
    total = fields.get("cancelled_amount")
    if total is not None and (total != 0 or facts is not None):
        record_refunds(conn, charge_id, int(total), facts or FOUND_AT_GATEWAY, stamp)


def _month_label(moment: Any, count: int) -> Any:
    """The name of the month (of `count` bound spans) that `moment` falls in; NULL outside."""
    return case(
        *(
            (
                and_(
                    moment >= bindparam(f"start_{i}", type_=schema.Instant()),
                    moment < bindparam(f"end_{i}", type_=schema.Instant()),
                ),
                bindparam(f"name_{i}", type_=Text()),
            )
            for i in range(count)
        ),
        else_=None,
    ).label("month")


@functools.cache
def _month_totals(count: int) -> Any:
    """The month totals query for `count` months (bound names and spans: built once): paid
    amounts before refunds (`_month_refunds` has those) and failed amounts."""
    moment = func.coalesce(C.c.paid_at, C.c.updated_at)
    label = _month_label(moment, count)
    collected = func.sum(
        case(
            (C.c.state == ChargeState.PAID.value, func.coalesce(C.c.paid_amount, C.c.amount)),
            else_=0,
        )
    )
    failed = func.sum(case((C.c.state.in_(_FAILED), C.c.amount), else_=0))
    return (
        select(label, collected, failed)
        .where(moment >= bindparam("from", type_=schema.Instant()))
        .group_by(label)
    )


@functools.cache
def _month_refunds(count: int) -> Any:
    """The refunds made in each of `count` months (`kpadmin.store.refunds`: their rows add up to
    every charge's ``cancelled_amount``)."""
    label = _month_label(R.c.refunded_at, count)
    return (
        select(label, func.sum(R.c.amount))
        .where(R.c.refunded_at >= bindparam("from", type_=schema.Instant()))
        .group_by(label)
    )
