"""A throwaway PostgreSQL server: its own cluster in a temporary folder, on 127.0.0.1 and a free
port, removed afterwards. The tests' PostgreSQL (tests/fixtures/postgres.py, one per session) and
the benches' (bench/pg_server.py) are both made here, the same way.

    with Cluster.create() as cluster:          # Unavailable(reason) when it cannot be had
        url = cluster.create_database("t1")    # postgresql://kpadmin@127.0.0.1:PORT/t1
        cluster.kill()                         # the server goes away: every process, SIGKILL
        cluster.start()                        # back on the same port with the same data

How (STYLE.md pitfall 13): the server programs are found with ``pg_config --bindir`` or under
/usr/lib/postgresql/*/bin (Debian keeps them off PATH); ``initdb -A trust`` makes the cluster and
``pg_ctl -w start`` starts it with its socket in the cluster's folder. PostgreSQL refuses to run as
root, so as root both run as the ``postgres`` user (``runuser -u postgres --``) in a folder that
user owns. The superuser is ``kpadmin``, no password (trust, and only 127.0.0.1 listens).

No server outlives its owner: `close()` stops it (``pg_ctl -m immediate``, then SIGKILL for
anything left) and removes the folder; and a small watchdog process, started with the server,
does the same as soon as the process that created the cluster is gone however it ended (Ctrl+C,
a crash, SIGKILL), because it reads a pipe only that process holds open.

Not durable against a power cut by default (``fsync=off``, ``full_page_writes=off``): a test's
database need not survive one, and a test run should not wait for the disk. A killed server loses
nothing committed (its writes are in the OS's cache). Benches pass ``durable=True`` to measure
what staff get.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg

SUPERUSER = "kpadmin"
HOST = "127.0.0.1"
#: Where Debian (and Ubuntu) keep each major version's server programs.
DEBIAN_BINDIRS = "/usr/lib/postgresql"
#: Set to a folder holding initdb, pg_ctl and postgres to use those instead of the search.
BINDIR_ENV = "KPADMIN_PG_BINDIR"
#: The system user a server started by root runs as (Debian's package creates it).
OWNER = "postgres"
INSTALL_HINT = (
    "install Debian's `postgresql` package: `make test` does so when run as root "
    "(scripts/ensure_system_packages.sh), or `sudo apt-get install -y postgresql`"
)
#: Speed over durability, for what only a power cut or an OS crash would lose (the module
#: docstring). synchronous_commit stays on: with it off a commit returns before its WAL leaves
#: the server's memory, and a killed server (`Cluster.kill`) would lose commits a client was told
#: had happened -- which would make a test of "the server goes away" lie.
FAST_SETTINGS = {
    "fsync": "off",
    "full_page_writes": "off",
}
# Generous: only there to keep a broken machine from hanging a test run.
START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 30


class Unavailable(RuntimeError):
    """No PostgreSQL server can be had here; the message says why and what to do."""


def find_bindir() -> Path:
    """The folder with initdb, pg_ctl and postgres, newest major version first."""
    programs = ("initdb", "pg_ctl", "postgres")
    chosen = os.environ.get(BINDIR_ENV)
    if chosen:  # an explicit choice: that folder or none
        if all((Path(chosen) / name).is_file() for name in programs):
            return Path(chosen)
        raise Unavailable(f"{BINDIR_ENV}={chosen} holds no initdb, pg_ctl and postgres")
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        done = subprocess.run(
            [pg_config, "--bindir"], capture_output=True, text=True, check=False, timeout=30
        )
        if done.returncode == 0 and done.stdout.strip():
            candidates.append(Path(done.stdout.strip()))
    debian = sorted(
        Path(DEBIAN_BINDIRS).glob("*/bin"),
        key=lambda path: [int(part) for part in re.findall(r"\d+", path.parent.name)],
        reverse=True,
    )
    candidates += debian
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for folder in candidates:
        if all((folder / name).is_file() for name in programs):
            return folder
    looked = ", ".join(dict.fromkeys(str(c) for c in candidates)) or "nowhere (no pg_config)"
    raise Unavailable(
        f"no PostgreSQL server programs (initdb, pg_ctl, postgres); looked in {looked}, "
        f"{DEBIAN_BINDIRS}/*/bin and PATH: {INSTALL_HINT}"
    )


def server_version(bindir: Path) -> str:
    """``postgres --version``'s number, e.g. "15.18"."""
    done = subprocess.run(
        [str(bindir / "postgres"), "--version"], capture_output=True, text=True, check=False
    )
    match = re.search(r"\d+(\.\d+)*", done.stdout)
    return match.group(0) if match else done.stdout.strip()


