"""Baseline: subscribers, the charge journal (with paid_amount), audit — the schema kpadmin had
when it moved to Alembic (its SQLite migrations 1 and 2, ``PRAGMA user_version`` 2).

Revision ID: 0001
Revises:
Create Date: 2026-12-07

A SQLite file made before Alembic is not created again: `kpadmin.store.legacy` brings a
user_version 1 file to 2 and the file is stamped with this revision. Never edit this revision: add
a new one.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from kpadmin.store.schema import Day, Instant

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
#: PRAGMA user_version a SQLite file has once this revision is applied (see migrations/__init__).
user_version = 2

_PAID_IS_FINAL = {
    "sqlite": (
        """
        CREATE TRIGGER charges_paid_is_final
            BEFORE UPDATE OF state ON charges
            WHEN OLD.state = 'paid' AND NEW.state != 'paid'
            BEGIN SELECT RAISE(ABORT, 'a paid charge cannot change state'); END
        """,
    ),
    "postgresql": (
        """
        CREATE FUNCTION charges_paid_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'a paid charge cannot change state' USING ERRCODE = '23514';
        END
        $$
        """,
        """
        CREATE TRIGGER charges_paid_is_final
            BEFORE UPDATE OF state ON charges
            FOR EACH ROW WHEN (OLD.state = 'paid' AND NEW.state <> 'paid')
            EXECUTE FUNCTION charges_paid_is_final()
        """,
    ),
}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        "subscribers",
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
        sa.CheckConstraint(
            "length(customer_uid) BETWEEN 1 AND 80", name="subscribers_customer_uid"
        ),
        sa.CheckConstraint("amount > 0", name="subscribers_amount"),
        sa.CheckConstraint("billing_day BETWEEN 1 AND 31", name="subscribers_billing_day"),
        sa.CheckConstraint(
            "state IN ('active', 'paused', 'cancelled', 'key_missing')", name="subscribers_state"
        ),
        sa.CheckConstraint(
            "channel IN ('phone', 'in_person', 'import')", name="subscribers_channel"
        ),
    )
    op.create_index("subscribers_due", "subscribers", ["state", "next_charge_date"])

    period_check = {
        "sqlite": "period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'",
        "postgresql": "period ~ '^[0-9]{4}-[0-1][0-9]$'",
    }[dialect]
    op.create_table(
        "charges",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("subscriber_id", sa.Integer, sa.ForeignKey("subscribers.id"), nullable=False),
        sa.Column("customer_uid", sa.Text, nullable=False),
        sa.Column("period", sa.Text, nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("merchant_uid", sa.Text, nullable=False, unique=True),
        sa.Column("amount", sa.Integer, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("imp_uid", sa.Text),
        sa.Column("fail_reason", sa.Text),
        sa.Column("receipt_url", sa.Text),
        sa.Column("paid_at", Instant),
        sa.Column("cancelled_amount", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("batch_id", sa.Text),
        sa.Column("staff", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", Instant, nullable=False),
        sa.Column("updated_at", Instant, nullable=False),
        sa.Column("paid_amount", sa.Integer),
        sa.UniqueConstraint("subscriber_id", "period", "attempt", name="charges_attempt"),
        sa.CheckConstraint(period_check, name="charges_period"),
        sa.CheckConstraint("attempt >= 1", name="charges_attempt_number"),
        sa.CheckConstraint("length(merchant_uid) BETWEEN 1 AND 40", name="charges_merchant_uid"),
        sa.CheckConstraint("amount > 0", name="charges_amount"),
        sa.CheckConstraint(
            "state IN ('planned', 'sent', 'paid', 'declined', 'rejected', 'unknown')",
            name="charges_state",
        ),
        sa.CheckConstraint("cancelled_amount >= 0", name="charges_cancelled_amount"),
        sa.CheckConstraint("paid_amount >= 0", name="charges_paid_amount"),
    )
    op.create_index(
        "charges_one_paid",
        "charges",
        ["subscriber_id", "period"],
        unique=True,
        sqlite_where=sa.text("state = 'paid'"),
        postgresql_where=sa.text("state = 'paid'"),
    )
    op.create_index(
        "charges_one_open",
        "charges",
        ["subscriber_id"],
        unique=True,
        sqlite_where=sa.text("state IN ('planned', 'sent', 'unknown')"),
        postgresql_where=sa.text("state IN ('planned', 'sent', 'unknown')"),
    )
    op.create_index("charges_by_state", "charges", ["state"])
    op.create_index("charges_by_subscriber", "charges", ["subscriber_id", "created_at"])
    op.create_index(
        "charges_amount_mismatch",
        "charges",
        ["subscriber_id"],
        sqlite_where=sa.text("state = 'paid' AND paid_amount != amount"),
        postgresql_where=sa.text("state = 'paid' AND paid_amount != amount"),
    )
    for statement in _PAID_IS_FINAL[dialect]:
        op.execute(statement)

    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", Instant, nullable=False),
        sa.Column("staff", sa.Text, nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column(
            "subscriber_id", sa.Integer, sa.ForeignKey("subscribers.id", ondelete="SET NULL")
        ),
        sa.Column("detail", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("audit_by_subscriber", "audit", ["subscriber_id", "at"])


def downgrade() -> None:
    raise NotImplementedError("kpadmin's migrations go forward only (restore a backup instead)")
