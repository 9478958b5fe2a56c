"""`kpadmin charge-due`: charge every subscriber that is due, with the same engine as the GUI.

Steps (`kpadmin.billing.batch.BatchSession`, the GUI's too): reconcile what is in doubt → plan
(who, how much, who is skipped and why) → confirm → run the batch → summary. On a terminal a
progress bar is drawn on stderr; ``--json`` prints one
machine-readable object on stdout instead of the summary (its keys keep PortOne's names —
``customer_uid``, ``merchant_uid``, ``imp_uid`` — the words merchants and their scripts search the
PortOne console by; inside billing they are ``key_id``, ``order_id``, ``payment_id``). Exit
codes: 0 all charged (or nothing due), 1 (`ExitCode.ATTENTION`) something ended declined /
rejected / unknown / not sent, or was paid for another amount than was asked (an amount
mismatch: recorded paid, named in a warning
with the amount asked and the amount charged), 2 refused or could not start; 3 the settings file
cannot be used; 4 the database is missing, damaged or too new, 5 the disk refused a write (before
the batch: nothing sent; mid-batch: no more sent, what could not be recorded is looked up next
run); 130 / 143 stopped by Ctrl+C / SIGTERM — see `kpadmin.exitcodes`.
A reader that goes away early (``kpadmin charge-due --dry-run | head -1``, a closed log pipe)
changes none of this: the batch runs to its end and is recorded, the rest of the output is
discarded (`kpadmin.cli`), and the exit code is still the outcome's, never one for the pipe.

Every text that came from i'mport (reasons, details, errors) is redacted before it is printed,
like the logs: secrets, tokens, card and phone numbers never reach a terminal or a scheduler's
mail.

Without ``--yes`` it asks for confirmation on a terminal, naming the mode ("LIVE: charge 12
subscriber(s), ₩118,800 in total?"), and refuses when stdin is not one (a scheduler must say
``--yes`` explicitly). Ctrl+C or SIGTERM (`kpadmin.stopping`): before the batch, it stops at once
(nothing was sent); during the batch, the first one stops new sends and every wait, including the
pacer's (charges in flight finish and are recorded), the summary is printed and the exit code is
130 / 143; a second one stops at once, leaving what was in flight in doubt (recorded as unknown)
for `kpadmin reconcile`, and says how many. The plan and the outcome go to the log as well.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Callable, Mapping
from typing import Any, TextIO

from kpadmin import runtime as rt
from kpadmin import stopping
from kpadmin.billing import outbox
from kpadmin.billing.batch import BatchSession
from kpadmin.billing.collections import outlook, request_retry
from kpadmin.billing.due import Plan
from kpadmin.billing.engine import (
    MAX_CONCURRENCY,
    AmountMismatch,
    BatchResult,
    ChargeEngine,
    ChargeEvent,
    EngineBusy,
)
from kpadmin.billing.notices.smtp import SmtpSettingsMissing
from kpadmin.billing.reconcile import ReconcileReport
from kpadmin.billing.retry_policy import Decision
from kpadmin.commands import wiring
from kpadmin.exitcodes import ExitCode
from kpadmin.redact import redact_text
from kpadmin.store import Store
from kpadmin.store.errors import DiskError
from kpadmin.store.models import ChargeState, SubscriberState

log = logging.getLogger(__name__)

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
    parser.add_argument(
        "--retry-past-due",
        nargs="+",
        metavar="ID",
        default=None,
        help="staff retry: charge these past-due or declined subscribers (id or customer_uid) "
        "once more now, whatever the retry days; only they are charged",
    )


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
    mode = env.runtime.mode.upper()
    store = env.open_store()
    try:
        async with stopping.watch() as stop, env.gateway() as gateway:
            engine = ChargeEngine(
                store,
                gateway,
                monthly_limit=env.monthly_limit,
                clock=env.clock,
                collections=env.collections,
            )
            session = BatchSession(engine, staff=env.staff)
            asked = None
            retry_ids = getattr(args, "retry_past_due", None)  # callers building a Namespace
            if retry_ids is not None:
                asked = _staff_retry(store, retry_ids, env, dry_run=args.dry_run)
                if asked is None:
                    return EXIT_REFUSED
            # Reconcile → plan → minus the declines that reconciliation found (the GUI's too).
            # Before a real batch, what changed at i'mport outside kpadmin comes in too (a dry
            # run changes nothing beyond the rows in doubt).
            prepared = await session.prepare(asked, outside=not args.dry_run)
            plan, report, found = prepared.plan, prepared.report, list(prepared.mismatches)
            log.info(
                "%s mode: %d due (₩%s), %d skipped; reconciled first: %s",
                mode,
                plan.count,
                f"{plan.total_amount:,}",
                len(plan.skipped),
                report.summary() if report.checked else "nothing in doubt",
            )
            if args.dry_run:
                return _report_plan(args, plan, report, found, mode)
            policy = env.collections.notices
            outbox.enqueue_advance(store, policy, today=plan.today, now=env.clock())
            if plan.count == 0:
                notices = await _send_notices(env, store, policy)
                return _finish(args, None, report, found, plan_skips=plan.skipped, notices=notices)
            if not args.yes:
                with stop.synchronous():  # the prompt blocks the loop: a signal raises there
                    confirmed = _confirm(mode, plan.count, plan.total_amount)
                if not confirmed:
                    return EXIT_REFUSED
            concurrency = args.concurrency or env.concurrency
            bar = _ProgressBar(sys.stderr) if sys.stderr.isatty() and not args.json else None
            try:
                with stop.graceful(_STOPPING) as cancel:
                    result = await session.run(
                        plan,
                        concurrency=concurrency,
                        rps=env.rps,
                        on_event=bar.update if bar else None,
                        cancel=cancel,
                    )
            except asyncio.CancelledError:
                stop.note = _in_doubt_note(store)
                raise
            if bar:
                bar.close()
            _log_result(mode, result)
            failed = [o.subscriber_id for o in result.outcomes if o.state in _FAILED]
            retries = (
                outlook(store, clock=env.clock, retry_days=env.collections.retry_days, ids=failed)
                if failed
                else {}
            )
            notices = None if stop.requested else await _send_notices(env, store, policy)
            code = _finish(
                args, result, report, found, plan_skips=(), retries=retries, notices=notices
            )
            if stop.requested:
                print(
                    f"kpadmin charge-due: stopped by {stop.stopped_by}; nothing new was sent "
                    f"after it. {_in_doubt_note(store)}",
                    file=sys.stderr,
                )
                return stop.exit_code
            return code
    finally:
        store.close()


_STOPPING = (
    "Stopping: no new charges; waiting for those in flight to be recorded… "
    "(again: stop at once, leaving them in doubt for `kpadmin reconcile`)"
)


def _in_doubt_note(store: Store) -> str:
    """What the next run has to look up: a stop must say it."""
    try:
        count = len(store.charges.in_doubt())
    except Exception:  # a database that cannot even be read now
        return "Charges in flight may be in doubt: `kpadmin reconcile` looks them up."
    if not count:
        return "Nothing is in doubt."
    return (
        f"{count} charge(s) in doubt, recorded as such: `kpadmin reconcile` (or the next "
        "charge-due) looks them up before anything is sent again."
    )


def _log_result(mode: str, result: BatchResult) -> None:
    p = result.progress
    log.info(
        "%s batch %s: %d paid (₩%s), %d declined, %d rejected, %d unknown, %d not sent%s%s",
        mode,
        result.batch_id,
        p.paid,
        f"{p.paid_amount:,}",
        p.declined,
        p.rejected,
        p.unknown,
        p.unsent,
        " — cancelled" if result.cancelled else "",
        f" — stopped: {result.error}" if result.error else "",
    )


def _confirm(mode: str, count: int, total: int) -> bool:
    if not sys.stdin.isatty():
        print(
            f"kpadmin charge-due: {mode} mode: {count} subscriber(s) due, ₩{total:,} in total. "
            "Not on a terminal, so not asking: run again with --yes to charge them.",
            file=sys.stderr,
        )
        return False
    answer = stopping.ask(f"{mode}: charge {count} subscriber(s), ₩{total:,} in total? [y/N] ")
    if answer.strip().lower() in ("y", "yes"):
        return True
    print("Nothing charged.", file=sys.stderr)
    return False


def _report_plan(
    args: argparse.Namespace,
    plan: Plan,
    report: ReconcileReport,
    mismatches: list[AmountMismatch],
    mode: str,
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
                            "customer_uid": i.key_id,
                            "period": i.period,
                            "attempt": i.attempt,
                            "merchant_uid": i.order_id,
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
        print(
            f"{mode} mode: {plan.count} subscriber(s) due, ₩{plan.total_amount:,} in total "
            "(dry run)."
        )
        for item in plan.items:
            print(f"  {item.key_id}  {item.period} #{item.attempt}  ₩{item.amount:,}")
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
    retries: Mapping[int, Decision] | None = None,
    notices: outbox.SendReport | None = None,
) -> int:
    retries = retries or {}
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
                            "customer_uid": o.key_id,
                            "period": o.period,
                            "attempt": o.attempt,
                            "merchant_uid": o.order_id,
                            "amount": o.amount,
                            "state": o.state.value,
                            "imp_uid": o.payment_id,
                            "message": _clean(o.message),
                            "paid_amount": o.paid_amount,
                            **_retry_fields(retries.get(o.subscriber_id), o.state),
                        }
                        for o in (result.outcomes if result else ())
                    ],
                    "skipped": _skips(skipped),
                    "reconciled": _reconciled(report),
                    "amount_mismatches": _mismatches(flagged),
                    "notices": _notices_json(notices),
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
                    f"  {o.state.value:9} {o.key_id}  {o.order_id}  {_clean(o.message)}"
                    + _retry_text(retries.get(o.subscriber_id), o.state)
                )
        if result.error:
            fix = f" {rt.DISK_FIX}" if isinstance(result.journal_error, DiskError) else ""
            print(f"Stopped early: {_clean(result.error)}.{fix}", file=sys.stderr)
    _print_skips(skipped)
    _print_mismatches(flagged)
    if notices is not None and (notices.sent or notices.retry_later or notices.given_up):
        print(f"Notices: {notices.summary()}.")
    elif notices is not None and notices.stopped:
        print(f"Notices not sent: {notices.stopped}", file=sys.stderr)
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
            "customer_uid": m.key_id,
            "name": m.name,
            "period": m.period,
            "merchant_uid": m.order_id,
            "imp_uid": m.payment_id,
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


def _skips(skipped: Any) -> list[dict[str, str | None]]:
    return [
        {
            "customer_uid": s.key_id,
            "reason": s.reason.value,
            "message": _clean(s.message),
            "next_retry": s.next_retry.isoformat() if s.next_retry else None,
        }
        for s in skipped
    ]


_FAILED = (ChargeState.DECLINED, ChargeState.REJECTED)


async def _send_notices(
    env: wiring.Environment, store: Store, policy: outbox.NoticePolicy
) -> outbox.SendReport | None:
    """The customer notices after the batch (None: notices are off). A channel that cannot be
    opened (a mail setting, the keyring) is said once; the notices wait in the outbox."""
    if not policy.on:
        return None
    settings = env.runtime.settings
    try:
        notifier = outbox.open_notifier(settings, env.runtime.mode, clock=env.clock)
    except (SmtpSettingsMissing, *wiring.EXPECTED_ERRORS) as exc:
        log.warning("notices not sent: %s", exc)
        return outbox.SendReport(stopped=wiring.explain(exc))
    try:
        return await outbox.send_due(
            store, notifier, merchant=outbox.merchant_of(settings), clock=env.clock
        )
    finally:
        await notifier.aclose()


def _notices_json(report: outbox.SendReport | None) -> dict[str, Any] | None:
    if report is None:
        return None
    return {
        "sent": report.sent,
        "retry_later": report.retry_later,
        "given_up": report.given_up,
        "stopped": report.stopped,
    }


def _retry_fields(decision: Decision | None, state: ChargeState) -> dict[str, Any]:
    """The retry policy's word on a failed charge (``--json``)."""
    if state not in _FAILED or decision is None:
        return {}
    return {
        "next_retry": decision.next_retry.isoformat() if decision.next_retry else None,
        "past_due": decision.past_due,
    }