def _owner() -> pwd.struct_passwd | None:
    """The user the server must run as: `OWNER` when we are root, else ourselves (None)."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(OWNER)
    except KeyError:
        raise Unavailable(
            f"running as root, and PostgreSQL refuses root, but there is no `{OWNER}` user to "
            f"run it as: {INSTALL_HINT} (the package creates that user)"
        ) from None


def free_port() -> int:
    """A port free on 127.0.0.1 right now (the start retries if another process takes it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def process_alive(pid: int) -> bool:
    """Whether `pid` runs. A zombie (ended, not yet reaped by its parent: a postmaster is
    reparented to PID 1, which may not reap in a container) counts as gone."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc (macOS): kill() said it exists
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while process_alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def server_pid(data: Path) -> int | None:
    """The pid of the postmaster running from the data folder `data`, else None."""
    try:
        pid = int((data / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None
    if not process_alive(pid):
        return None
    with contextlib.suppress(OSError):  # Linux: make sure the pid is still that postmaster
        if Path(os.readlink(f"/proc/{pid}/cwd")).resolve() != data.resolve():
            return None
    return pid


def _children(pid: int) -> list[int]:
    proc = Path("/proc")
    if proc.is_dir():
        found = []
        for entry in proc.iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError, IndexError, ValueError):
                    fields = (entry / "stat").read_text().rsplit(")", 1)[-1].split()
                    if int(fields[1]) == pid:
                        found.append(int(entry.name))
        return found
    done = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
    return [int(word) for word in done.stdout.split()]


def kill_server(data: Path, timeout: float = 30) -> None:
    """SIGKILL the postmaster of `data` and every process it started, as a crash would.

    Each backend leads its own process group (PostgreSQL calls setsid() in every child), so a
    signal to the postmaster's group would miss them: the postmaster is stopped first (it can
    start no one new), then its children and itself are killed."""
    pid = server_pid(data)
    if pid is None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGSTOP)
    victims = [*_children(pid), pid]
    for victim in victims:
        with contextlib.suppress(ProcessLookupError):
            os.kill(victim, signal.SIGKILL)
    for victim in victims:
        _wait_gone(victim, timeout)


def _watchdog(data: Path, base: Path) -> None:
    """Wait until stdin closes (the cluster's creator closed the cluster, or ended however it
    ended: only it holds the pipe's other end), then kill the server and remove its folder."""
    sys.stdin.buffer.read()
    kill_server(data)
    shutil.rmtree(base, ignore_errors=True)


class Cluster:
    """One throwaway cluster; use `create()`. A context manager: leaving it calls `close()`."""

    def __init__(
        self,
        bindir: Path,
        base: Path,
        *,
        owner: pwd.struct_passwd | None,
        settings: Mapping[str, str],
    ) -> None:
        self.bindir = bindir
        self.base = base  # the cluster's folder: data/, the socket, server.log
        self.data = base / "data"
        self.log = base / "server.log"
        self.owner = owner
        self.settings = dict(settings)
        self.user = SUPERUSER
        self.port = 0  # chosen by the first start, then kept: URLs stay valid across restarts
        self.version = server_version(bindir)
        self._watchdog: subprocess.Popen[bytes] | None = None
        self._templates: dict[str, str] = {}
        self._closed = False

    # --- life cycle ------------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        *,
        durable: bool = False,
        settings: Mapping[str, str] | None = None,
        bindir: Path | None = None,
        parent: Path | None = None,
    ) -> Cluster:
        """initdb a new cluster in a temporary folder (under `parent`, default the system's temp
        folder) and start it. Raises `Unavailable` with the reason when that cannot be done."""
        bindir = bindir or find_bindir()
        owner = _owner()
        # Not under pytest's tmp_path: its folders are 0700 root, which the postgres user cannot
        # enter. Short, too: the socket path must fit in 107 bytes.
        base = Path(tempfile.mkdtemp(prefix="kpadmin-pg-", dir=parent))
        if owner is not None:
            os.chown(base, owner.pw_uid, owner.pw_gid)
        chosen = {} if durable else dict(FAST_SETTINGS)
        chosen.update(settings or {})
        cluster = cls(bindir, base, owner=owner, settings=chosen)
        try:
            cluster._start_watchdog()
            cluster._initdb()
            cluster.start()
        except BaseException:
            cluster.close()
            raise
        return cluster

    def _as_owner(self, argv: Sequence[str]) -> list[str]:
        if self.owner is None:
            return list(argv)
        return ["runuser", "-u", self.owner.pw_name, "--", *argv]

    def _run(self, argv: Sequence[str], what: str, timeout: float) -> None:
        try:
            done = subprocess.run(
                self._as_owner(argv),
                capture_output=True,
                text=True,
                check=False,
                timeout=timeout,
                cwd=self.base,  # the owner may not be able to enter the caller's folder
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            raise Unavailable(
                f"{what} did not finish in {timeout:.0f} s{self._log_tail()}"
            ) from None
        except FileNotFoundError as exc:  # e.g. no runuser (util-linux) on this system
            raise Unavailable(f"{what}: cannot run {exc.filename}") from None
        if done.returncode != 0:
            output = (done.stderr or done.stdout).strip()[-2000:]
            raise Unavailable(f"{what} failed (exit {done.returncode}): {output}{self._log_tail()}")

    def _initdb(self) -> None:
        self._run(
            [
                str(self.bindir / "initdb"),
                "-D",
                str(self.data),
                "-A",
                "trust",
                "-U",
                self.user,
                "-E",
                "UTF8",
                "--locale=C",  # the same ordering and case rules on every machine
                "--no-sync",  # a throwaway cluster: no need to wait for the disk
                "--no-instructions",
            ],
            "initdb",
            START_TIMEOUT_S,
        )

    def start(self) -> None:
        """Start the server (first time: on a free port; later: on the same port)."""
        if self._closed:
            raise RuntimeError("this cluster was closed")
        if self.running:
            return
        self._forget_stale_pid_file()
        attempts = 1 if self.port else 3
        for attempt in range(attempts):
            port = self.port or free_port()
            options = {
                "port": str(port),
                "listen_addresses": HOST,
                "unix_socket_directories": str(self.base),
                **self.settings,
            }
            # pg_ctl hands -o to a shell: every value quoted.
            opts = " ".join(f"-c {shlex.quote(f'{k}={v}')}" for k, v in options.items())
            try:
                self._run(
                    [
                        str(self.bindir / "pg_ctl"),
                        "-D",
                        str(self.data),
                        "-l",
                        str(self.log),
                        "-w",
                        "-t",
                        str(START_TIMEOUT_S),
                        "-s",
                        "-o",
                        opts,
                        "start",
                    ],
                    f"pg_ctl start (PostgreSQL {self.version}, port {port})",
                    START_TIMEOUT_S + 10,
                )
            except Unavailable:
                taken = "could not bind" in self._log_tail() or "in use" in self._log_tail()
                if taken and attempt + 1 < attempts:
                    continue  # someone took the port between free_port() and the start
                raise
            self.port = port
            break

    def _start_watchdog(self) -> None:
        # Started before initdb: a server started a moment before a Ctrl+C is covered too. Its
        # own session, so the terminal's Ctrl+C reaches the test run (which closes the cluster
        # itself) and not the watchdog.
        self._watchdog = subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--watchdog",
                str(self.data),
                str(self.base),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def _forget_stale_pid_file(self) -> None:
        # A killed server leaves its lock files. The next start checks whether the pid in them
        # still runs, and a zombie (a killed postmaster PID 1 has not reaped yet) does: so the
        # lock files of a server that is gone go first.
        if self.server_pid is not None:
            return
        (self.data / "postmaster.pid").unlink(missing_ok=True)
        for lock in self.base.glob(".s.PGSQL.*.lock"):
            lock.unlink(missing_ok=True)

    @property
    def server_pid(self) -> int | None:
        """The postmaster's pid while it runs, else None."""
        return server_pid(self.data)

    @property
    def running(self) -> bool:
        return self.server_pid is not None

    def kill(self) -> None:
        """The server goes away at once, as in a crash: SIGKILL to the postmaster and every
        process it started. `start()` brings it back (crash recovery, same port and data)."""
        kill_server(self.data, STOP_TIMEOUT_S)

    def stop(self, mode: str = "immediate") -> None:
        """``pg_ctl stop -m MODE`` (immediate: no checkpoint, clients cut off; fast: clients cut
        off, checkpoint; smart: waits for clients); SIGKILL for anything still running after."""
        pid = self.server_pid
        if pid is None:
            return
        with contextlib.suppress(Unavailable):
            self._run(
                [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-s", "stop"],
                "pg_ctl stop",
                STOP_TIMEOUT_S,
            )
        if process_alive(pid):
            self.kill()

    def close(self) -> None:
        """Stop the server (immediate) and remove the cluster's folder. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        try:
            self.stop("immediate")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)
            if self._watchdog is not None:
                # Its stdin closes: it finds nothing left to do and ends.
                with contextlib.suppress(OSError):
                    assert self._watchdog.stdin is not None
                    self._watchdog.stdin.close()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self._watchdog.wait(timeout=STOP_TIMEOUT_S)

    def __enter__(self) -> Cluster:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _log_tail(self, lines: int = 15) -> str:
        try:
            text = self.log.read_text(errors="replace").strip().splitlines()[-lines:]
        except OSError:
            return ""
        return "\n--- server log (last lines) ---\n" + "\n".join(text) if text else ""

    # --- databases -------------------------------------------------------------------------------

    def url(self, dbname: str = "postgres") -> str:
        """``postgresql://kpadmin@127.0.0.1:PORT/DBNAME`` (no password: trust)."""
        return f"postgresql://{self.user}@{HOST}:{self.port}/{dbname}"

    def connect(self, dbname: str = "postgres", **kwargs: Any) -> psycopg.Connection[Any]:
        """A psycopg connection to `dbname` (the caller closes it)."""
        import psycopg

        kwargs.setdefault("connect_timeout", 10)
        return psycopg.connect(self.url(dbname), **kwargs)

    @contextlib.contextmanager
    def admin(self) -> Iterator[psycopg.Connection[Any]]:
        """An autocommit connection to the maintenance database, closed afterwards."""
        with self.connect("postgres", autocommit=True) as conn:
            yield conn

    def create_database(self, name: str, *, template: str = "template0") -> str:
        """A new, empty database (or a copy of `template`); returns its URL."""
        from psycopg import sql

        with self.admin() as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {} ENCODING 'UTF8'").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            )
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop `name`, cutting off whoever is still connected to it."""
        from psycopg import sql

        with self.admin() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    def databases(self) -> list[str]:
        with self.admin() as conn:
            rows = conn.execute(
                "SELECT datname FROM pg_database WHERE NOT datistemplate"
            ).fetchall()
        return sorted(str(row[0]) for row in rows)

    def template(self, name: str, prepare: Callable[[str], None]) -> str:
        """A template database made once per cluster: created empty, handed (its URL) to
        `prepare` (say, to run the schema migrations), then frozen as a template. Returns its
        name, for ``create_database(..., template=name)``: copying it is much faster than
        preparing every test's database again."""
        if name in self._templates:
            return name
        from psycopg import sql

        url = self.create_database(name)
        prepare(url)
        with self.admin() as conn:
            # CREATE DATABASE ... TEMPLATE refuses while anyone is connected to the template.
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            conn.execute(
                sql.SQL("ALTER DATABASE {} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false").format(
                    sql.Identifier(name)
                )
            )
        self._templates[name] = url
        return name


def database_name(label: str, number: int) -> str:
    """A valid, unique database name from a test's name: lower-case ASCII, at most 63 bytes
    (PostgreSQL's limit), the counter first so a long label cannot make two names equal."""
    cleaned = re.sub(r"[^a-z0-9_]+", "_", label.lower()).strip("_")
    return f"t{number}_{cleaned}"[:63].rstrip("_")


if __name__ == "__main__" and sys.argv[1:2] == ["--watchdog"]:
    _watchdog(Path(sys.argv[2]), Path(sys.argv[3]))
