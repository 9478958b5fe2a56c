"""The subscriber table with 100,000 subscribers: time to ready, filter time per keystroke, memory.

    .venv/bin/python bench/table_100k.py [--rows 100000]

Builds a temporary store (not timed), then times what staff wait for: loading the rows from SQLite
into the model and showing the table (``ready_s``), and each keystroke of a few realistic searches
(name, phone digits, customer_uid, then deleting) including the repaint (``filter_ms``). Prints one
JSON object. Targets (issue #4): ready ≤ 1.5 s, filter ≤ 100 ms per keystroke, RSS ≤ 400 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SEARCHES = ["김", "김민", "김민준", "010", "0105", "01055", "kp_bulk_0001", "kp_bulk_00012"]


def rss_mb() -> float:
    try:  # current RSS (Linux); ru_maxrss is the fallback peak elsewhere
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from kpadmin.gui.backend import Backend
    from kpadmin.gui.formatting import seoul_today
    from kpadmin.gui.main_window import MainWindow
    from kpadmin.gui.sample_data import seed_bulk
    from kpadmin.runtime import open_runtime

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        runtime = open_runtime(tmp)
        backend = Backend(runtime)
        seed_started = time.perf_counter()
        seed_bulk(backend.conn, count=args.rows, today=seoul_today())
        seed_s = time.perf_counter() - seed_started
        rss_before = rss_mb()

        started = time.perf_counter()
        window = MainWindow(backend)  # loads every row (list_with_summaries) into the model
        window.resize(1440, 860)
        window.show()
        app.processEvents()
        ready_s = time.perf_counter() - started
        assert window.model.rowCount() == args.rows

        timings: list[float] = []
        for text in SEARCHES:
            for end in range(1, len(text) + 1):  # typing…
                timings.append(keystroke(app, window, text[:end]))
            for end in range(len(text) - 1, -1, -1):  # …and deleting
                timings.append(keystroke(app, window, text[:end]))
        window.unknown_filter.setChecked(True)
        window.unknown_filter.setChecked(False)
        sort_started = time.perf_counter()
        window.table.sortByColumn(3, window.table.horizontalHeader().sortIndicatorOrder())
        app.processEvents()
        sort_s = time.perf_counter() - sort_started
        rss_after = rss_mb()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (
            2**20 if sys.platform == "darwin" else 2**10
        )
        timings.sort()
        result = {
            "bench": "table_100k",
            "rows": args.rows,
            "seed_s": round(seed_s, 2),
            "ready_s": round(ready_s, 3),
            "filter_ms": {
                "keystrokes": len(timings),
                "p50": round(statistics.median(timings) * 1000, 1),
                "p99": round(timings[int(len(timings) * 0.99) - 1] * 1000, 1),
                "max": round(timings[-1] * 1000, 1),
            },
            "sort_s": round(sort_s, 3),
            "rss_mb": {
                "before_window": round(rss_before),
                "after": round(rss_after),
                "peak": round(peak),
            },
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "targets": {"ready_s": 1.5, "filter_ms": 100, "rss_mb": 400},
        }
        result["ok"] = (
            result["ready_s"] <= 1.5 and result["filter_ms"]["max"] <= 100 and peak <= 400
        )
        window.close()
        backend.conn.close()
    print(json.dumps(result))
    return 0


def keystroke(app, window, text: str) -> float:
    started = time.perf_counter()
    window.search.setText(text)  # textChanged -> proxy.set_search, as when typing
    app.processEvents()
    return time.perf_counter() - started


if __name__ == "__main__":
    raise SystemExit(main())
