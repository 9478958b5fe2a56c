"""The audit table: who did what and when (charges, refunds, sign-ups, key deletions,
settings changes).

A detail is a message (`kpadmin.billing.messages.Message`: a code and its parameters), never a
finished sentence: the row keeps its English in ``detail`` (the command line, logs, exports) and the
code and parameters (JSON) in ``detail_code`` / ``detail_params``, from which the GUI says it in the
UI language. `record` refuses a bare string (mypy, and tests/billing/test_audit_details.py scans
every call). Callers pass values that are already safe: never a secret or a token, phone numbers
masked (kpadmin.redact), card numbers only as i'mport masks them. `record` redacts the English and
every text parameter once more (registered secrets and tokens, card and phone numbers): a server's
words quoted in an audit line cannot carry them into the database.

The store does not import billing: a detail is anything shaped like a `Message` (`AuditDetail`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, Self

from sqlalchemy import bindparam, insert, select

from kpadmin.redact import redact_text
from kpadmin.store import schema
from kpadmin.store.changes import ChangeKind
from kpadmin.store.models import AuditEvent
from kpadmin.store.prepared import Prepared

if TYPE_CHECKING:
    from kpadmin.store.store import Store

A = schema.audit
_COLUMNS = ("at", "staff", "action", "subscriber_id", "detail", "detail_code", "detail_params")
_RECORD = Prepared(
    lambda _dialect: insert(A).values({c: bindparam(c) for c in _COLUMNS}).returning(A.c.id)
)
#: The same without RETURNING (an executemany: sqlite3 refuses rows there).
_RECORD_MANY = Prepared(lambda _dialect: insert(A).values({c: bindparam(c) for c in _COLUMNS}))


class AuditDetail(Protocol):
    """What `record` needs of a detail (`kpadmin.billing.messages.Message` is one)."""

    @property
    def code(self) -> Any: ...  # an enum member: its ``value`` is stored

    def english(self) -> str: ...

    def params_json(self) -> str: ...

    def map_text(self, change: Callable[[str], str]) -> Self: ...


#: One line for `AuditRepository.record_many`: (staff, action, detail, subscriber_id).
AuditLine = tuple[str, str, AuditDetail, int | None]


def _values(
    staff: str, action: str, detail: AuditDetail, subscriber_id: int | None, at: datetime
) -> dict[str, object]:
    """One row's bound values: a ``str`` detail refused (`TypeError`: it would be English on the
    Korean screen); the English and every text parameter redacted."""
    if isinstance(detail, str) or not hasattr(detail, "params_json"):
        raise TypeError("an audit detail is a Message (code and parameters), not text")
    safe = detail.map_text(redact_text)
    return {
        "at": at,
        "staff": staff,
        "action": action,
        "subscriber_id": subscriber_id,
        "detail": redact_text(safe.english()),
        "detail_code": str(safe.code.value),
        "detail_params": safe.params_json(),
    }


class AuditRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def record(
        self,
        staff: str,
        action: str,
        detail: AuditDetail,
        *,
        subscriber_id: int | None = None,
        at: datetime | None = None,
        kind: ChangeKind = ChangeKind.AUDIT,
    ) -> int:
        """Add one event. Inside a caller's transaction it commits with that transaction.

        `kind`: the change it is reported as (an outcome's own audit line is part of recording
        the charge: the journal passes `ChangeKind.CHARGES`). A ``str`` detail is refused
        (`TypeError`): it would be English on the Korean screen."""
        store = self._store
        values = _values(staff, action, detail, subscriber_id, at or store.clock())
        with store._write() as conn:
            ((event_id,),) = store._rows(conn, _RECORD, values)
            store._note(kind, [subscriber_id])
        return int(event_id)

    def record_many(
        self,
        events: Sequence[AuditLine],
        *,
        at: datetime | None = None,
        kind: ChangeKind = ChangeKind.AUDIT,
    ) -> None:
        """`record` for many events at once, in order (one executemany: a group of charge
        outcomes). A ``str`` detail is refused, as in `record`."""
        if not events:
            return
        store = self._store
        stamp = at or store.clock()
        rows = [_values(*event, stamp) for event in events]
        with store._write() as conn:
            store._many(conn, _RECORD_MANY, rows)
            store._note(kind, [event[3] for event in events])

    def list(
        self, *, subscriber_id: int | None = None, action: str | None = None, limit: int = 1000
    ) -> list[AuditEvent]:
        """Newest first."""
        query = select(
            A.c.id,
            A.c.at,
            A.c.staff,
            A.c.action,
            A.c.subscriber_id,
            A.c.detail,
            A.c.detail_code,
            A.c.detail_params,
        )
        if subscriber_id is not None:
            query = query.where(A.c.subscriber_id == subscriber_id)
        if action is not None:
            query = query.where(A.c.action == action)
        with self._store._read() as conn:
            rows = conn.execute(query.order_by(A.c.id.desc()).limit(limit)).all()
        return [AuditEvent(*row) for row in rows]
