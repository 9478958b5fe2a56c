"""Why the database cannot be used, as typed errors the commands and the GUI turn into one calm
message (`kpadmin.runtime.explain`) and an exit code (`kpadmin.exitcodes`).

    StoreError
    ├── DatabaseUnusable         exit DATABASE: nothing was read or written
    │   ├── DatabaseMissing      the data folder had a database; the file is gone or 0 bytes
    │   ├── DatabaseDamaged      not a SQLite file, truncated, overwritten, fails quick_check
    │   ├── SchemaTooNew         written by a newer kpadmin
    │   └── WrongMode            a shared database that holds another mode's data
    ├── DiskError                exit DISK: the disk is full, read-only or failing
    └── ServerUnreachable        exit DISK: the shared database server cannot be reached

Not about the file, raised by `Store` writes:

    InvariantViolated            the schema refused a write (a money invariant, a bad value): a bug
    DatabaseBusy                 another writer held the database past the busy timeout
    BatchBusy                    another process (or desk) holds the batch lock; `.holder` says who

`classify` maps what sqlite3, psycopg (PostgreSQL's SQLSTATE) and the OS raise onto the StoreErrors,
by error code; errors that are
neither (a locked database, a constraint) are left as they are (`Store` turns those into the other
three). A driver error wrapped by SQLAlchemy is classified by its original (``.orig``).
"""

from __future__ import annotations

import errno
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True, slots=True)
class DatabaseFacts:
    """What kpadmin last knew about a database, kept beside it (`marker.py`) so a missing file
    can be told from a first run. None values: not known (an unreadable marker)."""

    subscribers: int | None
    last_batch_id: str | None = None
    last_batch_at: datetime | None = None

    def describe(self) -> str:
        """'12 subscribers, last batch 20261107…-ab12cd34 on 2026-11-07 10:00 UTC'."""
        if self.subscribers is None:
            return "details unknown"
        text = f"{self.subscribers:,} subscriber{'s' if self.subscribers != 1 else ''}"
        if self.last_batch_id is None:
            return f"{text}, no charge batch yet"
        when = f" on {self.last_batch_at:%Y-%m-%d %H:%M} UTC" if self.last_batch_at else ""
        return f"{text}, last batch {self.last_batch_id}{when}"


class StoreError(Exception):
    """The database at `path` cannot be used; `str()` says what is wrong, not what to do (the
    command line and the GUI each add their own remedy)."""

    def __init__(self, path: str | Path, problem: str) -> None:
        super().__init__(problem)
        self.path = Path(path)
        self.problem = problem


class DatabaseUnusable(StoreError):
    """Refused at open: the file is missing, damaged or too new. Nothing was changed."""


class DatabaseMissing(DatabaseUnusable):
    def __init__(self, path: str | Path, facts: DatabaseFacts, *, empty: bool = False) -> None:
        state = "is empty (0 bytes)" if empty else "is missing"
        super().__init__(
            path, f"this data folder had a database ({facts.describe()}); {Path(path)} {state}"
        )
        self.facts = facts
        self.empty = empty


class DatabaseDamaged(DatabaseUnusable):
    def __init__(self, path: str | Path, detail: str) -> None:
        super().__init__(path, f"the database {Path(path)} is damaged ({detail})")
        self.detail = detail


class SchemaTooNew(DatabaseUnusable):
    """`found`: the file's schema version (``PRAGMA user_version``) or, for a migration this
    kpadmin does not know, its revision id."""

    def __init__(self, path: str | Path, found: int | str, known: int) -> None:
        super().__init__(
            path,
            f"the database {Path(path)} was written by a newer kpadmin (schema version {found}; "
            f"this kpadmin knows up to {known})",
        )
        self.found = found
        self.known = known


class WrongMode(DatabaseUnusable):
    """The shared database holds another mode's data (test and live never share one)."""

    def __init__(self, where: str, found: str, mode: str) -> None:
        super().__init__(
            where,
            f"the shared database {where} holds {found.upper()} data; this desk is in "
            f"{mode.upper()} mode (test and live never share a database)",
        )
        self.found = found
        self.mode = mode


class DiskError(StoreError):
    """A write could not reach the disk. `kind` is 'full', 'read-only' or 'failing'."""

    def __init__(self, path: str | Path, kind: str, detail: str = "") -> None:
        what = {
            "full": "the disk is full",
            "read-only": "the disk or folder is read-only",
        }.get(kind, "the disk reported an error")
        super().__init__(
            path, f"cannot write {Path(path)}: {what}" + (f" ({detail})" if detail else "")
        )
        self.kind = kind


class ServerUnreachable(StoreError):
    """The shared database server cannot be reached, or went away (a network cut, the server
    stopped). Nothing after the last COMMIT was kept; what was committed is on the server."""

    def __init__(self, where: str | Path, detail: str = "") -> None:
        super().__init__(
            where,
            f"the shared database {where} cannot be reached" + (f" ({detail})" if detail else ""),
        )
        self.detail = detail


