"""kpadmin's store: the one place that speaks SQL (SQLAlchemy Core; Alembic migrations).

    store = open_store(path, clock=clock)   # a SQLite file today; a database URL later
    store.subscribers / store.charges / store.audit      repositories
    with store.transaction(): ...                          one write, all or nothing
    await store.run(fn, *args)                             a write on the store's own thread
    with store.batch_lock(holder): ...                     one batch per database
    store.on_change(callback)                              Change(kind, ids) after each COMMIT
    store.close()

Billing takes a `Store`; the GUI reaches it only through billing (`kpadmin.billing.records`).
"""

from __future__ import annotations

import os

from kpadmin import clock as seam
from kpadmin.clock import Clock
from kpadmin.store.audit import AuditRepository
from kpadmin.store.changes import Change, ChangeKind, Subscription
from kpadmin.store.charges import ChargeRepository, NewCharge
from kpadmin.store.errors import (
    BatchBusy,
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseMissing,
    DatabaseUnusable,
    DiskError,
    InvariantViolated,
    SchemaTooNew,
    ServerUnreachable,
    StoreError,
)
from kpadmin.store.notices import NewNotice, NoticeRepository, StoredNotice
from kpadmin.store.store import Job, Store, StoreClosed
from kpadmin.store.subscribers import (
    NewSubscriber,
    Schedule,
    SubscriberRepository,
    TableColumns,
    TableRow,
)

#: The SQLite file's name in each mode's folder of the data dir.
FILE_NAME = "kpadmin.sqlite3"


def open_store(
    target: str | os.PathLike[str],
    *,
    clock: Clock | None = None,
    new_database: bool = False,
    password: str | None = None,
    mode: str | None = None,
    staff: str = "",
) -> Store:
    """The checked, migrated store at `target`: a SQLite file path, or a shared PostgreSQL
    database's URL (``postgresql://USER@HOST:PORT/DB``; `password` beside it, never in it;
    `mode` recorded by the first desk and checked by the others). `clock` stamps rows a caller
    does not stamp itself (default: the process's clock, `kpadmin.clock`).

    Raises `DatabaseMissing` (unless `new_database`), `DatabaseDamaged`, `SchemaTooNew`,
    `DiskError` (see `kpadmin.store.sqlite`), `ServerUnreachable` or `postgres.WrongMode`; a
    URL that is not a PostgreSQL one is a ValueError."""
    if "://" in str(target):
        from kpadmin.store.postgres import open_postgres

        return open_postgres(
            str(target), clock=clock or seam.now, password=password, mode=mode, staff=staff
        )
    from kpadmin.store.sqlite import open_sqlite

    # Without a clock: the process's clock at each stamp (`kpadmin.clock.now`, KPADMIN_NOW).
    return open_sqlite(target, clock=clock or seam.now, new_database=new_database)


__all__ = [
    "FILE_NAME",
    "AuditRepository",
    "BatchBusy",
    "Change",
    "ChangeKind",
    "ChargeRepository",
    "DatabaseBusy",
    "DatabaseDamaged",
    "DatabaseMissing",
    "DatabaseUnusable",
    "DiskError",
    "InvariantViolated",
    "Job",
    "NewCharge",
    "NewNotice",
    "NewSubscriber",
    "NoticeRepository",
    "Schedule",
    "SchemaTooNew",
    "ServerUnreachable",
    "Store",
    "StoreClosed",
    "StoreError",
    "StoredNotice",
    "SubscriberRepository",
    "Subscription",
    "TableColumns",
    "TableRow",
    "open_store",
]
