"""`kpadmin export subscribers FILE.csv` and `kpadmin export charges FILE.csv`.

UTF-8 with a BOM so Excel opens Korean text correctly, formula-like cells defused, no secrets
(the store holds none), phone numbers as stored (they are the merchant's own data). The file is
created readable by its owner only, and an existing file is replaced only with ``--force``.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from kpadmin import runtime as rt
from kpadmin.billing import csvio
from kpadmin.logs import setup_logging
from kpadmin.store.errors import StoreError

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("what", choices=("subscribers", "charges"), help="what to export")
    parser.add_argument("file", metavar="FILE.csv", type=Path, help="where to write the CSV")
    parser.add_argument("--force", action="store_true", help="replace FILE.csv if it exists")


def run(args: argparse.Namespace) -> int:
    try:
        runtime = rt.open_runtime(args.data_dir, new_database=getattr(args, "new_database", False))
    except rt.EXPECTED_ERRORS as exc:
        print(f"kpadmin export: {rt.explain(exc)}", file=sys.stderr)
        return rt.exit_code(exc, EXIT_USAGE)
    setup_logging(runtime.data_root)
    path: Path = args.file
    if path.exists() and not args.force:
        print(f"kpadmin export: {path} exists; use --force to replace it", file=sys.stderr)
        return EXIT_USAGE
    if not path.parent.is_dir():
        print(f"kpadmin export: the folder {path.parent} does not exist", file=sys.stderr)
        return EXIT_USAGE
    try:
        store = runtime.open_store()
        try:
            write = csvio.export_subscribers if args.what == "subscribers" else csvio.export_charges
            count = write(store, path)
        finally:
            store.close()
    except (StoreError, OSError) as exc:
        print(f"kpadmin export: {rt.explain(exc)}", file=sys.stderr)
        return rt.exit_code(exc, EXIT_FAILED)
    log.info("exported %d %s (%s mode)", count, args.what, runtime.mode)
    print(f"{count} {args.what} written to {path} ({runtime.mode} mode)")
    return EXIT_OK
