"""The PostgreSQL test infrastructure (tests/pg_cluster.py, tests/fixtures/postgres.py) and the
server features issue #11 builds on, probed on the real server: an advisory lock between two
connections (one batch at a time across desks) and LISTEN/NOTIFY (the other desks refresh).

These prove the building blocks, not the product: kpadmin's own PostgreSQL store is tested with
the store.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests import pg_cluster
from tests.fixtures.postgres import DATABASE_URL_ENV, MakeDatabase, PostgresDatabase
from tests.pg_cluster import Cluster, Unavailable

REPO_ROOT = Path(__file__).resolve().parents[1]
#: Only keeps a broken machine from hanging the suite; every wait below ends on an event.
GUARD_S = 60.0
BATCH_LOCK = 11_0001  # any bigint; the product will choose its own


def wait_for(predicate: Callable[[], bool], what: str, timeout: float = GUARD_S) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"still waiting after {timeout:.0f} s: {what}")
        time.sleep(0.05)


def user_tables(conn: psycopg.Connection[Any]) -> list[str]:
    rows = conn.execute(
        "SELECT tablename FROM pg_tables"
        " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
    ).fetchall()
    return sorted(str(row[0]) for row in rows)


# --- a database per test ---------------------------------------------------------------------


def test_a_test_gets_its_own_database_on_the_session_server(postgres: PostgresDatabase) -> None:
    assert postgres.url == (
        f"postgresql://kpadmin@127.0.0.1:{postgres.server.port}/{postgres.name}"
    )
    with psycopg.connect(postgres.url) as conn:
        name, user, address, major = (
            conn.execute(
                "SELECT current_database(), current_user, inet_server_addr()::text,"
                " current_setting('server_version_num')::int / 10000"
            ).fetchone()
            or ()
        )
        conn.execute("CREATE TABLE subscriber (id serial PRIMARY KEY, name text NOT NULL)")
        conn.execute("INSERT INTO subscriber (name) VALUES (%s)", ("김민지",))
    assert (name, user, address) == (postgres.name, "kpadmin", "127.0.0.1/32")
    assert str(major) == postgres.server.version.split(".")[0]
    with postgres.connect() as conn:  # committed, and readable through the helper too
        assert conn.execute("SELECT name FROM subscriber").fetchall() == [("김민지",)]


@pytest.mark.parametrize("run", ["first", "second"])
def test_every_test_starts_from_an_empty_database(postgres: PostgresDatabase, run: str) -> None:
    """Run twice: the second run would find the first one's table if databases were shared."""
    with postgres.connect() as conn:
        assert user_tables(conn) == []
        conn.execute("CREATE TABLE left_behind (run text)")
        conn.execute("INSERT INTO left_behind VALUES (%s)", (run,))


def test_two_databases_on_the_server_are_isolated(postgres: PostgresDatabase) -> None:
    other_url = postgres.server.create_database(f"{postgres.name}_other")
    try:
        with postgres.connect() as mine, psycopg.connect(other_url) as other:
            for conn, who in ((mine, "mine"), (other, "other")):
                conn.execute("CREATE TABLE charge (who text)")
                conn.execute("INSERT INTO charge VALUES (%s)", (who,))
                conn.commit()
            assert mine.execute("SELECT who FROM charge").fetchall() == [("mine",)]
            assert other.execute("SELECT who FROM charge").fetchall() == [("other",)]
    finally:
        postgres.server.drop_database(f"{postgres.name}_other")


def test_databases_copied_from_a_template_prepared_once(
    postgres_server: Cluster, postgres_databases: MakeDatabase
) -> None:
    prepared: list[str] = []

    def prepare(url: str) -> None:
        prepared.append(url)
        with psycopg.connect(url) as conn:
            conn.execute("CREATE TABLE subscriber (id int PRIMARY KEY, name text)")
            conn.execute("INSERT INTO subscriber VALUES (1, '김민지')")

    name = postgres_server.template("kpadmin_probe_template", prepare)
    assert postgres_server.template("kpadmin_probe_template", prepare) == name  # once
    a, b = postgres_databases(template=name), postgres_databases(template=name)
    assert len(prepared) == 1 and a.name != b.name
    with a.connect() as conn_a, b.connect() as conn_b:
        conn_a.execute("INSERT INTO subscriber VALUES (2, '이서준')")
        conn_a.commit()
        assert conn_a.execute("SELECT count(*) FROM subscriber").fetchone() == (2,)
        assert conn_b.execute("SELECT name FROM subscriber").fetchall() == [("김민지",)]
    # The template itself takes no connections: nobody writes to it by mistake.
    with pytest.raises(psycopg.OperationalError, match="not currently accepting connections"):
        psycopg.connect(postgres_server.url(name), connect_timeout=5)


