"""The store's records and queries as billing hands them on (to the GUI, which never imports
`kpadmin.store`): the row types, the store's errors and change events, and the read-only views
the window shows — the table's rows, the overview's months and last batch — with their Asia/Seoul
calendar worked out here (the store only compares instants).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TypeVar

from kpadmin.billing.periods import last_months, month_span, period_of
from kpadmin.store import (
    BatchBusy,
    Change,
    ChangeKind,
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseMissing,
    DatabaseUnusable,
    DiskError,
    InvariantViolated,
    SchemaTooNew,
    Store,
    StoreError,
    Subscription,
    TableColumns,
    TableRow,
)
from kpadmin.store.errors import DatabaseFacts
from kpadmin.store.marker import refresh_marker
from kpadmin.store.models import (
    AuditEvent,
    BatchSummary,
    Charge,
    ChargeState,
    ChargeSummary,
    MonthTotal,
    SignupChannel,
    Subscriber,
    SubscriberState,
)

R = TypeVar("R")


def table_rows(store: Store, today: date, make: Callable[..., R]) -> list[R]:
    """Every subscriber as one table line (`TableRow`'s fields, built by `make`: pass `TableRow`
    or a NamedTuple with those fields first), with the paid charges of `today`'s Asia/Seoul
    month: one lean query."""
    return store.subscribers.table_rows(month_span(period_of(today)), make)


def table_columns(store: Store, today: date, ids: Iterable[int] | None = None) -> TableColumns:
    """The same as columns (`TableColumns`), of every subscriber or those of `ids`: for a caller
    that assembles 100,000 rows itself."""
    return store.subscribers.table_columns(month_span(period_of(today)), ids)


def monthly_totals(store: Store, today: date, months: int = 6) -> list[MonthTotal]:
    """Collected vs failed per Asia/Seoul month, the `months` up to `today`'s, oldest first."""
    return store.charges.month_totals([(m, month_span(m)) for m in last_months(today, months)])


def last_batch(store: Store) -> BatchSummary | None:
    """The newest batch's counts and money; None before the first batch."""
    last = store.charges.last_batch()
    return store.charges.batch_summary(last[0]) if last is not None else None


__all__ = [
    "AuditEvent",
    "BatchBusy",
    "BatchSummary",
    "Change",
    "ChangeKind",
    "Charge",
    "ChargeState",
    "ChargeSummary",
    "DatabaseBusy",
    "DatabaseDamaged",
    "DatabaseFacts",
    "DatabaseMissing",
    "DatabaseUnusable",
    "DiskError",
    "InvariantViolated",
    "MonthTotal",
    "SchemaTooNew",
    "SignupChannel",
    "Store",
    "StoreError",
    "Subscriber",
    "SubscriberState",
    "Subscription",
    "TableColumns",
    "TableRow",
    "last_batch",
    "monthly_totals",
    "refresh_marker",
    "table_columns",
    "table_rows",
]
