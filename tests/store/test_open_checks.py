"""open_store refuses what it must not use, before writing anything: a missing or 0-byte
database where one was (the marker remembers it), a damaged file, a newer schema, a disk that
refuses writes. A fresh folder still gets a new database silently."""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kpadmin.store import (
    AuditRepository,
    ChargeRepository,
    NewCharge,
    NewSubscriber,
    SubscriberRepository,
    open_store,
)
from kpadmin.store import marker as marker_mod
from kpadmin.store.errors import (
    DatabaseDamaged,
    DatabaseFacts,
    DatabaseMissing,
    DiskError,
    SchemaTooNew,
    classify,
)
from kpadmin.store.migrations import SCHEMA_VERSION
from tests.fixtures.disk import SmallDisk, fill

AT = datetime(2026, 11, 7, 1, 30, tzinfo=UTC)


def _populated(path: Path, subscribers: int = 3, *, batch: str | None = "20261107013000-ab12cd34"):
    conn = open_store(path)
    ids = SubscriberRepository(conn).add_many(
        NewSubscriber(f"cu-{i}", f"구독자{i}", 1000 + i, 5, date(2026, 11, 5))
        for i in range(subscribers)
    )
    if batch is not None:
        with conn.transaction():
            ChargeRepository(conn).insert(
                NewCharge(ids[0], "cu-0", "2026-11", 1, "kp-0-202611-1", 1000),
                batch_id=batch,
                staff="kim",
                now=AT,
            )
        marker_mod.refresh_marker(conn)  # what the engine does after a batch
    conn.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_fresh_folder_gets_a_database_and_a_marker_silently(tmp_path: Path) -> None:
    db = tmp_path / "mode" / "kp.sqlite3"
    conn = open_store(db)
    conn.close()
    assert db.stat().st_size > 0
    assert marker_mod.read_marker(db) == DatabaseFacts(subscribers=0)
    assert oct(marker_mod.marker_path(db).stat().st_mode & 0o777) == "0o600"


def test_the_marker_follows_subscribers_and_batches(tmp_path: Path) -> None:
    db = tmp_path / "kp.sqlite3"
    _populated(db, 3)
    assert marker_mod.read_marker(db) == DatabaseFacts(
        subscribers=3, last_batch_id="20261107013000-ab12cd34", last_batch_at=AT
    )
    # Opening again refreshes it (rows added by an older kpadmin, or without a refresh).
    conn = open_store(db)
    SubscriberRepository(conn).add(NewSubscriber("cu-9", "추가", 500, 5, date(2026, 11, 5)))
    conn.close()
    open_store(db).close()
    facts = marker_mod.read_marker(db)
    assert facts is not None and facts.subscribers == 4


@pytest.mark.parametrize("how", ["deleted", "zero bytes"])
def test_a_missing_database_where_one_was_is_refused(tmp_path: Path, how: str) -> None:
    db = tmp_path / "kp.sqlite3"
    _populated(db, 3)
    for leftover in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        leftover.unlink(missing_ok=True)
    if how == "zero bytes":
        db.write_bytes(b"")
    with pytest.raises(DatabaseMissing) as refused:
        open_store(db)
    text = str(refused.value)
    assert "this data folder had a database (3 subscribers, last batch " in text
    assert "20261107013000-ab12cd34 on 2026-11-07 01:30 UTC" in text
    assert str(db) in text
    assert ("is empty (0 bytes)" if how == "zero bytes" else "is missing") in text
    # Refused means untouched: no new file was created in its place.
    assert db.exists() == (how == "zero bytes")
    assert not db.exists() or db.stat().st_size == 0


def test_new_database_starts_empty_on_purpose_and_keeps_the_old_wal_aside(tmp_path: Path) -> None:
    db = tmp_path / "kp.sqlite3"
    _populated(db, 2)
    db.unlink()
    wal = Path(f"{db}-wal")
    wal.write_bytes(b"the lost database's last writes")  # must not be replayed into a new file
    conn = open_store(db, new_database=True)
    assert SubscriberRepository(conn).count() == 0
    (event,) = AuditRepository(conn).list(action="new_database")
    assert "2 subscribers" in event.detail
    conn.close()
    assert Path(f"{wal}.lost").read_bytes() == b"the lost database's last writes"
    assert marker_mod.read_marker(db) == DatabaseFacts(subscribers=0)
    open_store(db).close()  # from now on it is simply this folder's database


def test_an_unreadable_marker_still_says_a_database_was_here(tmp_path: Path) -> None:
    db = tmp_path / "kp.sqlite3"
    _populated(db, 1, batch=None)
    db.unlink()
    marker_mod.marker_path(db).write_text("{not json", encoding="utf-8")
    with pytest.raises(DatabaseMissing, match=r"had a database \(details unknown\)"):
        open_store(db)


