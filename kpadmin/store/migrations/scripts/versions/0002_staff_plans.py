"""Plans catalogue: plans (name, price) and the price changes scheduled from a period on.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from kpadmin.store.schema import Instant

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
#: PRAGMA user_version a SQLite file has once this revision is applied (see migrations/__init__).
user_version = 3


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False, unique=True),
        sa.Column("price", sa.Integer, nullable=False),
        sa.Column("created_at", Instant, nullable=False),
        sa.Column("updated_at", Instant, nullable=False),
        sa.CheckConstraint("price > 0", name="plans_price"),
        sa.CheckConstraint("length(name) BETWEEN 1 AND 40", name="plans_name"),
    )
    op.create_table(
        "plan_price_changes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=False),
        sa.Column("from_period", sa.Text, nullable=False),
        sa.Column("old_price", sa.Integer, nullable=False),
        sa.Column("new_price", sa.Integer, nullable=False),
        sa.Column("staff", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", Instant, nullable=False),
        sa.Column("done_at", Instant),
        sa.CheckConstraint("new_price > 0", name="plan_price_changes_price"),
    )


def downgrade() -> None:
    op.drop_table("plan_price_changes")
    op.drop_table("plans")
