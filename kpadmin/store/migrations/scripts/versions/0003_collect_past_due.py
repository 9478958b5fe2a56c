"""Collections (issue #12): the subscriber state ``past_due`` and ``retry_requested_at``.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07

``past_due``: every automatic retry of the period declined (`kpadmin.billing.retry_policy`).
``retry_requested_at``: when staff last pressed retry (a staff retry charges once).

SQLite cannot change a CHECK constraint in place: the table is rebuilt (SQLite's own procedure,
https://sqlite.org/lang_altertable.html#otheralter: new table, copy, drop, rename, indexes). The
caller (`kpadmin.store.sqlite`) runs every migration with foreign keys off, so dropping the old
table neither fails on the charges that point at it nor sets the audit's subscriber ids to NULL
(ON DELETE SET NULL), and checks them with ``PRAGMA foreign_key_check`` before the COMMIT.
PostgreSQL replaces the constraint and adds the column. Never edit this revision: add a new one.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from kpadmin.store.schema import Day, Instant

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
#: PRAGMA user_version a SQLite file has once this revision is applied (see migrations/__init__).
user_version = 4

_STATES = "state IN ('active', 'paused', 'cancelled', 'key_missing', 'past_due')"
_COLUMNS = (
    "id, customer_uid, name, phone, email, plan, amount, billing_day, next_charge_date, state, "
    "card_name, card_number, channel, memo, created_at, updated_at"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("subscribers_state", "subscribers", type_="check")
        op.create_check_constraint("subscribers_state", "subscribers", _STATES)
        op.add_column("subscribers", sa.Column("retry_requested_at", Instant))
        return
    op.create_table(
        "subscribers_new",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("customer_uid", sa.Text, nullable=False, unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("phone", sa.Text, nullable=False, server_default=""),
        sa.Column("email", sa.Text, nullable=False, server_default=""),
        sa.Column("plan", sa.Text, nullable=False, server_default=""),
        sa.Column("amount", sa.Integer, nullable=False),
        sa.Column("billing_day", sa.Integer, nullable=False),
        sa.Column("next_charge_date", Day, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("card_name", sa.Text),
        sa.Column("card_number", sa.Text),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("memo", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", Instant, nullable=False),
        sa.Column("updated_at", Instant, nullable=False),
        sa.Column("retry_requested_at", Instant),
        sa.CheckConstraint(
            "length(customer_uid) BETWEEN 1 AND 80", name="subscribers_customer_uid"
        ),
        sa.CheckConstraint("amount > 0", name="subscribers_amount"),
        sa.CheckConstraint("billing_day BETWEEN 1 AND 31", name="subscribers_billing_day"),
        sa.CheckConstraint(_STATES, name="subscribers_state"),
        sa.CheckConstraint(
            "channel IN ('phone', 'in_person', 'import')", name="subscribers_channel"
        ),
    )
    op.execute(f"INSERT INTO subscribers_new ({_COLUMNS}) SELECT {_COLUMNS} FROM subscribers")
    op.drop_table("subscribers")
    op.rename_table("subscribers_new", "subscribers")
    op.create_index("subscribers_due", "subscribers", ["state", "next_charge_date"])


def downgrade() -> None:
    raise NotImplementedError("kpadmin's migrations go forward only (restore a backup instead)")
