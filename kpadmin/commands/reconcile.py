"""`kpadmin reconcile`: look up every charge in doubt (planned / sent / unknown) at i'mport.

Paid ones are recorded paid (and the subscriber's next charge date moves on), declined ones
declined; ones i'mport never saw stay planned and are sent again, with the same order id, by
the next batch. Exit code 1 while anything is still unknown (the lookup itself failed), or when
a charge turned out paid for another amount than was asked (an amount mismatch: recorded paid and
named in a warning); 3 the settings file cannot be used; 4 the database is missing, damaged or too
new; 5 the disk refused a write (`kpadmin.exitcodes`). Details that quote i'mport are redacted
before they are printed. Ctrl+C / SIGTERM stop the lookups at once (results are written only
after them, in one go, so nothing half-done is left) with exit code 130 / 143. The outcome goes to
the log as well.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys

from kpadmin import stopping
from kpadmin.billing.engine import ChargeEngine, EngineBusy
from kpadmin.commands import wiring
from kpadmin.exitcodes import ExitCode
from kpadmin.redact import redact_text
from kpadmin.store.models import ChargeState

log = logging.getLogger(__name__)


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
    store = env.open_store()
    try:
        async with stopping.watch(), env.gateway() as gateway:
            engine = ChargeEngine(
                store,
                gateway,
                monthly_limit=env.monthly_limit,
                clock=env.clock,
                collections=env.collections,
            )
            report = await engine.reconcile(staff=env.staff)
            mismatches = engine.amount_mismatches({r.charge_id for r in report.mismatched})
    finally:
        store.close()
    log.info("%s mode: reconciled: %s", env.runtime.mode.upper(), report.summary())
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
                            "merchant_uid": r.order_id,
                            "before": r.before.value,
                            "after": r.after.value,
                            "detail": redact_text(r.detail),
                        }
                        for r in report.rows
                    ],
                    "amount_mismatches": [
                        {
                            "customer_uid": m.key_id,
                            "merchant_uid": m.order_id,
                            "asked": m.asked,
                            "paid": m.paid,
                        }
                        for m in mismatches
                    ],
                },
                ensure_ascii=False,
            )
        )
    else:
        print(f"Reconciled: {report.summary()}.")
        for r in report.rows:
            if r.after is ChargeState.UNKNOWN:
                print(f"  unknown  {r.order_id}  {redact_text(r.detail)}")
        if mismatches:
            print(
                f"WARNING: {len(mismatches)} payment(s) were charged for another amount than was "
                "asked. They are recorded as paid; check each one at i'mport:"
            )
            for m in mismatches:
                print(f"  {m.describe()}")
    return ExitCode.ATTENTION if report.unknown or mismatches else ExitCode.OK
