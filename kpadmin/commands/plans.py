"""`kpadmin plans list|add|price`: the plans catalogue (kpadmin/billing/plans.py) from the command
line, as the app's Books → Plans… does it.

``list`` prints the plans with their price, subscribers and a change still waiting. ``add NAME
PRICE`` adds a plan. ``price NAME PRICE --from YYYY-MM`` changes a plan's price from that month's
charges on: it prints the preview (who changes now, who at their next charge in that month, how
many customers are told when notices are on, and who pays the new price sooner than the notice lead
time), then applies it — with its notices, in one transaction — unless ``--dry-run``. ``--json``:
one JSON object. Exit codes: 0 done, 2 a refused plan or change (the message says why) or bad
usage, 3 the settings file cannot be used, 4 the database is unusable.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from kpadmin.billing import plans
from kpadmin.billing.periods import today_in_seoul
from kpadmin.commands import wiring
from kpadmin.exitcodes import ExitCode


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="the plans with their price and subscribers")
    listing.add_argument("--json", action="store_true", help="print one JSON object")
    add = sub.add_parser("add", help="add a plan to the catalogue")
    add.add_argument("name")
    add.add_argument("price", help="the monthly price in won, e.g. 9,900")
    price = sub.add_parser(
        "price", help="change a plan's price from a month on (preview, then apply)"
    )
    price.add_argument("name")
    price.add_argument("price", help="the new monthly price in won")
    price.add_argument(
        "--from", dest="from_period", required=True, metavar="YYYY-MM", help="the first month"
    )
    price.add_argument("--dry-run", action="store_true", help="print the preview, change nothing")
    price.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    try:
        env = wiring.load(args.data_dir, new_database=getattr(args, "new_database", False))
        store = env.open_store()
        try:
            if args.action == "list":
                return _list(args, store)
            if args.action == "add":
                plan = plans.add_plan(
                    store, args.name, args.price, staff=env.staff, now=env.clock()
                )
                print(f"added {plan.name}: ₩{plan.price:,}")
                return ExitCode.OK
            return _price(args, env, store)
        finally:
            store.close()
    except plans.PlanError as exc:
        print(f"kpadmin plans: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    except wiring.EXPECTED_ERRORS as exc:
        print(f"kpadmin plans: {wiring.explain(exc)}", file=sys.stderr)
        return wiring.exit_code(exc, ExitCode.USAGE)


def _list(args: argparse.Namespace, store: Any) -> int:
    counts = plans.subscriber_counts(store)
    pending = {c.plan_id: c for c in plans.pending_changes(store)}
    rows = [
        {
            "name": p.name,
            "price": p.price,
            "subscribers": counts.get(p.name, 0),
            "waiting_from": pending[p.id].from_period if p.id in pending else None,
        }
        for p in plans.list_plans(store)
    ]
    if args.json:
        print(json.dumps({"plans": rows}, ensure_ascii=False))
        return ExitCode.OK
    if not rows:
        print("No plans yet: kpadmin plans add NAME PRICE")
    for row in rows:
        line = f"{row['name']:24} ₩{row['price']:>12,} {row['subscribers']:>6} subscriber(s)"
        if row["waiting_from"]:
            line += f"  (from {row['waiting_from']}: some still at the old price)"
        print(line)
    return ExitCode.OK


def _price(args: argparse.Namespace, env: wiring.Environment, store: Any) -> int:
    catalogue = {p.name: p for p in plans.list_plans(store)}
    plan = catalogue.get(args.name.strip())
    if plan is None:
        raise plans.PlanError(f"the catalogue has no plan named {args.name.strip()!r}")
    policy = env.collections.notices
    today = today_in_seoul(env.clock)
    preview = plans.preview_price_change(
        store, plan, args.price, args.from_period, today=today, notices=policy
    )
    applied = None
    if not args.dry_run:
        applied = plans.apply_price_change(
            store, preview, staff=env.staff, now=env.clock(), notices=policy
        )
    summary = _summary(preview, applied)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
        return ExitCode.OK
    print(
        f"{plan.name}: ₩{plan.price:,} → ₩{preview.new_price:,} from the charges of "
        f"{preview.from_period}"
    )
    if not preview.notices_on:
        print("notices are off: no customer is told of the new price")
    else:
        print(f"customers told by e-mail: {len(preview.notified)} (those with an e-mail address)")
        if preview.short_notice:
            first = preview.short_notice[0][1]
            print(
                f"sooner than the {preview.lead_days}-day notice: {len(preview.short_notice)} "
                f"customer(s) pay the new price less than {preview.lead_days} days from today, "
                f"the first on {first}; choose a later month to give them the full notice"
            )
    print(
        f"changed now: {len(preview.now)}; when their next charge reaches the month: "
        f"{len(preview.later)}"
    )
    for label, items in (("now", preview.now), ("later", preview.later)):
        for sub, old in items:
            print(
                f"  {label:5} {sub.customer_uid}  {sub.next_charge_date}  ₩{old:,} → "
                f"₩{preview.new_price:,}"
            )
    print("dry run: nothing changed" if applied is None else "applied")
    return ExitCode.OK


def _summary(preview: plans.PricePreview, applied: int | None) -> dict[str, Any]:
    return {
        "plan": preview.plan.name,
        "old_price": preview.plan.price,
        "new_price": preview.new_price,
        "from": preview.from_period,
        "now": [s.customer_uid for s, _ in preview.now],
        "later": [s.customer_uid for s, _ in preview.later],
        "notices": preview.notices_on,
        "notified": len(preview.notified),
        "notice_days_before": preview.lead_days,
        "short_notice": [
            {"customer_uid": s.customer_uid, "first_charge": day.isoformat()}
            for s, day in preview.short_notice
        ],
        "applied": applied is not None,
    }
