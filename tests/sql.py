"""Raw SQL for tests that look under the store (an integrity check, a row forged the way an older
kpadmin or a crash would leave it). It runs on the store's own connection of this thread, inside
the caller's open transaction if there is one (else in a write transaction of its own). kpadmin
itself never does this: its SQL lives in kpadmin/store."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kpadmin.store import Store


def sql(store: Store, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    with store._write() as conn:
        result = conn.exec_driver_sql(statement, tuple(params))
        return [tuple(row) for row in result] if result.returns_rows else []
