"""One batch per database at a time, across processes: `Store.batch_lock(holder)`.

For a SQLite file the lock is an OS file lock on ``<database>.charge-lock`` (exclusive,
non-blocking), held while a batch or an on-demand reconciliation runs. A second kpadmin process
— the GUI while a scheduled `charge-due` runs, or two schedulers — gets `BatchBusy` instead of
sending the same merchant_uid at the same time, and a second holder in the same process is refused
the same way (the lock belongs to an open file, not to the process). The OS releases it when the
process dies, even by SIGKILL, so a crash never leaves it stuck.

The holder writes who it is (staff and computer) into the file after the lock byte; the loser
reads it for its message ("… is charging"). A shared PostgreSQL database uses a session-level
advisory lock and its session's ``application_name`` for the same two things (`postgres.py`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kpadmin.store.errors import BatchBusy

SUFFIX = ".charge-lock"
#: The holder's text starts after the locked byte: on Windows a locked range cannot be read.
_TEXT_AT = 1
_MAX_HOLDER = 200


def lock_path(db_path: Path) -> Path:
    return Path(f"{db_path}{SUFFIX}")


@contextmanager
def file_lock(path: Path, holder: str) -> Iterator[None]:
    """Hold the lock at `path` for the block; raises `BatchBusy` (naming the holder) at once when
    another open file holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            _lock(fd)
        except OSError:
            raise BatchBusy(_read_holder(fd)) from None
        try:
            _write_holder(fd, holder)
            yield
        finally:
            # A later loser must not read this holder's name once it is gone.
            _write_holder(fd, "")
            _unlock(fd)
    finally:
        os.close(fd)


def _write_holder(fd: int, holder: str) -> None:
    data = holder.encode("utf-8", "replace")[:_MAX_HOLDER]
    try:
        os.ftruncate(fd, _TEXT_AT)
        if hasattr(os, "pwrite"):
            os.pwrite(fd, data, _TEXT_AT)
        else:
            _seek_write(fd, data)
    except OSError:
        pass  # the name is a courtesy for the loser's message; the lock is what matters


def _seek_write(fd: int, data: bytes) -> None:  # pragma: no cover - Windows has no pwrite
    os.lseek(fd, _TEXT_AT, os.SEEK_SET)
    os.write(fd, data)


def _read_holder(fd: int) -> str | None:
    try:
        os.lseek(fd, _TEXT_AT, os.SEEK_SET)
        text = os.read(fd, _MAX_HOLDER).decode("utf-8", "replace").strip()
    except OSError:
        return None
    return text or None


if sys.platform == "win32":  # pragma: no cover - Windows
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
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
