"""Other desks' changes on a shared PostgreSQL database: NOTIFY after each write, LISTEN for them.

Every write transaction that touched something sends ``pg_notify('kpadmin_changes', payload)``
before its COMMIT (PostgreSQL delivers a notification only when, and if, its transaction
commits): the payload is a small JSON object — the sending store's ``origin`` (so a desk skips
its own) and, per change kind, the subscriber ids (at most `MAX_IDS` in all; beyond that, or
with a payload that would be too long, ``null``: "anything may have changed").

`Listener` is the receiving side: a daemon thread (``kpadmin-listen``) with a connection of its own
in autocommit, ``LISTEN kpadmin_changes``. It collects what other desks sent for up to `COALESCE`
seconds and hands it over as one batch (a batch of 1,000 charges on another desk is a few
deliveries, not 1,000), so a view refreshes well within 2 s of another desk's COMMIT. When the
connection fails (the server went away) it retries every `RETRY` seconds; once it is back it
delivers ``None``, "anything may have changed", since notifications sent meanwhile are lost.

Deliveries happen on the listener thread: a Qt listener hops to its own thread (the GUI's
backend does that with a queued signal).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from kpadmin.store.changes import Change, ChangeKind

log = logging.getLogger(__name__)

CHANNEL = "kpadmin_changes"
MAX_IDS = 300
MAX_PAYLOAD = 7000  # PostgreSQL's limit is 8000 bytes
COALESCE = 0.4
RETRY = 2.0
THREAD_NAME = "kpadmin-listen"

#: Another desk's changes, or None: anything may have changed (reload everything).
RemoteListener = Callable[[tuple[Change, ...] | None], None]


def payload(origin: str, changes: list[Change]) -> str:
    """The NOTIFY payload for one COMMIT's changes."""
    total = sum(len(c.ids) for c in changes)
    body: dict[str, Any] = {
        "o": origin,
        "c": {c.kind.value: (list(c.ids) if total <= MAX_IDS else None) for c in changes},
    }
    text = json.dumps(body, separators=(",", ":"))
    if len(text) > MAX_PAYLOAD:
        body["c"] = {c.kind.value: None for c in changes}
        text = json.dumps(body, separators=(",", ":"))
    return text


def parse(text: str) -> tuple[str, dict[ChangeKind, tuple[int, ...] | None]] | None:
    """(origin, kind → ids or None) of a payload; None for one this version cannot read."""
    try:
        body = json.loads(text)
        origin = str(body["o"])
        kinds: dict[ChangeKind, tuple[int, ...] | None] = {}
        for name, ids in dict(body["c"]).items():
            kind = ChangeKind(name)
            kinds[kind] = None if ids is None else tuple(int(i) for i in ids)
    except (ValueError, KeyError, TypeError):
        return None
    return origin, kinds


class Listener:
    """LISTEN on a connection of its own, on a daemon thread; see the module docstring.
    ``connect()`` returns a driver (psycopg) connection; ``deliver`` gets each merged batch."""

    def __init__(
        self,
        connect: Callable[[], Any],
        origin: str,
        deliver: RemoteListener,
        *,
        coalesce: float = COALESCE,
        retry: float = RETRY,
    ) -> None:
        self._connect = connect
        self._origin = origin
        self._deliver = deliver
        self._coalesce = coalesce
        self._retry = retry
        self._stop = threading.Event()
        #: Set once the first LISTEN is in place (tests and callers that must not miss a change).
        self.listening = threading.Event()
        self._thread = threading.Thread(target=self._run, name=THREAD_NAME, daemon=True)
        self._thread.start()

    def close(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        lost = False
        while not self._stop.is_set():
            try:
                conn = self._connect()
            except Exception as exc:
                log.info("listening for other desks' changes: no connection (%s)", exc)
                lost = True
                self._stop.wait(self._retry)
                continue
            # A pool's proxy (held, so it is not closed under us) or the driver's connection.
            driver = getattr(conn, "driver_connection", conn)
            try:
                driver.autocommit = True
                driver.execute(f"LISTEN {CHANNEL}")
                self.listening.set()
                if lost:
                    self._safe_deliver(None)  # what was sent while we were away is lost
                    lost = False
                self._listen(driver)
            except Exception as exc:
                if not self._stop.is_set():
                    log.info("listening for other desks' changes stopped (%s); retrying", exc)
                    lost = True
                    self._stop.wait(self._retry)
            finally:
                try:
                    conn.close()
                except Exception as exc:
                    log.debug("closing the listening connection: %s", exc)

    def _listen(self, conn: Any) -> None:
        merged: dict[ChangeKind, set[int] | None] = {}
        first: float | None = None  # when the oldest undelivered change arrived
        while not self._stop.is_set():
            wait = self._coalesce if first is None else first + self._coalesce - time.monotonic()
            for note in conn.notifies(timeout=max(wait, 0.01)):
                if self._merge(merged, note.payload) and first is None:
                    first = time.monotonic()
                if first is not None and time.monotonic() - first >= self._coalesce:
                    break
            if first is not None and time.monotonic() - first >= self._coalesce:
                self._flush(merged)
                merged, first = {}, None

    def _merge(self, merged: dict[ChangeKind, set[int] | None], text: str) -> bool:
        """Add one payload; False when it was this store's own (or said nothing)."""
        parsed = parse(text)
        if parsed is None:  # a newer kpadmin's payload: reload everything to be sure
            merged[ChangeKind.SUBSCRIBERS] = None
            return True
        origin, kinds = parsed
        if origin == self._origin or not kinds:
            return False
        for kind, ids in kinds.items():
            found = merged.get(kind, set())
            if ids is None or found is None:
                merged[kind] = None
            else:
                found.update(ids)
                merged[kind] = found
        return True

    def _flush(self, merged: dict[ChangeKind, set[int] | None]) -> None:
        if any(ids is None for ids in merged.values()):
            self._safe_deliver(None)
            return
        changes = tuple(
            Change(kind, tuple(sorted(ids or ())))
            for kind, ids in sorted(merged.items(), key=lambda item: item[0].value)
        )
        self._safe_deliver(changes)

    def _safe_deliver(self, changes: tuple[Change, ...] | None) -> None:
        try:
            self._deliver(changes)
        except Exception:
            log.exception("a listener of other desks' changes failed")
