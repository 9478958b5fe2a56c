"""The charge journal: one row per attempt to charge a subscriber for a billing period.

The engine (`kpadmin.billing.engine`) is the only writer of charge states. The schema
(`migrations.py`) enforces the invariants — one paid row per subscriber and period, one open
(planned / sent / unknown) row per subscriber, a paid row stays paid — so a bug here fails loudly
with `sqlite3.IntegrityError` instead of moving money twice.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kpadmin.redact import redact_text
from kpadmin.store.db import decode_instant, encode_instant, utc_now
from kpadmin.store.models import Charge, ChargeState

_COLUMNS = (
    "id, subscriber_id, customer_uid, period, attempt, merchant_uid, amount, state, imp_uid, "
    "fail_reason, receipt_url, paid_at, cancelled_amount, batch_id, created_at, updated_at, "
    "paid_amount"
)
_STATES = {s.value: s for s in ChargeState}
IN_DOUBT_STATES: tuple[str, ...] = tuple(s.value for s in ChargeState if s.in_doubt)


@dataclass(frozen=True, slots=True)
class NewCharge:
    """An intent about to be journaled."""

    subscriber_id: int
    customer_uid: str
    period: str
    attempt: int
    merchant_uid: str
    amount: int


def row_to_charge(row: Sequence[Any]) -> Charge:
    return Charge(
        id=row[0],
        subscriber_id=row[1],
        customer_uid=row[2],
        period=row[3],
        attempt=row[4],
        merchant_uid=row[5],
        amount=row[6],
        state=_STATES[row[7]],
        imp_uid=row[8],
        fail_reason=row[9],
        receipt_url=row[10],
        paid_at=decode_instant(row[11]),
        cancelled_amount=row[12],
        batch_id=row[13],
        created_at=datetime.fromisoformat(row[14]),
        updated_at=datetime.fromisoformat(row[15]),
        paid_amount=row[16],
    )


class ChargeRepository:
    """Charges over one connection. Callers group writes with `kpadmin.store.db.transaction`."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # -- writes ---------------------------------------------------------------------------------

    def insert(
        self,
        new: NewCharge,
        *,
        batch_id: str | None,
        staff: str,
        now: datetime | None = None,
    ) -> int:
        """Journal one intent in state planned; returns its id (call inside a transaction)."""
        stamp = encode_instant(now or utc_now())
        cursor = self.conn.execute(
            "INSERT INTO charges (subscriber_id, customer_uid, period, attempt, merchant_uid, "
            "amount, state, batch_id, staff, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, 'planned', ?, ?, ?, ?)",
            (
                new.subscriber_id,
                new.customer_uid,
                new.period,
                new.attempt,
                new.merchant_uid,
                new.amount,
                batch_id,
                staff,
                stamp,
                stamp,
            ),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def set_state(
        self,
        charge_id: int,
        state: ChargeState,
        *,
        now: datetime | None = None,
        **fields: Any,
    ) -> None:
        """Move a row to `state`, setting imp_uid / fail_reason / receipt_url / paid_at / batch_id /
        cancelled_amount / paid_amount when given. ``fail_reason`` is redacted on the way in."""
        allowed = {
            "imp_uid",
            "fail_reason",
            "receipt_url",
            "paid_at",
            "batch_id",
            "cancelled_amount",
            "paid_amount",
        }
        bad = set(fields) - allowed
        if bad:
            raise ValueError(f"cannot set {sorted(bad)}")
        if fields.get("fail_reason"):
            fields["fail_reason"] = redact_text(fields["fail_reason"])
        values = [encode_instant(v) if isinstance(v, datetime) else v for v in fields.values()]
        extra = "".join(f", {name} = ?" for name in fields)
        cursor = self.conn.execute(
            f"UPDATE charges SET state = ?, updated_at = ?{extra} WHERE id = ?",
            (state.value, encode_instant(now or utc_now()), *values, charge_id),
        )
        if cursor.rowcount != 1:
            raise KeyError(charge_id)

    # -- reads ----------------------------------------------------------------------------------

    def get(self, charge_id: int) -> Charge | None:
        row = self.conn.execute(
            f"SELECT {_COLUMNS} FROM charges WHERE id = ?", (charge_id,)
        ).fetchone()
        return row_to_charge(row) if row else None

    def by_merchant_uid(self, merchant_uid: str) -> Charge | None:
        row = self.conn.execute(
            f"SELECT {_COLUMNS} FROM charges WHERE merchant_uid = ?", (merchant_uid,)
        ).fetchone()
        return row_to_charge(row) if row else None

    def for_subscriber(self, subscriber_id: int) -> list[Charge]:
        """A subscriber's attempts, oldest first."""
        rows = self.conn.execute(
            f"SELECT {_COLUMNS} FROM charges WHERE subscriber_id = ? ORDER BY id", (subscriber_id,)
        ).fetchall()
        return list(map(row_to_charge, rows))

    def for_subscribers(self, ids: Iterable[int]) -> dict[int, list[Charge]]:
        """Attempts of many subscribers at once (oldest first), chunked under SQLite's limits."""
        wanted = list(dict.fromkeys(ids))
        result: dict[int, list[Charge]] = {sid: [] for sid in wanted}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(
                f"SELECT {_COLUMNS} FROM charges WHERE subscriber_id IN ({marks}) ORDER BY id",
                chunk,
            ):
                result[row[1]].append(row_to_charge(row))
        return result

    def in_doubt(self) -> list[Charge]:
        """Rows whose outcome is not known (planned / sent / unknown), oldest first."""
        marks = ",".join("?" * len(IN_DOUBT_STATES))
        rows = self.conn.execute(
            f"SELECT {_COLUMNS} FROM charges WHERE state IN ({marks}) ORDER BY id",
            IN_DOUBT_STATES,
        ).fetchall()
        return list(map(row_to_charge, rows))

    def in_state(self, state: ChargeState) -> list[Charge]:
        rows = self.conn.execute(
            f"SELECT {_COLUMNS} FROM charges WHERE state = ? ORDER BY id", (state.value,)
        ).fetchall()
        return list(map(row_to_charge, rows))

    def paid_in_month(self, subscriber_ids: Iterable[int], month: str) -> dict[int, int]:
        """Paid charges per subscriber whose paid_at falls in Asia/Seoul month "YYYY-MM"."""
        wanted = list(dict.fromkeys(subscriber_ids))
        counts = dict.fromkeys(wanted, 0)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            # Korea has no daylight-saving time: '+9 hours' is Asia/Seoul exactly.
            for sid, n in self.conn.execute(
                f"SELECT subscriber_id, count(*) FROM charges WHERE state = 'paid' "
                f"AND strftime('%Y-%m', paid_at, '+9 hours') = ? AND subscriber_id IN ({marks}) "
                "GROUP BY subscriber_id",
                (month, *chunk),
            ):
                counts[sid] = n
        return counts

    def paid_through(self, subscriber_ids: Iterable[int]) -> dict[int, str]:
        """The latest paid period ("YYYY-MM") of each subscriber that has one."""
        wanted = list(dict.fromkeys(subscriber_ids))
        found: dict[int, str] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for sid, period in self.conn.execute(
                f"SELECT subscriber_id, max(period) FROM charges WHERE state = 'paid' "
                f"AND subscriber_id IN ({marks}) GROUP BY subscriber_id",
                chunk,
            ):
                found[sid] = period
        return found

    def amount_mismatches(self, charge_ids: Iterable[int] | None = None) -> list[Charge]:
        """Paid rows whose paid amount differs from the amount asked for (oldest first), among
        ``charge_ids`` (None: all of them)."""
        query = f"SELECT {_COLUMNS} FROM charges WHERE state = 'paid' AND paid_amount != amount"
        if charge_ids is None:
            return list(map(row_to_charge, self.conn.execute(query + " ORDER BY id")))
        wanted = sorted(set(charge_ids))
        found: list[Charge] = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found += map(row_to_charge, self.conn.execute(f"{query} AND id IN ({marks})", chunk))
        return sorted(found, key=lambda c: c.id)

    def iter_all(self) -> Iterator[Charge]:
        """Every row, oldest first (exports)."""
        for row in self.conn.execute(f"SELECT {_COLUMNS} FROM charges ORDER BY id"):
            yield row_to_charge(row)

    def list_all(self) -> list[Charge]:
        return list(self.iter_all())

    def count_by_state(self) -> dict[ChargeState, int]:
        counts = dict.fromkeys(ChargeState, 0)
        for state, n in self.conn.execute("SELECT state, count(*) FROM charges GROUP BY state"):
            counts[_STATES[state]] = n
        return counts
