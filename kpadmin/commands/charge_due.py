"""`kpadmin charge-due`: charge every subscriber that is due, with the same engine as the GUI.

Steps: reconcile what is in doubt → plan (who, how much, who is skipped and why) → confirm →
run the batch → summary. On a terminal a progress bar is drawn on stderr; ``--json`` prints one
machine-readable object on stdout instead of the summary. Exit codes: 0 all charged (or nothing
due), 1 (`ExitCode.ATTENTION`) something ended declined / rejected / unknown / not sent, or was
paid for another amount than was asked (an amount mismatch: recorded paid, named in a warning
with the amount asked and the amount charged), 2 refused or could not start; 4 the database is
missing, damaged or too new, 5 the disk refused a write (before the batch: nothing sent;
mid-batch: no more sent, what could not be recorded is looked up next run) — see
`kpadmin.exitcodes`.

Every text that came from i'mport (reasons, details, errors) is redacted before it is printed,
like the logs: secrets, tokens, card and phone numbers never reach a terminal or a scheduler's
mail.

Without ``--yes`` it asks for confirmation on a terminal and refuses when stdin is not one (a
scheduler must say ``--yes`` explicitly). The first Ctrl-C stops new sends (charges in flight
finish and are recorded); a second one interrupts, leaving in-flight charges in doubt for
`kpadmin reconcile`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, TextIO

from kpadmin import runtime as rt
from kpadmin.billing.due import Plan
from kpadmin.billing.engine import (
    MAX_CONCURRENCY,
    AmountMismatch,
    BatchResult,
    ChargeEngine,
    ChargeEvent,
    EngineBusy,
    without_declines,
)
from kpadmin.billing.reconcile import ReconcileReport
from kpadmin.commands import wiring
from kpadmin.exitcodes import ExitCode
from kpadmin.redact import redact_text
from kpadmin.store.errors import DiskError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_REFUSED = 2


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true", help="show who is due; charge nobody")
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    parser.add_argument(
        "--concurrency",
        type=_concurrency,
        default=None,
        help=f"charges in flight at once, 1..{MAX_CONCURRENCY} (default: the setting)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object at the end")


def _concurrency(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {raw!r}") from None
    if not 1 <= value <= MAX_CONCURRENCY:
        raise argparse.ArgumentTypeError(f"must be 1..{MAX_CONCURRENCY}")
    return value


def run(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(_main(args))
    except EngineBusy as exc:
        print(f"kpadmin charge-due: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except wiring.EXPECTED_ERRORS as exc:
        print(f"kpadmin charge-due: {wiring.explain(exc)}", file=sys.stderr)
        return wiring.exit_code(exc, EXIT_REFUSED)


async def _main(args: argparse.Namespace) -> int:
    env = wiring.load(args.data_dir, new_database=getattr(args, "new_database", False))
    conn = env.open_database()
    try:
        async with env.client() as client:
            engine = ChargeEngine(conn, client, monthly_limit=env.monthly_limit)
            report = await engine.reconcile(staff=env.staff)
            found = engine.amount_mismatches({r.charge_id for r in report.mismatched})
            # A decline this reconciliation found (a crash's leftover) is not retried in this run.
            plan = without_declines(engine.plan(None, None, env.staff), report)
            if args.dry_run:
                return _report_plan(args, plan, report, found)
            if plan.count == 0:
                return _finish(args, None, report, found, plan_skips=plan.skipped)
            if not args.yes and not _confirm(plan.count, plan.total_amount):
                return EXIT_REFUSED
            concurrency = args.concurrency or env.concurrency
            bar = _ProgressBar(sys.stderr) if sys.stderr.isatty() and not args.json else None
            async with _cancel_on_sigint() as cancel:
                result = await engine.run(
                    plan,
                    concurrency=concurrency,
                    rps=env.rps,
                    on_event=bar.update if bar else None,
                    cancel=cancel,
                )
            if bar:
                bar.close()
            return _finish(args, result, report, found, plan_skips=())
    finally:
        conn.close()


def _confirm(count: int, total: int) -> bool:
    if not sys.stdin.isatty():
        print(
            f"kpadmin charge-due: {count} subscriber(s) due, ₩{total:,} in total. Not on a "
            "terminal, so not asking: run again with --yes to charge them.",
            file=sys.stderr,
        )
        return False
    answer = input(f"Charge {count} subscriber(s), ₩{total:,} in total? [y/N] ")
    if answer.strip().lower() in ("y", "yes"):
        return True
    print("Nothing charged.", file=sys.stderr)
    return False


def _report_plan(
    args: argparse.Namespace,
    plan: Plan,
    report: ReconcileReport,
    mismatches: list[AmountMismatch],
) -> int:
    if args.json:
        print(
            json.dumps(
                {
                    "dry_run": True,
                    "due": plan.count,
                    "total_amount": plan.total_amount,
                    "charges": [
                        {
                            "customer_uid": i.customer_uid,
                            "period": i.period,
                            "attempt": i.attempt,
                            "merchant_uid": i.merchant_uid,
                            "amount": i.amount,
                        }
                        for i in plan.items
                    ],
                    "skipped": _skips(plan.skipped),
                    "reconciled": _reconciled(report),
                    "amount_mismatches": _mismatches(mismatches),
                },
                ensure_ascii=False,
            )
        )
    else:
        print(f"{plan.count} subscriber(s) due, ₩{plan.total_amount:,} in total (dry run).")
        for item in plan.items:
            print(f"  {item.customer_uid}  {item.period} #{item.attempt}  ₩{item.amount:,}")
        _print_skips(plan.skipped)
        _print_mismatches(mismatches)
    return ExitCode.ATTENTION if report.unknown or mismatches else EXIT_OK


def _finish(
    args: argparse.Namespace,
    result: BatchResult | None,
    report: ReconcileReport,
    reconciled_mismatches: list[AmountMismatch],
    *,
    plan_skips: Any,
) -> int:
    skipped = result.skipped if result else plan_skips
    in_doubt = report.unknown
    mismatches = {m.charge_id: m for m in reconciled_mismatches}
    mismatches.update((m.charge_id, m) for m in (result.mismatches if result else ()))
    flagged = sorted(mismatches.values(), key=lambda m: m.charge_id)
    ok = (result is None or result.ok) and in_doubt == 0 and not flagged
    if args.json:
        progress = result.progress if result else None
        print(
            json.dumps(
                {
                    "dry_run": False,
                    "batch_id": result.batch_id if result else None,
                    "due": progress.total if progress else 0,
                    "paid": progress.paid if progress else 0,
                    "paid_amount": progress.paid_amount if progress else 0,
                    "declined": progress.declined if progress else 0,
                    "rejected": progress.rejected if progress else 0,
                    "unknown": progress.unknown if progress else 0,
                    "not_sent": progress.unsent if progress else 0,
                    "cancelled": result.cancelled if result else False,
                    "error": _clean(result.error) if result and result.error else None,
                    "charges": [
                        {
                            "customer_uid": o.customer_uid,
                            "period": o.period,
                            "attempt": o.attempt,
                            "merchant_uid": o.merchant_uid,
                            "amount": o.amount,
                            "state": o.state.value,
                            "imp_uid": o.imp_uid,
                            "message": _clean(o.message),
                            "paid_amount": o.paid_amount,
                        }
                        for o in (result.outcomes if result else ())
                    ],
                    "skipped": _skips(skipped),
                    "reconciled": _reconciled(report),
                    "amount_mismatches": _mismatches(flagged),
                    "ok": ok,
                },
                ensure_ascii=False,
            )
        )
        return _exit(result, ok)
    if report.checked:
        print(f"Reconciled before the batch: {report.summary()}.")
    if result is None:
        print("Nobody is due.")
    else:
        p = result.progress
        print(
            f"{p.paid} paid (₩{p.paid_amount:,}), {p.declined} declined, {p.rejected} rejected, "
            f"{p.unknown} unknown, {p.unsent} not sent — batch {result.batch_id}"
            + (" (cancelled)" if result.cancelled else "")
        )
        for o in result.outcomes:
            if o.state.value != "paid":
                print(
                    f"  {o.state.value:9} {o.customer_uid}  {o.merchant_uid}  {_clean(o.message)}"
                )
        if result.error:
            fix = f" {rt.DISK_FIX}" if isinstance(result.journal_error, DiskError) else ""
            print(f"Stopped early: {_clean(result.error)}.{fix}", file=sys.stderr)
    _print_skips(skipped)
    _print_mismatches(flagged)
    if in_doubt:
        print(f"{in_doubt} charge(s) still in doubt: run `kpadmin reconcile` later.")
    return _exit(result, ok)


def _clean(text: str) -> str:
    """Text that may quote i'mport, redacted like the logs (defence in depth: the client and the
    journal redact already)."""
    return redact_text(text)


def _mismatches(mismatches: list[AmountMismatch] | tuple[AmountMismatch, ...]) -> list[Any]:
    return [
        {
            "customer_uid": m.customer_uid,
            "name": m.name,
            "period": m.period,
            "merchant_uid": m.merchant_uid,
            "imp_uid": m.imp_uid,
            "asked": m.asked,
            "paid": m.paid,
        }
        for m in mismatches
    ]


def _print_mismatches(mismatches: list[AmountMismatch]) -> None:
    """The warning a paid-but-different amount gets: paid (the money moved), but a person must
    look at each one (refund the difference, or charge the rest)."""
    if not mismatches:
        return
    print(
        f"WARNING: {len(mismatches)} payment(s) were charged for another amount than was asked. "
        "They are recorded as paid; check each one at i'mport:"
    )
    for m in mismatches:
        print(f"  {m.describe()}")


def _exit(result: BatchResult | None, ok: bool) -> int:
    if result is not None and result.journal_error is not None:
        return wiring.exit_code(result.journal_error, EXIT_FAILED)  # the disk stopped it: DISK
    return EXIT_OK if ok else ExitCode.ATTENTION


def _skips(skipped: Any) -> list[dict[str, str]]:
    return [
        {"customer_uid": s.customer_uid, "reason": s.reason.value, "message": _clean(s.message)}
        for s in skipped
    ]


def _print_skips(skipped: Any) -> None:
    if not skipped:
        return
    print(f"Skipped {len(skipped)}:")
    for s in skipped:
        print(f"  {s.reason.value:17} {s.customer_uid}  {_clean(s.message)}")


def _reconciled(report: ReconcileReport) -> dict[str, int]:
    return {
        "checked": report.checked,
        "paid": report.paid,
        "unknown": report.unknown,
        "to_resend": report.to_resend,
    }


@asynccontextmanager
async def _cancel_on_sigint() -> AsyncIterator[asyncio.Event]:
    """First Ctrl-C (or SIGTERM from a scheduler): stop sending new charges, let those in flight
    finish and be recorded. A second one: the default action (interrupt / terminate) — safe too,
    it only leaves charges in doubt for the next reconciliation."""
    cancel = asyncio.Event()
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []

    def on_signal(signum: signal.Signals) -> None:
        if cancel.is_set():
            loop.remove_signal_handler(signum)
            signal.raise_signal(signum)
            return
        print("\nStopping: no new charges; waiting for those in flight…", file=sys.stderr)
        cancel.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(signum, on_signal, signum)
            installed.append(signum)
        except (NotImplementedError, RuntimeError):  # Windows' proactor loop has none
            pass
    try:
        yield cancel
    finally:
        for signum in installed:
            loop.remove_signal_handler(signum)


class _ProgressBar:
    """One line on a terminal: [#####-----] done/total, paid, failed."""

    WIDTH = 30

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.write: Callable[[str], object] = stream.write

    def update(self, event: ChargeEvent) -> None:
        p = event.progress
        if not p.total:
            return
        filled = int(self.WIDTH * p.done / p.total)
        self.write(
            f"\r[{'#' * filled}{'-' * (self.WIDTH - filled)}] {p.done}/{p.total}  "
            f"paid {p.paid}  failed {p.failed}  ₩{p.paid_amount:,}"
        )
        self.stream.flush()

    def close(self) -> None:
        self.write("\n")
        self.stream.flush()
