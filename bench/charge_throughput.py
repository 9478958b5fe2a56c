"""Charge throughput of the engine, printed as one JSON object.

* ``latency_100ms``: 1,000 due charges, each the first of its period, against a sandbox (its own
  process, 100 ms latency) at concurrency C = 16. Each first charge of a period reads i'mport's
  record of its key first (the ledger check, ``kpadmin/billing/ledger.py``): one GET, then the
  charge's POST; the engine overlaps the GETs with the sends (C pipelines of check → intent →
  send). Every HTTP request is counted at the transport (``gets``, ``posts``, ``requests``).
  ``ideal_s`` = requests × latency / C (every one of the C slots busy all the time);
  **``efficiency`` = ideal_s / wall_s, over all the requests the batch must make** (target
  ≥ 0.75). ``send_efficiency`` is the sends alone: the same batch with the check off
  (``latency_100ms_no_ledger``: 1,000 POSTs, efficiency = POSTs × latency / C / wall). And
  ``ledger_cost_s`` = the wall time with the check minus without it: what the GETs cost.
* ``latency_0ms``: the same at 0 ms latency: wall time per charge over real HTTP (client, sandbox
  and engine together, on however many cores the machine has).
* ``engine_only``: the same 1,000 charges against an in-memory API that answers at once: what the
  engine itself costs per charge (journal transactions, fsynced, bookkeeping, events); the
  targets are ≤ 0.5 ms on SQLite (issue #10) and ≤ 2 ms on PostgreSQL (issue #11).
* ``peak_memory``: the process's max RSS after the 100 ms run, and tracemalloc's peak during a
  second, traced 100 ms run of the same size (tracing slows Python down several times, so the
  timed run is not traced).
* ``bulk_load_100k``: seconds to load 100,000 subscribers with their charge summaries (GUI table).
* ``load_average``: /proc/loadavg before the run (figures on a busy machine are low).

Every run uses a temporary data dir; the durability rules are the production ones (each intent
committed before its request leaves; results in grouped committed transactions).

    .venv/bin/python bench/charge_throughput.py [--n 1000] [--concurrency 16] [--only engine]
        [--database sqlite|postgresql|both]

``--only engine`` runs just ``engine_only`` (and ``bulk_load_100k``): no sandbox, a few seconds.
``--database postgresql`` runs the engine and the 100 ms figures (with and without the check) on a
throwaway PostgreSQL server (bench/pg_server.py, durable: fsync on), the shared database of issue
#11; ``both`` (the default) reports both, the PostgreSQL figures under ``"postgresql"`` (skipped,
with the reason, when no server can be had).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kpadmin.billing.engine import ChargeEngine, ChargeEvent, EventKind  # noqa: E402
from kpadmin.billing.gateway import GatewayPayment, PaymentStatus  # noqa: E402
from kpadmin.billing.periods import month_span  # noqa: E402
from kpadmin.iamport.gateway import open_gateway  # noqa: E402
from kpadmin.store import NewSubscriber, SubscriberRepository, open_store  # noqa: E402

KEY, SECRET = "sandbox-key", "sandbox-secret"
DUE = date(2026, 11, 1)
NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


def start_sandbox(latency_ms: int) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kpadmin",
            "sandbox",
            "--port",
            "0",
            "--latency-ms",
            str(latency_ms),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    if not url.startswith("http://"):
        proc.kill()
        raise SystemExit(f"sandbox did not start: {url!r}")
    return proc, url


async def issue_keys(url: str, uids: list[str]) -> None:
    """Billing keys by key-in issuance, 32 at a time (the sandbox's latency applies here too)."""
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        token = await http.post("/users/getToken", json={"imp_key": KEY, "imp_secret": SECRET})
        headers = {"Authorization": token.json()["response"]["access_token"]}
        gate = asyncio.Semaphore(32)

        async def one(uid: str) -> None:
            async with gate:
                answer = await http.post(
                    f"/subscribe/customers/{uid}",
                    headers=headers,
                    json={
                        "card_number": "5365-1000-0000-1234",
                        "expiry": "2031-12",
                        "birth": "900101",
                    },
                )
                answer.raise_for_status()

        await asyncio.gather(*(one(uid) for uid in uids))


#: Where the benches' stores live: None = a SQLite file in the temporary folder; else a URL
#: (the PostgreSQL mode sets it; every store gets a fresh database on that server).
DATABASE: dict[str, Any] = {"cluster": None, "count": 0}


def seeded_db(directory: Path, uids: list[str]) -> Any:
    cluster = DATABASE["cluster"]
    if cluster is None:
        conn = open_store(directory / "kpadmin.sqlite3")
    else:
        DATABASE["count"] += 1
        conn = open_store(cluster.create_database(f"bench{DATABASE['count']}"))
    SubscriberRepository(conn).add_many(
        NewSubscriber(uid, f"구독자{i}", 9900, DUE.day, DUE) for i, uid in enumerate(uids)
    )
    return conn


class CountingTransport(httpx.AsyncBaseTransport):
    """Counts the HTTP requests the gateway really makes (every GET page, every POST)."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport(
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=32)
        )
        self.counts: dict[str, int] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.counts[request.method] = self.counts.get(request.method, 0) + 1
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def run_batch(
    conn: Any, api: Any, concurrency: int, *, ledger: bool = True
) -> tuple[float, dict[str, Any]]:
    engine = ChargeEngine(conn, api, clock=lambda: NOW, read_ledger=ledger)
    plan = engine.plan(None, None, "bench")
    first: list[float] = []

    def on_event(event: ChargeEvent) -> None:
        if event.kind is EventKind.CHARGE and not first:
            first.append(time.perf_counter())

    started = time.perf_counter()
    result = await engine.run(plan, concurrency=concurrency, on_event=on_event)
    wall = time.perf_counter() - started
    p = result.progress
    return wall, {
        "paid": p.paid,
        "failed": p.failed,
        "total": p.total,
        "first_outcome_s": round((first[0] - started) if first else wall, 3),
    }


async def against_sandbox(
    n: int, latency_ms: int, concurrency: int, trace: bool, *, ledger: bool = True
) -> dict[str, Any]:
    proc, url = start_sandbox(latency_ms)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            uids = [f"bench-{latency_ms}-{int(ledger)}-{i:05d}" for i in range(n)]
            await issue_keys(url, uids)
            conn = seeded_db(Path(tmp), uids)
            transport = CountingTransport()
            async with open_gateway(url, KEY, SECRET, transport=transport) as gateway:
                await gateway.check_connection()  # the token is not part of the batch's cost
                transport.counts.clear()
                if trace:
                    tracemalloc.start()
                wall, counts = await run_batch(conn, gateway, concurrency, ledger=ledger)
                peak = tracemalloc.get_traced_memory()[1] if trace else None
                if trace:
                    tracemalloc.stop()
            conn.close()
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    gets, posts = transport.counts.get("GET", 0), transport.counts.get("POST", 0)
    requests = sum(transport.counts.values())
    figures: dict[str, Any] = {
        "n": n,
        "concurrency": concurrency,
        "latency_ms": latency_ms,
        "ledger_check": ledger,
        "wall_s": round(wall, 3),
        "per_charge_ms": round(wall / n * 1000, 3),
        "gets": gets,
        "posts": posts,
        "requests": requests,
        **counts,
    }
    if latency_ms:
        ideal = requests * latency_ms / 1000 / concurrency
        figures["ideal_s"] = round(ideal, 3)
        figures["efficiency"] = round(ideal / wall, 3)
    if peak is not None:
        figures["tracemalloc_peak_mb"] = round(peak / 1e6, 2)
    return figures


class InstantGateway:
    """A gateway that answers every charge at once with a paid payment (no HTTP): the engine's
    own cost. Only the two operations a clean batch uses."""

    def __init__(self) -> None:
        self.seq = 0

    async def charge_key(
        self, key_id: str, order_id: str, amount: int, order_name: str
    ) -> GatewayPayment:
        self.seq += 1
        return GatewayPayment(
            payment_id=f"imp_{self.seq}",
            order_id=order_id,
            status=PaymentStatus.PAID,
            amount=amount,
            key_id=key_id,
            paid_at=NOW,
        )

    async def payments_for_order(self, order_id: str) -> Any:
        raise AssertionError("no lookups expected")

    async def key_payments(self, key_id: str) -> AsyncIterator[GatewayPayment]:
        """A key with no payments yet (the ledger check reads it, finds nothing)."""
        for payment in ():
            yield payment


async def engine_only(n: int, concurrency: int, *, ledger: bool = True) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        conn = seeded_db(Path(tmp), [f"fast-{i:05d}" for i in range(n)])
        wall, counts = await run_batch(conn, InstantGateway(), concurrency, ledger=ledger)
        conn.close()
    return {
        "n": n,
        "ledger_check": ledger,
        "wall_s": round(wall, 3),
        "overhead_ms_per_charge": round(wall / n * 1000, 3),
        **counts,
    }


def bulk_load(n: int = 100_000) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        conn = seeded_db(Path(tmp), [f"bulk-{i:06d}" for i in range(n)])
        started = time.perf_counter()
        rows = SubscriberRepository(conn).list_with_summaries(month_span("2026-11"))
        elapsed = time.perf_counter() - started
        conn.close()
    return {"n": len(rows), "seconds": round(elapsed, 3)}


async def with_and_without_ledger(
    args: argparse.Namespace,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The 100 ms batch with the ledger check (efficiency over GETs + POSTs) and without it (the
    sends alone); the check's cost is the difference in wall time."""
    slow = await against_sandbox(args.n, 100, args.concurrency, trace=False)
    no_ledger = await against_sandbox(args.n, 100, args.concurrency, trace=False, ledger=False)
    slow["send_efficiency"] = no_ledger["efficiency"]
    slow["ledger_cost_s"] = round(slow["wall_s"] - no_ledger["wall_s"], 3)
    return slow, no_ledger


def load_average() -> str:
    try:
        return Path("/proc/loadavg").read_text().strip()
    except OSError:
        return "unknown"


async def on_postgresql(args: argparse.Namespace) -> dict[str, Any]:
    """The charge figures with the store on a throwaway (durable) PostgreSQL server."""
    sys.path.insert(0, str(ROOT / "bench"))
    from pg_server import Unavailable, throwaway_server

    try:
        with throwaway_server(durable=True) as cluster:
            DATABASE["cluster"] = cluster
            try:
                own = await engine_only(args.n, args.concurrency)
                if args.only == "engine":
                    return {"engine_only": own}
                slow, no_ledger = await with_and_without_ledger(args)
                return {
                    "latency_100ms": slow,
                    "latency_100ms_no_ledger": no_ledger,
                    "engine_only": own,
                }
            finally:
                DATABASE["cluster"] = None
    except Unavailable as exc:
        return {"skipped": f"no PostgreSQL server: {exc}"}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--only", choices=["engine"], help="only the engine's own cost")
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgresql", "both"],
        default="both",
        help="where the store is (default: both)",
    )
    args = parser.parse_args()
    loads = load_average()
    if args.database == "postgresql":
        found = {"postgresql": await on_postgresql(args), "load_average": loads}
        print(json.dumps(found, indent=2))
        return
    pg: dict[str, Any] | None = None
    if args.database == "both":
        pg = await on_postgresql(args)
    if args.only == "engine":
        own = await engine_only(args.n, args.concurrency)
        bare = await engine_only(args.n, args.concurrency, ledger=False)
        figures = {
            "engine_only": own,
            "engine_only_no_ledger": bare,
            "bulk_load_100k": bulk_load(),
            "load_average": loads,
        }
        if pg is not None:
            figures["postgresql"] = pg
        print(json.dumps(figures, indent=2))
        return
    slow, no_ledger = await with_and_without_ledger(args)
    rss_after_slow = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    traced = await against_sandbox(args.n, 100, args.concurrency, trace=True)
    fast = await against_sandbox(args.n, 0, args.concurrency, trace=False)
    own = await engine_only(args.n, args.concurrency)
    bare = await engine_only(args.n, args.concurrency, ledger=False)
    print(
        json.dumps(
            {
                "engine_only_no_ledger": bare,
                "latency_100ms": slow,
                "latency_100ms_no_ledger": no_ledger,
                "latency_0ms": fast,
                "engine_only": own,
                "peak_memory": {
                    "tracemalloc_peak_mb_during_100ms_run": traced.get("tracemalloc_peak_mb"),
                    "max_rss_mb_after_100ms_run": round(rss_after_slow, 1),
                },
                "bulk_load_100k": bulk_load(),
                **({"postgresql": pg} if pg is not None else {}),
                "targets": {
                    "efficiency_at_100ms": 0.75,
                    "engine_overhead_ms_per_charge": 0.5,
                    "postgresql_engine_overhead_ms_per_charge": 2.0,
                },
                "load_average": loads,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
