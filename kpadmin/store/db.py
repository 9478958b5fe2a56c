"""Opening kpadmin's SQLite database: durability settings, file modes, migrations, transactions.

Every connection runs in autocommit mode (``isolation_level=None``); writes that belong together go
through `transaction()`, which takes the write lock up front (``BEGIN IMMEDIATE``) so a concurrent
writer waits on the busy timeout instead of failing half-way through.

Durability: WAL with ``synchronous=FULL`` — a COMMIT returns only after the WAL is fsynced, so an
intent the engine has committed survives a crash or a power cut. This is what lets the engine
promise that no request leaves before its journal row is on disk.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from kpadmin import clock
from kpadmin.store.migrations import MIGRATIONS

BUSY_TIMEOUT_MS = 5000
SCHEMA_VERSION = len(MIGRATIONS)


class SchemaTooNew(RuntimeError):
    """The database was written by a newer kpadmin; refuse rather than misread it."""


def open_database(path: str | os.PathLike[str]) -> sqlite3.Connection:
    """Open (creating if needed) the database at `path`, migrated to the current schema.

    ``":memory:"`` gives a private in-memory database (tests of pure logic only).
    """
    in_memory = str(path) == ":memory:"
    if not in_memory:
        _create_private(Path(path))
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not in_memory:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise sqlite3.OperationalError(f"could not switch {path} to WAL (got {mode})")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn)
    except BaseException:
        conn.close()
        raise
    if not in_memory:
        _restrict_companions(Path(path))
    return conn


def migrate(conn: sqlite3.Connection) -> int:
    """Apply every migration newer than ``PRAGMA user_version``; return the resulting version."""
    current = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if current > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"the database has schema version {current}; this kpadmin knows up to {SCHEMA_VERSION}"
        )
    for version in range(current + 1, SCHEMA_VERSION + 1):
        with transaction(conn):
            # executescript would COMMIT on its own; run the statements one by one instead.
            for statement in _statements(MIGRATIONS[version - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version}")
    return SCHEMA_VERSION


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction: committed (and fsynced) on success, rolled back on any exception.

    Inside an already open transaction it joins that one (the outer block commits or rolls back),
    so repository calls that open their own, like `SubscriberRepository.add_many`, can be part of
    a caller's larger all-or-nothing write (the CSV import).
    """
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _statements(script: str) -> Iterator[str]:
    """Split a migration script into complete statements (triggers contain inner semicolons)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip():
                yield pending.strip()
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement in migration: {pending.strip()[:80]}")


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


def utc_now() -> datetime:
    """When a caller stamps a row without handing in ``now``: the process's clock (`kpadmin.clock`,
    which honours KPADMIN_NOW)."""
    return clock.now()


def encode_instant(moment: datetime) -> str:
    """Instants are stored as ISO 8601 in UTC (SQLite's date functions read this form)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: kpadmin stores aware instants only")
    return moment.astimezone(UTC).isoformat()


def decode_instant(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
