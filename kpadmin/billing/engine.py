"""The charge engine: plans a batch, journals every intent durably, sends, records, reconciles.

One `ChargeEngine` per store (`kpadmin.store.Store`) and i'mport client, used from one asyncio loop
(the GUI's qasync loop or `asyncio.run` in the CLI). Its API is small:

* `plan(subscriber_ids | None, today, staff) -> Plan` — synchronous, store only: who would be
  charged, the total, and why the others are skipped (for the confirmation dialog).
* `await run(plan, concurrency=, rps=, on_event=, cancel=) -> BatchResult` — the batch.
* `await reconcile() -> ReconcileReport` — settle every row in doubt by looking it up.

The rules a batch follows (docs/architecture.md, "A charge, from the button to the money"):

1. Reconcile first: every planned / sent / unknown row is looked up (`reconcile.py`).
2. Earlier settled attempts of a period are looked up again before a new attempt is written,
   and i'mport's record of the key is read (`ledger.py`: i'mport is the ledger): a period paid
   there is recorded and not charged; a new attempt is numbered past every attempt i'mport knows.
3. All intents are written in **one transaction** (``synchronous=FULL``) before any request leaves,
   on the store's worker thread (`Store.run`): a thousand intents never freeze the GUI's loop.
4. Up to `concurrency` requests at once (one per subscriber, one per order id), optionally
   paced to `rps`. Outcomes are written in short grouped transactions (`journal.py` explains why
   that is safe).
5. A lost answer (`OutcomeUnknown`, `BadAnswer`, a non-final status: the gateway port's errors,
   `kpadmin.billing.gateway`) is never re-sent blindly: it is looked up; paid → paid; only failed
   → declined; nothing → sent again with the *same* order id (a few times); otherwise unknown,
   which blocks the subscriber until a later reconciliation settles it. `Rejected` is confirmed by
   a lookup before it is recorded. `NotSent` is retried a few times. Declines are not retried
   within a run. After the sends, the billing key of every lookup-confirmed rejection is fetched
   (`Gateway.get_key`): a key the gateway answers `NotFound` for makes the subscriber
   ``key_missing`` (that rejection would repeat every run); any other answer changes nothing. No
   message text is read (REFERENCE.md, "Meaning of non-zero codes").
6. A payment i'mport reports paid for another amount than was asked is recorded paid with
   what i'mport reports (`journal.py` notes it and writes an ``amount_mismatch`` audit row);
   `BatchResult.mismatches` lists every such row this batch settled (charged, looked up or
   reconciled), and such a batch is not `ok`.
7. Cancelling stops new sends; requests in flight finish. Intents of this batch that never left
   are withdrawn (deleted: nothing was sent for them). If the task itself is cancelled, requests in
   flight are recorded as unknown. No wait outlives a cancel: the pacer and the back-off before a
   retry or a re-send end as soon as `cancel` is set (and that retry is then not sent).
8. The first outcome write that fails (disk full, a damaged page: `Journal.failure`) stops the
   batch like a cancel: no new send, no resend, no retry; requests in flight finish. (Outcome
   groups are written on the store's worker thread; no request leaves while one is being
   written, so its failure is known first.) Their outcomes
   (and the withdrawal of unsent intents) are written if the disk allows at the end; what cannot
   be written stays planned / sent on disk, in doubt, and the next run's reconciliation looks it
   up before anything else. `BatchResult.error` says so and `journal_error` holds the error
   (`store.errors.DiskError` → exit DISK). Failing to write the intents raises: nothing was sent.

Progress is reported through `on_event(ChargeEvent)`, called on the loop (cheap callbacks only).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import enum
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from kpadmin.billing.due import (
    Plan,
    PlanItem,
    Skip,
    SkipReason,
    build_plan,
    decide,
    state_skip,
)
from kpadmin.billing.gateway import (
    AuthFailed,
    Declined,
    Gateway,
    GatewayError,
    GatewayPayment,
    NotFound,
    NotSent,
    PaymentStatus,
    Rejected,
)
from kpadmin.billing.journal import Journal, RowRef, Write, mismatch_note
from kpadmin.billing.ledger import check_plan
from kpadmin.billing.messages import Message, MessageCode
from kpadmin.billing.periods import month_of, month_span, today_in_seoul
from kpadmin.billing.reconcile import (
    Lookup,
    ReconcileReport,
    Settled,
    Verdict,
    look_up,
)
from kpadmin.clock import Clock, default_clock
from kpadmin.store import BatchBusy, ChangeKind, NewCharge, Store
from kpadmin.store.marker import refresh_marker
from kpadmin.store.models import Charge, ChargeState, Subscriber, SubscriberState

log = logging.getLogger(__name__)

MAX_CONCURRENCY = 32
MIN_RPS = 0.1  # = kpadmin.billing.settings.MIN_REQUESTS_PER_SECOND (the settings test pins them)
MAX_RPS = 1000.0
_OPEN = frozenset({ChargeState.PLANNED, ChargeState.SENT})


class EngineBusy(RuntimeError):
    """A batch is already running (in this process or in another one on the same database).
    `holder`: who holds the database's batch lock (staff and computer), when known."""

    def __init__(self, message: str, holder: str | None = None) -> None:
        super().__init__(message)
        self.holder = holder


