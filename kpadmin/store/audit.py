"""The audit table: who did what and when (charges, refunds, sign-ups, key deletions,
settings changes).

Details are written for a human reader. Callers pass text that is already safe: never a secret or a
token, phone numbers masked (kpadmin.redact), card numbers only as i'mport masks them. `record`
redacts the detail once more (registered secrets and tokens, card and phone numbers): a server's
words quoted in an audit line cannot carry them into the database.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from kpadmin.redact import redact_text
from kpadmin.store.db import encode_instant, utc_now
from kpadmin.store.models import AuditEvent

_COLUMNS = "id, at, staff, action, subscriber_id, detail"


class AuditRepository:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def record(
        self,
        staff: str,
        action: str,
        detail: str = "",
        *,
        subscriber_id: int | None = None,
        at: datetime | None = None,
    ) -> int:
        """Add one event. Inside a caller's transaction it commits with that transaction."""
        cursor = self.conn.execute(
            "INSERT INTO audit (at, staff, action, subscriber_id, detail) VALUES (?, ?, ?, ?, ?)",
            (encode_instant(at or utc_now()), staff, action, subscriber_id, redact_text(detail)),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def list(
        self, *, subscriber_id: int | None = None, action: str | None = None, limit: int = 1000
    ) -> list[AuditEvent]:
        """Newest first."""
        where: list[str] = []
        params: list[object] = []
        if subscriber_id is not None:
            where.append("subscriber_id = ?")
            params.append(subscriber_id)
        if action is not None:
            where.append("action = ?")
            params.append(action)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        rows = self.conn.execute(
            f"SELECT {_COLUMNS} FROM audit {clause} ORDER BY id DESC LIMIT ?", (*params, limit)
        ).fetchall()
        return [
            AuditEvent(
                id=r[0],
                at=datetime.fromisoformat(r[1]),
                staff=r[2],
                action=r[3],
                subscriber_id=r[4],
                detail=r[5],
            )
            for r in rows
        ]
