"""Another desk on the same shared database (issue #11): this desk's views hear its commits
(LISTEN/NOTIFY through the store) as `Backend.data_changed`, on the GUI's thread."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest

from kpadmin.gui.backend import Backend
from kpadmin.runtime import open_runtime
from kpadmin.store import NewCharge, NewSubscriber, open_store
from kpadmin.store.models import ChargeState
from tests.fixtures.postgres import PostgresDatabase


def test_another_desks_writes_refresh_this_desk(
    qtbot, postgres: PostgresDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KPADMIN_DATABASE_URL", postgres.url)
    backend = Backend(open_runtime(tmp_path / "data"))
    try:
        assert backend.database_location is not None
        assert backend.store.wait_listening()
        heard = []
        threads: set[str] = set()

        def on_change(change: object) -> None:
            heard.append(change)
            threads.add(threading.current_thread().name)

        backend.data_changed.connect(on_change)
        other = open_store(postgres.url)  # desk B, its own connection
        sub = other.subscribers.add(
            NewSubscriber("cu-b", "김하늘", 9_900, 1, date(2031, 2, 1), phone="01012345678")
        )
        qtbot.waitUntil(lambda: any(c.touches(sub.id) for c in heard), timeout=15_000)
        assert threads == {threading.main_thread().name}  # delivered on the GUI's thread
        # A charge recorded there moves this desk's journal figures too.
        heard.clear()
        with other.transaction():
            cid = other.charges.insert(
                NewCharge(sub.id, "cu-b", "2031-02", 1, "kp-b-1", 9_900), batch_id=None, staff="b"
            )
            other.charges.set_state(cid, ChargeState.PAID)
        qtbot.waitUntil(lambda: any(c.journal for c in heard), timeout=15_000)
        assert [r.customer_uid for r in backend.load_rows()] == ["cu-b"]
        other.close()
    finally:
        backend.data_changed.disconnect()
        backend.store.close()
