"""The settlement report (정산): per Korean day, per Korean month and per plan — payments taken
(count and amount), refunded amount, net, and declined count.

Built on the store's ledger (`kpadmin.store.ledger`): the store returns the journal rows and the
refund rows whose moment falls in the range's instants, and the Korean calendar is applied here,
so the same report comes out of SQLite and PostgreSQL. What counts:

* paid: rows in state paid, by ``paid_at``; the amount is what i'mport reported as paid;
* refunded: each refund on its own Korean day (the refund rows' ``refunded_at``:
  `kpadmin.store.refunds`; i'mport's ``cancelled_at`` when it listed one, else when kpadmin learned
  of it), whatever day its payment was — a payment of 12-01 refunded on 12-05 is paid on 12-01
  and refunded on 12-05, so the figures of a closed day never change when a later refund happens
  (except a refund made outside kpadmin that reconcile finds later: it lands on the day i'mport
  says it happened). Per plan: the plan of the refunded payment's subscriber. Refunds recorded
  before the refund rows existed count on their charge's last change (revision 0005's back-fill);
* net = paid − refunded (it can be negative on a day with refunds and few payments);
* declined (``failed_count``): rows declined or rejected, by the time their answer was recorded.
  Outcomes not known yet (planned / sent / unknown) are in no figure: reconcile settles them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from kpadmin.billing.periods import SEOUL, period_of
from kpadmin.store import Store
from kpadmin.store.ledger import LedgerLine, RefundLine, settlement_lines
from kpadmin.store.models import ChargeState, Span

#: The longest range one report covers (about ten years of days).
MAX_DAYS = 3700
_FAILED = (ChargeState.DECLINED, ChargeState.REJECTED)


class ReportRangeError(ValueError):
    """A range the report refuses (end before start, too long)."""


@dataclass(slots=True)
class Figures:
    """One row of the report: counts and won."""

    paid_count: int = 0
    paid_amount: int = 0
    refunded_amount: int = 0
    failed_count: int = 0

    @property
    def net_amount(self) -> int:
        return self.paid_amount - self.refunded_amount

    def add(self, line: LedgerLine) -> None:
        if line.state is ChargeState.PAID:
            self.paid_count += 1
            self.paid_amount += line.paid
        elif line.state in _FAILED:
            self.failed_count += 1

    def as_dict(self) -> dict[str, int]:
        return {
            "paid_count": self.paid_count,
            "paid_amount": self.paid_amount,
            "refunded_amount": self.refunded_amount,
            "net_amount": self.net_amount,
            "failed_count": self.failed_count,
        }


@dataclass(frozen=True, slots=True)
class Settlement:
    """The report of the Korean days `start`..`end` (both included)."""

    start: date
    end: date
    days: list[tuple[date, Figures]]  # every day of the range, oldest first
    months: list[tuple[str, Figures]]  # "YYYY-MM", oldest first
    plans: list[tuple[str, Figures]]  # by plan name ("" = no plan), largest net first
    total: Figures = field(default_factory=Figures)

    def as_json(self) -> dict[str, Any]:
        """`kpadmin report --json`: ``days`` [{date, paid_count, paid_amount, refunded_amount,
        net_amount, failed_count}], ``months`` and ``plans`` the same with ``month`` / ``plan``,
        ``total`` the same keys without a date."""
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "timezone": "Asia/Seoul",
            "days": [{"date": d.isoformat(), **f.as_dict()} for d, f in self.days],
            "months": [{"month": m, **f.as_dict()} for m, f in self.months],
            "plans": [{"plan": p, **f.as_dict()} for p, f in self.plans],
            "total": self.total.as_dict(),
        }


def day_span(start: date, end: date) -> Span:
    """The instants of the Korean days `start`..`end` (both included)."""
    return Span(
        datetime.combine(start, time(), SEOUL),
        datetime.combine(end + timedelta(days=1), time(), SEOUL),
    )


def check_range(start: date, end: date) -> None:
    if end < start:
        raise ReportRangeError(f"the range ends ({end}) before it starts ({start})")
    if (end - start).days + 1 > MAX_DAYS:
        raise ReportRangeError(f"a report covers at most {MAX_DAYS} days")


def kst_day(moment: datetime) -> date:
    return moment.astimezone(SEOUL).date()


def summarise(
    lines: Iterable[LedgerLine],
    start: date,
    end: date,
    refunds: Iterable[RefundLine] = (),
) -> Settlement:
    """The report of `lines` and `refunds` (the ledger and the refunds of that range) — pure, for
    tests and the GUI."""
    check_range(start, end)
    by_day: dict[date, Figures] = {}
    day = start
    while day <= end:
        by_day[day] = Figures()
        day += timedelta(days=1)
    by_month: dict[str, Figures] = {}
    for d in by_day:
        by_month.setdefault(period_of(d), Figures())
    by_plan: dict[str, Figures] = {}
    total = Figures()
    for line in lines:
        d = kst_day(line.at)
        if d not in by_day:
            continue
        for bucket in (
            by_day[d],
            by_month[period_of(d)],
            by_plan.setdefault(line.plan, Figures()),
            total,
        ):
            bucket.add(line)
    for refund in refunds:
        d = kst_day(refund.at)
        if d not in by_day:
            continue
        for bucket in (
            by_day[d],
            by_month[period_of(d)],
            by_plan.setdefault(refund.plan, Figures()),
            total,
        ):
            bucket.refunded_amount += refund.amount
    plans = sorted(by_plan.items(), key=lambda item: (-item[1].net_amount, item[0]))
    return Settlement(start, end, list(by_day.items()), list(by_month.items()), plans, total)


def settlement(store: Store, start: date, end: date) -> Settlement:
    """The settlement report of the Korean days `start`..`end` from the store."""
    check_range(start, end)
    lines, refunds = settlement_lines(store, day_span(start, end))
    return summarise(lines, start, end, refunds)


def default_range(today: date) -> tuple[date, date]:
    """This Korean month up to today."""
    return today.replace(day=1), today


def text_table(report: Settlement) -> list[str]:
    """The report as lines for a terminal (`kpadmin report` without --json)."""
    head = (
        f"{'date':<10}  {'paid':>5}  {'paid ₩':>13}  {'refunded ₩':>12}  {'net ₩':>13}"
        f"  {'declined':>8}"
    )
    lines = [f"Settlement {report.start} .. {report.end} (Korean days, Asia/Seoul)", head]

    def row(label: str, f: Figures) -> str:
        return (
            f"{label:<10}  {f.paid_count:>5}  {f.paid_amount:>13,}  {f.refunded_amount:>12,}"
            f"  {f.net_amount:>13,}  {f.failed_count:>8}"
        )

    lines += [row(d.isoformat(), f) for d, f in report.days]
    lines.append(row("total", report.total))
    if len(report.months) > 1:
        lines.append("")
        lines += [row(m, f) for m, f in report.months]
    if report.plans:
        lines.append("")
        lines.append("by plan")
        lines += [f"  {p or '(no plan)'}: " + row("", f).strip() for p, f in report.plans]
    return lines
