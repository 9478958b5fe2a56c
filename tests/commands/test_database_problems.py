"""Every command that opens the database, on a database it must not use: one calm message naming
the file and what to do, no traceback, nothing changed, and the exit code of `kpadmin.exitcodes`
(4 DATABASE, 5 DISK). `reconcile` never reports "nothing in doubt" about a file it could not read.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kpadmin import cli
from kpadmin.exitcodes import ExitCode
from kpadmin.paths import mode_dir
from kpadmin.runtime import DB_FILE
from kpadmin.store import (
    ChargeRepository,
    NewCharge,
    NewSubscriber,
    SubscriberRepository,
    open_store,
)
from kpadmin.store.marker import marker_path, refresh_marker
from kpadmin.store.migrations import SCHEMA_VERSION
from tests.commands.memory_keyring import MemoryKeyring, memory_keyring
from tests.fixtures.disk import SmallDisk, fill

__all__ = ["memory_keyring"]

BATCH = "20261107013000-ab12cd34"


@pytest.fixture(autouse=True)
def _keyring(memory_keyring: MemoryKeyring) -> MemoryKeyring:
    """Never the OS keyring, whatever a command reaches before it refuses."""
    return memory_keyring


def _db(data: Path) -> Path:
    return mode_dir(data, "sandbox") / DB_FILE


def _data_with_history(data: Path) -> Path:
    """A sandbox-mode data folder with 3 subscribers and one batch, as kpadmin leaves it."""
    db = _db(data)
    conn = open_store(db)
    ids = SubscriberRepository(conn).add_many(
        NewSubscriber(f"cu-{i}", f"구독자{i}", 1000, 5, date(2026, 11, 5)) for i in range(3)
    )
    with conn.transaction():
        ChargeRepository(conn).insert(
            NewCharge(ids[0], "cu-0", "2026-11", 1, "kp-x-202611-1", 1000),
            batch_id=BATCH,
            staff="kim",
            now=datetime(2026, 11, 7, 1, 30, tzinfo=UTC),
        )
    refresh_marker(conn)
    conn.close()
    return db


def _settings_text(data: Path) -> str:
    path = data / "settings.json"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def _delete(db: Path) -> None:
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        path.unlink(missing_ok=True)


def _empty(db: Path) -> None:
    _delete(db)
    db.write_bytes(b"")


def _overwrite_middle(db: Path) -> None:
    with db.open("r+b") as f:
        f.seek(db.stat().st_size // 2)
        f.write(b"\xff" * 4096)


def _truncate(db: Path) -> None:
    with db.open("r+b") as f:
        f.truncate(db.stat().st_size // 2)


def _text(db: Path) -> None:
    db.write_text("this is not a database\n" * 50, encoding="utf-8")


def _newer(db: Path) -> None:
    raw = sqlite3.connect(db)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()


# Every command that opens the mode's database (selftest uses a temporary folder of its own).
COMMANDS: list[list[str]] = [
    ["charge-due", "--yes"],
    ["charge-due", "--dry-run", "--json"],
    ["reconcile"],
    ["reconcile", "--json"],
    ["export", "subscribers", "{out}"],
    ["import", "{csv}"],
    ["config", "set", "staff_name", "김직원"],
]
COMMAND_IDS = [
    "charge-due",
    "charge-due dry-run",
    "reconcile",
    "reconcile json",
    "export",
    "import",
    "config set",
]


def _run(data: Path, tmp_path: Path, args: list[str], capsys: pytest.CaptureFixture[str]):
    csv = tmp_path / "in.csv"
    csv.write_text("customer_uid,name,phone,amount\ncu-new,새고객,010-1111-2222,1000\n")
    argv = [a.format(out=tmp_path / "out.csv", csv=csv) for a in args]
    code = cli.main(["--data-dir", str(data), *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("args", COMMANDS, ids=COMMAND_IDS)
@pytest.mark.parametrize("how", [_delete, _empty], ids=["deleted", "0 bytes"])
def test_a_missing_database_is_refused_by_every_command(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    how: Callable[[Path], None],
) -> None:
    data = tmp_path / "data"
    db = _data_with_history(data)
    how(db)
    code, out, err = _run(data, tmp_path, args, capsys)
    assert code == ExitCode.DATABASE
    assert "this data folder had a database (3 subscribers, last batch " + BATCH in err
    assert str(db) in err and "--new-database" in err and "backup" in err
    assert "Traceback" not in err
    assert "Nobody is due" not in out and "nothing in doubt" not in out
    assert not (tmp_path / "out.csv").exists()
    assert "김직원" not in _settings_text(data)  # config refused the change, too
    assert not db.exists() or db.stat().st_size == 0  # nothing created in its place


@pytest.mark.parametrize("args", COMMANDS, ids=COMMAND_IDS)
@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (_truncate, "is damaged"),
        (_overwrite_middle, "is damaged"),
        (_text, "is damaged (it is not a SQLite database file)"),
        (_newer, "written by a newer kpadmin"),
    ],
    ids=["truncated", "overwritten mid-file", "a text file", "newer user_version"],
)
def test_a_damaged_or_newer_database_is_refused_by_every_command(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    damage: Callable[[Path], None],
    says: str,
) -> None:
    data = tmp_path / "data"
    db = _data_with_history(data)
    damage(db)
    before = db.read_bytes()
    code, out, err = _run(data, tmp_path, args, capsys)
    assert code == ExitCode.DATABASE, err
    assert says in err and str(db) in err
    assert ("Update kpadmin" if damage is _newer else "Restore the file from a backup") in err
    assert "Traceback" not in err and "DatabaseError" not in err and "SchemaTooNew" not in err
    assert "nothing in doubt" not in out and "Nobody is due" not in out
    assert db.read_bytes() == before
    assert "김직원" not in _settings_text(data)


@pytest.mark.parametrize("where", ["before", "after"])
def test_new_database_starts_empty_on_purpose(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    data = tmp_path / "data"
    db = _data_with_history(data)
    _delete(db)
    flag = ["--new-database"]
    args = [*flag, "reconcile"] if where == "before" else ["reconcile", *flag]
    code, out, err = _run(data, tmp_path, args, capsys)
    assert code == ExitCode.OK, err
    assert "nothing in doubt" in out
    conn = open_store(db)  # from now on an ordinary database: no flag needed
    assert SubscriberRepository(conn).count() == 0
    conn.close()


def test_a_fresh_data_folder_still_starts_silently(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    code, out, err = _run(data, tmp_path, ["charge-due", "--dry-run"], capsys)
    assert code == ExitCode.OK, err
    assert "0 subscriber(s) due" in out
    assert marker_path(_db(data)).exists()


def test_a_full_disk_at_open_is_exit_disk(
    small_disk: SmallDisk, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    where = small_disk(512)
    data = where / "data"
    mode_dir(data, "sandbox")  # the folders exist; the database cannot be created
    (data / "settings.json").write_text("{}", encoding="utf-8")
    fill(where)
    code, out, err = _run(data, tmp_path, ["charge-due", "--yes"], capsys)
    assert code == ExitCode.DISK, err
    assert "the disk is full" in err and "Free some space" in err
    assert "Traceback" not in err and "Nobody is due" not in out
    assert not _db(data).exists() or _db(data).stat().st_size == 0
