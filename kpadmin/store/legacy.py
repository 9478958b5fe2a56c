"""SQLite files made before kpadmin used Alembic: ``PRAGMA user_version`` 1 or 2, no
``alembic_version`` table.

Version 2 is exactly the Alembic baseline (revision ``0001``): such a file is stamped with it.
Version 1 first gets what the old migration 2 did — ``charges.paid_amount`` (what i'mport reported
as paid; older paid rows take the amount asked for, an older mismatch stays in ``fail_reason``) and
its index — with the very statements that shipped, so both kinds of old file end up alike. Then
the usual Alembic upgrade runs. All of it happens inside the one write transaction that opened
the file for migration: a failure leaves the file as it was.
"""

from __future__ import annotations

from sqlalchemy import Connection

#: user_versions this module can bring to the Alembic baseline.
VERSIONS = (1, 2)

#: The first kpadmin's migration 2, as it shipped (kpadmin/store/migrations.py, before Alembic).
_MIGRATION_2 = (
    "ALTER TABLE charges ADD COLUMN paid_amount INTEGER CHECK (paid_amount >= 0)",
    "UPDATE charges SET paid_amount = amount WHERE state = 'paid'",
    "CREATE INDEX charges_amount_mismatch ON charges (subscriber_id) "
    "WHERE state = 'paid' AND paid_amount != amount",
)


def to_baseline(conn: Connection, user_version: int) -> None:
    """Bring a pre-Alembic file at `user_version` to the baseline's shape (caller's
    transaction; SQLite only)."""
    if user_version not in VERSIONS:
        raise ValueError(f"no legacy path from user_version {user_version}")
    if user_version == 1:
        for statement in _MIGRATION_2:
            conn.exec_driver_sql(statement)
