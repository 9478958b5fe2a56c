"""A small file beside the database that remembers that the database exists.

Without it a deleted (or emptied) ``kpadmin.sqlite3`` looks exactly like a first run: SQLite
creates a new empty file, `charge-due` finds "nobody due" and exits 0, and a scheduler never
tells anyone that the subscribers and the payment journal are gone. The marker
(``kpadmin.sqlite3.marker``, JSON) is written atomically when a database is created or opened,
and refreshed with the subscriber count and the last batch after a batch or an import; a missing
or 0-byte database next to a marker is refused (`db.open_database` raises `DatabaseMissing` with
the marker's facts) unless the user asks for a new empty database on purpose.

A marker that cannot be parsed still proves that a database was here ("details unknown"). A marker
that cannot be written (disk full, read-only) is logged and tried again at the next refresh: it
is a safety net, never a reason to stop.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kpadmin.store.errors import DatabaseFacts

if TYPE_CHECKING:
    from kpadmin.store.store import Store

log = logging.getLogger(__name__)

SUFFIX = ".marker"
_ABOUT = (
    "kpadmin keeps this file beside its database to notice when the database goes missing. "
    "Keep it; delete it only together with the database if you mean to start from nothing."
)


def marker_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + SUFFIX)


def read_marker(db_path: Path) -> DatabaseFacts | None:
    """The facts the marker holds; None when there is no marker (a first run)."""
    path = marker_path(db_path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:  # it exists but cannot be read: a database was here all the same
        log.info("database marker %s unreadable: %s", path, exc.strerror or exc)
        return DatabaseFacts(subscribers=None)
    try:
        data: Any = json.loads(raw.decode("utf-8"))
        subscribers = data["subscribers"]
        batch = data.get("last_batch") or {}
        if not isinstance(subscribers, int) or not isinstance(batch, dict):
            raise TypeError("unexpected marker content")
        batch_id = batch.get("id")
        at = batch.get("at")
        return DatabaseFacts(
            subscribers=subscribers,
            last_batch_id=str(batch_id) if batch_id else None,
            last_batch_at=datetime.fromisoformat(at) if isinstance(at, str) and at else None,
        )
    except (ValueError, TypeError, KeyError, AttributeError):
        return DatabaseFacts(subscribers=None)


def facts_of(store: Store) -> DatabaseFacts:
    """The database's own facts now (two cheap queries: a count, the newest batch row)."""
    subscribers = store.subscribers.count()
    last = store.charges.last_batch()
    if last is None:
        return DatabaseFacts(subscribers=subscribers)
    return DatabaseFacts(subscribers=subscribers, last_batch_id=last[0], last_batch_at=last[1])


def write_marker(db_path: Path, facts: DatabaseFacts) -> None:
    """Replace the marker atomically (temp file, fsync, rename, fsync of the folder), owner-only.
    Raises OSError."""
    path = marker_path(db_path)
    body = {
        "about": _ABOUT,
        "database": db_path.name,
        "subscribers": facts.subscribers,
        "last_batch": (
            {
                "id": facts.last_batch_id,
                "at": facts.last_batch_at.isoformat() if facts.last_batch_at else None,
            }
            if facts.last_batch_id
            else None
        ),
    }
    data = (json.dumps(body, indent=2) + "\n").encode("utf-8")
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def refresh_marker(store: Store) -> bool:
    """Bring the marker up to date with the database behind `store` (written only when a fact
    changed). Never raises: returns False when it could not (logged). A server database has no
    file to lose on this computer, and no marker."""
    db_path = store.path
    if db_path is None:
        return False
    try:
        facts = facts_of(store)
        if read_marker(db_path) != facts:
            write_marker(db_path, facts)
        return True
    except Exception as exc:
        # INFO: a stale marker is harmless (refreshed next time); the console stays for the one
        # message about whatever stopped the command.
        log.info("could not refresh the database marker for %s: %s", db_path, exc)
        return False


def _fsync_dir(directory: Path) -> None:
    # The rename is durable only once the folder is synced (POSIX; Windows has no folder fsync).
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
