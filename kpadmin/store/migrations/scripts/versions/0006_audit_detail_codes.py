"""Audit details as message codes (issue #13): ``audit.detail_code`` and ``audit.detail_params``.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07

An audit row keeps its English ``detail`` (the command line, logs and exports read it) and now
also the message it was made from: its code (kpadmin.billing.messages.MessageCode) and its
parameters as JSON text, so the GUI says the detail in the UI language. Rows written before this
revision have neither (NULL): the GUI shows their English as it is. Never edit this revision: add
a new one.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
#: PRAGMA user_version a SQLite file has once this revision is applied (see migrations/__init__).
user_version = 7


def upgrade() -> None:
    # Plain nullable columns: ALTER TABLE ADD COLUMN on both SQLite and PostgreSQL (no batch
    # copy of the table, instant even on a large audit trail).
    op.add_column("audit", sa.Column("detail_code", sa.Text))
    op.add_column("audit", sa.Column("detail_params", sa.Text))


def downgrade() -> None:
    raise NotImplementedError("kpadmin's migrations go forward only (restore a backup instead)")
