"""`ChargeEngine`: the batch (lock, reconcile, plan, intents, sends, result) and reconciliation.

See the package's docstring (`kpadmin.billing.engine`) for the rules; the rooms are `plan`,
`send` (the outcome table) and `reconcile` (rows in doubt).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date, timedelta

from kpadmin.billing.collections import Collections
from kpadmin.billing.due import Plan, PlanItem, Skip, build_plan
from kpadmin.billing.engine.plan import (
    Intent,
    IntentWriter,
    declined_this_run,
    journal_intents,
    verify_earlier,
)
from kpadmin.billing.engine.reconcile import reconcile_rows
from kpadmin.billing.engine.results import (
    MAX_CONCURRENCY,
    MAX_RPS,
    MIN_RPS,
    AmountMismatch,
    BatchResult,
    ChargeEvent,
    ChargeOutcome,
    EngineBusy,
    EventKind,
    Progress,
    count,
    desk,
)
from kpadmin.billing.engine.send import Pacer, charge_one, mark_missing_keys
from kpadmin.billing.gateway import AuthFailed, Gateway
from kpadmin.billing.journal import Journal
from kpadmin.billing.ledger import check_item
from kpadmin.billing.messages import Message, MessageCode
from kpadmin.billing.outside import bring_in
from kpadmin.billing.periods import SEOUL, month_of, month_span, today_in_seoul
from kpadmin.billing.plans import apply_due_price_changes
from kpadmin.billing.reconcile import Lookup, ReconcileReport, look_up
from kpadmin.clock import Clock, default_clock
from kpadmin.store import BatchBusy, ChangeKind, Store
from kpadmin.store.marker import refresh_marker
from kpadmin.store.models import Subscriber

log = logging.getLogger(__name__)


class ChargeEngine:
    """See the module docstring. `gateway` is the payment service (`kpadmin.billing.gateway`)."""

    def __init__(
        self,
        store: Store,
        gateway: Gateway,
        *,
        monthly_limit: int | None = None,
        clock: Clock | None = None,
        send_retries: int = 3,
        resends: int = 2,
        lookup_tries: int = 4,
        retry_delays: Sequence[float] = (0.2, 0.5, 1.0, 2.0),
        flush_interval: float = 0.05,
        flush_size: int = 128,
        quiet_period: timedelta = timedelta(minutes=10),
        collections: Collections | None = None,
        read_ledger: bool = True,
    ) -> None:
        self.store = store
        #: The retry policy and what is written with an outcome (billing/collections.py); None:
        #: none (a declined subscriber is charged again at every run: the engine's own tests).
        self.collections = collections
        #: Read i'mport's record of a key before a new attempt (`billing/ledger.py`); off only to
        #: measure what it costs (bench/charge_throughput.py) and to test the paths behind it.
        self.read_ledger = read_ledger
        self.quiet_period = quiet_period
        self.gateway = gateway
        self.monthly_limit = monthly_limit
        self.clock: Clock = clock or default_clock()
        self.send_retries = send_retries
        self.resends = resends
        self.lookup_tries = lookup_tries
        self.retry_delays = tuple(retry_delays) or (0.0,)
        self.flush_interval = flush_interval
        self.flush_size = flush_size
        self.subscribers = store.subscribers
        self.charges = store.charges
        self._running = False
        #: Charge ids owned by the running batch (reconciliation leaves them alone).
        self.batch_rows: set[int] = set()

    # -- planning ------------------------------------------------------------------------------

    def today(self) -> date:
        return today_in_seoul(self.clock)

    def plan(
        self,
        subscriber_ids: Iterable[int] | None = None,
        today: date | None = None,
        staff: str = "",
        *,
        include_not_due: bool = False,
    ) -> Plan:
        # A plan price change whose period a subscriber's next charge has reached applies
        # before that charge is planned (kpadmin.billing.plans; one query when none is pending).
        apply_due_price_changes(self.store, staff=staff, now=self.clock())
        return build_plan(
            self.store,
            today=today or self.today(),
            staff=staff,
            month=month_span(month_of(self.clock())),
            monthly_limit=self.monthly_limit,
            subscriber_ids=subscriber_ids,
            include_not_due=include_not_due,
            retry_days=self.retry_days,
        )

    @property
    def retry_days(self) -> tuple[int, ...] | None:
        """The retry policy's days (None: no policy)."""
        return self.collections.retry_days if self.collections is not None else None

    def due_subscribers(self, today: date | None = None) -> list[Subscriber]:
        ids = [item.subscriber_id for item in self.plan(None, today).items]
        return self.subscribers.get_many(ids)

    @property
    def running(self) -> bool:
        return self._running

    # -- the batch -----------------------------------------------------------------------------

    async def run(
        self,
        plan: Plan,
        *,
        concurrency: int = 4,
        rps: float | None = None,
        on_event: Callable[[ChargeEvent], None] | None = None,
        cancel: asyncio.Event | None = None,
    ) -> BatchResult:
        if self._running:
            raise EngineBusy("a charge batch is already running")
        if not 1 <= concurrency <= MAX_CONCURRENCY:
            raise ValueError(f"concurrency must be 1..{MAX_CONCURRENCY}, got {concurrency}")
        if rps is not None and not MIN_RPS <= rps <= MAX_RPS:
            # The settings refuse these already; a caller that skipped them must not make a
            # batch wait for ever between two charges (1e-300 per second did).
            raise ValueError(f"rps must be {MIN_RPS:g}..{MAX_RPS:g}, got {rps!r}")
        with self._batch_lock(plan.staff):
            self._running = True
            try:
                return await self._run(plan, concurrency, rps, on_event, cancel or asyncio.Event())
            finally:
                self._running = False
                self.batch_rows.clear()

    @contextlib.contextmanager
    def _batch_lock(self, staff: str) -> Iterator[None]:
        """The database's one batch lock (`Store.batch_lock`), or `EngineBusy` naming its holder."""
        held = contextlib.ExitStack()
        try:
            held.enter_context(self.store.batch_lock(desk(staff)))
        except BatchBusy as busy:
            raise EngineBusy(
                f"another kpadmin process is charging or reconciling this database ({busy}); "
                "try again when it has finished",
                busy.holder,
            ) from None
        with held:
            yield

    async def _run(
        self,
        plan: Plan,
        concurrency: int,
        rps: float | None,
        on_event: Callable[[ChargeEvent], None] | None,
        cancel: asyncio.Event,
    ) -> BatchResult:
        def emit(event: ChargeEvent) -> None:
            # A failing progress callback (a GUI bug) must not stop a batch that moves money.
            if on_event is None:
                return
            try:
                on_event(event)
            except Exception:
                log.exception("on_event callback failed; the batch goes on")

        # Korean time: the id staff read in the batch window, the audit and the exports.
        batch_id = f"{self.clock().astimezone(SEOUL):%Y%m%d%H%M%S}-{uuid.uuid4().hex[:8]}"
        emit(ChargeEvent(EventKind.RECONCILING, Progress(), message="looking up charges in doubt"))
        report = await reconcile_rows(self, plan.staff, concurrency)
        earlier_paid: set[int] = set()
        earlier = await verify_earlier(self, plan, concurrency, plan.staff, earlier_paid)
        declined_this_run(plan, report, earlier)
        # Who is charged: every item not skipped above. For each, in C pipelines at once: the
        # ledger check (a new attempt: i'mport's record of its key, ledger.py), then its intent
        # written (grouped with the others that arrive meanwhile, `IntentWriter`) and, once that
        # COMMIT has returned, its charge sent. The reads overlap the sends.
        items = collections.deque(i for i in plan.items if i.subscriber_id not in earlier)
        skipped: list[Skip] = [*plan.skipped, *earlier.values()]
        progress = Progress(total=len(items))
        outcomes: list[ChargeOutcome] = []
        emit(ChargeEvent(EventKind.STARTED, progress, message=f"batch {batch_id}"))
        abort: list[str] = []

        def journal_failed(exc: Exception) -> None:
            # Rule 7: nothing more may leave once outcomes cannot be recorded.
            if not abort:
                abort.append(f"the journal could not be written: {exc}")

        journal = Journal(
            self.store,
            clock=self.clock,
            flush_interval=self.flush_interval,
            flush_size=self.flush_size,
            on_failure=journal_failed,
            collections=self.collections,
        )
        ready: collections.deque[Intent] = collections.deque()  # durable, not yet sent

        def written(intents: list[Intent], skips: list[Skip]) -> None:
            ready.extend(intents)
            for skip in skips:
                drop(skip)
            if intents:
                ids = tuple(i.row.subscriber_id for i in intents)
                emit(ChargeEvent(EventKind.WRITTEN, progress, ids=ids))

        writer = IntentWriter(self, plan, batch_id, written, journal_failed)
        taken: set[int] = set()  # charge ids whose request a worker took in hand
        pacer = Pacer(rps)

        async def quiet() -> None:
            # Nothing leaves while a write begun before it is under way (rule 8).
            await writer.settled()
            await journal.settled()

        def record(outcome: ChargeOutcome) -> None:
            nonlocal progress
            outcomes.append(outcome)
            progress = count(progress, outcome)
            emit(ChargeEvent(EventKind.CHARGE, progress, outcome))

        def drop(skip: Skip) -> None:
            nonlocal progress
            skipped.append(skip)
            progress = replace(progress, total=progress.total - 1)

        async def check(item: PlanItem) -> PlanItem | Skip:
            if not self.read_ledger or item.resend_charge_id is not None:
                return item
            try:
                return await check_item(
                    self.store,
                    self.gateway,
                    item,
                    clock=self.clock,
                    staff=plan.staff,
                    tries=self.lookup_tries,
                    delays=self.retry_delays,
                )
            except AuthFailed:
                # i'mport refused the credentials: the charge goes on to its intent and its
                # request, which stops the batch with the usual message; nothing is charged.
                return item

        async def send(intent: Intent) -> None:
            nonlocal progress
            # Cancelled in these waits: never sent (not `taken`), so it is withdrawn.
            await pacer.wait(cancel)
            await quiet()
            if cancel.is_set() or abort:
                return
            taken.add(intent.row.charge_id)
            progress = replace(progress, in_flight=progress.in_flight + 1)
            try:
                outcome = await charge_one(self, intent, journal, plan.staff, cancel, abort, quiet)
            finally:
                progress = replace(progress, in_flight=progress.in_flight - 1)
            record(outcome)

        async def worker() -> None:
            # One request at a time per worker, so at most C at once, reads and charges
            # together. A durable intent is sent first; else the next item is checked and
            # handed to the writer (the worker does not wait for that COMMIT: it goes on).
            while not cancel.is_set() and not abort:
                if ready:
                    await send(ready.popleft())
                elif items:
                    checked = await check(items.popleft())
                    if isinstance(checked, Skip):
                        drop(checked)
                    elif not cancel.is_set() and not abort:
                        writer.submit(checked)
                elif writer.busy:
                    await writer.wait()
                else:
                    return

        tasks = [asyncio.create_task(worker()) for _ in range(min(concurrency, len(items)))]
        try:
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
            if tasks:
                # Let cancelled workers record their in-flight charge (unknown) before the last
                # flush, so nothing in flight is left looking like it never left.
                await asyncio.wait(tasks)
            await writer.close()
            first_failure = journal.failure
            with contextlib.suppress(Exception):  # rule 7: what cannot be written stays in doubt
                journal.flush()
            unsent = [i for i in writer.written if i.row.charge_id not in taken]
            withdrawn = self._withdraw([i for i in unsent if i.fresh], plan.staff, batch_id)
        intents = writer.written
        if writer.failure is not None and not writer.written:
            # Not one intent could be written, so nothing was sent: the batch did not start.
            raise writer.failure
        if not abort and not cancel.is_set():
            # Every outcome is on disk; only now look the rejected ones' keys up (read-only).
            await mark_missing_keys(self, outcomes, plan.staff, concurrency)
        cancelled = cancel.is_set() and bool(withdrawn or items or unsent)
        error = abort[0] if abort else None
        journal_error = first_failure or journal.failure
        if journal_error is None:
            journal_error = writer.failure
        if journal_error is not None:
            error = journal_stop_message(journal_error, journal.pending, len(items) + len(unsent))
        touched = {i.row.charge_id for i in intents} | {r.charge_id for r in report.rows}
        try:
            mismatches = self.amount_mismatches(touched | earlier_paid)
        except Exception as exc:  # a damaged page may refuse the read too; the batch result stands
            log.info("batch %s: amount mismatches could not be read: %s", batch_id, exc)
            mismatches = []
        try:
            self.store.audit.record(
                plan.staff,
                "charge_batch",
                Message.of(
                    MessageCode.AUDIT_BATCH,
                    batch_id=batch_id,
                    paid=progress.paid,
                    paid_amount=progress.paid_amount,
                    declined=progress.declined,
                    rejected=progress.rejected,
                    unknown=progress.unknown,
                    unsent=progress.unsent,
                    withdrawn=len(withdrawn),
                    mismatches=Message.of(MessageCode.AUDIT_BATCH_MISMATCHES, count=len(mismatches))
                    if mismatches
                    else "",
                    cancelled=Message.of(MessageCode.AUDIT_BATCH_CANCELLED) if cancelled else "",
                    stopped=Message.of(MessageCode.AUDIT_BATCH_STOPPED, error=error)
                    if error
                    else "",
                ),
                at=self.clock(),
            )
        except Exception as exc:  # the disk that stopped the batch may refuse this line too
            log.info("batch %s: the audit line could not be written: %s", batch_id, exc)
        refresh_marker(self.store)
        emit(ChargeEvent(EventKind.FINISHED, progress, message=error or ""))
        return BatchResult(
            batch_id=batch_id,
            progress=progress,
            outcomes=tuple(outcomes),
            skipped=tuple(skipped),
            reconcile=report,
            cancelled=cancelled,
            error=error,
            mismatches=tuple(mismatches),
            journal_error=journal_error,
        )

    def amount_mismatches(self, charge_ids: Iterable[int] | None = None) -> list[AmountMismatch]:
        """Paid rows (among ``charge_ids``; None: all) whose paid amount is not the amount asked."""
        rows = self.charges.amount_mismatches(charge_ids)
        names = {s.id: s.name for s in self.subscribers.get_many({c.subscriber_id for c in rows})}
        return [
            AmountMismatch(
                c.id,
                c.subscriber_id,
                c.customer_uid,
                names.get(c.subscriber_id, ""),
                c.merchant_uid,
                c.period,
                c.amount,
                c.amount if c.paid_amount is None else c.paid_amount,
                c.imp_uid,
            )
            for c in rows
        ]

    def _journal_intents(
        self, plan: Plan, batch_id: str, earlier: dict[int, Skip]
    ) -> tuple[list[Intent], list[Skip]]:
        """`plan.journal_intents` (a method, so a profiler or a crash test can reach it)."""
        return journal_intents(self, plan, batch_id, earlier)

    def _withdraw(self, intents: list[Intent], staff: str, batch_id: str) -> list[Intent]:
        """Delete this batch's intents that never left (cancel or abort): nothing was sent for
        them, so the next batch plans them afresh (with the same deterministic order id)."""
        if not intents:
            return []
        try:
            with self.store.transaction():
                self.charges.delete_planned(intent.row.charge_id for intent in intents)
                self.store.audit.record(
                    staff,
                    "charge_withdrawn",
                    Message.of(MessageCode.AUDIT_WITHDRAWN, batch_id=batch_id, count=len(intents)),
                    at=self.clock(),
                    kind=ChangeKind.CHARGES,
                )
        except Exception as exc:
            # Left planned: the next run looks them up (nothing there) and sends them then, with
            # the same order id. Never a reason to lose the batch's result.
            # INFO, like the journal's: BatchResult.error is the one message about the disk.
            log.info("batch %s: unsent intents could not be withdrawn: %s", batch_id, exc)
            return []
        return intents

    # -- reconciliation -----------------------------------------------------------------------

    async def reconcile(
        self, *, staff: str = "", concurrency: int = 8, outside: bool = True
    ) -> ReconcileReport:
        """Look up every row in doubt (not those a running batch has in hand) and settle it;
        then (``outside``) bring in what changed at i'mport outside kpadmin: refunds, keys
        deleted elsewhere, paid payments the journal lacks (`billing/outside.py`).

        Raises `EngineBusy` when another process is charging this database."""
        if self._running:  # this process holds the lock; the batch's rows are skipped
            return await reconcile_rows(self, staff, concurrency)
        with self._batch_lock(staff):
            report = await reconcile_rows(self, staff, concurrency)
            if outside:
                found = await bring_in(self.store, self.gateway, clock=self.clock, staff=staff)
                report = replace(report, outside=found)
            return report

    async def look_up(self, order_id: str) -> Lookup:
        return await look_up(
            self.gateway, order_id, tries=self.lookup_tries, delays=self.retry_delays
        )

    def delay(self, attempt: int) -> float:
        return self.retry_delays[min(attempt - 1, len(self.retry_delays) - 1)]


def journal_stop_message(exc: Exception, unrecorded: int, unsent: int) -> str:
    text = f"the journal could not be written ({exc}), so no more charges were sent"
    if unsent:
        text += f"; {unsent} charge(s) were not sent"
    if unrecorded:
        text += (
            f"; {unrecorded} charge(s) already sent could not be recorded: they stay in doubt "
            "and the next run looks them up at i'mport before charging anyone"
        )
    return text