def desk(staff: str) -> str:
    """Who is charging, as the batch lock's holder tells it to a desk that has to wait."""
    who = staff.strip() or "kpadmin"
    return f"{who} on {socket.gethostname() or 'this computer'} (process {os.getpid()})"


class EventKind(enum.StrEnum):
    RECONCILING = "reconciling"  # looking up rows in doubt before the batch
    STARTED = "started"  # intents are durable; sending begins
    CHARGE = "charge"  # one charge reached its outcome for this batch
    FINISHED = "finished"


@dataclass(frozen=True, slots=True)
class Progress:
    total: int = 0
    done: int = 0
    paid: int = 0
    declined: int = 0
    rejected: int = 0
    unknown: int = 0
    unsent: int = 0  # never reached i'mport; stays planned and is sent again next time
    paid_amount: int = 0  # what i'mport reports as paid (not what was asked, should they differ)
    in_flight: int = 0
    mismatched: int = 0  # paid, but for another amount than was asked

    @property
    def failed(self) -> int:
        return self.declined + self.rejected + self.unknown + self.unsent


@dataclass(frozen=True, slots=True)
class ChargeOutcome:
    charge_id: int
    subscriber_id: int
    key_id: str  # the schema's customer_uid
    name: str
    period: str
    attempt: int
    order_id: str  # the schema's merchant_uid
    amount: int
    state: ChargeState
    payment_id: str | None = None  # the schema's imp_uid
    message: str = ""  # English: the engine's note, or i'mport's own words (a decline's reason)
    paid_amount: int | None = None  # what i'mport reports as paid (paid outcomes only)
    #: The engine's note as a code (None: no note, or `message` is i'mport's own words).
    note: Message | None = None

    @property
    def amount_mismatch(self) -> bool:
        return (
            self.state is ChargeState.PAID
            and self.paid_amount is not None
            and self.paid_amount != self.amount
        )


@dataclass(frozen=True, slots=True)
class AmountMismatch:
    """A paid charge whose paid amount is not the amount asked for (more or less)."""

    charge_id: int
    subscriber_id: int
    key_id: str
    name: str
    order_id: str
    period: str
    asked: int
    paid: int
    payment_id: str | None

    def describe(self) -> str:
        who = f"{self.name} ({self.key_id})" if self.name else self.key_id
        return (
            f"{who}, {self.period}, {self.order_id}: ₩{self.asked:,} was asked, i'mport "
            f"charged ₩{self.paid:,}"
        )


@dataclass(frozen=True, slots=True)
class ChargeEvent:
    kind: EventKind
    progress: Progress
    outcome: ChargeOutcome | None = None
    message: str = ""


