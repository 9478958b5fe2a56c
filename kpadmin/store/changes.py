"""Change events: what a committed write touched, for whoever shows the data (the GUI's table).

A `Store` collects, per write transaction, the kinds of records written and the subscribers
concerned; after the COMMIT (never after a rollback) it calls every subscriber of `on_change` once
per kind with a `Change`, and every subscriber of `on_commit` once with all of that COMMIT's
changes (a view that refreshes once per write, whatever it touched). Delivery happens on the
thread that committed, except for writes run on the store's worker (`Store.run`, `Store.submit`):
their changes arrive on the thread that awaits or collects the job, so a Qt listener never hears
from a foreign thread.

Other desks' changes on a shared PostgreSQL database (LISTEN/NOTIFY) arrive through
`Store.on_remote` (`remote.py`), merged, on a listener thread.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


class ChangeKind(enum.StrEnum):
    #: A subscriber's own record: sign-up, import, edit, pause / resume / cancel, key check.
    SUBSCRIBERS = "subscribers"
    #: The charge journal: intents, outcomes, refunds, withdrawals — and what an outcome moves with
    #: it (the subscriber's next charge date and card after a payment, key_missing after a
    #: rejection), which is part of recording the charge.
    CHARGES = "charges"
    #: Only audit lines (a settings change, a sign-up attempt, a deleted key).
    AUDIT = "audit"
    #: The customer notices' outbox (kpadmin/store/notices.py): written, claimed, sent, failed.
    NOTICES = "notices"


@dataclass(frozen=True, slots=True)
class Change:
    kind: ChangeKind
    #: The subscribers concerned (sorted, without repeats); empty when none is (a settings line).
    ids: tuple[int, ...]


Listener = Callable[[Change], None]
CommitListener = Callable[[tuple[Change, ...]], None]


class Subscription:
    """What `Store.on_change` / `on_commit` return: `close()` stops the deliveries (also as a
    context manager)."""

    def __init__(self, listeners: list[Any], callback: Any) -> None:
        self._listeners = listeners
        self._callback: Any = callback

    def close(self) -> None:
        callback, self._callback = self._callback, None
        if callback is not None and callback in self._listeners:
            self._listeners.remove(callback)

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Pending:
    """The changes of one write transaction, collected until its COMMIT."""

    def __init__(self) -> None:
        self._ids: dict[ChangeKind, set[int]] = {}

    def note(self, kind: ChangeKind, ids: Iterable[int | None]) -> None:
        self._ids.setdefault(kind, set()).update(i for i in ids if i is not None)

    def changes(self) -> list[Change]:
        return [
            Change(kind, tuple(sorted(ids)))
            for kind, ids in sorted(self._ids.items(), key=lambda item: item[0].value)
        ]


def deliver(
    listeners: list[Listener], commit_listeners: list[CommitListener], changes: list[Change]
) -> None:
    """Call every listener with every change, every commit listener with them all; a failing
    listener is logged and the others still hear (a display bug must not undo or hide a
    committed write)."""
    for change in changes:
        for listener in list(listeners):
            try:
                listener(change)
            except Exception:
                log.exception("a change listener failed on %s", change)
    whole = tuple(changes)
    for commit_listener in list(commit_listeners):
        try:
            commit_listener(whole)
        except Exception:
            log.exception("a commit listener failed on %s", whole)
