"""Schema migrations: Alembic revisions (``versions/``), run by kpadmin itself when it opens a
database (`kpadmin.store.open_store`), inside the write transaction that checks the version.

* A new database is created by running every revision (the baseline makes the whole schema).
* A SQLite file made before Alembic (``PRAGMA user_version`` 1 or 2, no ``alembic_version``) is
  brought to the baseline by `kpadmin.store.legacy` and stamped with it, then upgraded.
* A database whose revision this kpadmin does not know, or whose ``user_version`` is above
  `SCHEMA_VERSION`, was written by a newer kpadmin: `SchemaTooNew`, nothing changed.

SQLite files also carry the head's ``PRAGMA user_version`` (`SCHEMA_VERSION`; each revision names
its own): a kpadmin from before Alembic reads only that, so it refuses a file a newer schema made
instead of using it half-understood.

Alembic's script directory is ``scripts/`` beside this module: ``env.py``, ``versions/``. Alembic
loads them by path, so they are plain files, not modules of the package (the frozen build ships
them as data, see build.spec). Add a revision with ``.venv/bin/alembic -c
kpadmin/store/migrations/scripts/alembic.ini revision -m "…"``, then move `HEAD` and
`SCHEMA_VERSION` (tests/store/test_migrations.py checks both against the files).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, inspect, text

log = logging.getLogger(__name__)

DIRECTORY = Path(__file__).resolve().parent / "scripts"
VERSION_TABLE = "alembic_version"
#: The newest revision this kpadmin knows, and the first one (the schema when Alembic came in).
HEAD = "0007"
BASELINE = "0001"
#: The head's ``PRAGMA user_version`` on SQLite (first kpadmin: 2; the plans catalogue: 3;
#: past due: 4; the notices outbox: 5; refund events: 6; audit detail codes: 7; the notice kind
#: price_change: 8).
SCHEMA_VERSION = 8


def current_revision(conn: Connection) -> str | None:
    """The revision the database is at (None: not under Alembic yet). Reads only."""
    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    found = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    if len(found) > 1:  # kpadmin's history is linear; several heads is not a file it wrote
        return ",".join(sorted(found))
    return found[0] if found else None


def is_known(revision: str) -> bool:
    """Is `revision` one of this kpadmin's (at or before `HEAD`)?"""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    script = ScriptDirectory(str(DIRECTORY))
    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def upgrade(conn: Connection, *, stamp: str | None = None) -> None:
    """Bring the database behind `conn` to `HEAD`, inside the caller's open transaction;
    ``stamp`` first records that it is already at that revision (a legacy file)."""
    from alembic import command

    config = _config(conn)
    if stamp is not None:
        command.stamp(config, stamp)
    command.upgrade(config, "head")


def _config(conn: Connection) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(DIRECTORY))
    config.attributes["connection"] = conn
    return config


def run_env(context: Any) -> None:
    """What ``env.py`` does: migrate the connection kpadmin handed in (or, for a maintainer's
    ``alembic`` command, the database named by ``-x url=…``)."""
    from kpadmin.store.schema import metadata

    conn = context.config.attributes.get("connection")
    if conn is None:
        from sqlalchemy import create_engine

        url = context.get_x_argument(as_dictionary=True).get("url")
        if not url:
            raise SystemExit("alembic: name the database with -x url=sqlite:///path")
        if context.is_offline_mode():  # ``--sql``: print the DDL for that dialect
            context.configure(url=url, target_metadata=metadata, literal_binds=True)
            with context.begin_transaction():
                context.run_migrations()
            return
        with create_engine(url).connect() as own:
            _run(context, own, metadata)
            own.commit()
        return
    _run(context, conn, metadata)


def _run(context: Any, conn: Connection, metadata: Any) -> None:
    context.configure(connection=conn, target_metadata=metadata, transactional_ddl=True)
    with context.begin_transaction():
        context.run_migrations()
