"""Planning a batch: who is due (`due.build_plan`), what this run's reconciliation and the earlier
attempts' lookups change about that, and the intents — written in ONE transaction before any
request leaves.

Reconcile-then-plan: `ChargeEngine.run` reconciles first (`engine.reconcile`), then
`verify_earlier` looks every earlier attempt of a period up again, `declined_this_run` drops
subscribers whose charge the reconciliation just found declined (declines are not retried in a
run; `without_declines` is the same rule for a plan made before a run), and `journal_intents`
re-checks every item against the store and writes the intents.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from kpadmin.billing.due import Plan, PlanItem, Skip, SkipReason, decide, state_skip
from kpadmin.billing.engine.reconcile import ref
from kpadmin.billing.journal import Journal, RowRef, Write
from kpadmin.billing.messages import Message, MessageCode
from kpadmin.billing.periods import month_of, month_span
from kpadmin.billing.reconcile import Lookup, ReconcileReport, Verdict
from kpadmin.store import NewCharge
from kpadmin.store.models import ChargeState

if TYPE_CHECKING:
    from kpadmin.billing.engine.core import ChargeEngine


@dataclass(slots=True)
class Intent:
    """One charge of the batch, durable: the plan's item and its journal row."""

    item: PlanItem
    row: RowRef
    fresh: bool  # written by this batch (as opposed to an older planned row sent again)


def declined_this_run(plan: Plan, report: ReconcileReport, earlier: dict[int, Skip]) -> None:
    """A decline (or rejection) this run's reconciliation discovered counts as this run's:
    declines are not retried within a run. Adds those subscribers to ``earlier`` (the skips)."""
    for settled in report.rows:
        if settled.after in (ChargeState.DECLINED, ChargeState.REJECTED):
            for item in plan.items:
                if item.subscriber_id == settled.subscriber_id:
                    earlier.setdefault(
                        item.subscriber_id,
                        Skip(
                            item.subscriber_id,
                            item.key_id,
                            item.name,
                            SkipReason.DECLINED_THIS_RUN,
                            turned_out(settled.order_id, settled.after, settled.detail),
                        ),
                    )


async def verify_earlier(
    engine: ChargeEngine, plan: Plan, concurrency: int, staff: str, found_paid: set[int]
) -> dict[int, Skip]:
    """Before attempt N+1 of a period, look attempts 1..N up again: an answer lost long ago
    (a decline recorded from a lookup while a retry was still on its way) must not become a
    second payment. Returns the subscribers to skip (with the reason); the ids of charges
    found paid are added to ``found_paid``."""
    todo = [(item, uid) for item in plan.items for uid in item.earlier_order_ids]
    if not todo:
        return {}
    limit = asyncio.Semaphore(concurrency)

    async def one(uid: str) -> Lookup:
        async with limit:
            return await engine.look_up(uid)

    results = await asyncio.gather(*(one(uid) for _, uid in todo))
    skips: dict[int, Skip] = {}
    journal = Journal(engine.store, clock=engine.clock, collections=engine.collections)
    for (item, uid), found in zip(todo, results, strict=True):
        if found.verdict is Verdict.PAID:
            charge = engine.charges.by_merchant_uid(uid)
            if charge is not None:
                found_paid.add(charge.id)
                journal.put(
                    Write(
                        ref(charge),
                        ChargeState.PAID,
                        frozenset({charge.state}),
                        staff,
                        found.payment,
                        "found paid at i'mport when planning a new attempt",
                    )
                )
            skips[item.subscriber_id] = Skip(
                item.subscriber_id,
                item.key_id,
                item.name,
                SkipReason.ALREADY_PAID,
                Message.of(MessageCode.SKIP_EARLIER_PAID, merchant_uid=uid),
            )
        elif found.verdict in (Verdict.UNCLEAR, Verdict.LOOKUP_FAILED):
            skips.setdefault(
                item.subscriber_id,
                Skip(
                    item.subscriber_id,
                    item.key_id,
                    item.name,
                    SkipReason.IN_DOUBT,
                    Message.of(
                        MessageCode.SKIP_EARLIER_UNCLEAR, merchant_uid=uid, detail=found.detail
                    ),
                ),
            )
    journal.flush()
    return skips


