"""Refunds on their own day (issue #13): one row per refund event of a charge.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07

``refunds`` (`kpadmin.store.refunds`): the charge, the amount, when it was refunded (i'mport's
``cancel_history[].cancelled_at`` when known, else when kpadmin learned of it), the reason, the
source (``staff`` / ``gateway`` / ``backfill``) and i'mport's reference of the cancellation
(unique per charge). The settlement report counts a refund on its own Korean day from these.

Back-fill: a charge refunded before this revision gets one ``backfill`` row of its whole
``cancelled_amount``, at the best time known — its last change (``updated_at``: a paid row changes
only when a refund is recorded), or its payment if that is later — so every total stays equal
(the sum of a charge's rows is its ``cancelled_amount``). Never edit this revision: add a new one.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from kpadmin.store.schema import Instant

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
#: PRAGMA user_version a SQLite file has once this revision is applied (see migrations/__init__).
user_version = 6


def upgrade() -> None:
    op.create_table(
        "refunds",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("charge_id", sa.Integer, sa.ForeignKey("charges.id"), nullable=False),
        sa.Column("amount", sa.Integer, nullable=False),
        sa.Column("refunded_at", Instant, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("gateway_ref", sa.Text),
        sa.Column("receipt_url", sa.Text),
        sa.Column("created_at", Instant, nullable=False),
        sa.UniqueConstraint("charge_id", "gateway_ref", name="refunds_gateway_ref"),
        sa.CheckConstraint("amount <> 0", name="refunds_amount"),
        sa.CheckConstraint("source IN ('staff', 'gateway', 'backfill')", name="refunds_source"),
    )
    op.create_index("refunds_by_time", "refunds", ["refunded_at"])
    # Instants compare as instants on PostgreSQL and as one ISO 8601 UTC text format on SQLite.
    op.execute(
        "INSERT INTO refunds (charge_id, amount, refunded_at, source, reason, created_at) "
        "SELECT id, cancelled_amount, "
        "CASE WHEN paid_at IS NOT NULL AND paid_at > updated_at THEN paid_at ELSE updated_at END, "
        "'backfill', '', updated_at FROM charges WHERE cancelled_amount > 0 ORDER BY id"
    )


def downgrade() -> None:
    raise NotImplementedError("kpadmin's migrations go forward only (restore a backup instead)")
