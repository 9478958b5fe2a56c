"""The customer notices' durable outbox: one row per notice, written in the transaction of the
outcome that causes it, sent after the batch (`kpadmin.billing.outbox`), marked sent.

States: ``pending`` (to send; ``next_attempt_at`` None = at once, else not before it),
``sending`` (a desk claimed it: `claim` is a compare-and-set, so two desks never send one notice
at once), ``sent``, ``failed`` (given up: a permanent refusal or too many failures; staff see it).
A claim older than `STALE_CLAIM` is a desk that died mid-send: the notice is pending again, and a
mail the server had accepted just before the crash may go out once more — never more than that.

``key`` is unique: `add` writes a notice only once per key (each customer gets each notice once),
whatever the number of runs, desks or reconciliations that record the same outcome.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import and_, func, or_, select, update

from kpadmin.redact import redact_text
from kpadmin.store import schema
from kpadmin.store.changes import ChangeKind
from kpadmin.store.subscribers import _instant

if TYPE_CHECKING:
    from kpadmin.store.store import Store

N = schema.notices
#: A desk that claimed a notice this long ago without marking it died mid-send.
STALE_CLAIM: Final = timedelta(minutes=10)
PENDING, SENDING, SENT, FAILED = schema.NOTICE_STATES
MAX_ERROR: Final = 500


@dataclass(frozen=True, slots=True)
class NewNotice:
    key: str
    kind: str
    subscriber_id: int | None
    channel: str
    language: str
    facts: str  # JSON (kpadmin.billing.outbox)


@dataclass(frozen=True, slots=True)
class StoredNotice:
    id: int
    key: str
    kind: str
    subscriber_id: int | None
    channel: str
    language: str
    facts: str
    state: str
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    reference: str | None
    created_at: datetime
    sent_at: datetime | None


_COLUMNS = (
    N.c.id,
    N.c.key,
    N.c.kind,
    N.c.subscriber_id,
    N.c.channel,
    N.c.language,
    N.c.facts,
    N.c.state,
    N.c.attempts,
    N.c.next_attempt_at,
    N.c.last_error,
    N.c.reference,
    N.c.created_at,
    N.c.sent_at,
)


def _row(row: Any) -> StoredNotice:
    return StoredNotice(
        id=row[0],
        key=row[1],
        kind=row[2],
        subscriber_id=row[3],
        channel=row[4],
        language=row[5],
        facts=row[6],
        state=row[7],
        attempts=row[8],
        next_attempt_at=schema.as_instant(row[9]),
        last_error=row[10],
        reference=row[11],
        created_at=_instant(row[12]),
        sent_at=schema.as_instant(row[13]),
    )


class NoticeRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def add(self, notice: NewNotice, *, now: datetime | None = None) -> bool:
        """Write the notice unless one with its key exists (then nothing: True when written).
        Inside a caller's transaction it commits with it (the outcome that causes it)."""
        store = self._store
        values = {
            "key": notice.key,
            "kind": notice.kind,
            "subscriber_id": notice.subscriber_id,
            "channel": notice.channel,
            "language": notice.language,
            "facts": notice.facts,
            "state": PENDING,
            "attempts": 0,
            "created_at": now or store.clock(),
        }
        # Imported here: the PostgreSQL dialect package loads all its drivers (~50 ms), which a
        # SQLite start must not pay for (tests/test_startup_imports.py).
        if store.dialect == "sqlite":
            from sqlalchemy.dialects import sqlite as dialect
        else:
            from sqlalchemy.dialects import postgresql as dialect  # type: ignore[no-redef]
        # RETURNING, not rowcount: psycopg reports rowcount -1 for this insert, which made every
        # notice look "not written" on PostgreSQL (no NOTICES change, "0 customers told").
        statement = (
            dialect.insert(N)
            .values(values)
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(N.c.id)
        )
        with store._write() as conn:
            written = conn.execute(statement).first() is not None
            if written:
                store._note(ChangeKind.NOTICES, [notice.subscriber_id])
        return written

    def get(self, notice_id: int) -> StoredNotice | None:
        with self._store._read() as conn:
            row = conn.execute(select(*_COLUMNS).where(N.c.id == notice_id)).first()
        return _row(row) if row is not None else None

    def by_key(self, key: str) -> StoredNotice | None:
        with self._store._read() as conn:
            row = conn.execute(select(*_COLUMNS).where(N.c.key == key)).first()
        return _row(row) if row is not None else None

    def entries(self, *, unsent_only: bool = False, limit: int = 1000) -> list[StoredNotice]:
        """Newest first; `unsent_only`: pending, sending and failed ones."""
        query = select(*_COLUMNS).order_by(N.c.id.desc()).limit(limit)
        if unsent_only:
            query = query.where(N.c.state != SENT)
        with self._store._read() as conn:
            return [_row(r) for r in conn.execute(query)]

    def count_unsent(self) -> int:
        with self._store._read() as conn:
            return int(conn.execute(select(func.count()).where(N.c.state != SENT)).scalar_one())

    def due(self, now: datetime, *, limit: int = 500) -> list[StoredNotice]:
        """Notices to send now: pending and their time come, or claimed by a desk that died."""
        query = (
            select(*_COLUMNS)
            .where(
                or_(
                    and_(
                        N.c.state == PENDING,
                        or_(N.c.next_attempt_at.is_(None), N.c.next_attempt_at <= now),
                    ),
                    and_(N.c.state == SENDING, N.c.claimed_at <= now - STALE_CLAIM),
                )
            )
            .order_by(N.c.id)
            .limit(limit)
        )
        with self._store._read() as conn:
            return [_row(r) for r in conn.execute(query)]

    def claim(self, notice: StoredNotice, now: datetime) -> bool:
        """Compare-and-set to ``sending`` (from the state it was read in): True when this desk
        sends it."""
        with self._store._write() as conn:
            result = conn.execute(
                update(N)
                .where(
                    N.c.id == notice.id, N.c.state == notice.state, N.c.attempts == notice.attempts
                )
                .values(state=SENDING, claimed_at=now)
            )
            claimed = result.rowcount == 1
            if claimed:
                self._store._note(ChangeKind.NOTICES, [notice.subscriber_id])
        return claimed

    def mark_sent(self, notice_id: int, *, reference: str, now: datetime) -> None:
        self._finish(notice_id, state=SENT, sent_at=now, reference=reference, last_error=None)

    def mark_failed(
        self, notice_id: int, *, error: str, retry_at: datetime | None, attempts: int
    ) -> None:
        """A failed attempt: pending again from ``retry_at``, or given up (`retry_at` None)."""
        self._finish(
            notice_id,
            state=PENDING if retry_at is not None else FAILED,
            next_attempt_at=retry_at,
            attempts=attempts,
            last_error=redact_text(error)[:MAX_ERROR],
        )

    def retry_failed(self, ids: Iterable[int] | None, now: datetime) -> int:
        """Staff asked to try given-up notices again: pending at once (attempts kept)."""
        query = update(N).where(N.c.state == FAILED)
        if ids is not None:
            query = query.where(N.c.id.in_(list(ids)))
        with self._store._write() as conn:
            count = conn.execute(query.values(state=PENDING, next_attempt_at=now)).rowcount
            if count:
                self._store._note(ChangeKind.NOTICES, [])
        return int(count)

    def _finish(self, notice_id: int, **values: Any) -> None:
        with self._store._write() as conn:
            conn.execute(
                update(N)
                .where(N.c.id == notice_id, N.c.state == SENDING)
                .values(claimed_at=None, **values)
            )
            self._store._note(ChangeKind.NOTICES, [])


__all__ = ["NewNotice", "NoticeRepository", "StoredNotice"]
