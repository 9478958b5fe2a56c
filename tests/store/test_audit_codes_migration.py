"""Revision 0006 (audit detail codes): an existing audit trail keeps every row and its English;
old rows have no code (the GUI shows their English), new rows get one — on SQLite and on
PostgreSQL, from a database at 0005 (the one before) with rows in it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, create_engine, text

from kpadmin.billing.messages import Message, MessageCode
from kpadmin.store import migrations, open_store
from tests.store.legacy import old_database


def _before(conn: Connection) -> None:
    command.upgrade(migrations._config(conn), "0005")


def _old_row(conn: Connection) -> None:
    conn.execute(
        text(
            "INSERT INTO audit (at, staff, action, subscriber_id, detail) "
            "VALUES ('2026-11-01T01:00:00+00:00', 'kim', 'pause', NULL, 'active → paused')"
        )
    )


def _check(conn: Connection) -> None:
    migrations.upgrade(conn)
    assert migrations.current_revision(conn) == migrations.HEAD
    rows = conn.execute(
        text("SELECT detail, detail_code, detail_params FROM audit ORDER BY id")
    ).all()
    assert [tuple(r) for r in rows] == [("active → paused", None, None)]


def test_sqlite_before_0006_keeps_its_audit_trail(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'kp.sqlite3'}")
    try:
        with engine.begin() as conn:
            _before(conn)
            _old_row(conn)
        with engine.begin() as conn:
            _check(conn)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_postgresql_before_0006_keeps_its_audit_trail(postgres) -> None:
    engine = create_engine(postgres.url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.begin() as conn:
            _before(conn)
            conn.execute(
                text(
                    "INSERT INTO audit (at, staff, action, subscriber_id, detail) "
                    "VALUES (now(), 'kim', 'pause', NULL, 'active → paused')"
                )
            )
        with engine.begin() as conn:
            _check(conn)
    finally:
        engine.dispose()


def test_a_first_kpadmin_file_s_audit_rows_read_back_without_a_code(tmp_path: Path) -> None:
    """A file of the first kpadmin (user_version 2) opens at the head; its audit rows are
    events with no code, and a new row has its code and parameters."""
    db = tmp_path / "kp.sqlite3"
    old_database(db, 2)
    store = open_store(db)
    try:
        old = store.audit.list()
        assert old and all(e.detail_code is None and e.detail_params is None for e in old)
        assert all(Message.stored(e.detail_code, e.detail_params) is None for e in old)
        store.audit.record("kim", "settings", Message.of(MessageCode.AUDIT_SETTINGS_RESET))
        new = store.audit.list()[0]
        assert new.detail_code == "audit.settings_reset" and new.detail_params == "{}"
        assert new.detail == "settings reset to the defaults (sandbox mode)"
    finally:
        store.close()
    raw = sqlite3.connect(db)
    try:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
    finally:
        raw.close()
