"""Plan price notices (issue #13): the notices' kind ``price_change`` in the table's CHECK.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

Revision 0004's CHECK ``notices_kind`` knew receipt, decline, past_due and advance, so the first
price-change notices were stored as ``advance`` with ``"kind": "price_change"`` in their facts'
JSON. This revision widens the CHECK and gives those rows their own kind; from here on the column
is the notice's kind and nothing reads it from the JSON.

SQLite cannot change a CHECK constraint in place: the table is rebuilt as revision 0003 rebuilt
the subscribers table (new table with every column and constraint, copy, drop, rename, the
index). Nothing points at ``notices`` and the caller (`kpadmin.store.sqlite`) runs migrations
with foreign keys off and checks them before the COMMIT. PostgreSQL replaces the constraint.
Never edit this revision: add a new one.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from kpadmin.store.schema import Instant

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
#: PRAGMA user_version a SQLite file has once this revision is applied (see migrations/__init__).
user_version = 8

_KINDS = "kind IN ('receipt', 'decline', 'past_due', 'advance', 'price_change')"
_COLUMNS = (
    "id, key, kind, subscriber_id, channel, language, facts, state, attempts, next_attempt_at, "
    "claimed_at, last_error, reference, created_at, sent_at"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("notices_kind", "notices", type_="check")
        op.create_check_constraint("notices_kind", "notices", _KINDS)
    else:
        _rebuild_sqlite()
    _price_changes_as_themselves()


def _rebuild_sqlite() -> None:
    op.create_table(
        "notices_new",
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
        sa.CheckConstraint(_KINDS, name="notices_kind"),
        sa.CheckConstraint(
            "state IN ('pending', 'sending', 'sent', 'failed')", name="notices_state"
        ),
        sa.CheckConstraint("attempts >= 0", name="notices_attempts"),
    )
    op.execute(f"INSERT INTO notices_new ({_COLUMNS}) SELECT {_COLUMNS} FROM notices")
    op.drop_table("notices")
    op.rename_table("notices_new", "notices")
    op.create_index("notices_unsent", "notices", ["state", "next_attempt_at"])


def _price_changes_as_themselves() -> None:
    """Rows stored as ``advance`` whose facts say ``price_change`` get that kind. One statement
    for both databases (and for ``alembic … --sql``): the facts were written by
    ``json.dumps(…, sort_keys=True)`` with its default separators, so the top-level ``"kind"``
    is spelt exactly so; a string value that contains those words has its quotes escaped
    (``\\"``) and does not match. ``!`` escapes the ``_``, LIKE's any-one-character."""
    op.execute(
        "UPDATE notices SET kind = 'price_change' WHERE kind = 'advance' "
        "AND facts LIKE '%\"kind\": \"price!_change\"%' ESCAPE '!'"
    )


def downgrade() -> None:
    raise NotImplementedError("kpadmin's migrations go forward only (restore a backup instead)")
