"""One charging process per database: an OS file lock next to the database file.

A batch (and an on-demand reconciliation) holds an exclusive, non-blocking lock on
``<database>.charge-lock`` while it runs. A second kpadmin process — the GUI while a scheduled
`charge-due` runs, or two schedulers — gets `EngineBusy` instead of sending the same merchant_uid
at the same time. The OS releases the lock when the process dies, even by SIGKILL, so a crash
never leaves it stuck.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path
from types import TracebackType


class EngineBusy(RuntimeError):
    """A batch is already running (in this process or in another one on the same database)."""


def lock_path_for(conn: sqlite3.Connection) -> Path | None:
    """``<database>.charge-lock`` for a file database; None for an in-memory one."""
    for _seq, name, filename in conn.execute("PRAGMA database_list"):
        if name == "main" and filename:
            return Path(f"{filename}.charge-lock")
    return None


class BatchLock:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._fd: int | None = None

    def __enter__(self) -> BatchLock:
        if self.path is None:
            return self
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            raise EngineBusy(
                "another kpadmin process is charging or reconciling this database; "
                "try again when it has finished"
            ) from None
        self._fd = fd
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._fd is not None:
            _unlock(self._fd)
            os.close(self._fd)
            self._fd = None


if sys.platform == "win32":  # pragma: no cover - Windows
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
