"""A throwaway PostgreSQL server for the benches, made exactly as the tests' (tests/pg_cluster.py):
its own cluster in a temporary folder, 127.0.0.1 and a free port, run as the ``postgres`` user
when we are root, stopped and removed afterwards (a watchdog does it if the bench is killed).

In a bench (e.g. bench/charge_throughput.py's PostgreSQL mode):

    from pg_server import Unavailable, throwaway_database   # bench/ is on sys.path for a bench
    try:
        with throwaway_database() as url:      # postgresql://kpadmin@127.0.0.1:PORT/bench
            ...                                 # KPADMIN_DATABASE_URL=url for child processes
    except Unavailable as exc:                  # no PostgreSQL here: say so, skip that mode
        ...

Unlike the tests' server it is durable by default (fsync and full-page writes on, PostgreSQL's
defaults): a bench measures what staff get. ``durable=False`` gives the tests' settings.

Run on its own it is a bench too (so `make bench` can run every file here): it starts a server,
times single-row committed inserts over TCP and prints one JSON object. ``--serve`` instead
prints the URL and keeps the server until Ctrl+C, for trying things by hand:

    .venv/bin/python bench/pg_server.py [--commits 500] [--fast]
    .venv/bin/python bench/pg_server.py --serve
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.pg_cluster import Cluster, Unavailable  # noqa: E402

__all__ = ["Cluster", "Unavailable", "throwaway_database", "throwaway_server"]


@contextlib.contextmanager
def throwaway_server(
    *, durable: bool = True, settings: Mapping[str, str] | None = None
) -> Iterator[Cluster]:
    """A started server, stopped and removed on leaving. Raises `Unavailable` (with the reason)
    when no PostgreSQL can be had here."""
    with Cluster.create(durable=durable, settings=settings) as cluster:
        yield cluster


@contextlib.contextmanager
def throwaway_database(
    name: str = "bench", *, durable: bool = True, settings: Mapping[str, str] | None = None
) -> Iterator[str]:
    """An empty database on a throwaway server: its URL."""
    with throwaway_server(durable=durable, settings=settings) as cluster:
        yield cluster.create_database(name)


def commit_latency(url: str, commits: int) -> float:
    """Seconds per single-row INSERT transaction, one connection, over TCP."""
    import psycopg

    with psycopg.connect(url) as conn:
        conn.execute("CREATE TABLE probe (id bigserial PRIMARY KEY, note text NOT NULL)")
        conn.commit()
        started = time.perf_counter()
        for number in range(commits):
            conn.execute("INSERT INTO probe (note) VALUES (%s)", (f"charge {number}",))
            conn.commit()
        return (time.perf_counter() - started) / commits


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=500)
    parser.add_argument("--fast", action="store_true", help="the tests' settings (fsync off)")
    parser.add_argument("--serve", action="store_true", help="print the URL, wait for Ctrl+C")
    args = parser.parse_args()
    started = time.perf_counter()
    try:
        with throwaway_server(durable=not args.fast) as cluster:
            startup_s = time.perf_counter() - started
            url = cluster.create_database("bench")
            if args.serve:
                print(url, flush=True)
                print(
                    f"PostgreSQL {cluster.version} in {cluster.base}; Ctrl+C stops it", flush=True
                )
                # Ctrl+C or SIGTERM ends the wait, and the server goes with the `with` block.
                for stop in (signal.SIGINT, signal.SIGTERM):
                    signal.signal(stop, lambda *_: None)
                signal.pause()
                return 0
            per_commit = commit_latency(url, args.commits)
            result = {
                "postgres_version": cluster.version,
                "durable": not args.fast,
                "startup_s": round(startup_s, 2),
                "commits": args.commits,
                "ms_per_commit": round(per_commit * 1000, 3),
            }
    except Unavailable as exc:
        result = {"skipped": f"no PostgreSQL server: {exc}"}
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
