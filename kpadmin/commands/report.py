"""`kpadmin report [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]`: the settlement report (정산).

Per Korean day (Asia/Seoul) of the range, both ends included (default: this Korean month up to
today): payments taken (count, ₩), refunded ₩, net ₩, declines; totals per month and per plan.
`--json` prints one object: ``days`` = [{date, paid_count, paid_amount, refunded_amount,
net_amount, failed_count}], ``months``, ``plans`` and ``total`` (the same keys without a date).
Read-only: it needs no i'mport connection. Exit 2 for a date it cannot read or a range that ends
before it starts; 3 / 4 / 5 as every command (`kpadmin.exitcodes`).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from kpadmin import runtime as rt
from kpadmin.billing import reports
from kpadmin.billing.periods import today_in_seoul
from kpadmin.exitcodes import ExitCode
from kpadmin.store.errors import StoreError


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--from", dest="start", type=_day, help="first Korean day (default: the 1st of this month)"
    )
    parser.add_argument("--to", dest="end", type=_day, help="last Korean day (default: today)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    try:
        runtime = rt.open_runtime(args.data_dir, new_database=getattr(args, "new_database", False))
    except rt.EXPECTED_ERRORS as exc:
        print(f"kpadmin report: {rt.explain(exc)}", file=sys.stderr)
        return rt.exit_code(exc, ExitCode.USAGE)
    first, last = reports.default_range(today_in_seoul(runtime.clock))
    start: date = args.start or (first if args.end is None else args.end.replace(day=1))
    end: date = args.end or max(last, start)
    try:
        reports.check_range(start, end)
    except reports.ReportRangeError as exc:
        print(f"kpadmin report: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    try:
        store = runtime.open_store()
        try:
            report = reports.settlement(store, start, end)
        finally:
            store.close()
    except StoreError as exc:
        print(f"kpadmin report: {rt.explain(exc)}", file=sys.stderr)
        return rt.exit_code(exc, ExitCode.USAGE)
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=1))
    else:
        print("\n".join(reports.text_table(report)))
    return ExitCode.OK
