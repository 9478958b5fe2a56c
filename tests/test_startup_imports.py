"""What a start on SQLite does not import (issue #10's start-up target; bench/startup.py times it).

A start on a database already at the schema's head only reads its version: no Alembic, and no
PostgreSQL dialect (naming a ``postgresql_*`` option in the schema, or importing
``sqlalchemy.dialects.postgresql`` at module level anywhere under the store, loads it and all of
its drivers). Each open runs in a child process, whose ``sys.modules`` is fresh.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NOT_ON_SQLITE = ("alembic", "sqlalchemy.dialects.postgresql", "psycopg")

_OPEN = """
import json, sys
from kpadmin.clock import default_clock
from kpadmin.store import open_store
with open_store(sys.argv[1], clock=default_clock()) as store:
    store.subscribers.count()  # a read, as the window's first fill does
print(json.dumps(sorted(m for m in sys.modules if m.startswith({names!r}))))
"""


def _open_in_child(path: Path) -> list[str]:
    code = _OPEN.format(names=NOT_ON_SQLITE)
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    loaded: list[str] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


def test_opening_a_sqlite_database_at_head_imports_neither_alembic_nor_postgresql(
    tmp_path: Path,
) -> None:
    db = tmp_path / "kp.sqlite3"
    created = _open_in_child(db)  # a new file: the migrations run
    assert "alembic" in created  # the check below would see Alembic if it were imported
    assert _open_in_child(db) == []


def test_the_partial_indexes_have_their_postgresql_condition_once_postgresql_is_used() -> None:
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateIndex

    import kpadmin.store.postgres  # noqa: F401  (adds the options on import)
    from kpadmin.store import schema

    for name, condition in schema.PARTIAL_INDEXES.items():
        index = next(i for i in schema.charges.indexes if i.name == name)
        ddl = str(CreateIndex(index).compile(dialect=postgresql.dialect()))
        assert ddl.endswith(f"WHERE {condition}"), ddl