@dataclass(frozen=True, slots=True)
class BatchResult:
    batch_id: str
    progress: Progress
    outcomes: tuple[ChargeOutcome, ...]
    skipped: tuple[Skip, ...]
    reconcile: ReconcileReport
    cancelled: bool = False
    error: str | None = None  # why the batch stopped early (e.g. authentication failed)
    #: Paid rows this batch settled (charged, looked up, reconciled) for another amount than
    #: was asked: paid, and each one needs a person.
    mismatches: tuple[AmountMismatch, ...] = ()
    #: The error that stopped the batch when outcomes could not be written (rule 8).
    journal_error: Exception | None = None

    @property
    def ok(self) -> bool:
        """Everything planned was charged for the amount asked: nothing declined, rejected,
        unknown or unsent, no amount mismatch, and the batch was neither cancelled nor aborted."""
        return (
            self.progress.failed == 0
            and not self.mismatches
            and self.error is None
            and not self.cancelled
        )


@dataclass(slots=True)
class _Intent:
    item: PlanItem
    row: RowRef
    fresh: bool  # written by this batch (as opposed to an older planned row sent again)


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
        read_ledger: bool = True,
    ) -> None:
        self.store = store
        #: Read i'mport's record of a key before a new attempt (`ledger.py`); off only to measure
        #: what it costs (bench/charge_throughput.py).
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
        self._batch_rows: set[int] = set()  # charge ids owned by the running batch

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
        return build_plan(
            self.store,
            today=today or self.today(),
            staff=staff,
            month=month_span(month_of(self.clock())),
            monthly_limit=self.monthly_limit,
            subscriber_ids=subscriber_ids,
            include_not_due=include_not_due,
        )

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
                self._batch_rows.clear()

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

        batch_id = f"{self.clock():%Y%m%d%H%M%S}-{uuid.uuid4().hex[:8]}"
        emit(ChargeEvent(EventKind.RECONCILING, Progress(), message="looking up charges in doubt"))
        report = await self._reconcile(plan.staff, concurrency)
        earlier_paid: set[int] = set()
        earlier = await self._verify_earlier(plan, concurrency, plan.staff, earlier_paid)
        for settled in report.rows:
            # A decline (or rejection) this run's reconciliation discovered counts as this run's:
            # declines are not retried within a run.
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
        if self.read_ledger:
            # i'mport is the ledger: what it already holds for each new attempt (ledger.py).
            check = await check_plan(
                self.store,
                self.gateway,
                plan,
                clock=self.clock,
                staff=plan.staff,
                concurrency=concurrency,
                skip_ids=list(earlier),
                tries=self.lookup_tries,
                delays=self.retry_delays,
            )
            for subscriber_id, skip in check.skips.items():
                earlier.setdefault(subscriber_id, skip)
            plan = replace(plan, items=check.items)
        # On the store's worker thread: the loop (the GUI) stays responsive meanwhile.
        intents, late_skips = await self.store.run(self._journal_intents, plan, batch_id, earlier)
        skipped = (*plan.skipped, *late_skips)
        total = len(intents)
        progress = Progress(total=total)
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
        )
        queue = collections.deque(intents)
        pacer = _Pacer(rps)

        def record(intent: _Intent, outcome: ChargeOutcome) -> None:
            nonlocal progress
            outcomes.append(outcome)
            progress = _count(progress, outcome)
            emit(ChargeEvent(EventKind.CHARGE, progress, outcome))

        async def worker() -> None:
            nonlocal progress
            while queue and not cancel.is_set() and not abort:
                intent = queue.popleft()
                try:
                    await pacer.wait(cancel)
                except asyncio.CancelledError:
                    queue.appendleft(intent)  # never sent: withdrawn with the rest
                    raise
                if cancel.is_set() or abort:
                    queue.appendleft(intent)
                    return
                progress = replace(progress, in_flight=progress.in_flight + 1)
                try:
                    outcome = await self._charge(intent, journal, plan.staff, cancel, abort)
                finally:
                    progress = replace(progress, in_flight=progress.in_flight - 1)
                record(intent, outcome)

        tasks = [asyncio.create_task(worker()) for _ in range(min(concurrency, total))]
        try:
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
            if tasks:
                # Let cancelled workers record their in-flight charge (unknown) before the last
                # flush, so nothing in flight is left looking like it never left.
                await asyncio.wait(tasks)
            first_failure = journal.failure
            with contextlib.suppress(Exception):  # rule 7: what cannot be written stays in doubt
                journal.flush()
            withdrawn = self._withdraw([i for i in queue if i.fresh], plan.staff, batch_id)
        if not abort and not cancel.is_set():
            # Every outcome is on disk; only now look the rejected ones' keys up (read-only).
            await self._mark_missing_keys(outcomes, plan.staff, concurrency)
        cancelled = cancel.is_set() and bool(withdrawn or queue)
        error = abort[0] if abort else None
        journal_error = first_failure or journal.failure
        if journal_error is not None:
            error = _journal_stop_message(journal_error, journal.pending, len(queue))
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
                f"batch {batch_id}: {progress.paid} paid (₩{progress.paid_amount:,}), "
                f"{progress.declined} declined, {progress.rejected} rejected, {progress.unknown} "
                f"unknown, {progress.unsent} not sent, {len(withdrawn)} withdrawn"
                + (f", {len(mismatches)} AMOUNT MISMATCH(ES)" if mismatches else "")
                + (" — cancelled" if cancelled else "")
                + (f" — stopped: {error}" if error else ""),
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
    ) -> tuple[list[_Intent], list[Skip]]:
        """Re-check every item against the store and write the intents in ONE transaction.

        Runs in one write transaction (the write lock taken up front): no other writer (another
        kpadmin process) can slip an attempt in between the check and the insert. Returns the
        intents and late skips. Called on the store's worker thread (`Store.run`).
        """
        intents: list[_Intent] = []
        skips: list[Skip] = list(earlier.values())
        ids = [item.subscriber_id for item in plan.items if item.subscriber_id not in earlier]
        month = month_span(month_of(self.clock()))
        with self.store.transaction():
            subs = {s.id: s for s in self.subscribers.get_many(ids)}
            history = self.charges.for_subscribers(ids)
            paid_counts = self.charges.paid_in(ids, month)
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
                    monthly_limit=self.monthly_limit,
                    include_not_due=True,  # the plan already applied the date rule
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
                    charge_id = decision.resend_charge_id
                    # updated_at = this send: reconcile's quiet period (withdrawing a paused
                    # subscriber's never-seen intent) must count from the last time it left.
                    self.charges.mark_resent(charge_id, batch_id=batch_id, now=self.clock())
                    fresh = False
                else:
                    charge_id = self.charges.insert(
                        NewCharge(
                            sub.id,
                            sub.customer_uid,
                            decision.period,
                            decision.attempt,
                            decision.order_id,
                            decision.amount,
                        ),
                        batch_id=batch_id,
                        staff=plan.staff,
                        now=self.clock(),
                    )
                    fresh = True
                row = RowRef(
                    charge_id,
                    sub.id,
                    sub.customer_uid,
                    decision.period,
                    decision.attempt,
                    decision.order_id,
                    decision.amount,
                )
                intents.append(_Intent(decision, row, fresh))
                self._batch_rows.add(charge_id)
        # The COMMIT above returned: every intent is on disk. Only now may requests leave.
        return intents, skips

    async def _charge(
        self,
        intent: _Intent,
        journal: Journal,
        staff: str,
        cancel: asyncio.Event,
        abort: list[str],
    ) -> ChargeOutcome:
        """Send one intent and settle it (see rule 5 in the module docstring)."""
        row = intent.row
        journal.put(Write(row, ChargeState.SENT, _OPEN, staff, audit_action=None))
        if abort:  # that very write found the journal failing (rule 7): do not send
            return self._settle(
                journal,
                intent,
                staff,
                ChargeState.PLANNED,
                None,
                Message.of(MessageCode.OUTCOME_NOT_SENT, why=abort[0]),
            )
        not_sent = 0
        resent = 0
        try:
            while True:
                # Nothing leaves while an outcome group is being written: should it fail, that
                # is known (rule 8) before this request goes.
                await journal.settled()
                if abort:
                    return self._settle(
                        journal, intent, staff, ChargeState.PLANNED, None, f"not sent: {abort[0]}"
                    )
                try:
                    payment = await self.gateway.charge_key(
                        row.key_id, row.order_id, row.amount, _order_name(intent.item)
                    )
                except Declined as exc:
                    return self._settle(
                        journal,
                        intent,
                        staff,
                        ChargeState.DECLINED,
                        exc.payment,
                        exc.reason,
                    )
                except NotSent as exc:
                    not_sent += 1
                    if (
                        not_sent > self.send_retries
                        or cancel.is_set()
                        or abort
                        or await _sleep_unless(cancel, self._delay(not_sent))
                        or abort  # a failed write may have stopped the batch meanwhile
                    ):
                        return self._settle(
                            journal,
                            intent,
                            staff,
                            ChargeState.PLANNED,
                            None,
                            Message.of(MessageCode.OUTCOME_NOT_SENT, why=str(exc)),
                        )
                    continue
                except AuthFailed as exc:
                    abort.append(f"authentication failed: {exc}")
                    return self._settle(
                        journal,
                        intent,
                        staff,
                        ChargeState.PLANNED,
                        None,
                        Message.of(MessageCode.OUTCOME_AUTH_FAILED),
                    )
                except Rejected as exc:
                    # REFERENCE §0: code != 0 is not proof that no money moved. Look it up.
                    found = await self._look_up(row.order_id)
                    reason = exc.gateway_message or str(exc)
                    if found.verdict is Verdict.PAID:
                        return self._paid(journal, intent, staff, found)
                    maybe_sent_before = resent > 0 or not intent.fresh
                    if found.verdict is Verdict.DECLINED or (
                        found.verdict is Verdict.NOTHING and not maybe_sent_before
                    ):
                        return self._settle(
                            journal, intent, staff, ChargeState.REJECTED, None, reason
                        )
                    if found.verdict is Verdict.NOTHING:
                        # This order id may have left before (a lost answer, a crash), and
                        # i'mport refuses it now — most likely "already paid" — yet the lookup
                        # shows nothing. 'Rejected' would let a new attempt pay the period again.
                        return self._settle(
                            journal,
                            intent,
                            staff,
                            ChargeState.UNKNOWN,
                            None,
                            Message.of(MessageCode.OUTCOME_MAYBE_PAID, reason=reason),
                        )
                    return self._settle(
                        journal,
                        intent,
                        staff,
                        ChargeState.UNKNOWN,
                        None,
                        Message.of(
                            MessageCode.OUTCOME_REJECTED_UNCLEAR, reason=reason, detail=found.detail
                        ),
                    )
                except GatewayError as exc:
                    # OutcomeUnknown, BadAnswer, a non-final status, anything ambiguous.
                    found = await self._look_up(row.order_id)
                    if found.verdict is Verdict.PAID:
                        return self._paid(journal, intent, staff, found)
                    if found.verdict is Verdict.DECLINED:
                        return self._settle(
                            journal,
                            intent,
                            staff,
                            ChargeState.DECLINED,
                            found.payment,
                            found.detail,
                        )
                    if found.verdict is Verdict.NOTHING:
                        if (
                            resent < self.resends
                            and not abort
                            and not await _sleep_unless(cancel, self._delay(resent + 1))
                            and not abort  # a failed write may have stopped the batch meanwhile
                        ):
                            resent += 1  # same order id: i'mport cannot pay it twice
                            continue
                        return self._settle(
                            journal,
                            intent,
                            staff,
                            ChargeState.PLANNED,
                            None,
                            Message.of(MessageCode.OUTCOME_NOT_PROCESSED, error=type(exc).__name__),
                        )
                    return self._settle(
                        journal,
                        intent,
                        staff,
                        ChargeState.UNKNOWN,
                        None,
                        Message.of(
                            MessageCode.OUTCOME_UNCLEAR,
                            error=type(exc).__name__,
                            detail=found.detail,
                        ),
                    )
                if payment.status is not PaymentStatus.PAID:  # a gateway returning, not raising
                    found = await self._look_up(row.order_id)
                    if found.verdict is Verdict.PAID:
                        return self._paid(journal, intent, staff, found)
                    return self._settle(
                        journal,
                        intent,
                        staff,
                        ChargeState.UNKNOWN,
                        None,
                        Message.of(MessageCode.OUTCOME_STATUS, status=payment.status),
                    )
                return self._settle(journal, intent, staff, ChargeState.PAID, payment, "")
        except asyncio.CancelledError:
            self._settle(
                journal,
                intent,
                staff,
                ChargeState.UNKNOWN,
                None,
                Message.of(MessageCode.OUTCOME_INTERRUPTED),
            )
            raise
        except Exception as exc:  # a bug must not lose track of money: keep the row in doubt
            log.exception("charge %s failed unexpectedly", row.order_id)
            return self._settle(
                journal,
                intent,
                staff,
                ChargeState.UNKNOWN,
                None,
                Message.of(MessageCode.OUTCOME_INTERNAL_ERROR, error=type(exc).__name__),
            )

    def _paid(self, journal: Journal, intent: _Intent, staff: str, found: Lookup) -> ChargeOutcome:
        return self._settle(journal, intent, staff, ChargeState.PAID, found.payment, "")

    def _settle(
        self,
        journal: Journal,
        intent: _Intent,
        staff: str,
        state: ChargeState,
        payment: GatewayPayment | None,
        said: str | Message,
    ) -> ChargeOutcome:
        """Journal the outcome. ``said``: the engine's note (a `Message`) or i'mport's words."""
        row = intent.row
        note = said if isinstance(said, Message) else None
        message = str(said)
        paid_amount = payment.amount if state is ChargeState.PAID and payment is not None else None
        journal.put(Write(row, state, _OPEN, staff, payment, message))
        if paid_amount is not None and paid_amount != row.amount:
            message = mismatch_note(row.amount, paid_amount)  # as the journal writes it
            note = Message.of(
                MessageCode.OUTCOME_AMOUNT_MISMATCH, asked=row.amount, paid=paid_amount
            )
        return ChargeOutcome(
            charge_id=row.charge_id,
            subscriber_id=row.subscriber_id,
            key_id=row.key_id,
            name=intent.item.name,
            period=row.period,
            attempt=row.attempt,
            order_id=row.order_id,
            amount=row.amount,
            state=state,
            payment_id=payment.payment_id if payment else None,
            message=message,
            paid_amount=paid_amount,
            note=note,
        )

    async def _mark_missing_keys(
        self, outcomes: Sequence[ChargeOutcome], staff: str, concurrency: int
    ) -> None:
        """Ask the gateway whether the key behind each rejected charge exists; `NotFound` makes an
        active subscriber ``key_missing`` (plans skip it until staff sign the customer up again).

        The answer to the charge is never read for this (REFERENCE.md: no branching on the
        message text): only the key lookup decides. The key exists, or the lookup fails → nothing
        changes, and the next run rejects and asks again. Compare-and-set on state and
        key: a subscriber paused or re-signed-up meanwhile is left alone. A failure here
        is logged, never raised: every charge of the batch is already recorded.
        """
        rejected = {o.subscriber_id: o.key_id for o in outcomes if o.state is ChargeState.REJECTED}
        if not rejected:
            return
        limit = asyncio.Semaphore(concurrency)

        async def key_gone(key_id: str) -> bool:
            async with limit:
                try:
                    await self.gateway.get_key(key_id)
                except NotFound:
                    return True
                except Exception as exc:  # lookup failed: we do not know, so change nothing
                    log.warning("key lookup after a rejected charge failed: %s", type(exc).__name__)
                return False

        try:
            gone = await asyncio.gather(*(key_gone(uid) for uid in rejected.values()))
            now = self.clock()
            with self.store.transaction():
                for (subscriber_id, key_id), missing in zip(rejected.items(), gone, strict=True):
                    if not missing:
                        continue
                    changed = self.subscribers.set_state_if(
                        subscriber_id,
                        customer_uid=key_id,
                        was=SubscriberState.ACTIVE,
                        now_state=SubscriberState.KEY_MISSING,
                        now=now,
                        kind=ChangeKind.CHARGES,  # the outcome of a rejected charge
                    )
                    if changed:
                        self.store.audit.record(
                            staff,
                            "key_missing",
                            "billing key not found at i'mport after a rejected charge",
                            subscriber_id=subscriber_id,
                            at=now,
                            kind=ChangeKind.CHARGES,
                        )
        except Exception:
            log.exception("marking missing billing keys failed; the charges are recorded")

    def _withdraw(self, intents: list[_Intent], staff: str, batch_id: str) -> list[_Intent]:
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
                    f"batch {batch_id}: {len(intents)} planned charge(s) withdrawn before sending",
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

    async def _verify_earlier(
        self, plan: Plan, concurrency: int, staff: str, found_paid: set[int]
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
                return await self._look_up(uid)

        results = await asyncio.gather(*(one(uid) for _, uid in todo))
        skips: dict[int, Skip] = {}
        journal = Journal(self.store, clock=self.clock)
        for (item, uid), found in zip(todo, results, strict=True):
            if found.verdict is Verdict.PAID:
                charge = self.charges.by_merchant_uid(uid)
                if charge is not None:
                    found_paid.add(charge.id)
                    journal.put(
                        Write(
                            _ref(charge),
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

    # -- reconciliation -----------------------------------------------------------------------

    async def reconcile(self, *, staff: str = "", concurrency: int = 8) -> ReconcileReport:
        """Look up every row in doubt (not those a running batch has in hand) and settle it.

        Raises `EngineBusy` when another process is charging this database."""
        if self._running:  # this process holds the lock; the batch's rows are skipped
            return await self._reconcile(staff, concurrency)
        with self._batch_lock(staff):
            return await self._reconcile(staff, concurrency)

    async def _reconcile(self, staff: str, concurrency: int) -> ReconcileReport:
        rows = [c for c in self.charges.in_doubt() if c.id not in self._batch_rows]
        if not rows:
            return ReconcileReport()
        limit = asyncio.Semaphore(max(1, concurrency))

        async def one(charge: Charge) -> Lookup:
            async with limit:
                return await self._look_up(charge.merchant_uid)

        results = await asyncio.gather(*(one(c) for c in rows))
        journal = Journal(self.store, clock=self.clock)
        settled: list[Settled] = []
        inactive = self._inactive_subscribers({c.subscriber_id for c in rows})
        now = self.clock()
        for charge, found in zip(rows, results, strict=True):
            after, payment, detail = _verdict_state(found)
            if (
                after is ChargeState.PLANNED
                and charge.subscriber_id in inactive
                and now - self._last_activity(charge) >= self.quiet_period
            ):
                # i'mport never saw it and the subscriber is no longer charged (paused, key
                # missing, cancelled): withdraw the intent instead of leaving it in doubt forever.
                # The quiet period is far beyond any read timeout, so no request for it can still
                # be on its way; and should the subscriber be charged for this period again, the
                # earlier order id is looked up once more before a new attempt is written.
                after = ChargeState.REJECTED
                detail = (
                    f"withdrawn: the subscriber is {inactive[charge.subscriber_id]} and i'mport "
                    "never received this charge"
                )
            settled.append(
                Settled(
                    charge.id,
                    charge.subscriber_id,
                    charge.merchant_uid,
                    charge.state,
                    after,
                    detail,
                    amount=charge.amount,
                    paid_amount=payment.amount if after is ChargeState.PAID and payment else None,
                )
            )
            if after is charge.state and after is not ChargeState.UNKNOWN:
                continue
            journal.put(
                Write(
                    _ref(charge),
                    after,
                    frozenset({charge.state}),
                    staff,
                    payment,
                    f"reconciled: {detail}" if detail else "reconciled",
                    # An unknown row that is still unknown gets its detail refreshed, without a
                    # new audit line at every reconciliation.
                    audit_action=None if after is charge.state else "reconcile",
                )
            )
        applied = {w.row.charge_id: w.state for w in journal.flush()}
        # Report what is on disk now (a write may have been skipped because the row moved on).
        final = [replace(s, after=applied.get(s.charge_id, s.after)) for s in settled]
        return ReconcileReport(tuple(final))

    def _last_activity(self, charge: Charge) -> datetime:
        """When the batch that last sent `charge` last wrote anything. An intent is written when
        its batch starts, but a paced batch may send it much later, and its 'sent' mark can die
        in the buffer with the process: the batch's last journal write bounds when it could
        still have sent this one."""
        if charge.batch_id is None:
            return charge.updated_at
        last = self.charges.last_write_of_batch(charge.batch_id)
        return max(charge.updated_at, last) if last else charge.updated_at

    def _inactive_subscribers(self, ids: set[int]) -> dict[int, str]:
        return {
            s.id: s.state.value
            for s in self.subscribers.get_many(ids)
            if s.state is not SubscriberState.ACTIVE
        }

    async def _look_up(self, order_id: str) -> Lookup:
        return await look_up(
            self.gateway, order_id, tries=self.lookup_tries, delays=self.retry_delays
        )

    def _delay(self, attempt: int) -> float:
        return self.retry_delays[min(attempt - 1, len(self.retry_delays) - 1)]


def _journal_stop_message(exc: Exception, unrecorded: int, unsent: int) -> str:
    text = f"the journal could not be written ({exc}), so no more charges were sent"
    if unsent:
        text += f"; {unsent} charge(s) were not sent"
    if unrecorded:
        text += (
            f"; {unrecorded} charge(s) already sent could not be recorded: they stay in doubt "
            "and the next run looks them up at i'mport before charging anyone"
        )
    return text


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


def _verdict_state(found: Lookup) -> tuple[ChargeState, GatewayPayment | None, str]:
    if found.verdict is Verdict.PAID:
        return ChargeState.PAID, found.payment, ""
    if found.verdict is Verdict.DECLINED:
        return ChargeState.DECLINED, found.payment, found.detail
    if found.verdict is Verdict.NOTHING:
        return ChargeState.PLANNED, None, "i'mport has no attempt; it will be sent again"
    return ChargeState.UNKNOWN, None, found.detail


def _ref(charge: Charge) -> RowRef:
    return RowRef(
        charge.id,
        charge.subscriber_id,
        charge.customer_uid,
        charge.period,
        charge.attempt,
        charge.merchant_uid,
        charge.amount,
    )


def _order_name(item: PlanItem) -> str:
    """The ``name`` i'mport requires (≤ 40 characters)."""
    base = item.plan_name.strip() or "정기결제"
    return f"{base} {item.period}"[:40]


def _count(progress: Progress, outcome: ChargeOutcome) -> Progress:
    state = outcome.state
    return replace(
        progress,
        done=progress.done + 1,
        paid=progress.paid + (state is ChargeState.PAID),
        declined=progress.declined + (state is ChargeState.DECLINED),
        rejected=progress.rejected + (state is ChargeState.REJECTED),
        unknown=progress.unknown + (state is ChargeState.UNKNOWN),
        unsent=progress.unsent + (state is ChargeState.PLANNED),
        paid_amount=progress.paid_amount + _paid(outcome),
        mismatched=progress.mismatched + outcome.amount_mismatch,
    )


def _paid(outcome: ChargeOutcome) -> int:
    """What i'mport reports as paid for an outcome (the summary's total is real money)."""
    if outcome.state is not ChargeState.PAID:
        return 0
    return outcome.amount if outcome.paid_amount is None else outcome.paid_amount


class _Pacer:
    """Spaces request starts to at most `rps` per second (None: no limit)."""

    def __init__(self, rps: float | None) -> None:
        self.interval = 1.0 / rps if rps else 0.0
        self.next_at = 0.0

    async def wait(self, cancel: asyncio.Event) -> None:
        """Until this start's turn, or until `cancel` is set (a Stop must not wait its turn)."""
        if not self.interval:
            return
        now = time.monotonic()
        start = max(now, self.next_at)
        self.next_at = start + self.interval
        if start > now:
            await _sleep_unless(cancel, start - now)


async def _sleep_unless(cancel: asyncio.Event, seconds: float) -> bool:
    """Sleep `seconds` unless `cancel` is set first; True when it was (the caller stops)."""
    if cancel.is_set():
        return True
    try:
        await asyncio.wait_for(cancel.wait(), seconds)
    except TimeoutError:
        return False
    return True


__all__ = [
    "AmountMismatch",
    "BatchResult",
    "ChargeEngine",
    "ChargeEvent",
    "ChargeOutcome",
    "EngineBusy",
    "EventKind",
    "Plan",
    "PlanItem",
    "Progress",
    "ReconcileReport",
    "Skip",
    "SkipReason",
    "without_declines",
]
