"""`Store`: kpadmin's one handle on its database. Billing and the GUI see only this interface.

    store = open_store(path, clock=runtime.clock)
    with store.transaction():                    # one write: all or nothing
        sub = store.subscribers.add(new)
        store.audit.record(staff, "signup", Message.of(...), subscriber_id=sub.id)
    intents = await store.run(write_intents, plan)   # the same, on the store's own thread
    with store.batch_lock("김지원 on DESK-2"):   # one batch per database, across processes
        ...
    store.on_change(lambda change: ...)          # Change(kind, ids) after each COMMIT
    store.close()

Connections: SQLAlchemy Core over one `Engine`, one connection per thread (a SQLite connection
belongs to the thread that uses it), opened on that thread's first use and closed by `close()`.
The loop thread (GUI, commands) has one; the store's worker thread ``kpadmin-store`` has its own.

Transactions (`transaction()`): a write takes the database's write lock up front (SQLite: ``BEGIN
IMMEDIATE``, through SQLAlchemy's "begin" event — the pysqlite recipe in `sqlite.py`), so a
concurrent writer (another process) waits on the busy timeout instead of failing half-way. It
commits (SQLite: fsynced, ``synchronous=FULL``) on success and rolls back on any exception,
a failed COMMIT included. **Nested use joins the outer transaction** (it is a no-op: the outermost
block commits or rolls back), so repository writes that open their own can be part of a caller's
larger all-or-nothing write (the CSV import). Each repository read runs in a short read
transaction of its own (or inside the caller's). Errors become typed: a full, read-only or failing
disk `DiskError`, a damaged page `DatabaseDamaged`, a refused write `InvariantViolated`, a writer
that held the lock past the busy timeout `DatabaseBusy` (the driver's error is the ``__cause__``).

`run(fn, *args)` runs ``fn(*args)`` on the worker thread and awaits it, so a long write (the 1,000
intents of a batch) never blocks the caller's event loop. It always waits for the write to finish,
even when the awaiting task is cancelled: nothing runs behind the caller's back. `submit(fn,
*args)` queues one without awaiting it (the journal's grouped outcome writes): a `Job`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from kpadmin.clock import Clock
from kpadmin.store.audit import AuditRepository
from kpadmin.store.changes import (
    Change,
    ChangeKind,
    CommitListener,
    Listener,
    Pending,
    Subscription,
    deliver,
)
from kpadmin.store.charges import ChargeRepository
from kpadmin.store.errors import (
    DatabaseBusy,
    InvariantViolated,
    StoreError,
    classify,
    is_busy,
    is_constraint,
)
from kpadmin.store.notices import NoticeRepository
from kpadmin.store.prepared import Prepared
from kpadmin.store.refunds import RefundRepository
from kpadmin.store.remote import CHANNEL, RemoteListener
from kpadmin.store.remote import Listener as DeskListener
from kpadmin.store.remote import payload as notify_payload
from kpadmin.store.subscribers import SubscriberRepository

log = logging.getLogger(__name__)

T = TypeVar("T")

#: `Connection.info` key read by the "begin" event: which BEGIN to emit (see `sqlite.py`).
BEGIN_KEY = "kpadmin.begin"
WRITE, READ = "write", "read"
WORKER_THREAD = "kpadmin-store"


class StoreClosed(RuntimeError):
    """The store was closed; nothing more can be read or written through it."""


class _ThreadState(threading.local):
    conn: Connection | None = None
    mode: str | None = None  # READ / WRITE while a transaction of this thread is open
    pending: Pending | None = None
    #: On the worker: changes committed by the job running now, handed to the awaiting loop.
    deferred: list[Change] | None = None


class Store:
    """See the module docstring. Made by `kpadmin.store.open_store`."""

    def __init__(
        self,
        engine: Engine,
        *,
        clock: Clock,
        path: Path | None,
        batch_lock: Callable[[str], AbstractContextManager[None]],
        describe: str,
    ) -> None:
        self._engine = engine
        #: "Now" for rows a caller does not stamp itself.
        self.clock = clock
        #: The SQLite file (None for a server database).
        self.path = path
        #: Where the data is, for messages and logs ("kpadmin.sqlite3 in /…", a URL without secret).
        self.describe = describe
        self._batch_lock = batch_lock
        self._local = _ThreadState()
        self._connections: list[Connection] = []
        self._guard = threading.Lock()
        self._listeners: list[Listener] = []
        self._commit_listeners: list[CommitListener] = []
        self._executor: ThreadPoolExecutor | None = None
        self._closed = False
        #: Other desks' changes (a shared database): see `remote.py`.
        self._origin = uuid.uuid4().hex
        self._remote_listeners: list[RemoteListener] = []
        self._listener: DeskListener | None = None
        self.subscribers = SubscriberRepository(self)
        self.charges = ChargeRepository(self)
        self.audit = AuditRepository(self)
        self.notices = NoticeRepository(self)
        self.refunds = RefundRepository(self)

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._engine.dialect.name

    # -- connections --------------------------------------------------------------------------

    def _connection(self) -> Connection:
        conn = self._local.conn
        if conn is not None and conn.invalidated and self._local.mode is None:
            # A shared database server went away and maybe came back: a fresh connection (the
            # failed transaction was already reported; nothing of it was kept).
            with self._guard:
                if conn in self._connections:
                    self._connections.remove(conn)
            with contextlib.suppress(Exception):
                conn.close()
            conn = self._local.conn = None
        if conn is None:
            if self._closed:
                raise StoreClosed(f"the store {self.describe} is closed")
            conn = self._engine.connect()
            with self._guard:
                self._connections.append(conn)
            self._local.conn = conn
        return conn

    def adopt(self, conn: Connection) -> None:
        """Make `conn` (opened and checked by `open_store` on this thread) this thread's."""
        with self._guard:
            self._connections.append(conn)
        self._local.conn = conn

    # -- transactions -------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (see the module docstring); joins an open one."""
        with self._write():
            yield

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        local = self._local
        conn = self._connection()
        if local.mode is not None:
            if local.mode != WRITE:
                raise RuntimeError("a write inside a read transaction")
            yield conn
            return
        conn.info[BEGIN_KEY] = WRITE
        local.mode, local.pending = WRITE, Pending()
        try:
            try:
                conn.begin()  # BEGIN IMMEDIATE: waits here for another writer
                yield conn
                self._notify_desks(conn, local.pending)
                conn.commit()
            except BaseException as exc:
                self._rollback(conn)
                typed = self._typed(exc)
                if typed is not None:
                    raise typed from _cause(exc)
                raise
            changes = local.pending.changes()
        finally:
            local.mode, local.pending = None, None
        self._publish(changes)

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        """A read: inside the caller's transaction, else in a short one of its own (one
        consistent snapshot for the statements it runs)."""
        local = self._local
        conn = self._connection()
        if local.mode is not None:
            yield conn
            return
        conn.info[BEGIN_KEY] = READ
        local.mode = READ
        try:
            try:
                conn.begin()
                yield conn
                conn.commit()
            except BaseException as exc:
                self._rollback(conn)
                typed = self._typed(exc)
                if typed is not None:
                    raise typed from _cause(exc)
                raise
        finally:
            local.mode = None

    def _rows(self, conn: Connection, statement: Prepared, values: Mapping[str, Any]) -> list[Any]:
        """Run a `Prepared` statement on `conn`'s driver cursor (inside `_read()` / `_write()`);
        its rows as the driver's tuples (a RETURNING clause's too)."""
        sql, arguments = statement.compiled(self._engine.dialect).statement(values)
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(sql, arguments)
            return list(cursor.fetchall()) if cursor.description else []
        finally:
            cursor.close()

    def _many(
        self,
        conn: Connection,
        statement: Prepared,
        values: Sequence[Mapping[str, Any]],
        *,
        returning: bool = False,
    ) -> list[Any]:
        """Run a `Prepared` statement once per mapping in `values` with the driver's executemany
        (psycopg sends them in one pipeline: one round trip, not one per row). With
        ``returning``, the rows each execution returned, in order (one RETURNING row each)."""
        if not values:
            return []
        compiled = statement.compiled(self._engine.dialect)
        arguments = [compiled.arguments(v) for v in values]
        cursor: Any = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            if not returning:
                cursor.executemany(compiled.sql, arguments)
                return []
            found: list[Any] = []
            if self.dialect == "postgresql":
                cursor.executemany(compiled.sql, arguments, returning=True)
                while True:
                    found += cursor.fetchall()
                    if not cursor.nextset():
                        return found
            # sqlite3's executemany gives no RETURNING rows; a local file needs no pipeline.
            for argument in arguments:
                cursor.execute(compiled.sql, argument)
                found += cursor.fetchall()
            return found
        finally:
            cursor.close()

    def _note(self, kind: ChangeKind, ids: Any) -> None:
        """Called by the repositories inside a write: `kind` was written for subscribers `ids`."""
        pending = self._local.pending
        if pending is not None:
            pending.note(kind, ids)

    def _rollback(self, conn: Connection) -> None:
        # A failed COMMIT (disk full) may leave the transaction open, or SQLite may already have
        # rolled it back; either way nothing of it stays, and the original error counts.
        try:
            conn.rollback()  # also ends a transaction a failed COMMIT left deactivated
        except Exception as exc:
            log.error("ROLLBACK failed: %s", exc)
        if conn.invalidated:  # the server went away: nothing to roll back, and asking for
            return  # the driver's connection now would try to connect again
        try:
            raw = getattr(conn.connection, "dbapi_connection", None)
        except Exception as exc:
            log.info("no driver connection to roll back: %s", exc)
            return
        if raw is not None and getattr(raw, "in_transaction", False):
            try:
                raw.rollback()
            except Exception as exc:
                log.error("ROLLBACK failed: %s", exc)

    def _typed(self, exc: BaseException) -> Exception | None:
        """The store's error for a driver / OS error (None: not one, let it be)."""
        if isinstance(exc, StoreError):
            return None
        typed = classify(exc, self.path or self.describe)
        if typed is not None:
            return typed
        if is_constraint(exc):
            return InvariantViolated(str(_cause(exc)))
        if is_busy(exc):
            return DatabaseBusy(
                f"the database {self.describe} is busy: another writer held it too long"
            )
        return None

    # -- the worker thread --------------------------------------------------------------------

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` on the store's worker thread (its own connection), awaited without
        blocking the loop. Changes it commits are delivered on this thread when it returns."""
        job = self.submit(fn, *args)
        future = asyncio.wrap_future(job._future)
        try:
            await asyncio.shield(future)
        except asyncio.CancelledError:
            # The write goes on to its end on the worker; wait for it before anything else.
            while not future.done():
                try:
                    await asyncio.shield(future)
                except asyncio.CancelledError:
                    continue
            with contextlib.suppress(Exception):
                job.wait()  # its changes are delivered all the same
            raise
        return job.wait()

    def submit(self, fn: Callable[..., T], *args: Any) -> Job[T]:
        """``fn(*args)`` on the worker thread, not awaited: the `Job` says when it is done and
        gives its result (writes queue there in order, one at a time)."""
        return Job(self, self._worker().submit(self._job, fn, args))

    def _job(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> tuple[bool, Any, list[Change]]:
        self._local.deferred = []
        try:
            return True, fn(*args), self._local.deferred
        except BaseException as exc:
            return False, exc, self._local.deferred
        finally:
            self._local.deferred = None

    def _worker(self) -> ThreadPoolExecutor:
        with self._guard:
            if self._closed:
                raise StoreClosed(f"the store {self.describe} is closed")
            if self._executor is None:
                self._executor = ThreadPoolExecutor(1, thread_name_prefix=WORKER_THREAD)
            return self._executor

    # -- change events ------------------------------------------------------------------------

    def on_change(self, callback: Listener) -> Subscription:
        """Call `callback(Change)` after every COMMIT of this store, once per kind of record
        written (see `changes.py`)."""
        self._listeners.append(callback)
        return Subscription(self._listeners, callback)

    def on_commit(self, callback: CommitListener) -> Subscription:
        """Call `callback(changes)` once after every COMMIT that wrote something, with all of
        its `Change`s."""
        self._commit_listeners.append(callback)
        return Subscription(self._commit_listeners, callback)

    def _publish(self, changes: list[Change]) -> None:
        if not changes:
            return
        deferred = self._local.deferred
        if deferred is not None:  # on the worker: the awaiting loop delivers them
            deferred.extend(changes)
        else:
            deliver(self._listeners, self._commit_listeners, changes)

    # -- other desks (a shared database) ------------------------------------------------------

    def on_remote(self, callback: RemoteListener) -> Subscription:
        """Call `callback(changes)` with other desks' committed changes (merged, within about a
        second; None: anything may have changed), on a listener thread of its own. A database
        only this process uses (SQLite) has no other desks: nothing is ever delivered."""
        self._remote_listeners.append(callback)
        if self.dialect == "postgresql" and self._listener is None and not self._closed:
            self._listener = DeskListener(self._listen_connection, self._origin, self._from_desks)
        return Subscription(self._remote_listeners, callback)

    def wait_listening(self, timeout: float = 30.0) -> bool:
        """Until the listener of `on_remote` is in place (True), for callers that must not miss
        a change made right after subscribing."""
        return self._listener is not None and self._listener.listening.wait(timeout)

    def _listen_connection(self) -> Any:
        return self._engine.raw_connection()

    def _from_desks(self, changes: tuple[Change, ...] | None) -> None:
        for listener in list(self._remote_listeners):
            try:
                listener(changes)
            except Exception:
                log.exception("a listener of other desks' changes failed")

    def _notify_desks(self, conn: Connection, pending: Pending | None) -> None:
        """Tell other desks what this COMMIT wrote (delivered only if it commits)."""
        if self.dialect != "postgresql" or pending is None:
            return
        changes = pending.changes()
        if changes:
            conn.exec_driver_sql(
                "SELECT pg_notify(%s, %s)", (CHANNEL, notify_payload(self._origin, changes))
            )

    # -- the batch lock -----------------------------------------------------------------------

    def batch_lock(self, holder: str) -> AbstractContextManager[None]:
        """Hold this database's one batch lock for the block; `holder` says who (staff and
        computer). Raises `BatchBusy` at once (with the holder's words) when it is taken."""
        return self._batch_lock(holder)

    # -- closing ------------------------------------------------------------------------------

    def close(self) -> None:
        """Finish the worker's job, close every connection. Idempotent."""
        with self._guard:
            if self._closed:
                return
            self._closed = True
            executor, self._executor = self._executor, None
            listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        if executor is not None:
            executor.submit(self._close_thread_connection)
            executor.shutdown(wait=True)
        with self._guard:
            connections, self._connections = self._connections, []
        for conn in connections:
            try:
                conn.close()
            except Exception as exc:  # closing must not fail a shutdown
                log.info("closing a connection of %s: %s", self.describe, exc)
        self._local.conn = None
        self._engine.dispose()

    def _close_thread_connection(self) -> None:
        conn, self._local.conn = self._local.conn, None
        if conn is not None:
            with self._guard:
                if conn in self._connections:
                    self._connections.remove(conn)
            conn.close()

    @property
    def closed(self) -> bool:
        return self._closed

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Store {self.describe}>"


class Job(Generic[T]):
    """A job on the store's worker thread (`Store.submit`). `wait()`, on the thread that wants
    the result, blocks until it is done, delivers the changes it committed there (once) and
    returns its result or raises its error."""

    def __init__(self, store: Store, future: Future[tuple[bool, Any, list[Change]]]) -> None:
        self._store = store
        self._future = future
        self._delivered = False

    def done(self) -> bool:
        return self._future.done()

    def add_done_callback(self, callback: Callable[[], object]) -> None:
        """`callback()` once the job is done — on the worker thread (or at once on this one)."""
        self._future.add_done_callback(lambda _future: callback())

    def wait(self) -> T:
        ok, value, changes = self._future.result()
        if not self._delivered:
            self._delivered = True
            self._store._publish(changes)
        if not ok:
            raise value
        result: T = value
        return result


def _cause(exc: BaseException) -> BaseException:
    orig = getattr(exc, "orig", None)
    return orig if isinstance(exc, DBAPIError) and isinstance(orig, BaseException) else exc