def _retry_text(decision: Decision | None, state: ChargeState) -> str:
    if state not in _FAILED or decision is None:
        return ""
    if decision.past_due:
        return " — now past due (kpadmin charge-due --retry-past-due to try again)"
    if decision.next_retry is not None:
        return f" — next retry {decision.next_retry.isoformat()}"
    return ""


def _staff_retry(
    store: Store, wanted: list[str], env: wiring.Environment, *, dry_run: bool
) -> list[int] | None:
    """``--retry-past-due``: the subscribers named (id or customer_uid), their retry recorded
    (not on a dry run). None (and a message) when one is unknown or cannot be charged."""
    ids: list[int] = []
    for raw in wanted:
        sub = (
            store.subscribers.get(int(raw))
            if raw.isascii() and raw.isdigit()
            else store.subscribers.get_by_uid(raw)
        )
        if sub is None:
            print(f"kpadmin charge-due: no subscriber {raw!r}; nothing charged.", file=sys.stderr)
            return None
        if sub.state not in (SubscriberState.PAST_DUE, SubscriberState.ACTIVE):
            print(
                f"kpadmin charge-due: {sub.customer_uid} is {sub.state.value}, not past due; "
                "nothing charged.",
                file=sys.stderr,
            )
            return None
        ids.append(sub.id)
    if dry_run:
        print("Dry run: the retry is not recorded; these subscribers stay as they are.")
        return ids
    request_retry(store, ids, staff=env.staff, now=env.clock())
    return ids


def _print_skips(skipped: Any) -> None:
    if not skipped:
        return
    print(f"Skipped {len(skipped)}:")
    for s in skipped:
        print(f"  {s.reason.value:17} {s.key_id}  {_clean(s.message)}")


def _reconciled(report: ReconcileReport) -> dict[str, int]:
    return {
        "checked": report.checked,
        "paid": report.paid,
        "unknown": report.unknown,
        "to_resend": report.to_resend,
    }


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
