"""Collections (issue #12): the customer notices' durable outbox.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07

One row per notice (`kpadmin.store.notices`): written in the transaction of the outcome that
causes it, sent after the batch, marked sent. ``key`` is the notice's idempotency key
(``receipt:<order id>``, ``past_due:<key id>:<period>``, …): unique, so each customer gets each
notice once. Never edit this revision: add a new one.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from kpadmin.store.schema import Instant

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
#: PRAGMA user_version a SQLite file has once this revision is applied (see migrations/__init__).
user_version = 5


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.Text, nullable=False, unique=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column(
            "subscriber_id", sa.Integer, sa.ForeignKey("subscribers.id", ondelete="SET NULL")
        ),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("language", sa.Text, nullable=False),
        sa.Column("facts", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("next_attempt_at", Instant),
        sa.Column("claimed_at", Instant),
        sa.Column("last_error", sa.Text),
        sa.Column("reference", sa.Text),
        sa.Column("created_at", Instant, nullable=False),
        sa.Column("sent_at", Instant),
        sa.CheckConstraint(
            "kind IN ('receipt', 'decline', 'past_due', 'advance')", name="notices_kind"
        ),
        sa.CheckConstraint(
            "state IN ('pending', 'sending', 'sent', 'failed')", name="notices_state"
        ),
        sa.CheckConstraint("attempts >= 0", name="notices_attempts"),
    )
    op.create_index("notices_unsent", "notices", ["state", "next_attempt_at"])


def downgrade() -> None:
    raise NotImplementedError("kpadmin's migrations go forward only (restore a backup instead)")
