"""Opening kpadmin's SQLite database: checks, durability settings, file modes, migrations.

Connections (SQLAlchemy's pysqlite dialect, one per thread, see `store.py`) are set up by the
documented pysqlite recipe: the driver's own transaction handling is off
(``isolation_level = None``) and SQLAlchemy's "begin" event emits our BEGIN — ``BEGIN IMMEDIATE``
for a write, so it takes the write lock up front and a concurrent writer waits on the busy timeout
instead of failing half-way; a plain (deferred) ``BEGIN`` for a read.

Durability: WAL with ``synchronous=FULL`` — a COMMIT returns only after the WAL is fsynced, so an
intent the engine has committed survives a crash or a power cut. This is what lets the engine
promise that no request leaves before its journal row is on disk. The file and its -wal/-shm are
owner-only (0600): they hold customers' names, phones and the payment journal.

Refusals (`errors.py`), before anything is written: a missing or 0-byte file where the data folder
had a database (`marker.py`) is `DatabaseMissing` unless ``new_database=True``; a file that is not
SQLite, is truncated or overwritten (header, ``PRAGMA quick_check``) is `DatabaseDamaged`; a file a
newer kpadmin wrote (``user_version`` above ours, or an Alembic revision we do not know) is
`SchemaTooNew`. A write the disk refuses (full, read-only, I/O error) at open is `DiskError`.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, event, insert, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from kpadmin.clock import Clock
from kpadmin.store import batchlock, legacy, marker, migrations, schema
from kpadmin.store.errors import (
    DatabaseDamaged,
    DatabaseFacts,
    DatabaseMissing,
    SchemaTooNew,
    classify,
)
from kpadmin.store.store import BEGIN_KEY, WRITE, Store

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
SCHEMA_VERSION = migrations.SCHEMA_VERSION
_HEADER = b"SQLite format 3\x00"
_HEADER_SIZE = 100
#: quick_check problems quoted in the message (the rest go to the log).
_PROBLEMS_SHOWN = 1


def open_sqlite(path: str | os.PathLike[str], *, clock: Clock, new_database: bool = False) -> Store:
    """The `Store` of the SQLite file at `path` (created if needed), checked and migrated.

    A missing or 0-byte file is created silently on a first run; where a database was before (its
    marker is there) that raises `DatabaseMissing`, unless `new_database` says to start empty on
    purpose. Raises `DatabaseDamaged`, `SchemaTooNew` or `DiskError` (module docstring).
    """
    file = Path(path)
    try:
        return _open_file(file, new_database, clock)
    except (sqlite3.Error, DBAPIError, OSError) as exc:
        typed = classify(exc, file)
        if typed is None:
            raise
        raise typed from getattr(exc, "orig", None) or exc


def engine_for(path: Path) -> Engine:
    """A SQLAlchemy engine for the file: NullPool (each thread keeps its one connection for the
    store's life, so a pool would only hold closed ones), pysqlite's transaction handling off and
    our BEGIN, the durability pragmas on every new connection."""
    engine = create_engine(
        f"sqlite:///{path}",
        poolclass=NullPool,
        # One connection per thread is the store's rule; close() may close another thread's.
        connect_args={"check_same_thread": False},
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # The pysqlite recipe: sqlite3 must not BEGIN (or COMMIT before DDL) on its own.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _on_begin(conn: Connection) -> None:
    # Writes take the write lock up front; reads take a snapshot when they first read. (The key
    # is taken: a transaction SQLAlchemy begins on its own later is a read.)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.pop(BEGIN_KEY, None) == WRITE else "BEGIN")


def _open_file(path: Path, new_database: bool, clock: Clock) -> Store:
    fresh = _absent(path)
    replaced: DatabaseFacts | None = None
    if fresh:
        replaced = marker.read_marker(path)
        if replaced is not None and not _absent(path):
            # Another kpadmin created it between our two looks (two first runs at once).
            fresh, replaced = False, None
    if replaced is not None:
        if not new_database:
            raise DatabaseMissing(path, replaced, empty=path.exists())
        _set_aside_leftovers(path)
    if not fresh:
        _check_header(path)
    _create_private(path)
    engine = engine_for(path)
    store = Store(
        engine,
        clock=clock,
        path=path,
        # The real file's lock, whatever path (a symlink, ../) led to it.
        batch_lock=functools.partial(
            _batch_lock, batchlock.lock_path(Path(os.path.realpath(path)))
        ),
        describe=str(path),
    )
    try:
        conn = engine.connect()
        store.adopt(conn)
        if not fresh:
            _check_contents(conn, path)  # before anything is written to it
        # On the driver's connection: outside any transaction (WAL cannot be switched inside one).
        mode = _pragma(conn, "journal_mode = WAL")
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"could not switch {path} to WAL (got {mode})")
        _migrate(store, conn, path)
        if replaced is not None:
            _record_new_database(store, path, replaced)
    except BaseException:
        store.close()
        raise
    _restrict_companions(path)
    marker.refresh_marker(store)
    return store


def _batch_lock(path: Path, holder: str) -> Any:
    return batchlock.file_lock(path, holder)


def _absent(path: Path) -> bool:
    """No database content here: no file, or a 0-byte one (which SQLite would take as new)."""
    try:
        return path.stat().st_size == 0
    except FileNotFoundError:
        return True


def _check_header(path: Path) -> None:
    with path.open("rb") as file:
        head = file.read(_HEADER_SIZE)
    if not head.startswith(_HEADER):
        raise DatabaseDamaged(path, "it is not a SQLite database file")
    if len(head) < _HEADER_SIZE:
        raise DatabaseDamaged(path, f"it is only {len(head)} bytes long")


def _check_contents(conn: Connection, path: Path) -> None:
    """The schema version first (a newer kpadmin's file is not damaged), then SQLite's own check
    of every page and index (`quick_check`: no index-to-table cross-check, so it stays fast)."""
    found = int(_pragma(conn, "user_version") or 0)
    if found > SCHEMA_VERSION:
        raise SchemaTooNew(path, found, SCHEMA_VERSION)
    problems = ["ok"] if _checked_ahead(path) else _quick_check(_driver(conn), path)
    if problems != ["ok"]:
        for problem in problems:
            # INFO: the file only. The caller shows one message (DatabaseDamaged) on the console.
            log.info("quick_check %s: %s", path, problem)
        # One line: SQLite's report may span several ("*** in database main ***\nPage 19: …").
        shown = "; ".join(" ".join(p.split())[:120] for p in problems[:_PROBLEMS_SHOWN])
        more = f" and {len(problems) - _PROBLEMS_SHOWN} more" if len(problems) > 1 else ""
        raise DatabaseDamaged(path, f"quick_check: {shown}{more}")
    revision = migrations.current_revision(conn)
    if revision is not None and revision != migrations.HEAD and not migrations.is_known(revision):
        raise SchemaTooNew(path, revision, SCHEMA_VERSION)
    conn.commit()


def _quick_check(connection: sqlite3.Connection, path: Path) -> list[str]:
    try:
        return [str(r[0]) for r in connection.execute("PRAGMA quick_check(20)").fetchall()]
    except sqlite3.DatabaseError as exc:  # a page so broken the check itself cannot go on
        raise DatabaseDamaged(path, f"quick_check: {exc}") from exc


# --- the check ahead -------------------------------------------------------------------------
#
# quick_check reads every page: ~0.5 s for 100,000 subscribers, on every start. The app starts it
# in a thread as soon as it knows the file (`check_ahead`), while it imports Qt and its windows;
# SQLite runs it without holding the GIL. The open then takes its result instead of checking
# again — only a clean result, and only when neither the file nor its -wal changed since (a
# change, a failure or a damaged file: the open checks itself, as without the check ahead).


@dataclass
class _Ahead:
    done: threading.Event = field(default_factory=threading.Event)
    clean_at: tuple[object, ...] | None = None  # the files' stat when found clean


_ahead: dict[str, _Ahead] = {}
_ahead_lock = threading.Lock()


def check_ahead(path: str | os.PathLike[str]) -> None:
    """Start SQLite's quick_check of the database at `path` in a background thread, for the
    `open_sqlite` of the same file that follows (see above). Does nothing for a missing or empty
    file (a first start: nothing to check) or one already being checked."""
    file = Path(path)
    if _absent(file):
        return
    key = os.path.realpath(file)
    with _ahead_lock:
        if key in _ahead:
            return
        _ahead[key] = ahead = _Ahead()
    threading.Thread(
        target=_check_in_thread, args=(file, ahead), name="kpadmin-quick-check", daemon=True
    ).start()


def _check_in_thread(path: Path, ahead: _Ahead) -> None:
    try:
        _check_header(path)
        # Read-only, its own connection (the store's are opened later, in their threads).
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            clean = _quick_check(connection, path) == ["ok"]
        finally:
            connection.close()
        if clean:
            ahead.clean_at = _file_state(path)  # after close: a checkpoint it did is included
    except Exception as exc:  # whatever it is, the open checks again and says so
        log.debug("quick_check ahead of %s: %s", path, exc)
    finally:
        ahead.done.set()


def _checked_ahead(path: Path) -> bool:
    """Did the check ahead find this file clean, unchanged since? (Waits for it to finish.)"""
    with _ahead_lock:
        ahead = _ahead.pop(os.path.realpath(path), None)
    if ahead is None:
        return False
    ahead.done.wait()
    return ahead.clean_at is not None and ahead.clean_at == _file_state(path)


def _file_state(path: Path) -> tuple[object, ...]:
    """What changes when the database's content does: the file's and its -wal's stat and
    headers (the file's change counter; the -wal's checkpoint number and salts, new each time
    the -wal starts over at the same size)."""
    state: list[object] = []
    for file, head in ((path, _HEADER_SIZE), (Path(f"{path}-wal"), 32)):
        try:
            with file.open("rb") as fh:
                st = os.fstat(fh.fileno())
                state.append((st.st_ino, st.st_size, st.st_mtime_ns, fh.read(head)))
        except FileNotFoundError:
            state.append(None)
    return tuple(state)


def _migrate(store: Store, conn: Connection, path: Path) -> None:
    """Bring the file to `migrations.HEAD` in one write transaction (re-checked under the write
    lock: two kpadmins opening one new file at once migrate it once)."""
    if _at_head(conn):
        return
    # SQLite's procedure for a table rebuild (a revision that changes a CHECK): foreign keys off
    # for the migration — else dropping a parent table would fail or set its children's ids to
    # NULL — and checked before the COMMIT. The PRAGMA is a no-op inside a transaction: set here.
    _driver(conn).execute("PRAGMA foreign_keys = OFF")
    try:
        _migrate_in_transaction(store, conn, path)
    finally:
        _driver(conn).execute("PRAGMA foreign_keys = ON")


def _migrate_in_transaction(store: Store, conn: Connection, path: Path) -> None:
    with store.transaction():
        user_version = int(conn.exec_driver_sql("PRAGMA user_version").scalar() or 0)
        if user_version > SCHEMA_VERSION:
            raise SchemaTooNew(path, user_version, SCHEMA_VERSION)
        revision = migrations.current_revision(conn)
        if revision == migrations.HEAD and user_version == SCHEMA_VERSION:
            return
        if revision is not None and not migrations.is_known(revision):
            raise SchemaTooNew(path, revision, SCHEMA_VERSION)
        stamp = None
        if revision is None and user_version:
            if user_version not in legacy.VERSIONS:
                raise DatabaseDamaged(path, f"unknown schema version {user_version}")
            legacy.to_baseline(conn, user_version)
            stamp = migrations.BASELINE
            log.info("%s: schema version %d upgraded to Alembic", path, user_version)
        elif revision is None and inspect(conn).get_table_names():
            raise DatabaseDamaged(path, "it has tables but no schema version")
        migrations.upgrade(conn, stamp=stamp)
        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise DatabaseDamaged(path, f"{len(broken)} row(s) point at rows that do not exist")
        conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _at_head(conn: Connection) -> bool:
    """The cheap look every open takes (no Alembic import when nothing is to do)."""
    user_version = int(_pragma(conn, "user_version") or 0)
    at_head = user_version == SCHEMA_VERSION and (
        migrations.current_revision(conn) == migrations.HEAD
    )
    conn.commit()
    return at_head


def _driver(conn: Connection) -> Any:
    """The sqlite3 connection under `conn` (statements on it run outside SQLAlchemy's
    transactions: ``isolation_level`` is None, so a PRAGMA begins nothing)."""
    return conn.connection.dbapi_connection


def _pragma(conn: Connection, pragma: str) -> Any:
    row = _driver(conn).execute(f"PRAGMA {pragma}").fetchone()
    return row[0] if row else None


def _set_aside_leftovers(path: Path) -> None:
    """A new database must not pick up the lost one's -wal (SQLite would replay it into the new
    file): rename any leftovers to ``…-wal.lost`` (kept, never deleted: they may hold data)."""
    for suffix in ("-wal", "-shm", "-journal"):
        leftover = Path(f"{path}{suffix}")
        if not leftover.exists():
            continue
        target = Path(f"{leftover}.lost")
        n = 1
        while target.exists():
            n += 1
            target = Path(f"{leftover}.lost{n}")
        os.replace(leftover, target)
        log.info("new database: moved %s aside to %s", leftover, target)


def _record_new_database(store: Store, path: Path, replaced: DatabaseFacts) -> None:
    log.info("%s started empty on purpose; the missing one had %s", path, replaced.describe())
    with store._write() as conn:
        conn.execute(
            insert(schema.audit),
            {
                "at": store.clock(),
                "staff": "",
                "action": "new_database",
                "subscriber_id": None,
                "detail": "started empty on purpose (--new-database); the missing database had "
                f"{replaced.describe()}",
                # kpadmin.billing.messages.MessageCode.AUDIT_NEW_DATABASE (the store does not
                # import billing; tests/billing/test_audit_details.py holds the two together).
                "detail_code": "audit.new_database",
                "detail_params": json.dumps({"facts": replaced.describe()}, ensure_ascii=False),
            },
        )


def _create_private(path: Path) -> None:
    """Create the file owner-only before SQLite opens it (SQLite gives -wal/-shm the same mode)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    _chmod_private(path)


def _restrict_companions(path: Path) -> None:
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        _chmod_private(candidate)


def _chmod_private(path: Path) -> None:
    # Subscribers' names, phones and the payment journal are personal data: owner only.
    if os.name == "posix" and path.exists():
        path.chmod(0o600)
