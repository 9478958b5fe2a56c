"""Opening a shared PostgreSQL database (psycopg 3 through SQLAlchemy): several desks, one truth.

    store = open_postgres("postgresql://kim@db.shop.lan:5432/kpadmin", password=…, clock=…)

The same `Store`, schema, repositories and migrations as SQLite; what differs is how the
database keeps its promises when several desks write at once:

* **Writes are serialised across desks**, as SQLite's ``BEGIN IMMEDIATE`` does on one computer:
  every write transaction first takes a transaction-level advisory lock (``WRITE_LOCK``), so the
  journal's compare-and-set (read the state, then write it) and the engine's "re-check, then
  insert the intents" cannot interleave with another desk's. It is released at COMMIT/ROLLBACK.
  Waiting longer than ``lock_timeout`` (5 s, SQLite's busy timeout) is `DatabaseBusy`.
* **Reads** run in a ``REPEATABLE READ`` transaction: one snapshot for a repository read, like
  SQLite's read transaction.
* **One batch at a time across desks**: the batch lock is a session-level advisory lock
  (``BATCH_LOCK``, per database) on a connection of its own, held for the batch; the holder's
  words (staff and computer) are that connection's ``application_name``, which a desk that has to
  wait reads from ``pg_stat_activity`` (`BatchBusy.holder`). The server releases it when the
  holder's connection ends, a killed process included.
* Durability is the server's (a COMMIT returns once the WAL is flushed, PostgreSQL's default).
* The money invariants are the same: the baseline revision creates the partial unique indexes
  and the "paid is final" trigger for PostgreSQL too (tests/store run on both).
* A new database is migrated on first use inside one write transaction (two desks starting at
  once migrate it once: the write lock). A revision this kpadmin does not know is `SchemaTooNew`.
* Test and live money never share a database: the first desk to open an empty database records
  its mode in the audit (`MODE_ACTION`), and a desk in another mode is refused (`WrongMode`).

The password never travels in the URL or a setting: `open_postgres(password=)` hands it to the
driver (env ``KPADMIN_DATABASE_PASSWORD`` or the keyring, see `kpadmin.billing.secrets`);
`describe_url` is the URL without it, for messages.
"""

from __future__ import annotations

import codecs
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import unquote, urlsplit

from sqlalchemy import Connection, create_engine, event, inspect, select
from sqlalchemy.engine import URL, Engine
from sqlalchemy.pool import NullPool

from kpadmin.clock import Clock
from kpadmin.store import migrations, schema
from kpadmin.store.errors import (
    BatchBusy,
    DatabaseUnusable,
    SchemaTooNew,
    ServerUnreachable,
    WrongMode,
    classify,
)
from kpadmin.store.store import BEGIN_KEY, WRITE, Store

log = logging.getLogger(__name__)
# The schema's partial indexes describe their PostgreSQL condition too once PostgreSQL is in use.
schema.add_postgresql_options()

#: Advisory lock keys (two int4: kpadmin's namespace, then which lock). Per database.
NAMESPACE = 0x6B70  # "kp"
WRITE_LOCK = 1
BATCH_LOCK = 2
LOCK_TIMEOUT = "5s"
CONNECT_TIMEOUT_S = 10
#: The audit action that records which mode's money a shared database holds.
MODE_ACTION = "shared_database"
_APPLICATION = "kpadmin"
_MAX_APPLICATION_BYTES = 63  # PostgreSQL's NAMEDATALEN - 1