def journal_intents(
    engine: ChargeEngine, plan: Plan, batch_id: str, earlier: dict[int, Skip]
) -> tuple[list[Intent], list[Skip]]:
    """Re-check every item against the store and write the intents in ONE transaction.

    Runs in one write transaction (the write lock taken up front): no other writer (another
    kpadmin process) can slip an attempt in between the check and the insert. Returns the
    intents and late skips. Called on the store's worker thread (`Store.run`).
    """
    intents: list[Intent] = []
    skips: list[Skip] = list(earlier.values())
    ids = [item.subscriber_id for item in plan.items if item.subscriber_id not in earlier]
    month = month_span(month_of(engine.clock()))
    new: list[NewCharge] = []
    chosen: list[tuple[PlanItem, str]] = []
    with engine.store.transaction():
        subs = {s.id: s for s in engine.subscribers.get_many(ids)}
        history = engine.charges.for_subscribers(ids)
        paid_counts = engine.charges.paid_in(ids, month)
        retry_requests = engine.subscribers.retry_requests(ids) if ids else {}
        for item in plan.items:
            if item.subscriber_id in earlier:
                continue
            sub = subs.get(item.subscriber_id)
            if sub is None:
                skips.append(
                    Skip(
                        item.subscriber_id,
                        item.key_id,
                        item.name,
                        SkipReason.UNKNOWN_SUBSCRIBER,
                        Message.of(MessageCode.SKIP_SUBSCRIBER_DELETED),
                    )
                )
                continue
            stopped = state_skip(sub)
            if stopped is not None:
                # Paused, cancelled or key missing since the plan was made (another staff
                # member, a CSV import): never charge a subscriber who is no longer active.
                skips.append(stopped)
                continue
            decision = decide(
                sub,
                history.get(sub.id, []),
                today=plan.today,
                paid_this_month=paid_counts.get(sub.id, 0),
                monthly_limit=engine.monthly_limit,
                include_not_due=True,  # the plan already applied the date rule
                retry_days=engine.retry_days,
                staff_retry_at=retry_requests.get(sub.id),
            )
            if isinstance(decision, Skip):
                skips.append(decision)
                continue
            if (decision.period, decision.resend_charge_id) != (
                item.period,
                item.resend_charge_id,
            ):
                # e.g. the planned intent turned out paid when reconciled: the subscriber's
                # next period is not what staff confirmed. Never charge what was not planned.
                skips.append(
                    Skip(
                        item.subscriber_id,
                        item.key_id,
                        item.name,
                        SkipReason.CHANGED,
                        Message.of(MessageCode.SKIP_SETTLED_SINCE_PLAN, period=item.period),
                    )
                )
                continue
            if (decision.order_id, decision.amount) != (item.order_id, item.amount):
                # The amount was edited (or re-imported) while the confirmation was open:
                # staff confirmed the old total; the new amount needs a new confirmation.
                skips.append(
                    Skip(
                        item.subscriber_id,
                        item.key_id,
                        item.name,
                        SkipReason.CHANGED,
                        Message.of(
                            MessageCode.SKIP_AMOUNT_CHANGED,
                            amount=decision.amount,
                            confirmed=item.amount,
                        ),
                    )
                )
                continue
            if decision.resend_charge_id is not None:
                # updated_at = this send: reconcile's quiet period (withdrawing a paused
                # subscriber's never-seen intent) must count from the last time it left.
                engine.charges.mark_resent(
                    decision.resend_charge_id, batch_id=batch_id, now=engine.clock()
                )
            else:
                new.append(
                    NewCharge(
                        sub.id,
                        sub.customer_uid,
                        decision.period,
                        decision.attempt,
                        decision.order_id,
                        decision.amount,
                    )
                )
            chosen.append((decision, sub.customer_uid))
        # The new rows in one executemany (on a server: one round trip, not one per intent).
        new_ids = iter(
            engine.charges.insert_many(new, batch_id=batch_id, staff=plan.staff, now=engine.clock())
        )
        for decision, key_id in chosen:
            fresh = decision.resend_charge_id is None
            charge_id = next(new_ids) if fresh else decision.resend_charge_id
            assert charge_id is not None
            row = RowRef(
                charge_id,
                decision.subscriber_id,
                key_id,
                decision.period,
                decision.attempt,
                decision.order_id,
                decision.amount,
            )
            intents.append(Intent(decision, row, fresh))
            engine.batch_rows.add(charge_id)
    # The COMMIT above returned: every intent is on disk. Only now may requests leave.
    return intents, skips


