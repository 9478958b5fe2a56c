"""The charging UI's brain: confirmation → batch on the qasync loop → live rows → result list.

``ChargingController(backend, parent)``: the main window creates it with its backend and itself as
the parent of the dialogs; everything money-related goes through the one `ChargeEngine` it holds
for the backend's database connection and i'mport client, so a reconcile never touches rows the
running batch has in hand. It knows no window: it reports through its signals (`batch_started`,
`batch_finished`, `reconciling_changed`, …) and announces what it changed with the backend's
`notify_changed`, on which the views refresh themselves.

Why the announcements are coalesced: the engine reports every charge through ``on_event`` on the
loop. Reloading a table row (a SQL read + a model update + the overview) per event would be a
thousand small freezes in a big batch. Events only note *which* subscribers changed; a 100 ms timer
then reads those rows (at most `ROWS_PER_TICK` per tick) on a worker thread — the SQL and the retry
outlook cost ~10 ms per chunk, which the loop must not spend — and announces them with the rows
read (`DataChange.rows`), so the views only apply them. One read at a time, in order; a row some
other write refreshed meanwhile is read again on a later tick, so an older read never wins. The ids
wait one tick before they are read, because the engine's journal commits results in groups (every
50 ms): by then the row on disk is the new one.
The overview aggregates the whole journal and throttles itself (`overview.REFRESH_EVERY_S`). The
batch counts as finished (`batch_finished`) once every row shows its outcome.

Explicit selections follow the same due rule as "Charge all due": a subscriber whose next charge
date has not come (e.g. paid for this month already) is listed as skipped, never charged early for
next month by a stray click.

One batch at a time, and nobody twice: while a batch runs, Charge selected / Charge all due /
Reconcile are disabled and Charge now is refused with a reason; subscribers with a charge in
flight or an unknown outcome are skipped by the engine's plan anyway (shown in the confirmation).
"""

from __future__ import annotations

import asyncio
import logging
import sys
from concurrent.futures import ThreadPoolExecutor

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from kpadmin.billing.batch import BatchSession
from kpadmin.billing.due import Plan
from kpadmin.billing.engine import (
    BatchResult,
    ChargeEngine,
    ChargeEvent,
    ChargeOutcome,
    EventKind,
    Progress,
)
from kpadmin.billing.gateway import Gateway
from kpadmin.billing.reconcile import ReconcileReport
from kpadmin.billing.records import ChargeState
from kpadmin.billing.refunds import refundable
from kpadmin.gui import aio, messages
from kpadmin.gui import formatting as fmt
from kpadmin.gui.backend import Backend, DataChange
from kpadmin.gui.charging.confirm import ConfirmChargeDialog
from kpadmin.gui.charging.progress import BatchDialog
from kpadmin.gui.charging.refund import (
    RefundDialog,
    RefundOutcome,
    RefundRequest,
    perform_refund,
)
from kpadmin.gui.charging.texts import mismatch_text, skip_label
from kpadmin.gui.database_problem import journal_stop_text
from kpadmin.gui.formatting import tr
from kpadmin.gui.texts import say

log = logging.getLogger(__name__)

REFRESH_MS = 100
#: Rows announced per tick (each re-read by the views: ~0.3 ms, SQL + model), so no tick blocks
#: the loop for long.
ROWS_PER_TICK = 40
#: Where a tick's rows are read (the store gives each thread its own connection).
_ROW_READER = ThreadPoolExecutor(1, thread_name_prefix="kpadmin-rows")
#: The GIL switch interval while a batch runs. The journal's writes and the row reads run Python
#: on worker threads; the loop thread waits up to this long for the GIL each time it wakes (the
#: default 5 ms, several times per heartbeat, made the window's ticks late).
BATCH_SWITCH_INTERVAL_S = 0.001


