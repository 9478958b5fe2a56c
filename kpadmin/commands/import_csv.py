"""`kpadmin import FILE.csv [--skip-bad] [--dry-run] [--allow-large-changes]`: add and update
subscribers from a CSV file.

Columns ``customer_uid,name,phone,amount`` are required (or their Korean headers: 고객 UID, 이름,
휴대폰 번호, 금액); ``email``, ``plan`` and ``next_charge_date`` (2026-12-06, 2026.12.06,
2026. 12. 6., 2026/12/06) are optional, and a column the file does not have changes nothing.
Every billing key is checked with i'mport first. ``--dry-run`` prints the preview — new rows,
changed rows with old → new per field, unchanged, bad rows by line — and writes nothing. Bad rows
are listed by line number and nothing is imported unless ``--skip-bad`` is given; an amount
change above 3× or ₩1,000,000 is a bad row unless ``--allow-large-changes``. See
`kpadmin.billing.csvio` and `kpadmin.billing.import_preview` for the rules.

Exit status: 0 imported (or nothing to do), 1 bad rows and nothing imported (also for a dry run
that found bad rows), 2 the file is unusable, 3 the settings are unreadable, 4 the database is
missing, damaged or too new, 5 the disk refused the write, 6 i'mport could not be asked, 7 the
REST key and secret are missing (`kpadmin.exitcodes`).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from kpadmin import runtime as rt
from kpadmin import stopping
from kpadmin.billing import csvio, import_preview
from kpadmin.exitcodes import ExitCode
from kpadmin.logs import setup_logging
from kpadmin.store.marker import refresh_marker

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_BAD_ROWS = 1
EXIT_UNUSABLE = 2
#: Bad rows printed in full; the rest are counted (a 50,000-row file with a wrong date format
#: should not scroll for minutes).
MAX_LISTED = 200


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE.csv", type=Path, help="the CSV file to import")
    parser.add_argument(
        "--skip-bad", action="store_true", help="import the good rows even if some rows are bad"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="check everything, including keys; write nothing"
    )
    parser.add_argument(
        "--allow-large-changes",
        action="store_true",
        help="take amount changes above 3x (or 1/3) or 1,000,000 won (checked by you)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="more detail in the log")


def run(args: argparse.Namespace) -> int:
    try:
        runtime = rt.open_runtime(args.data_dir, new_database=getattr(args, "new_database", False))
    except rt.EXPECTED_ERRORS as exc:
        print(f"kpadmin import: {rt.explain(exc)}", file=sys.stderr)
        return rt.exit_code(exc, EXIT_UNUSABLE)
    setup_logging(runtime.data_root, verbose=args.verbose)
    path: Path = args.file
    try:
        data = csvio.read_import_file(path)
    except OSError as exc:
        print(f"kpadmin import: cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    except csvio.CsvFileError as exc:
        print(f"kpadmin import: {path}: {exc}. Nothing was imported.", file=sys.stderr)
        return EXIT_UNUSABLE

    try:
        report = asyncio.run(
            _import(
                runtime,
                data,
                skip_bad=args.skip_bad,
                dry_run=args.dry_run,
                allow_large_changes=args.allow_large_changes,
            )
        )
    except csvio.CsvFileError as exc:
        print(f"kpadmin import: {path}: {exc}. Nothing was imported.", file=sys.stderr)
        return EXIT_UNUSABLE
    except rt.EXPECTED_ERRORS as exc:
        print(f"kpadmin import: {rt.explain(exc, runtime)} Nothing was imported.", file=sys.stderr)
        return rt.exit_code(exc, ExitCode.GATEWAY)
    _print_report(path, report, skip_bad=args.skip_bad)
    log.info(
        "import %s: %d rows, %d added, %d updated, %d unchanged, %d bad, applied=%s",
        path.name,
        report.rows,
        len(report.added),
        len(report.updated),
        len(report.unchanged),
        len(report.problems),
        report.applied,
    )
    if report.problems and not args.skip_bad:
        return EXIT_BAD_ROWS
    return EXIT_OK


async def _import(
    runtime: rt.Runtime, data: bytes, *, skip_bad: bool, dry_run: bool, allow_large_changes: bool
) -> csvio.ImportReport:
    # Parse before connecting, so a broken file never starts a sandbox or asks i'mport anything.
    today = runtime.today()
    csvio.parse_import_csv(data, today=today)
    store = runtime.open_store()
    try:
        # Ctrl+C / SIGTERM end the key checks at once; the rows are written in one transaction
        # after them, so a stop imports nothing (exit 130 / 143).
        async with stopping.watch(), runtime.gateway() as gateway:
            return await csvio.import_subscribers(
                store,
                gateway,
                data,
                today=today,
                now=runtime.clock(),
                staff=runtime.staff,
                skip_bad=skip_bad,
                dry_run=dry_run,
                allow_large_changes=allow_large_changes,
            )
    finally:
        refresh_marker(store)  # the subscriber count the marker remembers
        store.close()


def _print_report(path: Path, report: csvio.ImportReport, *, skip_bad: bool) -> None:
    out = sys.stdout
    print(f"{path}: {report.rows} rows ({report.encoding})", file=out)
    if report.ignored_columns:
        print(f"ignored columns (not imported): {', '.join(report.ignored_columns)}", file=out)
    if report.dry_run:
        _print_preview(report)
    if report.problems:
        print(f"\n{len(report.problems)} bad row(s):", file=out)
        for problem in report.problems[:MAX_LISTED]:
            print(f"  {problem}", file=out)
        if len(report.problems) > MAX_LISTED:
            print(f"  … and {len(report.problems) - MAX_LISTED} more", file=out)
        print(file=out)
    counts = (
        f"{len(report.added)} new, {len(report.updated)} updated, {len(report.unchanged)} unchanged"
    )
    if report.dates_spent:
        print(
            f"next_charge_date kept for {len(report.dates_spent)} subscriber(s): the file's date "
            "is in a period already paid, so the charge it was for has happened.",
            file=out,
        )
    if report.dry_run:
        print(f"Dry run, nothing written. Would import: {counts}.", file=out)
        if report.problems and not skip_bad:
            print("A real run would import nothing unless --skip-bad is given.", file=out)
    elif report.problems and not skip_bad:
        good = len(report.added) + len(report.updated) + len(report.unchanged)
        hint = (
            f", or use --skip-bad to import the {good} good row(s)"
            if good
            else " (no row of this file can be imported as it is)"
        )
        print(f"Nothing was imported. Fix the rows above{hint}.", file=out)
    elif report.applied:
        skipped = f", {len(report.problems)} bad row(s) skipped" if report.problems else ""
        print(f"Imported: {counts}{skipped}.", file=out)
    else:
        print(f"Nothing to change: {counts}.", file=out)


def _print_preview(report: csvio.ImportReport) -> None:
    """New rows, changed rows (old → new per field, phone and e-mail masked) and the count of
    unchanged ones; at most `MAX_LISTED` of each listed."""
    out = sys.stdout
    if report.new_rows:
        print(f"\n{len(report.new_rows)} new:", file=out)
        for row in report.new_rows[:MAX_LISTED]:
            print(f"  line {row.line} ({row.customer_uid}): {row.name}, ₩{row.amount:,}", file=out)
    changed = [(uid, report.changes[uid]) for uid in report.changes if uid in report.updated]
    if changed:
        print(f"\n{len(changed)} changed:", file=out)
        for uid, changes in changed[:MAX_LISTED]:
            large = " [large change: confirmed]" if uid in report.large_changes else ""
            print(f"  {uid}: {import_preview.describe(changes)}{large}", file=out)
    if report.unchanged:
        print(f"\n{len(report.unchanged)} unchanged", file=out)
