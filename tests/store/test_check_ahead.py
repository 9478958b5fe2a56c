"""The check ahead (`kpadmin.store.sqlite.check_ahead`): the app starts SQLite's quick_check in a
thread before it imports Qt, and the open takes the result — only a clean one, and only for a
file that did not change since. Anything else is checked again by the open itself."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from kpadmin.store import NewSubscriber, SubscriberRepository, open_store
from kpadmin.store import sqlite as sqlite_store
from kpadmin.store.errors import DatabaseDamaged
from tests.store.test_open_checks import _overwrite_middle, _populated


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The quick_checks that ran, by file (in the thread ahead or in the open)."""
    ran: list[Path] = []
    real = sqlite_store._quick_check

    def counted(connection: sqlite3.Connection, path: Path) -> list[str]:
        ran.append(path)
        return real(connection, path)

    monkeypatch.setattr(sqlite_store, "_quick_check", counted)
    return ran


def _check_ahead_and_wait(db: Path) -> None:
    sqlite_store.check_ahead(db)
    sqlite_store._ahead[str(db.resolve())].done.wait(timeout=30)


def test_the_open_takes_the_clean_result_of_the_check_ahead(tmp_path: Path, checks) -> None:
    db = tmp_path / "kp.sqlite3"
    _populated(db, 50)
    checks.clear()
    _check_ahead_and_wait(db)
    assert len(checks) == 1
    with open_store(db) as store:
        assert SubscriberRepository(store).count() == 50
    assert len(checks) == 1  # not checked a second time


def test_a_file_written_after_the_check_ahead_is_checked_again(tmp_path: Path, checks) -> None:
    db = tmp_path / "kp.sqlite3"
    _populated(db, 5)
    _check_ahead_and_wait(db)
    with open_store(db) as other_desk:  # another kpadmin writes meanwhile (its own check)
        SubscriberRepository(other_desk).add_many(
            [NewSubscriber("cu-new", "새 구독자", 1000, 5, date(2026, 11, 5))]
        )
    checks.clear()
    with open_store(db) as store:
        assert SubscriberRepository(store).count() == 6
    assert len(checks) == 1  # the open checked the changed file itself


def test_a_damaged_file_is_refused_with_or_without_the_check_ahead(tmp_path: Path, checks) -> None:
    db = tmp_path / "kp.sqlite3"
    _populated(db, 400)
    _overwrite_middle(db)
    _check_ahead_and_wait(db)
    with pytest.raises(DatabaseDamaged, match="quick_check"):
        open_store(db)
    assert len(checks) == 2  # found damaged ahead, so the open checked and said so itself


def test_nothing_is_checked_ahead_for_a_missing_or_empty_file(tmp_path: Path, checks) -> None:
    missing = tmp_path / "missing.sqlite3"
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    sqlite_store.check_ahead(missing)
    sqlite_store.check_ahead(empty)
    assert not missing.exists()
    assert str(missing.resolve()) not in sqlite_store._ahead
    assert str(empty.resolve()) not in sqlite_store._ahead
    assert checks == []


def test_the_runtime_checks_its_modes_file_ahead(tmp_path: Path, checks) -> None:
    from kpadmin.runtime import open_runtime

    runtime = open_runtime(tmp_path / "data")
    runtime.open_store().close()  # a first start made the file
    checks.clear()
    runtime.check_database_ahead()
    sqlite_store._ahead[str(runtime.db_path.resolve())].done.wait(timeout=30)
    runtime.open_store().close()
    assert checks == [runtime.db_path]  # once, ahead