def _truncate(db: Path) -> None:
    with db.open("r+b") as f:
        f.truncate(db.stat().st_size // 2)


def _overwrite_middle(db: Path) -> None:
    with db.open("r+b") as f:
        # Three quarters in: a page of the subscribers' rows, which only quick_check reads (at
        # half, a table added to the schema moved an index page there, which opening reads).
        f.seek(db.stat().st_size * 3 // 4)
        f.write(random.Random(0).randbytes(8192))  # seeded: SQLite's report is the same every run


def _text_file(db: Path) -> None:
    db.write_text("name,phone\n홍길동,010-1234-5678\n" * 200, encoding="utf-8")


def _tiny(db: Path) -> None:
    db.write_bytes(b"SQLite format 3\x00" + b"\x00" * 20)


def _first_page(db: Path) -> None:
    with db.open("r+b") as f:
        f.seek(100)
        f.write(os.urandom(400))


@pytest.mark.parametrize(
    ("damage", "detail"),
    [
        (_truncate, "malformed"),
        (_overwrite_middle, "quick_check"),
        (_text_file, "not a SQLite database file"),
        (_tiny, "only 36 bytes long"),
        (_first_page, "malformed"),
    ],
    ids=["truncated", "overwritten mid-file", "a text file", "a stub header", "first page"],
)
def test_a_damaged_database_is_refused_and_left_as_it_is(
    tmp_path: Path, damage, detail: str
) -> None:
    db = tmp_path / "kp.sqlite3"
    _populated(db, 400)  # several pages, so mid-file is not the header
    damage(db)
    before = _digest(db)
    with pytest.raises(DatabaseDamaged) as refused:
        open_store(db)
    assert str(db) in str(refused.value)
    assert detail in str(refused.value)
    assert "\n" not in str(refused.value)  # one calm line
    assert _digest(db) == before  # not converted, not migrated, not "repaired"


def test_truncation_is_caught_by_quick_check(tmp_path: Path) -> None:
    """The refusal comes from SQLite's own page check, not only from an error on first use."""
    db = tmp_path / "kp.sqlite3"
    _populated(db, 400)
    with db.open("r+b") as f:
        f.truncate(db.stat().st_size - 4096)  # the last page gone: the header still reads fine
    with pytest.raises(DatabaseDamaged):
        open_store(db)


def test_a_database_from_a_newer_kpadmin_is_refused_untouched(tmp_path: Path) -> None:
    db = tmp_path / "kp.sqlite3"
    _populated(db, 1)
    raw = sqlite3.connect(db)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 3}")
    raw.close()
    before = _digest(db)
    with pytest.raises(SchemaTooNew) as refused:
        open_store(db)
    assert refused.value.found == SCHEMA_VERSION + 3
    assert "written by a newer kpadmin" in str(refused.value)
    assert _digest(db) == before


def test_classify_reads_sqlite_codes_and_errnos(tmp_path: Path) -> None:
    db = tmp_path / "kp.sqlite3"
    full = sqlite3.OperationalError("database or disk is full")  # raised by a wrapper: no code
    assert isinstance(classify(full, db), DiskError)
    coded = sqlite3.OperationalError("whatever the text")
    coded.sqlite_errorcode = sqlite3.SQLITE_IOERR | (3 << 8)  # type: ignore[attr-defined]
    assert getattr(classify(coded, db), "kind", None) == "failing"
    not_a_db = sqlite3.DatabaseError("file is not a database")
    assert isinstance(classify(not_a_db, db), DatabaseDamaged)
    assert classify(sqlite3.OperationalError("database is locked"), db) is None
    assert getattr(classify(OSError(28, "No space left on device"), db), "kind", None) == "full"
    assert classify(ValueError("no"), db) is None


def test_a_read_only_disk_is_a_disk_error_at_open(small_disk: SmallDisk) -> None:
    where = small_disk(512)
    _populated(where / "kept.sqlite3", 1)
    remount = ["mount", "-o", "remount,ro", str(where)]
    if subprocess.run(remount, capture_output=True, check=False).returncode != 0:
        pytest.skip("cannot remount the tmpfs read-only here")
    with pytest.raises(DiskError) as new_one:
        open_store(where / "new.sqlite3")
    assert new_one.value.kind == "read-only"
    with pytest.raises(DiskError) as existing:
        open_store(where / "kept.sqlite3")
    assert existing.value.kind == "read-only"
    assert "read-only" in str(existing.value)


# -- a real full disk (tmpfs) -------------------------------------------------------------------


def test_a_full_disk_at_creation_is_a_disk_error(small_disk: SmallDisk) -> None:
    where = small_disk(256)
    fill(where)
    with pytest.raises(DiskError) as refused:
        open_store(where / "kp.sqlite3")
    assert refused.value.kind == "full"
    assert "the disk is full" in str(refused.value)


def test_a_full_disk_mid_write_is_a_disk_error_and_nothing_is_half_written(
    small_disk: SmallDisk,
) -> None:
    where = small_disk(512)
    db = where / "kp.sqlite3"
    conn = open_store(db)
    subscribers = SubscriberRepository(conn)
    subscribers.add(NewSubscriber("cu-0", "먼저", 1000, 5, date(2026, 11, 5)))
    filler = fill(where)
    with pytest.raises(DiskError):
        subscribers.add_many(
            NewSubscriber(f"cu-{i}", "가" * 200, 1000, 5, date(2026, 11, 5)) for i in range(1, 2000)
        )
    assert subscribers.count() == 1  # all or nothing, and the connection still works
    filler.unlink()
    subscribers.add(NewSubscriber("cu-after", "나중", 1000, 5, date(2026, 11, 5)))
    assert subscribers.count() == 2
    conn.close()
    open_store(db).close()  # and the file is intact
