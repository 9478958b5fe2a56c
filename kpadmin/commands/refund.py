"""`kpadmin refund (--imp-uid X | --merchant-uid Y) [--amount N] --reason TEXT`: refund a paid
charge of the journal, on the same path as the GUI's refund dialog (`kpadmin.billing.refunds`).

The charge is named by i'mport's payment id (``imp_uid``) or the charge's order id
(``merchant_uid``) — PortOne's words, as in the console the merchant reads them from. Without
``--amount`` everything left is refunded. The journal's refundable balance is sent as the
checksum, so a refund made meanwhile elsewhere is refused, never doubled; a lost answer is looked
up, never re-sent. ``--json`` prints one object.

Exit codes (`kpadmin.exitcodes`): 0 refunded; 1 the gateway refused, shows no new refund, or the
outcome is unknown (look at the payment at i'mport before trying again); 2 no such charge in the
journal, nothing left to refund, or a bad amount or reason; 3 settings, 4 database, 5 disk,
6 i'mport not reachable (nothing was sent), 7 secrets.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from typing import Any

from kpadmin import stopping
from kpadmin.billing import refunds
from kpadmin.billing.refunds import Problem, RefundState
from kpadmin.commands import wiring
from kpadmin.exitcodes import ExitCode
from kpadmin.redact import redact_text

log = logging.getLogger(__name__)

_PROBLEMS = {
    Problem.NO_SUCH_CHARGE: "no such charge in kpadmin's journal",
    Problem.NOT_REFUNDABLE: "nothing left to refund on this charge (not paid, or refunded in full)",
    Problem.BALANCE_CHANGED: "the refundable balance changed meanwhile; nothing was refunded",
    Problem.BAD_AMOUNT: "the amount must be 1..the refundable balance",
    Problem.NO_REASON: "a reason is required",
}


def configure(parser: argparse.ArgumentParser) -> None:
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--imp-uid", help="i'mport's payment id (imp_uid) of the charge")
    which.add_argument("--merchant-uid", help="the charge's order id (merchant_uid)")
    parser.add_argument(
        "--amount", type=_amount, default=None, help="whole won to refund (default: all left)"
    )
    parser.add_argument("--reason", required=True, help="why (shown in the i'mport console)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _amount(raw: str) -> int:
    text = raw.strip().replace(",", "").replace("₩", "").replace("원", "")
    if not text.isdigit() or int(text) <= 0:
        raise argparse.ArgumentTypeError(f"not a whole positive number of won: {raw!r}")
    return int(text)


def run(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(_main(args))
    except wiring.EXPECTED_ERRORS as exc:
        print(f"kpadmin refund: {wiring.explain(exc)}", file=sys.stderr)
        return wiring.exit_code(exc, ExitCode.USAGE)


async def _main(args: argparse.Namespace) -> int:
    env = wiring.load(args.data_dir, new_database=getattr(args, "new_database", False))
    store = env.open_store()
    try:
        if args.imp_uid is not None:
            charge = store.charges.by_imp_uid(args.imp_uid.strip())
        else:
            charge = store.charges.by_merchant_uid(args.merchant_uid.strip())
        if charge is None:
            return _say(args, None, Problem.NO_SUCH_CHARGE)
        reason = refunds.clean_reason(args.reason)
        if not reason:
            return _say(args, None, Problem.NO_REASON)
        async with stopping.watch(), env.gateway() as gateway:
            result = await refunds.refund_charge(
                store,
                gateway,
                charge.id,
                amount=args.amount,
                reason=reason,
                staff=env.staff,
                clock=env.clock,
            )
    finally:
        store.close()
    return _say(args, result, result.problem)


def _say(
    args: argparse.Namespace, result: refunds.ChargeRefund | None, problem: Problem | None
) -> int:
    answer = result.answer if result is not None else None
    state = answer.state if answer is not None else None
    code = _exit_code(problem, state)
    if problem is not None:
        text = _PROBLEMS[problem]
        if result is not None and problem is Problem.BAD_AMOUNT:
            text += f" (₩{result.balance:,})"
    elif state is RefundState.REFUNDED and result is not None:
        total = result.refunded_total or 0
        text = f"Refunded ₩{result.refunded_now:,} (₩{total:,} refunded in total)."
    elif state is RefundState.REFUSED and answer is not None:
        why = redact_text(answer.gateway_message)
        text = f"i'mport refused the refund: {why}. Nothing was refunded."
        if answer.balance_differs:
            text += (
                " i'mport's refundable balance differs from kpadmin's (refunded elsewhere?): "
                "check the payment at i'mport before trying again."
            )
    elif state is RefundState.NOT_SENT and answer is not None:
        text = (
            f"i'mport could not be reached; nothing was sent: {redact_text(answer.gateway_message)}"
        )
    elif state is RefundState.NOTHING_NEW:
        text = "i'mport shows no new refund for this payment; nothing more was recorded."
    else:
        text = (
            "The answer from i'mport was lost and the payment could not be looked up: check it "
            "at i'mport before trying again."
        )
    log.info("refund: %s", text)
    if args.json:
        out: dict[str, Any] = {
            "ok": code == ExitCode.OK,
            "state": state.value if state is not None else None,
            "problem": problem.value if problem is not None else None,
            "message": text,
            "merchant_uid": result.charge.merchant_uid if result and result.charge else None,
            "imp_uid": result.charge.imp_uid if result and result.charge else None,
            "refunded": result.refunded_now if result else 0,
            "refunded_total": result.refunded_total if result else None,
            "balance_differs": bool(answer and answer.balance_differs),
        }
        print(json.dumps(out, ensure_ascii=False))
    else:
        print(text, file=sys.stdout if code == ExitCode.OK else sys.stderr)
    return code


def _exit_code(problem: Problem | None, state: RefundState | None) -> int:
    if problem is not None:
        return ExitCode.USAGE
    if state is RefundState.REFUNDED:
        return ExitCode.OK
    if state is RefundState.NOT_SENT:
        return ExitCode.GATEWAY
    return ExitCode.ATTENTION