class IntentWriter:
    """Writes the batch's intents as they come (each after its ledger check), in groups.

    `submit` hands over a checked item and returns at once: the items submitted while a group is
    being written form the next group, written by `journal_intents` (re-check and insert in ONE
    transaction, on the store's worker thread). When a group's COMMIT has returned, its intents
    (durable: their requests may leave) and the re-check's skips go to ``on_written``; a group
    that cannot be written goes to ``on_failure`` (nothing of it is on disk; the writer takes no
    more). `wait()` returns when a group has ended (or at once when none is under way).

    `settled()` waits for the groups under way when it is called: a request that leaves after it
    knows whether any write begun before it failed (like `Journal.settled`, rule 8)."""

    def __init__(
        self,
        engine: ChargeEngine,
        plan: Plan,
        batch_id: str,
        on_written: Callable[[list[Intent], list[Skip]], None],
        on_failure: Callable[[Exception], None],
    ) -> None:
        self.engine = engine
        self.plan = plan
        self.batch_id = batch_id
        self.on_written = on_written
        self.on_failure = on_failure
        #: Every intent written so far (in the order written).
        self.written: list[Intent] = []
        #: The first write failure (None while every group went through).
        self.failure: Exception | None = None
        self._waiting: list[PlanItem] = []
        self._groups: list[asyncio.Future[None]] = []
        self._task: asyncio.Task[None] | None = None
        self._closed = False

    @property
    def busy(self) -> bool:
        """Items are waiting or a group is being written."""
        return self._task is not None

    def submit(self, item: PlanItem) -> None:
        if self._closed or self.failure is not None:
            return
        self._waiting.append(item)
        if self._task is None:
            self._task = asyncio.create_task(self._drain())

    async def wait(self) -> None:
        groups = [g for g in self._groups if not g.done()]
        if groups:
            await asyncio.wait(groups, return_when=asyncio.FIRST_COMPLETED)
        elif self._task is not None:
            await asyncio.sleep(0)  # the drain task starts its first group

    async def settled(self) -> None:
        groups = [g for g in self._groups if not g.done()]
        if groups:
            await asyncio.wait(groups)

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._waiting and not self._closed and self.failure is None:
                group, self._waiting = self._waiting, []
                done: asyncio.Future[None] = loop.create_future()
                self._groups.append(done)
                try:
                    await self._write_group(group)
                finally:
                    done.set_result(None)
                    self._groups = [g for g in self._groups if not g.done()]
        finally:
            self._waiting = []
            self._task = None

    async def _write_group(self, items: list[PlanItem]) -> None:
        try:
            intents, skips = await self.engine.store.run(
                self.engine._journal_intents,
                replace(self.plan, items=tuple(items)),
                self.batch_id,
                {},
            )
        except Exception as exc:
            if self.failure is None:
                self.failure = exc
                self.on_failure(exc)
            return
        self.written += intents
        self.on_written(intents, skips)

    async def close(self) -> None:
        """No more groups: the items still waiting are not written; the group under way ends."""
        self._closed = True
        self._waiting = []
        if self._task is not None:
            await asyncio.wait([self._task])


def turned_out(order_id: str, state: ChargeState, detail: str) -> Message:
    """The skip note for a charge a lookup found declined or rejected in this run."""
    code = (
        MessageCode.SKIP_TURNED_OUT_REJECTED
        if state is ChargeState.REJECTED
        else MessageCode.SKIP_TURNED_OUT_DECLINED
    )
    return Message.of(code, merchant_uid=order_id, detail=detail)


def without_declines(plan: Plan, report: ReconcileReport) -> Plan:
    """`plan` minus the subscribers whose charge `report` (this run's own reconciliation, made
    before the plan) found declined or rejected: declines are not retried within a run. `run()`
    applies the same rule to the reconciliation it does itself."""
    refused = {
        r.subscriber_id: r
        for r in report.rows
        if r.after in (ChargeState.DECLINED, ChargeState.REJECTED) and r.before is not r.after
    }
    if not refused:
        return plan
    keep = tuple(i for i in plan.items if i.subscriber_id not in refused)
    skips = tuple(
        Skip(
            i.subscriber_id,
            i.key_id,
            i.name,
            SkipReason.DECLINED_THIS_RUN,
            turned_out(
                refused[i.subscriber_id].order_id,
                refused[i.subscriber_id].after,
                refused[i.subscriber_id].detail,
            ),
        )
        for i in plan.items
        if i.subscriber_id in refused
    )
    return replace(plan, items=keep, skipped=(*plan.skipped, *skips))


def order_name(item: PlanItem) -> str:
    """The ``name`` i'mport requires (≤ 40 characters)."""
    base = item.plan_name.strip() or "정기결제"
    return f"{base} {item.period}"[:40]
