"""`kpadmin notices list|send`: the customer notices' outbox (kpadmin/billing/outbox.py).

``list`` prints the unsent notices (``--all``: the sent ones too, newest first; ``--json``: one
JSON object), the recipient masked. ``send`` sends every notice whose time has come (what
`charge-due` does after its batch), ``--retry-failed`` first makes the given-up ones pending
again. Exit codes: 0 done (nothing left to send now), 1 (`ExitCode.ATTENTION`) some were not
sent (tried again later, given up, or the sending stopped), 2 notices are off, 3 the settings
file cannot be used (or a mail setting is missing), 4 the database is unusable, 7 the keyring
cannot be used.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from kpadmin import stopping
from kpadmin.billing import outbox
from kpadmin.billing.notices.smtp import SmtpSettingsMissing
from kpadmin.commands import wiring
from kpadmin.exitcodes import ExitCode


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="the unsent notices (--all: every notice)")
    listing.add_argument("--all", action="store_true", help="the sent ones too")
    listing.add_argument("--json", action="store_true", help="print one JSON object")
    send = sub.add_parser("send", help="send every notice whose time has come")
    send.add_argument(
        "--retry-failed", action="store_true", help="try the given-up notices again first"
    )
    send.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    try:
        if args.action == "list":
            return _list(args)
        return asyncio.run(_send(args))
    except SmtpSettingsMissing as exc:
        print(f"kpadmin notices: {exc}", file=sys.stderr)
        return ExitCode.SETTINGS
    except wiring.EXPECTED_ERRORS as exc:
        print(f"kpadmin notices: {wiring.explain(exc)}", file=sys.stderr)
        return wiring.exit_code(exc, ExitCode.USAGE)


def _list(args: argparse.Namespace) -> int:
    env = wiring.load(args.data_dir, new_database=getattr(args, "new_database", False))
    store = env.open_store()
    try:
        rows = [outbox.describe(n) for n in store.notices.entries(unsent_only=not args.all)]
    finally:
        store.close()
    if args.json:
        print(json.dumps({"notices": rows}, ensure_ascii=False))
        return ExitCode.OK
    if not rows:
        print("No unsent notices." if not args.all else "No notices.")
        return ExitCode.OK
    for row in rows:
        when = row["sent_at"] or row["next_attempt_at"] or row["created_at"]
        line = f"{row['id']:>6}  {row['state']:8} {row['kind']:12} {row['to']:28} {when}"
        if row["attempts"]:
            line += f"  (tried {row['attempts']}x: {row['last_error']})"
        print(line)
    return ExitCode.OK


async def _send(args: argparse.Namespace) -> int:
    env = wiring.load(args.data_dir, new_database=getattr(args, "new_database", False))
    settings = env.runtime.settings
    if outbox.NoticePolicy.from_settings(settings).channel is None:
        print(
            "kpadmin notices: notices are off (`kpadmin config set notices email` turns them on)",
            file=sys.stderr,
        )
        return ExitCode.USAGE
    notifier = outbox.open_notifier(settings, env.runtime.mode, clock=env.clock)
    store = env.open_store()
    try:
        async with stopping.watch():
            if args.retry_failed:
                store.notices.retry_failed(None, env.clock())
            try:
                report = await outbox.send_due(
                    store, notifier, merchant=outbox.merchant_of(settings), clock=env.clock
                )
            finally:
                await notifier.aclose()
        left = store.notices.count_unsent()
    finally:
        store.close()
    if args.json:
        print(
            json.dumps(
                {
                    "sent": report.sent,
                    "retry_later": report.retry_later,
                    "given_up": report.given_up,
                    "stopped": report.stopped,
                    "unsent": left,
                },
                ensure_ascii=False,
            )
        )
    else:
        print(f"Notices: {report.summary()}; {left} unsent.")
    ok = not (report.retry_later or report.given_up or report.stopped)
    return ExitCode.OK if ok else ExitCode.ATTENTION
