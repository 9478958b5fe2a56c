"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

Never edit a revision that has shipped: add a new one. Give it its `user_version` below (the next
number): a kpadmin that predates it then refuses the file as written by a newer kpadmin.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
${imports if imports else ""}

revision: str = ${repr(up_revision)}
down_revision: str | Sequence[str] | None = ${repr(down_revision)}
branch_labels: str | Sequence[str] | None = ${repr(branch_labels)}
depends_on: str | Sequence[str] | None = ${repr(depends_on)}
#: PRAGMA user_version a SQLite file has once this revision is applied (see migrations/__init__).
user_version = None  # the previous revision's + 1


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    raise NotImplementedError("kpadmin's migrations go forward only (restore a backup instead)")