def test_database_names_are_valid_and_unique() -> None:
    long = "test_" + "x" * 100 + "[한국어-param]"
    names = {pg_cluster.database_name(long, n) for n in range(1, 200)}
    assert len(names) == 199
    for name in names:
        assert len(name.encode()) <= 63
        assert name.replace("_", "").isalnum() and name.isascii() and name == name.lower()


# --- another desk ----------------------------------------------------------------------------


def test_a_second_desk_works_on_the_same_database(postgres: PostgresDatabase) -> None:
    with postgres.connect() as conn:
        conn.execute("CREATE TABLE audit (desk text, pid int, data_dir text)")
    desk = postgres.desk("B")
    done = desk.python(
        textwrap.dedent(
            """
            import os, sys, psycopg
            with psycopg.connect(os.environ["KPADMIN_DATABASE_URL"]) as conn:
                conn.execute(
                    "INSERT INTO audit VALUES (%s, %s, %s)",
                    (sys.argv[1], os.getpid(), os.environ["KPADMIN_DATA_DIR"]),
                )
            """
        ),
        "B",
    )
    assert done.returncode == 0, done.stderr
    with postgres.connect() as conn:
        rows = conn.execute("SELECT desk, pid, data_dir FROM audit").fetchall()
    assert len(rows) == 1
    assert rows[0][0] == "B"
    assert rows[0][1] != os.getpid()  # another process
    assert rows[0][2] == str(desk.data_dir)
    assert desk.data_dir != postgres.desk("C").data_dir
    assert desk.env[DATABASE_URL_ENV] == postgres.url
    assert desk.env["KPADMIN_NOW"]  # the tests' clock, as for every kpadmin child


def test_a_desk_runs_kpadmin_commands_in_its_own_data_dir(postgres: PostgresDatabase) -> None:
    desk = postgres.desk("A")
    done = desk.kpadmin("config", "show")
    assert done.returncode == 0, done.stderr
    assert str(desk.data_dir) in done.stdout + done.stderr


def test_a_desk_process_left_running_ends_with_the_test(postgres: PostgresDatabase) -> None:
    desk = postgres.desk("B")
    proc = desk.start_python("import sys; sys.stdin.read()")  # would wait forever
    assert proc.poll() is None
    desk.close()  # what the fixture's teardown does
    assert proc.returncode is not None


# --- the server goes away ----------------------------------------------------------------------


def test_a_killed_server_is_detected_and_comes_back_with_its_data(
    postgres: PostgresDatabase,
) -> None:
    server = postgres.server
    with postgres.connect() as conn:
        conn.execute("CREATE TABLE charge (id int)")
        conn.execute("INSERT INTO charge VALUES (1)")
    busy = postgres.connect(autocommit=True)
    pids = [server.server_pid] + [
        row[0] for row in busy.execute("SELECT pid FROM pg_stat_activity").fetchall()
    ]
    server.kill()
    assert not server.running
    assert not [pid for pid in pids if pg_cluster.process_alive(pid)]  # backends too
    with pytest.raises(psycopg.OperationalError):
        busy.execute("SELECT 1")
    busy.close()
    with pytest.raises(psycopg.OperationalError):
        postgres.connect(connect_timeout=5)
    server.start()  # crash recovery, same port: the URL still works
    with psycopg.connect(postgres.url) as conn:
        assert conn.execute("SELECT id FROM charge").fetchall() == [(1,)]