class ChargingController(QObject):
    #: A confirmation dialog was opened (tests and the self-test accept it programmatically).
    confirm_opened = Signal(object)
    #: A batch started: no other charge or reconcile until `batch_finished`.
    batch_started = Signal()
    batch_finished = Signal(object)  # engine BatchResult (or None when the batch crashed)
    #: A reconcile started (True) or ended (False), whatever its outcome.
    reconciling_changed = Signal(bool)
    reconciled = Signal(object)  # ReconcileReport
    refund_finished = Signal(object)  # RefundOutcome

    def __init__(self, backend: Backend, parent: QWidget) -> None:
        super().__init__(parent)
        self.backend = backend
        self._parent = parent  # the dialogs open over it
        self._engine: ChargeEngine | None = None
        self._engine_gateway: Gateway | None = None
        self._preparing = False
        self._running = False
        self._reconciling = False
        self._cancel: asyncio.Event | None = None
        self.batch_ids: set[int] = set()
        self.confirm_dialog: ConfirmChargeDialog | None = None
        self.batch_dialog: BatchDialog | None = None
        self.refund_dialog: RefundDialog | None = None
        self.last_result: BatchResult | None = None
        self.task: asyncio.Task | None = None
        # Coalescing state (see the module docstring).
        self._progress = Progress()
        self._phase: EventKind | None = None
        self._changed: set[int] = set()
        self._settling: set[int] = set()
        self._new_outcomes: list[ChargeOutcome] = []
        self._queue: dict[int, None] = {}  # ids whose new state is on disk, oldest first
        self._reading = False  # a chunk of rows is being read off the loop
        #: Ids another write announced while a chunk was read (None: every id); read again.
        self._touched: set[int] | None = set()
        self._switch_interval: float | None = None  # the GIL's, to restore after a batch
        self._result: BatchResult | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._tick)
        backend.data_changed.connect(self._on_data_changed)

    # --- state ------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._running

    def engine(self) -> ChargeEngine:
        """The engine for the current connection (raises `aio.UserError` when not connected)."""
        gateway = self.backend.gateway()
        if self._engine is None or self._engine_gateway is not gateway:
            if self._engine is not None and self._engine.running:
                raise aio.UserError(tr("A charge batch is still running."))
            self._engine = ChargeEngine(
                self.backend.store,
                gateway,
                monthly_limit=self.backend.monthly_cap,
                clock=self.backend.clock,
                collections=self.backend.collections,
            )
            self._engine_gateway = gateway
        return self._engine

    def _busy_reason(self) -> str | None:
        if self._running:
            return tr("A charge batch is running. Wait for it to finish, or stop it, first.")
        if self._preparing:
            return tr("A charge is being prepared; finish or close its confirmation first.")
        if self._reconciling:
            return tr("Reconciling; try again in a moment.")
        return None

    # --- the three ways to start a batch ----------------------------------------------------

    def charge_selected(self, ids: list[int]) -> None:
        if not ids:
            messages.info(tr("Select the subscribers to charge first."))
            return
        self._prepare(list(ids), include_not_due=False)

    def charge_all_due(self) -> None:
        self._prepare(None, include_not_due=False)

    def charge_now(self, subscriber_id: int) -> None:
        self._prepare([subscriber_id], include_not_due=False, single=True)

    def can_start(self) -> bool:
        """No batch, confirmation or reconcile under way: a new batch may be prepared."""
        return self._busy_reason() is None

    def charge_due_unattended(self) -> bool:
        """The daily automatic run (gui/daily_run.py): every due subscriber, without the
        confirmation (the settings are the staff's consent: ``auto_charge_time``, and
        ``auto_charge_live`` in LIVE); the batch window shows it like any batch. False when
        busy (the caller tries again later)."""
        if self._busy_reason() is not None:
            return False
        self._prepare(None, include_not_due=False, unattended=True)
        return True

    def _prepare(
        self,
        ids: list[int] | None,
        *,
        include_not_due: bool,
        single: bool = False,
        unattended: bool = False,
    ):
        busy = self._busy_reason()
        if busy:
            messages.warning(busy)
            if self.batch_dialog is not None and self._running:
                self.batch_dialog.raise_()
            return
        try:
            engine = self.engine()
        except aio.UserError as exc:
            messages.warning(str(exc))
            return
        self._preparing = True

        async def plan() -> Plan:
            # billing's batch session (as `charge-due`): reconcile what is in doubt, so the
            # confirmation shows the truth, then plan minus the declines it just found.
            prepared = await BatchSession(engine, staff=self.backend.staff).prepare(
                ids, include_not_due=include_not_due
            )
            if prepared.reconciled:
                self._refresh_settled(prepared.report)
            return prepared.plan

        def failed(exc: BaseException) -> None:
            self._preparing = False
            aio.report_failure(exc)

        def planned(p: Plan) -> None:
            if unattended:
                self._start(p)
            else:
                self._confirm(p, single)

        aio.run_op(plan(), on_success=planned, on_failure=failed)

    def _confirm(self, plan: Plan, single: bool) -> None:
        if single and plan.count == 0:
            self._preparing = False
            skip = plan.skipped[0] if plan.skipped else None
            if skip is not None:
                messages.warning(
                    tr("{name} is not charged: {why} — {detail}").format(
                        name=skip.name or skip.key_id,
                        why=skip_label(skip.reason),
                        detail=say(skip.note),
                    )
                )
            return
        planned = self.backend.subscribers.get_many([item.subscriber_id for item in plan.items])
        early = sum(1 for sub in planned if sub.next_charge_date > plan.today)
        dialog = ConfirmChargeDialog(plan, self._parent, early=early, mode=self.backend.mode)
        self.confirm_dialog = dialog
        dialog.accepted.connect(lambda: self._start(plan))
        dialog.finished.connect(lambda _r: self._confirm_closed(dialog))
        dialog.open()
        self.confirm_opened.emit(dialog)

    def _confirm_closed(self, dialog: ConfirmChargeDialog) -> None:
        self._preparing = False
        if self.confirm_dialog is dialog:
            self.confirm_dialog = None
        dialog.deleteLater()

    # --- the batch ----------------------------------------------------------------------------

    def _start(self, plan: Plan) -> None:
        self._preparing = False
        if plan.count == 0:
            return
        if self._running:
            messages.warning(self._busy_reason() or "")
            return
        try:
            engine = self.engine()
        except aio.UserError as exc:
            messages.warning(str(exc))
            return
        settings = self.backend.runtime.settings
        self._running = True
        self._cancel = asyncio.Event()
        self.batch_ids = {item.subscriber_id for item in plan.items}
        self._progress = Progress(total=plan.count)
        self._phase = None
        self._changed.clear()
        self._settling.clear()
        self._new_outcomes = []
        self._queue.clear()
        self._result = None
        if self.batch_dialog is not None:
            self.batch_dialog.close()
            self.batch_dialog.deleteLater()
        dialog = BatchDialog(plan.count, plan.total_amount, self._parent)
        dialog.cancel_requested.connect(self.cancel_batch)
        self.batch_dialog = dialog
        dialog.show()
        self._timer.start()
        self._loop_first(True)
        self.batch_started.emit()
        self.task = aio.run_op(
            BatchSession(engine, staff=self.backend.staff).run(
                plan,
                concurrency=settings.concurrency,
                rps=settings.requests_per_second,
                on_event=self._on_event,
                cancel=self._cancel,
            ),
            on_success=self._on_batch_done,
            on_failure=self._on_batch_failed,
        )

    def cancel_batch(self) -> None:
        """Stop sending new charges; those in flight finish (or end unknown) and are recorded."""
        if self._cancel is not None and self._running:
            self._cancel.set()
            messages.info(tr("Stopping the batch: no new charges are sent."))

    def _on_event(self, event: ChargeEvent) -> None:
        # Called by the engine for every charge: keep it to a few set/list operations.
        self._progress = event.progress
        self._phase = event.kind
        if event.outcome is not None:
            self._changed.add(event.outcome.subscriber_id)
            self._new_outcomes.append(event.outcome)
        elif event.kind is EventKind.WRITTEN:
            # Their intents are committed: these rows are now "in flight" in the table.
            self._settling.update(event.ids)

    def _tick(self) -> None:
        for sid in self._settling:
            self._queue[sid] = None
        self._settling, self._changed = self._changed, set()
        if self._queue and not self._reading:
            chunk = list(self._queue)[:ROWS_PER_TICK]
            for sid in chunk:
                del self._queue[sid]
            self._refresh_rows(chunk)
        dialog = self.batch_dialog
        if dialog is not None and self._result is None:
            dialog.update_progress(self._progress, self._phase)
        if dialog is not None and self._new_outcomes:
            dialog.add_outcomes(self._new_outcomes)
        self._new_outcomes = []
        if (
            self._result is not None
            and not self._queue
            and not self._settling
            and not self._reading
        ):
            self._complete()

    def _refresh_rows(self, ids: list[int]) -> None:
        """Read a chunk of rows whose new state is on disk, off the loop; then announce them."""
        backend = self.backend
        self._reading = True
        self._touched = set()

        async def read() -> list:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(_ROW_READER, backend.rows_for, ids)

        def done(rows: list) -> None:
            if not shiboken6.isValid(self):  # the window closed while the thread read
                return
            self._reading = False
            touched, self._touched = self._touched, set()
            stale = set(ids) if touched is None else touched.intersection(ids)
            if stale and self._timer.isActive():
                for sid in stale:  # refreshed by another write meanwhile: read again
                    self._queue[sid] = None
            elif stale:
                backend.notify_changed(stale, journal=True)
            fresh = [sid for sid in ids if sid not in stale]
            if fresh:
                backend.notify_changed(
                    fresh, journal=True, rows=[r for r in rows if r.id not in stale]
                )

        def failed(exc: BaseException) -> None:
            if not shiboken6.isValid(self):
                return
            self._reading = False
            # The store closed under the read (the window closing): the views read themselves.
            log.info("charging: rows could not be read off the loop: %s", type(exc).__name__)
            backend.notify_changed(ids, journal=True)

        aio.run_op(read(), on_success=done, on_failure=failed)

    def _on_data_changed(self, change: DataChange) -> None:
        """Another write's rows (not ones read here): a chunk being read may be older."""
        if not self._reading or change.rows is not None:
            return
        if change.subscriber_ids is None or self._touched is None:
            self._touched = None
        else:
            self._touched |= change.subscriber_ids

    def _on_batch_done(self, result: BatchResult) -> None:
        """The engine is done: show the result now; the last rows follow within a few ticks."""
        self._result = result
        self.last_result = result
        for sid in sorted(self.batch_ids | self._settling | self._changed):
            self._queue[sid] = None
        self._settling.clear()
        self._changed.clear()
        if self.batch_dialog is not None:
            if self._new_outcomes:
                self.batch_dialog.add_outcomes(self._new_outcomes)
                self._new_outcomes = []
            self.batch_dialog.show_result(result)
        if not self._timer.isActive():
            self._timer.start()

    def _loop_first(self, on: bool) -> None:
        """While a batch runs, the loop thread gets the GIL back within a millisecond."""
        if on and self._switch_interval is None:
            self._switch_interval = sys.getswitchinterval()
            sys.setswitchinterval(min(self._switch_interval, BATCH_SWITCH_INTERVAL_S))
        elif not on and self._switch_interval is not None:
            sys.setswitchinterval(self._switch_interval)
            self._switch_interval = None

    def _complete(self) -> None:
        """Every row shows its outcome: re-enable charging and tell the staff."""
        self._timer.stop()
        self._loop_first(False)
        result, self._result = self._result, None
        self._running = False
        self._cancel = None
        assert result is not None
        p = result.progress
        text = tr("Batch finished: {paid} paid ({amount}), {failed} not paid.").format(
            paid=p.paid, amount=fmt.won(p.paid_amount), failed=p.failed
        )
        if result.cancelled:
            text = tr("Batch stopped: {paid} paid ({amount}), {failed} not paid.").format(
                paid=p.paid, amount=fmt.won(p.paid_amount), failed=p.failed
            )
        if result.journal_error is not None:
            messages.error(journal_stop_text(result.journal_error))
        else:
            (messages.info if p.failed == 0 and not result.error else messages.warning)(text)
        if result.mismatches:
            messages.error(mismatch_text(len(result.mismatches)))
        self.batch_finished.emit(result)

    def _on_batch_failed(self, exc: BaseException) -> None:
        self._timer.stop()
        self._loop_first(False)
        self._running = False
        self._cancel = None
        ids = sorted(self.batch_ids | self._settling | self._changed | set(self._queue))
        self._queue.clear()
        self._settling.clear()
        self._changed.clear()
        self.backend.notify_changed(ids, journal=True)
        text = aio.describe_error(exc)
        if self.batch_dialog is not None:
            self.batch_dialog.show_error(text or type(exc).__name__)
        aio.report_failure(exc)
        self.batch_finished.emit(None)

    # --- reconcile ----------------------------------------------------------------------------

    def reconcile(self) -> None:
        busy = self._busy_reason()
        if busy:
            messages.warning(busy)
            return
        try:
            engine = self.engine()
        except aio.UserError as exc:
            messages.warning(str(exc))
            return
        self._set_reconciling(True)
        messages.info(tr("Reconciling: looking up charges whose outcome is unknown…"))

        def done(report: ReconcileReport) -> None:
            self._set_reconciling(False)
            self._refresh_settled(report)
            if not report.checked:
                messages.info(tr("Reconcile: nothing is in doubt."))
            else:
                text = tr(
                    "Reconcile: {checked} looked up — {paid} paid, {declined} declined, "
                    "{resend} never reached i'mport (sent again next time), "
                    "{unknown} still unknown."
                ).format(
                    checked=report.checked,
                    paid=report.paid,
                    declined=report.count(ChargeState.DECLINED),
                    resend=report.to_resend,
                    unknown=report.unknown,
                )
                (messages.warning if report.unknown else messages.info)(text)
            if report.mismatched:
                messages.error(mismatch_text(len(report.mismatched)))
            self.reconciled.emit(report)

        def failed(exc: BaseException) -> None:
            self._set_reconciling(False)
            aio.report_failure(exc)

        aio.run_op(engine.reconcile(staff=self.backend.staff), on_success=done, on_failure=failed)

    def _set_reconciling(self, on: bool) -> None:
        self._reconciling = on
        self.reconciling_changed.emit(on)

    def _refresh_settled(self, report: ReconcileReport) -> None:
        ids = sorted({s.subscriber_id for s in report.rows})
        self.backend.notify_changed(ids, journal=True)

    # --- refunds ------------------------------------------------------------------------------

    def refund(self, subscriber_id: int, charge_id: int = 0) -> None:
        sub = self.backend.subscribers.get(subscriber_id)
        if sub is None:
            return
        charges = [c for c in self.backend.charge_history(subscriber_id) if refundable(c) > 0]
        if not charges:
            messages.warning(tr("{name} has no paid charge left to refund.").format(name=sub.name))
            return
        if charge_id and not any(c.id == charge_id for c in charges):
            messages.warning(tr("That charge cannot be refunded (not paid, or refunded already)."))
            return
        dialog = RefundDialog(subscriber_id, sub.name, charges, charge_id, self._parent)
        self.refund_dialog = dialog
        dialog.refund_requested.connect(self._refund)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()

    def _refund(self, request: RefundRequest) -> None:
        def done(outcome: RefundOutcome) -> None:
            (messages.info if outcome.ok else messages.error)(outcome.text)
            self.backend.notify_changed([request.subscriber_id], journal=True)
            self.refund_finished.emit(outcome)

        def failed(exc: BaseException) -> None:
            aio.report_failure(exc)
            self.refund_finished.emit(RefundOutcome(False, aio.describe_error(exc) or str(exc)))

        messages.info(tr("Refunding {amount}…").format(amount=fmt.won(request.amount)))
        aio.run_op(perform_refund(self.backend, request), on_success=done, on_failure=failed)