def parse_url(url: str) -> URL:
    """The SQLAlchemy URL (psycopg 3 driver) of a ``postgresql://USER@HOST:PORT/DB`` URL.
    Raises ValueError for anything else."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("postgresql", "postgres", "postgresql+psycopg"):
        raise ValueError("a shared database URL starts with postgresql://")
    if not parts.hostname:
        raise ValueError("the database URL names no host")
    database = unquote(parts.path.lstrip("/"))
    if not database or "/" in database:
        raise ValueError("the database URL names no database (…/DBNAME)")
    try:
        port = parts.port
    except ValueError:
        raise ValueError("the database URL has a bad port") from None
    return URL.create(
        "postgresql+psycopg",
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        host=parts.hostname,
        port=port,
        database=database,
    )


def describe_url(url: str) -> str:
    """``host/db`` (with ``:port`` when given) for the banner and messages: no user, no password."""
    parsed = parse_url(url)
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.host}{port}/{parsed.database}"


def open_postgres(
    url: str,
    *,
    clock: Clock,
    password: str | None = None,
    mode: str | None = None,
    staff: str = "",
) -> Store:
    """The checked, migrated store of the PostgreSQL database at ``url``. ``mode``: the desk's
    mode, recorded by the first desk and checked by the others (None: not checked, for tools)."""
    target = parse_url(url)
    if password:
        target = target.set(password=password)
    where = describe_url(url)
    engine = create_engine(
        target,
        poolclass=NullPool,
        connect_args={
            "connect_timeout": CONNECT_TIMEOUT_S,
            "application_name": _APPLICATION,
            "options": f"-c lock_timeout={LOCK_TIMEOUT} -c TimeZone=UTC",
        },
    )
    event.listen(engine, "begin", _on_begin)

    def batch_lock(holder: str) -> Any:
        return _advisory_lock(engine, where, holder)

    store = Store(engine, clock=clock, path=None, batch_lock=batch_lock, describe=where)
    try:
        try:
            conn = engine.connect()
        except Exception as exc:
            raise _typed(exc, where) from exc
        store.adopt(conn)
        _migrate(store, conn, where)
        if mode is not None:
            _check_mode(store, where, mode, staff)
    except BaseException:
        store.close()
        raise
    return store


def _on_begin(conn: Connection) -> None:
    # psycopg begins the transaction with the first statement; make that statement the one that
    # gives this transaction its kind (see the module docstring).
    if conn.info.pop(BEGIN_KEY, None) == WRITE:
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({NAMESPACE}, {WRITE_LOCK})")
    else:
        conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


def _migrate(store: Store, conn: Connection, where: str) -> None:
    revision = migrations.current_revision(conn)
    conn.commit()
    if revision == migrations.HEAD:
        return
    with store.transaction():  # the write lock: two desks starting at once migrate once
        revision = migrations.current_revision(conn)
        if revision == migrations.HEAD:
            return
        if revision is not None and not migrations.is_known(revision):
            raise SchemaTooNew(where, revision, migrations.SCHEMA_VERSION)
        if revision is None and inspect(conn).get_table_names():
            raise DatabaseUnusable(
                where, f"the database {where} has tables that are not kpadmin's: use an empty one"
            )
        migrations.upgrade(conn)
        log.info("%s: migrated to %s", where, migrations.HEAD)


def _check_mode(store: Store, where: str, mode: str, staff: str) -> None:
    audit = schema.audit
    query = (
        select(audit.c.detail).where(audit.c.action == MODE_ACTION).order_by(audit.c.id).limit(1)
    )
    with store._read() as conn:
        found = conn.execute(query).scalar()
    if found is None:
        with store._write() as conn:
            found = conn.execute(query).scalar()  # under the write lock: one desk records it
            if found is None:
                conn.execute(
                    audit.insert(),
                    {
                        "at": store.clock(),
                        "staff": staff,
                        "action": MODE_ACTION,
                        "subscriber_id": None,
                        "detail": f"mode={mode}",
                    },
                )
                return
    recorded = str(found).removeprefix("mode=")
    if recorded != mode:
        raise WrongMode(where, recorded, mode)


@contextmanager
def _advisory_lock(engine: Engine, where: str, holder: str) -> Iterator[None]:
    """The cross-desk batch lock (module docstring): its own connection, autocommit."""
    try:
        conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    except Exception as exc:
        raise _typed(exc, where) from exc
    try:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        cursor = raw.cursor()
        try:
            cursor.execute(
                "SELECT set_config('application_name', %s, false)", (_application_name(holder),)
            )
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", (NAMESPACE, BATCH_LOCK))
            row = cursor.fetchone()
            if not row or not row[0]:
                raise BatchBusy(_holder(cursor))
        finally:
            cursor.close()
        try:
            yield
        finally:
            try:
                cursor = raw.cursor()
                try:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", (NAMESPACE, BATCH_LOCK))
                finally:
                    cursor.close()
            except Exception as exc:  # the server went away: the lock went with the session
                log.info("releasing the batch lock of %s: %s", where, exc)
    finally:
        try:
            conn.close()
        except Exception as exc:
            log.info("closing the batch lock's connection to %s: %s", where, exc)


def _application_name(holder: str) -> str:
    """``kpadmin: <holder>`` in the printable ASCII PostgreSQL keeps (a Korean name as \\uXXXX
    escapes), cut at a whole character within 63 bytes."""
    text = f"{_APPLICATION}: "
    for char in holder:
        plain = " " <= char <= "~" and char != "\\"
        piece = char if plain else char.encode("unicode_escape").decode()
        if len(text) + len(piece) > _MAX_APPLICATION_BYTES:
            break
        text += piece
    return text


def _holder(cursor: Any) -> str | None:
    """Who holds the batch lock: the application_name of the session holding it."""
    try:
        cursor.execute(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = %s AND l.objid = %s "
            "AND l.objsubid = 2 AND l.database = (SELECT oid FROM pg_database "
            "WHERE datname = current_database())",
            (NAMESPACE, BATCH_LOCK),
        )
        row = cursor.fetchone()
    except Exception as exc:
        log.info("could not read the batch lock's holder: %s", exc)
        return None
    if not row or not row[0]:
        return None
    name = str(row[0])
    prefix = f"{_APPLICATION}: "
    name = name[len(prefix) :] if name.startswith(prefix) else name
    try:
        return codecs.decode(name, "unicode_escape")
    except UnicodeDecodeError:
        return name


def _typed(exc: BaseException, where: str) -> BaseException:
    typed = classify(exc, where)
    if typed is not None:
        return typed
    return ServerUnreachable(where, str(getattr(exc, "orig", None) or exc))
