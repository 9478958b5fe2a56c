"""The schema of kpadmin's SQLite database, as numbered migrations.

`PRAGMA user_version` holds the number of the last migration applied; `db.open_database` applies the
rest in order, each in its own transaction. Never edit a migration that has shipped: add a new one.

The money invariants live here, in the schema, so that no bug above it can break them:

* ``UNIQUE (subscriber_id, period, attempt)`` and ``UNIQUE (merchant_uid)``: one row per attempt.
* ``charges_one_paid``: a partial unique index: two *paid* rows for one subscriber and
  period cannot both exist, whatever the code above does.
* ``charges_one_open``: at most one row per subscriber in a state whose outcome is not known
  (planned / sent / unknown). A new attempt can only be written when every earlier one is settled,
  and a subscriber never has two requests that might be in flight.
* ``charges_paid_is_final``: a paid row never goes back to another state.

A paid row keeps what i'mport says was paid in ``paid_amount`` next to the ``amount`` that was
asked for (migration 2). They differ only when i'mport charged another amount than the request
carried: the row is still paid (the money moved), and the difference is an "amount mismatch"
that commands, the GUI and the audit put in front of staff.
"""

from __future__ import annotations

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
