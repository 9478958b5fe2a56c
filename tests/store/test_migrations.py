"""The schema's migrations (Alembic, kpadmin/store/migrations): a new database is the schema of
`kpadmin.store.schema`; files the first kpadmin made (``PRAGMA user_version`` 1 and 2) are
upgraded / stamped on first open, keep their rows and enforce the same invariants; a file from a
newer kpadmin is refused untouched."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from kpadmin.store import (
    InvariantViolated,
    NewCharge,
    NewSubscriber,
    SchemaTooNew,
    Store,
    migrations,
    open_store,
)
from kpadmin.store.models import ChargeState
from kpadmin.store.schema import metadata
from tests.store.legacy import old_database

ORIGINS = ["new", "user_version 1", "user_version 2"]


def _open(tmp_path: Path, origin: str) -> Store:
    db = tmp_path / "kp.sqlite3"
    if origin != "new":
        old_database(db, int(origin[-1]))
    return open_store(db)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fingerprint(path: Path) -> dict[str, object]:
    """What SQLite enforces, object by object: columns (type, NOT NULL / key, default), indexes
    (unique, partial: the WHERE text, columns), foreign keys (with ON DELETE), triggers. Legacy
    files differ from new ones only in how the DDL is spelt, never in any of this."""
    raw = sqlite3.connect(path)
    try:
        found: dict[str, object] = {}
        objects = raw.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
        for kind, name, table, sql in objects:
            if name == migrations.VERSION_TABLE or (table == migrations.VERSION_TABLE):
                continue
            if kind == "table":
                columns = raw.execute(f"PRAGMA table_info({name})").fetchall()
                found[name] = [
                    (col, ctype.upper(), bool(notnull or pk), dflt, pk)
                    for _cid, col, ctype, notnull, dflt, pk in columns
                ]
                found[f"{name} fk"] = sorted(
                    (r[2], r[3], r[4], r[6])
                    for r in raw.execute(f"PRAGMA foreign_key_list({name})").fetchall()
                )
                indexes = raw.execute(f"PRAGMA index_list({name})").fetchall()
                found[f"{name} indexes"] = sorted(
                    (
                        unique,
                        partial,
                        tuple(r[2] for r in raw.execute(f"PRAGMA index_info('{index}')")),
                    )
                    for _seq, index, unique, _origin, partial in indexes
                )
            elif kind == "index" and sql and " WHERE " in sql:
                found[name] = " ".join(sql.split(" WHERE ", 1)[1].split())
            elif kind == "trigger":
                found[name] = " ".join(sql.split(" BEGIN ", 1)[1].split())
        return found
    finally:
        raw.close()


def test_head_and_schema_version_are_those_of_the_revision_files() -> None:
    script = ScriptDirectory(str(migrations.DIRECTORY))
    assert script.get_heads() == [migrations.HEAD]
    assert script.get_base() == migrations.BASELINE
    history = list(script.walk_revisions())  # head first
    versions = [revision.module.user_version for revision in reversed(history)]
    assert versions == sorted(set(versions)), "each revision raises user_version"
    assert history[0].module.user_version == migrations.SCHEMA_VERSION


@pytest.mark.parametrize("origin", ORIGINS)
def test_every_origin_ends_at_the_schema_with_its_rows(tmp_path: Path, origin: str) -> None:
    store = _open(tmp_path, origin)
    conn = store._connection()
    if origin == "new":  # SQLAlchemy's own reading of the file equals the schema's tables
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    assert migrations.current_revision(conn) == migrations.HEAD
    conn.commit()
    store.close()
    db = tmp_path / "kp.sqlite3"
    raw = sqlite3.connect(db)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    raw.close()
    new = tmp_path / "new"
    new.mkdir()
    open_store(new / "kp.sqlite3").close()
    assert _fingerprint(db) == _fingerprint(new / "kp.sqlite3")
    if origin != "new":
        again = open_store(db)
        charges = {c.merchant_uid: c for c in again.charges.list_all()}
        assert charges["kp-old-1-202610-1"].state is ChargeState.PAID
        # Migration 2's rule (user_version 1) or the old journal's (2): paid_amount = amount.
        assert charges["kp-old-1-202610-1"].paid_amount == 9900
        assert charges["kp-old-2-202610-1"].paid_amount is None
        assert charges["kp-old-2-202610-2"].state is ChargeState.PLANNED
        assert again.subscribers.count() == 2
        assert again.audit.list(action="signup")[0].detail == "old kpadmin"
        again.close()


@pytest.mark.parametrize("origin", ORIGINS)
def test_the_invariants_hold_whatever_the_origin(tmp_path: Path, origin: str) -> None:
    store = _open(tmp_path, origin)
    sid = store.subscribers.add(NewSubscriber("cu-new", "새구독자", 1000, 5, date(2026, 11, 5))).id
    charges = store.charges
    first = charges.insert(
        NewCharge(sid, "cu-new", "2026-11", 1, "m-1", 1000), batch_id=None, staff="k"
    )
    with pytest.raises(InvariantViolated):  # one open row per subscriber
        charges.insert(
            NewCharge(sid, "cu-new", "2026-11", 2, "m-2", 1000), batch_id=None, staff="k"
        )
    charges.set_state(first, ChargeState.PAID)
    with pytest.raises(InvariantViolated, match="paid charge cannot change"):
        charges.set_state(first, ChargeState.DECLINED)
    second = charges.insert(
        NewCharge(sid, "cu-new", "2026-11", 2, "m-2", 1000), batch_id=None, staff="k"
    )
    with pytest.raises(InvariantViolated):  # one paid row per subscriber and period
        charges.set_state(second, ChargeState.PAID)
    with pytest.raises(InvariantViolated):  # a period is YYYY-MM
        charges.insert(NewCharge(sid, "cu-new", "2026-1", 3, "m-3", 1000), batch_id=None, staff="k")
    with pytest.raises(InvariantViolated):  # an amount is positive
        store.subscribers.add(NewSubscriber("cu-zero", "영", 0, 5, date(2026, 11, 5)))
    with pytest.raises(InvariantViolated):  # merchant_uid is unique
        charges.insert(
            NewCharge(sid, "cu-new", "2026-12", 1, "m-1", 1000), batch_id=None, staff="k"
        )
    store.close()


def test_a_revision_this_kpadmin_does_not_know_is_refused_untouched(tmp_path: Path) -> None:
    db = tmp_path / "kp.sqlite3"
    open_store(db).close()
    raw = sqlite3.connect(db)
    raw.execute("UPDATE alembic_version SET version_num = 'f00d_from_the_future'")
    raw.commit()
    raw.close()
    before = _digest(db)
    with pytest.raises(SchemaTooNew) as refused:
        open_store(db)
    assert refused.value.found == "f00d_from_the_future"
    assert "written by a newer kpadmin" in str(refused.value)
    assert _digest(db) == before


def test_a_legacy_file_that_cannot_be_migrated_is_left_as_it_was(tmp_path: Path) -> None:
    """The legacy step, the stamp and the upgrade are one transaction: a failure keeps the old
    file (here: a user_version 1 file that already has migration 2's column, as a half-done
    manual repair would leave it)."""
    db = tmp_path / "kp.sqlite3"
    old_database(db, 1)
    raw = sqlite3.connect(db)
    raw.execute("ALTER TABLE charges ADD COLUMN paid_amount INTEGER")
    raw.commit()
    raw.close()
    before = _fingerprint(db)
    with pytest.raises(Exception, match="paid_amount"):
        open_store(db)
    raw = sqlite3.connect(db)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == 1
    raw.close()
    assert _fingerprint(db) == before


def test_two_kpadmins_opening_one_new_file_at_once_migrate_it_once(tmp_path: Path) -> None:
    db = tmp_path / "kp.sqlite3"
    opened: list[Store] = []
    failed: list[BaseException] = []

    def one() -> None:
        try:
            opened.append(open_store(db))
        except BaseException as exc:
            failed.append(exc)

    threads = [threading.Thread(target=one) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failed == []
    for store in opened:
        store.close()
    raw = sqlite3.connect(db)
    assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [(migrations.HEAD,)]
    raw.close()


@pytest.mark.parametrize("origin", ORIGINS)
def test_the_collections_revision_keeps_every_link_and_takes_past_due(
    tmp_path: Path, origin: str
) -> None:
    """Revision 0003 rebuilds the subscribers table (SQLite cannot change a CHECK): the charges
    and audit lines still point at their subscribers (foreign keys off for the rebuild, so the
    audit's ON DELETE SET NULL did not fire), and the new state and column are there."""
    from kpadmin.store.models import SubscriberState

    store = _open(tmp_path, origin)
    sid = store.subscribers.add(NewSubscriber("cu-pd", "연체", 1000, 5, date(2026, 11, 5))).id
    store.subscribers.update(sid, state=SubscriberState.PAST_DUE)
    assert store.subscribers.get(sid).state is SubscriberState.PAST_DUE
    store.close()
    raw = sqlite3.connect(tmp_path / "kp.sqlite3")
    try:
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        if origin != "new":
            assert raw.execute(
                "SELECT subscriber_id FROM audit WHERE action = 'signup'"
            ).fetchall() == [(1,)]
            assert raw.execute(
                "SELECT count(*) FROM charges WHERE subscriber_id = 2"
            ).fetchone() == (2,)
        with pytest.raises(sqlite3.IntegrityError):
            raw.execute("UPDATE subscribers SET state = 'overdue' WHERE id = ?", (sid,))
        columns = [row[1] for row in raw.execute("PRAGMA table_info(subscribers)")]
        assert "retry_requested_at" in columns
    finally:
        raw.close()


def test_the_collections_revisions_run_on_postgresql(postgres) -> None:
    """0002 (past_due, retry_requested_at) and 0003 (the notices outbox) on PostgreSQL: the new
    state is taken, an unknown one refused, and a notice's key written once (ON CONFLICT DO
    NOTHING, the outbox's idempotency)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import IntegrityError

    engine = create_engine(postgres.url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.begin() as conn:
            migrations.upgrade(conn)
        with engine.begin() as conn:
            assert migrations.current_revision(conn) == migrations.HEAD
            conn.execute(
                text(
                    "INSERT INTO subscribers (customer_uid, name, amount, billing_day, "
                    "next_charge_date, state, channel, created_at, updated_at, "
                    "retry_requested_at) VALUES ('cu-pd', '연체', 1000, 5, '2026-11-05', "
                    "'past_due', 'phone', now(), now(), now())"
                )
            )
            for _ in range(2):
                conn.execute(
                    text(
                        "INSERT INTO notices (key, kind, channel, language, facts, state, "
                        "created_at) VALUES ('past_due:cu-pd:2026-11', 'past_due', 'email', "
                        "'ko', '{}', 'pending', now()) ON CONFLICT (key) DO NOTHING"
                    )
                )
            assert conn.execute(text("SELECT count(*) FROM notices")).scalar_one() == 1
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(text("UPDATE subscribers SET state = 'overdue'"))
    finally:
        engine.dispose()