class InvariantViolated(Exception):
    """The database refused a write that would break its rules (two paid rows for a period, a
    second open row, a paid row changing state, a duplicate merchant_uid, an absurd value).
    Nothing of the transaction was kept. The message is the database's own."""


class DatabaseBusy(Exception):
    """Another writer held the database longer than the busy timeout; nothing was written."""


class BatchBusy(Exception):
    """Another process holds this database's batch lock. `holder` is what it wrote about itself
    (staff and computer), None when it could not be read."""

    def __init__(self, holder: str | None) -> None:
        super().__init__(holder or "another kpadmin process")
        self.holder = holder


# SQLite's primary result codes (the low byte of an extended code).
_DISK_CODES = {
    sqlite3.SQLITE_FULL: "full",
    sqlite3.SQLITE_READONLY: "read-only",
    sqlite3.SQLITE_PERM: "read-only",
    sqlite3.SQLITE_CANTOPEN: "read-only",
    sqlite3.SQLITE_IOERR: "failing",
}
_DAMAGE_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
# sqlite3_errstr() of those codes: SQLite's fixed texts, for an error that carries no code (one
# raised by Python code rather than by SQLite, e.g. a wrapper around a write).
_ERRSTR_CODES = {
    "database or disk is full": sqlite3.SQLITE_FULL,
    "disk I/O error": sqlite3.SQLITE_IOERR,
    "attempt to write a readonly database": sqlite3.SQLITE_READONLY,
    "database disk image is malformed": sqlite3.SQLITE_CORRUPT,
    "file is not a database": sqlite3.SQLITE_NOTADB,
}
_DISK_ERRNOS = {
    errno.ENOSPC: "full",
    errno.EDQUOT: "full",
    errno.EROFS: "read-only",
    errno.EACCES: "read-only",
    errno.EPERM: "read-only",
    errno.EIO: "failing",
}


def classify(exc: BaseException, path: str | Path) -> StoreError | None:
    """The typed error for `exc` raised while using the database at `path`; None when it is
    not about the disk or the file (let it propagate as it is)."""
    if isinstance(exc, StoreError):
        return exc
    exc = _original(exc)
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        if code is None:
            code = _ERRSTR_CODES.get(str(exc))
        if code is None:
            return None
        primary = code & 0xFF
        if primary in _DAMAGE_CODES:
            return DatabaseDamaged(path, str(exc))
        kind = _DISK_CODES.get(primary)
        if kind is not None:
            return DiskError(path, kind, "" if kind == "full" else str(exc))
        return None
    if _is_psycopg(exc):
        return _classify_postgres(exc, path)
    if isinstance(exc, OSError) and exc.errno in _DISK_ERRNOS:
        kind = _DISK_ERRNOS[exc.errno]
        return DiskError(path, kind, "" if kind == "full" else (exc.strerror or str(exc)))
    return None


def _is_psycopg(exc: BaseException) -> bool:
    # Never imports psycopg: a SQLite-only desk does not load it.
    return type(exc).__module__.split(".")[0] == "psycopg"


def _sqlstate(exc: BaseException) -> str:
    return str(getattr(exc, "sqlstate", None) or "")


#: PostgreSQL SQLSTATEs that mean the server is gone or will not take us (class 08: connection
#: exceptions; 57P01-57P03: shut down, crashed, starting).
_GONE_STATES = ("57P01", "57P02", "57P03")


def _classify_postgres(exc: BaseException, path: str | Path) -> StoreError | None:
    state = _sqlstate(exc)
    if state == "53100":
        return DiskError(path, "full", "on the database server")
    if state == "25006":  # a read-only server (a standby)
        return DiskError(path, "read-only", "the database server is read-only")
    if state in ("XX001", "XX002"):
        return DatabaseDamaged(path, str(exc).strip())
    if state.startswith("08") or state in _GONE_STATES:
        return ServerUnreachable(path, " ".join(str(exc).split())[:200])
    name = type(exc).__name__
    if not state and name in ("OperationalError", "InterfaceError"):
        # No SQLSTATE: the connection itself failed or was lost (refused, reset, timed out).
        return ServerUnreachable(path, " ".join(str(exc).split())[:200])
    return None


def is_busy(exc: BaseException) -> bool:
    """SQLite gave up waiting for another writer (SQLITE_BUSY / SQLITE_LOCKED); PostgreSQL's
    lock_timeout, a deadlock or a serialization failure."""
    exc = _original(exc)
    if _is_psycopg(exc):
        return _sqlstate(exc) in ("55P03", "40P01", "40001")
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(exc, sqlite3.OperationalError) and code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return False


def is_constraint(exc: BaseException) -> bool:
    """The schema refused the write (a constraint or the "paid is final" trigger)."""
    exc = _original(exc)
    if _is_psycopg(exc):
        return _sqlstate(exc).startswith("23")  # integrity_constraint_violation (the trigger too)
    return isinstance(exc, sqlite3.IntegrityError)


def _original(exc: BaseException) -> BaseException:
    """The driver's own error behind SQLAlchemy's wrapper (`DBAPIError.orig`)."""
    orig = getattr(exc, "orig", None)
    return orig if isinstance(orig, BaseException) else exc
