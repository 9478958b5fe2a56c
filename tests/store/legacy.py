"""Databases as the first kpadmin (before SQLAlchemy and Alembic) made them: its two migrations
exactly as they shipped (kpadmin/store/migrations.py at adba6ba), applied with its own runner's
rules (one transaction each, ``PRAGMA user_version`` = the number applied), WAL like its files.
The Alembic upgrade of such files is tested against these."""

from __future__ import annotations

import sqlite3
from pathlib import Path

MIGRATIONS: tuple[str, ...] = (
    # 1: subscribers, the charge journal, audit events.
    """
    CREATE TABLE subscribers (
        id               INTEGER PRIMARY KEY,
        customer_uid     TEXT    NOT NULL UNIQUE CHECK (length(customer_uid) BETWEEN 1 AND 80),
        name             TEXT    NOT NULL,
        phone            TEXT    NOT NULL DEFAULT '',
        email            TEXT    NOT NULL DEFAULT '',
        plan             TEXT    NOT NULL DEFAULT '',
        amount           INTEGER NOT NULL CHECK (amount > 0),
        billing_day      INTEGER NOT NULL CHECK (billing_day BETWEEN 1 AND 31),
        next_charge_date TEXT    NOT NULL,  -- YYYY-MM-DD, Asia/Seoul
        state            TEXT    NOT NULL
                         CHECK (state IN ('active', 'paused', 'cancelled', 'key_missing')),
        card_name        TEXT,
        card_number      TEXT,              -- masked, as i'mport reports it
        channel          TEXT    NOT NULL CHECK (channel IN ('phone', 'in_person', 'import')),
        memo             TEXT    NOT NULL DEFAULT '',
        created_at       TEXT    NOT NULL,  -- ISO 8601, UTC
        updated_at       TEXT    NOT NULL
    );
    CREATE INDEX subscribers_due ON subscribers (state, next_charge_date);

    CREATE TABLE charges (
        id               INTEGER PRIMARY KEY,
        subscriber_id    INTEGER NOT NULL REFERENCES subscribers (id),
        customer_uid     TEXT    NOT NULL,
        period           TEXT    NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
        attempt          INTEGER NOT NULL CHECK (attempt >= 1),
        merchant_uid     TEXT    NOT NULL UNIQUE CHECK (length(merchant_uid) BETWEEN 1 AND 40),
        amount           INTEGER NOT NULL CHECK (amount > 0),
        state            TEXT    NOT NULL CHECK (state IN
                         ('planned', 'sent', 'paid', 'declined', 'rejected', 'unknown')),
        imp_uid          TEXT,
        fail_reason      TEXT,
        receipt_url      TEXT,
        paid_at          TEXT,
        cancelled_amount INTEGER NOT NULL DEFAULT 0 CHECK (cancelled_amount >= 0),
        batch_id         TEXT,
        staff            TEXT    NOT NULL DEFAULT '',
        created_at       TEXT    NOT NULL,
        updated_at       TEXT    NOT NULL,
        UNIQUE (subscriber_id, period, attempt)
    );
    CREATE UNIQUE INDEX charges_one_paid ON charges (subscriber_id, period) WHERE state = 'paid';
    CREATE UNIQUE INDEX charges_one_open ON charges (subscriber_id)
        WHERE state IN ('planned', 'sent', 'unknown');
    CREATE INDEX charges_by_state ON charges (state);
    CREATE INDEX charges_by_subscriber ON charges (subscriber_id, created_at);
    CREATE TRIGGER charges_paid_is_final
        BEFORE UPDATE OF state ON charges
        WHEN OLD.state = 'paid' AND NEW.state != 'paid'
        BEGIN SELECT RAISE(ABORT, 'a paid charge cannot change state'); END;

    CREATE TABLE audit (
        id            INTEGER PRIMARY KEY,
        at            TEXT    NOT NULL,
        staff         TEXT    NOT NULL,
        action        TEXT    NOT NULL,
        subscriber_id INTEGER REFERENCES subscribers (id) ON DELETE SET NULL,
        detail        TEXT    NOT NULL DEFAULT ''
    );
    CREATE INDEX audit_by_subscriber ON audit (subscriber_id, at);
    """,
    # 2: what i'mport reported as paid, next to the amount asked for. Paid rows written before
    # kpadmin recorded it take the amount asked for (an older mismatch is still in fail_reason).
    """
    ALTER TABLE charges ADD COLUMN paid_amount INTEGER CHECK (paid_amount >= 0);
    UPDATE charges SET paid_amount = amount WHERE state = 'paid';
    CREATE INDEX charges_amount_mismatch ON charges (subscriber_id)
        WHERE state = 'paid' AND paid_amount != amount;
    """,
)


def old_database(path: Path, version: int) -> None:
    """A file at `user_version` `version` (1 or 2), with a few rows: two subscribers, a paid and a
    declined charge, an open one, an audit line — the rows migration 2 rewrites among them."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        for number, script in enumerate(MIGRATIONS[:version], start=1):
            conn.execute("BEGIN IMMEDIATE")
            for statement in _statements(script):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        stamp = "2026-10-05T01:30:00+00:00"
        for sid, uid in ((1, "cu-old-1"), (2, "cu-old-2")):
            conn.execute(
                "INSERT INTO subscribers (id, customer_uid, name, phone, amount, billing_day, "
                "next_charge_date, state, channel, created_at, updated_at) "
                "VALUES (?, ?, '옛구독자', '010-1234-5678', 9900, 5, '2026-11-05', 'active', "
                "'phone', ?, ?)",
                (sid, uid, stamp, stamp),
            )
        rows = [
            (1, 1, "cu-old-1", "2026-10", 1, "kp-old-1-202610-1", "paid", stamp),
            (2, 2, "cu-old-2", "2026-10", 1, "kp-old-2-202610-1", "declined", None),
            (3, 2, "cu-old-2", "2026-10", 2, "kp-old-2-202610-2", "planned", None),
        ]
        for cid, sid, uid, period, attempt, muid, state, paid_at in rows:
            conn.execute(
                "INSERT INTO charges (id, subscriber_id, customer_uid, period, attempt, "
                "merchant_uid, amount, state, paid_at, batch_id, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, 9900, ?, ?, '20261005013000-0ld0ba7c', ?, ?)",
                (cid, sid, uid, period, attempt, muid, state, paid_at, stamp, stamp),
            )
        if version >= 2:  # that kpadmin stored what i'mport charged on every paid row
            conn.execute("UPDATE charges SET paid_amount = amount WHERE state = 'paid'")
        conn.execute(
            "INSERT INTO audit (at, staff, action, subscriber_id, detail) "
            "VALUES (?, '김지원', 'signup', 1, 'old kpadmin')",
            (stamp,),
        )
    finally:
        conn.close()


def _statements(script: str) -> list[str]:
    """The old runner's split (sqlite3.complete_statement: triggers hold inner semicolons)."""
    found, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip():
                found.append(pending.strip())
            pending = ""
    return found
