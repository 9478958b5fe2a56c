"""Opening kpadmin's SQLite database: checks, durability settings, file modes, migrations,
transactions.

Every connection runs in autocommit mode (``isolation_level=None``); writes that belong together go
through `transaction()`, which takes the write lock up front (``BEGIN IMMEDIATE``) so a concurrent
writer waits on the busy timeout instead of failing half-way through.

Durability: WAL with ``synchronous=FULL`` — a COMMIT returns only after the WAL is fsynced, so an
intent the engine has committed survives a crash or a power cut. This is what lets the engine
promise that no request leaves before its journal row is on disk.

Refusals (`errors.py`), before anything is written: a missing or 0-byte file where the data folder
had a database (`marker.py`) is `DatabaseMissing` unless ``new_database=True``; a file that is not
SQLite, is truncated or overwritten (header, ``PRAGMA quick_check``) is `DatabaseDamaged`; a
``user_version`` above this kpadmin's is `SchemaTooNew`. A write the disk refuses (full,
read-only, I/O error) at open or in `transaction()` is `DiskError`.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from kpadmin import clock
from kpadmin.store import marker
from kpadmin.store.errors import (
    DatabaseDamaged,
    DatabaseFacts,
    DatabaseMissing,
    SchemaTooNew,
    classify,
)
from kpadmin.store.migrations import MIGRATIONS

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
SCHEMA_VERSION = len(MIGRATIONS)
_HEADER = b"SQLite format 3\x00"
_HEADER_SIZE = 100
#: quick_check problems quoted in the message (the rest go to the log).
_PROBLEMS_SHOWN = 1

__all__ = ["SchemaTooNew", "open_database", "transaction"]


def open_database(
    path: str | os.PathLike[str], *, new_database: bool = False
) -> sqlite3.Connection:
    """Open (creating if needed) the database at `path`, checked and migrated to the current
    schema.

    A missing or 0-byte file is created silently on a first run; where a database was before (its
    marker is there) that raises `DatabaseMissing`, unless `new_database` says to start empty on
    purpose. Raises `DatabaseDamaged`, `SchemaTooNew` or `DiskError` (see the module docstring).
    ``":memory:"`` gives a private in-memory database (tests of pure logic only).
    """
    if str(path) == ":memory:":
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            migrate(conn)
        except BaseException:
            conn.close()
            raise
        return conn
    file = Path(path)
    try:
        return _open_file(file, new_database)
    except (sqlite3.Error, OSError) as exc:
        typed = classify(exc, file)
        if typed is None:
            raise
        raise typed from exc


def _open_file(path: Path, new_database: bool) -> sqlite3.Connection:
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
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not fresh:
            _check_contents(conn, path)  # before anything is written to it
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"could not switch {path} to WAL (got {mode})")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn)
        if replaced is not None:
            _record_new_database(conn, path, replaced)
    except BaseException:
        conn.close()
        raise
    _restrict_companions(path)
    marker.refresh_marker(conn, path)
    return conn


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


def _check_contents(conn: sqlite3.Connection, path: Path) -> None:
    """user_version first (a newer kpadmin's file is not damaged), then SQLite's own check of
    every page and index (`quick_check`: no index-to-table cross-check, so it stays fast)."""
    found = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if found > SCHEMA_VERSION:
        raise SchemaTooNew(path, found, SCHEMA_VERSION)
    problems = [str(row[0]) for row in conn.execute("PRAGMA quick_check(20)")]
    if problems != ["ok"]:
        for problem in problems:
            # INFO: the file only. The caller shows one message (DatabaseDamaged) on the console.
            log.info("quick_check %s: %s", path, problem)
        # One line: SQLite's report may span several ("*** in database main ***\nPage 19: …").
        shown = "; ".join(" ".join(p.split())[:120] for p in problems[:_PROBLEMS_SHOWN])
        more = f" and {len(problems) - _PROBLEMS_SHOWN} more" if len(problems) > 1 else ""
        raise DatabaseDamaged(path, f"quick_check: {shown}{more}")


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


def _record_new_database(conn: sqlite3.Connection, path: Path, replaced: DatabaseFacts) -> None:
    log.info("%s started empty on purpose; the missing one had %s", path, replaced.describe())
    conn.execute(
        "INSERT INTO audit (at, staff, action, subscriber_id, detail) VALUES (?, '', ?, NULL, ?)",
        (
            encode_instant(utc_now()),
            "new_database",
            f"started empty on purpose (--new-database); the missing database had "
            f"{replaced.describe()}",
        ),
    )


def migrate(conn: sqlite3.Connection) -> int:
    """Apply every migration newer than ``PRAGMA user_version``; return the resulting version."""
    current = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if current > SCHEMA_VERSION:
        raise SchemaTooNew(marker.database_path(conn) or ":memory:", current, SCHEMA_VERSION)
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

    A write the disk refuses (full, read-only, I/O error) or a damaged page raises `DiskError` /
    `DatabaseDamaged` (the sqlite3 error is the ``__cause__``); nothing of the block is kept.
    """
    if conn.in_transaction:
        yield conn
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            # A failed COMMIT (disk full) may leave the transaction open, or SQLite may already
            # have rolled it back; either way nothing of it stays, and the original error counts.
            if conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error as rollback_error:
                    log.error("ROLLBACK failed: %s", rollback_error)
            raise
    except sqlite3.Error as exc:
        typed = classify(exc, marker.database_path(conn) or ":memory:")
        if typed is None:
            raise
        raise typed from exc


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
