"""The audit table: who did what and when (charges, refunds, sign-ups, key deletions,
settings changes).

Details are written for a human reader. Callers pass text that is already safe: never a secret or a
token, phone numbers masked (kpadmin.redact), card numbers only as i'mport masks them. `record`
redacts the detail once more (registered secrets and tokens, card and phone numbers): a server's
words quoted in an audit line cannot carry them into the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, insert, select

from kpadmin.redact import redact_text
from kpadmin.store import schema
from kpadmin.store.changes import ChangeKind
from kpadmin.store.models import AuditEvent
from kpadmin.store.prepared import Prepared

if TYPE_CHECKING:
    from kpadmin.store.store import Store

A = schema.audit
_RECORD = Prepared(
    lambda _dialect: (
        insert(A)
        .values(
            {name: bindparam(name) for name in ("at", "staff", "action", "subscriber_id", "detail")}
        )
        .returning(A.c.id)
    )
)

#: The same without RETURNING (an executemany: sqlite3 refuses rows there).
_RECORD_MANY = Prepared(
    lambda _dialect: insert(A).values(
        {name: bindparam(name) for name in ("at", "staff", "action", "subscriber_id", "detail")}
    )
)


class AuditRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def record(
        self,
        staff: str,
        action: str,
        detail: str = "",
        *,
        subscriber_id: int | None = None,
        at: datetime | None = None,
        kind: ChangeKind = ChangeKind.AUDIT,
    ) -> int:
        """Add one event. Inside a caller's transaction it commits with that transaction.

        `kind`: the change it is reported as (an outcome's own audit line is part of recording
        the charge: the journal passes `ChangeKind.CHARGES`)."""
        store = self._store
        with store._write() as conn:
            ((event_id,),) = store._rows(
                conn,
                _RECORD,
                {
                    "at": at or store.clock(),
                    "staff": staff,
                    "action": action,
                    "subscriber_id": subscriber_id,
                    "detail": redact_text(detail),
                },
            )
            store._note(kind, [subscriber_id])
        return int(event_id)

    def record_many(
        self,
        events: Sequence[tuple[str, str, str, int | None]],
        *,
        at: datetime | None = None,
        kind: ChangeKind = ChangeKind.AUDIT,
    ) -> None:
        """`record` for many events at once, ``(staff, action, detail, subscriber_id)`` each, in
        order (one executemany: a group of charge outcomes)."""
        if not events:
            return
        store = self._store
        stamp = at or store.clock()
        with store._write() as conn:
            store._many(
                conn,
                _RECORD_MANY,
                [
                    {
                        "at": stamp,
                        "staff": staff,
                        "action": action,
                        "subscriber_id": subscriber_id,
                        "detail": redact_text(detail),
                    }
                    for staff, action, detail, subscriber_id in events
                ],
            )
            store._note(kind, [event[3] for event in events])

    def list(
        self, *, subscriber_id: int | None = None, action: str | None = None, limit: int = 1000
    ) -> list[AuditEvent]:
        """Newest first."""
        query = select(A.c.id, A.c.at, A.c.staff, A.c.action, A.c.subscriber_id, A.c.detail)
        if subscriber_id is not None:
            query = query.where(A.c.subscriber_id == subscriber_id)
        if action is not None:
            query = query.where(A.c.action == action)
        with self._store._read() as conn:
            rows = conn.execute(query.order_by(A.c.id.desc()).limit(limit)).all()
        return [AuditEvent(*row) for row in rows]
