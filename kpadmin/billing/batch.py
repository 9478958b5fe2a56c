"""One batch session, the same for the GUI's charging controller and `kpadmin charge-due`:
reconcile → plan → drop this reconciliation's declines → (staff confirm) → run.

`BatchSession.prepare` settles the rows in doubt first (only when there are any: a lookup of
nothing would still take the database's batch lock), so the plan — and the confirmation built from
it — shows the truth, not a stale "in doubt" skip. A decline or rejection that reconciliation just
found is not offered again in the same breath (`engine.without_declines`: staff see it among the
skipped, with its reason). `run` is the engine's batch; the engine re-checks every item when it
journals the intents, so a plan that went stale while a confirmation was open charges nobody it
should not.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kpadmin.billing.due import Plan
from kpadmin.billing.engine import (
    AmountMismatch,
    BatchResult,
    ChargeEngine,
    ChargeEvent,
    without_declines,
)
from kpadmin.billing.reconcile import ReconcileReport


@dataclass(frozen=True, slots=True)
class Prepared:
    plan: Plan  # who is charged (declines this session's reconciliation found are skipped)
    report: ReconcileReport  # this session's reconciliation (empty: nothing was in doubt)
    #: Rows the reconciliation settled paid for another amount than was asked.
    mismatches: tuple[AmountMismatch, ...] = ()

    @property
    def reconciled(self) -> bool:
        return bool(self.report.checked)


class BatchSession:
    """A desk's (or a command's) batches over one `ChargeEngine`."""

    def __init__(self, engine: ChargeEngine, *, staff: str) -> None:
        self.engine = engine
        self.staff = staff

    async def prepare(
        self,
        subscriber_ids: Iterable[int] | None = None,
        *,
        include_not_due: bool = False,
        outside: bool = False,
    ) -> Prepared:
        """Reconcile what is in doubt, then plan (``subscriber_ids`` None: everyone due).
        ``outside``: also bring in what changed at i'mport outside kpadmin first (refunds, keys
        deleted elsewhere, payments the journal lacks: `billing/outside.py`; issue #11).
        Raises `EngineBusy` when another process holds the batch lock while rows are in doubt."""
        engine = self.engine
        report = ReconcileReport()
        if outside:
            report = await engine.reconcile(staff=self.staff, outside=True)
        elif engine.charges.in_doubt():
            report = await engine.reconcile(staff=self.staff, outside=False)
        mismatches: tuple[AmountMismatch, ...] = ()
        if report.mismatched:
            mismatches = tuple(engine.amount_mismatches({r.charge_id for r in report.mismatched}))
        plan = engine.plan(
            None if subscriber_ids is None else list(subscriber_ids),
            None,
            self.staff,
            include_not_due=include_not_due,
        )
        return Prepared(without_declines(plan, report), report, mismatches)

    async def run(
        self,
        plan: Plan,
        *,
        concurrency: int,
        rps: float | None,
        on_event: Callable[[ChargeEvent], None] | None = None,
        cancel: asyncio.Event | None = None,
    ) -> BatchResult:
        """The confirmed plan's batch (`ChargeEngine.run`)."""
        return await self.engine.run(
            plan, concurrency=concurrency, rps=rps, on_event=on_event, cancel=cancel
        )