def test_a_server_a_test_left_down_runs_again_for_the_next_test(tmp_path: Path) -> None:
    """The fixture's teardown restarts a server a test killed and drops that test's database;
    at the end of the session the server is stopped and its folder removed all the same."""
    report = tmp_path / "report.json"
    result = run_child_session(
        tmp_path,
        """
        import json, os
        NAMES = []

        def test_leaves_it_down(postgres):
            NAMES.append(postgres.name)
            postgres.server.kill()

        def test_finds_it_up(postgres):
            with postgres.connect() as conn:
                assert conn.execute("SELECT 1").fetchone() == (1,)
            assert postgres.server.databases() == sorted([postgres.name, "postgres"])
            assert NAMES and NAMES[0] != postgres.name
            report = {"pid": postgres.server.server_pid, "base": str(postgres.server.base)}
            with open(os.environ["CHILD_REPORT"], "w") as out:
                json.dump(report, out)
        """,
        {"CHILD_REPORT": str(report)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
    info = json.loads(report.read_text())
    assert not pg_cluster.process_alive(info["pid"])
    assert not Path(info["base"]).exists()


# --- what issue #11 builds on ------------------------------------------------------------------


def test_an_advisory_lock_lets_one_desk_charge_and_names_it_to_the_other(
    postgres: PostgresDatabase,
) -> None:
    with (
        postgres.connect(autocommit=True, application_name="kpadmin desk A") as desk_a,
        postgres.connect(autocommit=True, application_name="kpadmin desk B") as desk_b,
    ):
        take = "SELECT pg_try_advisory_lock(%s)"
        assert desk_a.execute(take, (BATCH_LOCK,)).fetchone() == (True,)
        assert desk_b.execute(take, (BATCH_LOCK,)).fetchone() == (False,)
        # Who holds it: what desk B can tell its user. A bigint key is split in two int4s.
        holder = desk_b.execute(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a USING (pid)"
            " WHERE l.locktype = 'advisory' AND l.granted"
            " AND (l.classid::bigint << 32) | l.objid::bigint = %s",
            (BATCH_LOCK,),
        ).fetchone()
        assert holder == ("kpadmin desk A",)
        assert desk_a.execute("SELECT pg_advisory_unlock(%s)", (BATCH_LOCK,)).fetchone() == (True,)
        assert desk_b.execute(take, (BATCH_LOCK,)).fetchone() == (True,)


def test_an_advisory_lock_dies_with_the_desk_process_that_held_it(
    postgres: PostgresDatabase,
) -> None:
    """A desk killed mid-batch does not keep the other desks from charging forever."""
    holder = postgres.desk("A").start_python(
        textwrap.dedent(
            f"""
            import os, sys, psycopg
            conn = psycopg.connect(os.environ["KPADMIN_DATABASE_URL"], autocommit=True)
            took = conn.execute("SELECT pg_try_advisory_lock({BATCH_LOCK})").fetchone()[0]
            print(took, flush=True)
            sys.stdin.read()
            """
        )
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "True"
    with postgres.connect(autocommit=True) as desk_b:
        take = "SELECT pg_try_advisory_lock(%s)"
        assert desk_b.execute(take, (BATCH_LOCK,)).fetchone() == (False,)
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=GUARD_S)
        wait_for(
            lambda: desk_b.execute(take, (BATCH_LOCK,)).fetchone() == (True,),
            "the killed desk's lock to be released",
        )


def test_listen_notify_reaches_another_desk_after_commit(postgres: PostgresDatabase) -> None:
    with (
        postgres.connect(autocommit=True) as listener,
        postgres.connect() as writer,
    ):
        listener.execute("LISTEN kpadmin_changed")
        writer.execute("SELECT pg_notify('kpadmin_changed', 'subscriber:42')")
        # Not committed yet: nothing may arrive.
        assert list(listener.notifies(timeout=0.2)) == []
        writer.commit()
        received = list(listener.notifies(timeout=GUARD_S, stop_after=1))
        assert [(n.channel, n.payload) for n in received] == [("kpadmin_changed", "subscriber:42")]
        assert received[0].pid == writer.info.backend_pid


def test_listen_notify_across_processes(postgres: PostgresDatabase) -> None:
    with postgres.connect(autocommit=True) as listener:
        listener.execute("LISTEN kpadmin_changed")
        done = postgres.desk("B").python(
            "import os, psycopg\n"
            "with psycopg.connect(os.environ['KPADMIN_DATABASE_URL']) as conn:\n"
            "    conn.execute(\"NOTIFY kpadmin_changed, 'charge:7'\")\n"
        )
        assert done.returncode == 0, done.stderr
        received = list(listener.notifies(timeout=GUARD_S, stop_after=1))
    assert [(n.channel, n.payload) for n in received] == [("kpadmin_changed", "charge:7")]


# --- no server left behind, and clear skips ----------------------------------------------------


def child_session(
    tmp_path: Path, source: str, env: dict[str, str] | None = None
) -> tuple[list[str], dict[str, str], Path]:
    """A separate pytest session of `source` with only the postgres plugin (none autoloaded):
    its command, environment and folder."""
    folder = tmp_path / "child"
    folder.mkdir()
    (folder / "pytest.ini").write_text("[pytest]\naddopts = -p tests.fixtures.postgres\n")
    (folder / "test_child.py").write_text(textwrap.dedent(source))
    child_env = {
        **os.environ,
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        "PYTHONPATH": str(REPO_ROOT),
        **(env or {}),
    }
    command = [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", str(folder)]
    return command, child_env, folder


def run_child_session(
    tmp_path: Path, source: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    command, child_env, folder = child_session(tmp_path, source, env)
    return subprocess.run(
        command,
        cwd=folder,
        env=child_env,
        capture_output=True,
        text=True,
        timeout=GUARD_S * 2,
        check=False,
    )


HOLDS_THE_SERVER = """
    import json, os, time

    def test_holds_the_server(postgres):
        server = postgres.server
        report = {"pid": server.server_pid, "base": str(server.base)}
        with open(os.environ["CHILD_REPORT"], "w") as out:
            json.dump(report, out)
        time.sleep(600)
"""


def start_holding_session(tmp_path: Path) -> tuple[subprocess.Popen[str], int, Path]:
    """A child session stuck in a test that uses the server: (process, postmaster pid, folder)."""
    report = tmp_path / "report.json"
    command, child_env, folder = child_session(
        tmp_path, HOLDS_THE_SERVER, {"CHILD_REPORT": str(report)}
    )
    # Its own process group, as a terminal's foreground job: the Ctrl+C below goes to all of it.
    proc = subprocess.Popen(
        command,
        cwd=folder,
        env=child_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        wait_for(lambda: report.exists() or proc.poll() is not None, "the child's test to start")
        if proc.poll() is not None:
            pytest.fail(f"the child session ended early:\n{proc.communicate()[0]}")
        wait_for(lambda: report.stat().st_size > 0, "the child's report")
    except BaseException:
        proc.kill()
        proc.communicate()
        raise
    info = json.loads(report.read_text())
    assert pg_cluster.process_alive(info["pid"])
    return proc, info["pid"], Path(info["base"])


@pytest.mark.usefixtures("postgres_server")  # skip, with the reason, where there is no server
def test_ctrl_c_mid_test_stops_the_server_and_removes_its_folder(tmp_path: Path) -> None:
    proc, pid, base = start_holding_session(tmp_path)
    os.killpg(proc.pid, signal.SIGINT)
    output, _ = proc.communicate(timeout=GUARD_S)
    assert "KeyboardInterrupt" in output
    # pytest's own teardown did it, before the session ended.
    assert not pg_cluster.process_alive(pid)
    assert not base.exists()


@pytest.mark.usefixtures("postgres_server")
def test_a_test_run_killed_outright_leaves_no_server_behind(tmp_path: Path) -> None:
    """SIGKILL: no teardown runs, so the watchdog stops the server and removes the folder."""
    proc, pid, base = start_holding_session(tmp_path)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=GUARD_S)
    wait_for(lambda: not pg_cluster.process_alive(pid), "the orphaned server to be stopped")
    wait_for(lambda: not base.exists(), "the orphaned cluster's folder to be removed")


def test_no_server_means_every_postgres_test_skips_saying_why(tmp_path: Path) -> None:
    source = """
        def test_one(postgres):
            pass

        def test_two(postgres_server):
            pass

        def test_without():
            pass
    """
    skipped = run_child_session(tmp_path, source, {"KPADMIN_PG_BINDIR": str(tmp_path)})
    assert skipped.returncode == 0, skipped.stdout + skipped.stderr
    assert "1 passed, 2 skipped" in skipped.stdout
    reason = f"no PostgreSQL server for this test: KPADMIN_PG_BINDIR={tmp_path} holds no initdb"
    assert skipped.stdout.count(reason) == 2  # one line each (-rs): the same precise reason


def test_a_machine_that_requires_postgres_fails_instead_of_skipping(tmp_path: Path) -> None:
    required = run_child_session(
        tmp_path,
        "def test_one(postgres):\n    pass\n",
        {"KPADMIN_PG_BINDIR": str(tmp_path), "KPADMIN_REQUIRE_POSTGRES": "1"},
    )
    assert required.returncode == 1
    assert "1 error" in required.stdout
    assert "KPADMIN_REQUIRE_POSTGRES=1" in required.stdout


def test_finding_the_server_programs_names_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(pg_cluster.BINDIR_ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_config, no initdb
    monkeypatch.setattr(pg_cluster, "DEBIAN_BINDIRS", str(tmp_path / "none"))
    with pytest.raises(
        Unavailable, match=r"no PostgreSQL server programs .*apt-get install -y postgresql"
    ):
        pg_cluster.find_bindir()
    fake = tmp_path / "lib" / "postgresql" / "16" / "bin"
    fake.mkdir(parents=True)
    for name in ("initdb", "pg_ctl", "postgres"):
        (fake / name).write_text("")
    monkeypatch.setattr(pg_cluster, "DEBIAN_BINDIRS", str(tmp_path / "lib" / "postgresql"))
    assert pg_cluster.find_bindir() == fake
