"""`kpadmin reconcile`: look up every charge in doubt (planned / sent / unknown) at i'mport.

Paid ones are recorded paid (and the subscriber's next charge date moves on), declined ones
declined; ones i'mport never saw stay planned and are sent again, with the same merchant_uid, by
the next batch. Exit code 1 while anything is still unknown (the lookup itself failed); 4 the
database is missing, damaged or too new; 5 the disk refused a write (`kpadmin.exitcodes`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from kpadmin.billing.engine import ChargeEngine, EngineBusy
from kpadmin.commands import wiring
from kpadmin.store.models import ChargeState


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(_main(args))
    except EngineBusy as exc:
        print(f"kpadmin reconcile: {exc}", file=sys.stderr)
        return 2
    except wiring.EXPECTED_ERRORS as exc:
        # Never "nothing in doubt" from a database it could not read: the message and exit 4/5.
        print(f"kpadmin reconcile: {wiring.explain(exc)}", file=sys.stderr)
        return wiring.exit_code(exc, 2)


async def _main(args: argparse.Namespace) -> int:
    env = wiring.load(args.data_dir, new_database=getattr(args, "new_database", False))
    conn = env.open_database()
    try:
        async with env.client() as client:
            engine = ChargeEngine(conn, client, monthly_limit=env.monthly_limit)
            report = await engine.reconcile(staff=env.staff)
    finally:
        conn.close()
    if args.json:
        print(
            json.dumps(
                {
                    "checked": report.checked,
                    "paid": report.paid,
                    "declined": report.count(ChargeState.DECLINED),
                    "unknown": report.unknown,
                    "to_resend": report.to_resend,
                    "rows": [
                        {
                            "merchant_uid": r.merchant_uid,
                            "before": r.before.value,
                            "after": r.after.value,
                            "detail": r.detail,
                        }
                        for r in report.rows
                    ],
                },
                ensure_ascii=False,
            )
        )
    else:
        print(f"Reconciled: {report.summary()}.")
        for r in report.rows:
            if r.after is ChargeState.UNKNOWN:
                print(f"  unknown  {r.merchant_uid}  {r.detail}")
    return 1 if report.unknown else 0
