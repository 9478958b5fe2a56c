"""The GUI benches still run and print their JSON (small sizes; no timing is asserted here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.clock import child_env

REPO = Path(__file__).resolve().parents[2]


def run_bench(*args: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, *args],
        cwd=REPO,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_table_bench_reports_its_figures():
    figures = run_bench("bench/table_100k.py", "--rows", "2000")
    assert figures["rows"] == 2000
    assert set(figures["filter_ms"]) == {"keystrokes", "p50", "p99", "max"}
    assert figures["filter_ms"]["keystrokes"] > 20
    assert figures["rss_mb"]["peak"] > 0


def test_startup_bench_reports_its_figures():
    figures = run_bench("bench/startup.py", "--runs", "1")
    assert figures["all_visible"] is True
    assert figures["webengine_loaded"] is False
