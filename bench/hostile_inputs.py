"""Hostile inputs, measured: printed as one JSON object (issue #9; nothing here is asserted).

* ``csv_header``: seconds to refuse a CSV whose header has 100,000 columns (it took 136 s when the
  duplicate check was ``list.count`` in a loop), and to check a header at the column limit whose
  names all repeat (the most work a header check can be made to do).
* ``answer``: two lookups at once (concurrency 2, as in the issue) against a server on 127.0.0.1
  that streams ``--answer-mb`` MB to each: whether both were refused, the seconds that took, the
  bytes the server managed to write before the client closed the connections, and the growth of
  this process's peak RSS (``ru_maxrss``) over the run. Before the cap a 300 MB answer at
  concurrency 2 reached 1.7 GB RSS.

    .venv/bin/python bench/hostile_inputs.py [--answer-mb 300]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import resource
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kpadmin.billing.csvio import MAX_COLUMNS, CsvFileError, parse_import_csv  # noqa: E402
from kpadmin.iamport.client import MAX_ANSWER_BYTES, IamportClient  # noqa: E402
from kpadmin.iamport.errors import InvalidResponse  # noqa: E402
from tests.fixtures.hostile import Answer, HostileServer  # noqa: E402

TODAY = date(2026, 11, 27)


def _refuse_seconds(data: bytes, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        with contextlib.suppress(CsvFileError):
            parse_import_csv(data, today=TODAY)
        times.append(time.perf_counter() - started)
    return round(statistics.median(times), 4)


def csv_header() -> dict[str, object]:
    wide = ",".join(f"c{i}" for i in range(100_000)).encode() + b"\ncu_1,A,010-1111-1111,100\n"
    repeated = ",".join(["customer_uid", "name", "phone", "amount"] * (MAX_COLUMNS // 4)).encode()
    return {
        "columns_100k_refuse_s": _refuse_seconds(wide),
        "at_limit_all_repeated_s": _refuse_seconds(repeated + b"\n"),
        "max_columns": MAX_COLUMNS,
    }


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


async def _two_lookups(server: HostileServer) -> list[str]:
    async with IamportClient(server.base_url, server.imp_key, server.imp_secret) as client:

        async def one(uid: str) -> str:
            try:
                await client.find_all_payments(uid)
            except InvalidResponse:
                return "refused"
            return "read"

        return list(await asyncio.gather(one("kp-a"), one("kp-b")))


def answer(size_mb: int) -> dict[str, object]:
    server = HostileServer()
    server.on("GET", "/payments/findAll/", lambda req: Answer.huge(size_mb * 1_000_000))
    try:
        before = _peak_rss_mb()
        started = time.perf_counter()
        outcomes = asyncio.run(_two_lookups(server))
        seconds = time.perf_counter() - started
        after = _peak_rss_mb()
        deadline = time.monotonic() + 10
        streamed = [a for a in server.answers if not isinstance(a.body, bytes)]
        while not all(a.cut_off for a in streamed) and time.monotonic() < deadline:
            time.sleep(0.01)
        return {
            "size_mb_each": size_mb,
            "concurrency": 2,
            "cap_bytes": MAX_ANSWER_BYTES,
            "refused": outcomes.count("refused"),
            "seconds": round(seconds, 3),
            "server_wrote_mb_each": [round(a.sent / 1e6, 1) for a in streamed],
            "peak_rss_mb_before": round(before, 1),
            "peak_rss_mb_after": round(after, 1),
            "peak_rss_growth_mb": round(after - before, 1),
        }
    finally:
        server.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answer-mb", type=int, default=300)
    args = parser.parse_args()
    result = {
        "bench": "hostile_inputs",
        "csv_header": csv_header(),
        "answer": answer(args.answer_mb),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
