"""`kpadmin db copy --to postgresql://USER@HOST:PORT/DB`: this desk's data into a shared database.

The first desk of a team runs it once: everything in this PC's database of the current mode
(subscribers, the charge journal, the audit trail) is copied into the shared PostgreSQL database
in one transaction (`kpadmin.store.copy`), refused when the target already holds any of the same
billing keys or order ids, checked afterwards (counts and money totals equal). This PC's file
stays as it was. Then every desk points at the shared database:
``kpadmin config set database_url URL``.

The password comes from env KPADMIN_DATABASE_PASSWORD or the keyring (``kpadmin config set
database_password -``), never from the URL.
"""

from __future__ import annotations

import argparse
import logging
import sys

from kpadmin import runtime as rt
from kpadmin.billing import secrets
from kpadmin.billing import settings as st
from kpadmin.billing.messages import Message, MessageCode
from kpadmin.logs import setup_logging
from kpadmin.store import BatchBusy, StoreError, open_store
from kpadmin.store.copy import CopyConflict, CopyMismatch, copy_database

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    copy = actions.add_parser(
        "copy", help="copy this PC's database of the current mode into a shared database"
    )
    copy.add_argument(
        "--to",
        required=True,
        metavar="URL",
        help="postgresql://USER@HOST:PORT/DBNAME (the password: env KPADMIN_DATABASE_PASSWORD "
        "or `kpadmin config set database_password -`)",
    )


def run(args: argparse.Namespace) -> int:
    try:
        runtime = rt.open_runtime(args.data_dir)
        url = st.parse_database_url(args.to)
    except rt.EXPECTED_ERRORS as exc:
        print(f"kpadmin db: {rt.explain(exc)}", file=sys.stderr)
        return rt.exit_code(exc, EXIT_USAGE)
    setup_logging(runtime.data_root)
    if not runtime.db_path.exists():
        print(
            f"kpadmin db: this PC has no database for {runtime.mode} mode at {runtime.db_path}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        password = secrets.database_password(runtime.mode)
    except secrets.SecretsUnavailable:
        password = None
    try:
        # This PC's file, whatever database_url says.
        source = open_store(runtime.db_path, clock=runtime.clock)
        try:
            target = open_store(
                url, clock=runtime.clock, password=password, mode=runtime.mode, staff=runtime.staff
            )
            try:
                report = copy_database(source, target, holder=f"{runtime.staff} (db copy)")
                target.audit.record(
                    runtime.staff,
                    "import",
                    Message.of(
                        MessageCode.AUDIT_DB_COPY,
                        file=runtime.db_path.name,
                        subscribers=report.added.subscribers,
                        charges=report.added.charges,
                    ),
                )
            finally:
                target.close()
        finally:
            source.close()
    except (CopyConflict, CopyMismatch) as exc:
        print(f"kpadmin db: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except BatchBusy as exc:
        print(f"kpadmin db: a batch is running ({exc}); copy when it has finished", file=sys.stderr)
        return EXIT_FAILED
    except (StoreError, OSError) as exc:
        print(f"kpadmin db: {rt.explain(exc)}", file=sys.stderr)
        return rt.exit_code(exc, EXIT_FAILED)
    added = report.added
    log.info("db copy: %s into the shared database", added)
    print(
        f"Copied {added.subscribers} subscribers (₩{added.subscribed_amount:,} a cycle), "
        f"{added.charges} charges (₩{added.paid_amount:,} paid, ₩{added.refunded_amount:,} "
        f"refunded) and {added.audit} audit lines ({runtime.mode} mode); the totals match."
    )
    print(f"Now point every desk at it: kpadmin config set database_url {url}")
    return EXIT_OK
