"""Grouped, compare-and-set writes of charge outcomes to the journal.

Why results are grouped: with ``synchronous=FULL`` every COMMIT is an fsync. One commit per result
would cost more than the HTTP call itself at low latency, so outcomes are buffered and written in
short transactions (every `flush_interval` seconds or `flush_size` rows, and always at the end of a
batch). This is safe because the *intent* is already durable before its request left: if the
process dies with outcomes still buffered, those rows are left planned / sent, which means "in
doubt", and reconciliation settles them by looking their order id up at i'mport. A lost result
write can delay the truth, never invent or repeat a payment.

Where a group is written: on the store's worker thread (`Store.submit`) when the journal runs on an
event loop, so the loop (the GUI) stays responsive while a group commits and fsyncs; groups are
written one at a time, in order. Nothing is sent while a group is being written: the engine awaits
`settled()` before every request, so a failed group is known before anything else leaves (as when
the write ran on the loop itself). Without a running loop, and for an explicit `flush()`, the
group is written on the caller's thread (`flush()` first waits for the groups under way).

A group that cannot be written (disk full, a damaged page, …) stays buffered and the journal
*fails*: `failure` holds the error, `on_failure` is called once, and it stops writing on its own
(no timer, no flush on a full buffer, groups already queued are not tried). The engine stops
sending at that moment; the rows are still planned / sent on disk, so the next run's
reconciliation looks them up. An explicit `flush()` tries again and raises.

Each write names the states it expects the row to be in; a row that moved on meanwhile (another
reconciliation, another process) is left alone. A paid row is never overwritten (the schema also
forbids it), and a second paid payment for a period that is already paid is recorded as unknown
with a loud message instead of breaking the whole group.

A paid write records what i'mport says was paid (``paid_amount``). When that is not the amount the
row asked for, the row is still paid — the money moved — but it carries an "AMOUNT MISMATCH" note
and an ``amount_mismatch`` audit row, whichever path found the payment (the charge's own answer, a
lookup, a reconciliation). Every ``fail_reason`` is redacted before it is written.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from kpadmin.billing.collections import Collections
from kpadmin.billing.gateway import GatewayPayment
from kpadmin.billing.messages import Message, MessageCode, Term, TermKind
from kpadmin.billing.periods import next_charge_date, period_of, today_in_seoul
from kpadmin.billing.refunds import refund_facts
from kpadmin.redact import redact_text
from kpadmin.store import ChangeKind, Job, Schedule, Store
from kpadmin.store.audit import AuditLine
from kpadmin.store.models import ChargeState
from kpadmin.store.refunds import RefundFacts, RefundSource

log = logging.getLogger(__name__)

#: The audit action of a paid charge whose paid amount is not the amount asked for.
AMOUNT_MISMATCH = "amount_mismatch"


def mismatch_note(asked: int, paid: int) -> str:
    """The note a paid row with another amount carries (journal, outcome, summary)."""
    return Message.of(MessageCode.OUTCOME_AMOUNT_MISMATCH, asked=asked, paid=paid).english()


@dataclass(frozen=True, slots=True)
class RowRef:
    """What the journal needs to know about the row it writes."""

    charge_id: int
    subscriber_id: int
    key_id: str  # the schema's customer_uid
    period: str
    attempt: int
    order_id: str  # the schema's merchant_uid
    amount: int


@dataclass(slots=True)
class Write:
    row: RowRef
    state: ChargeState
    expect: frozenset[ChargeState]
    staff: str
    payment: GatewayPayment | None = None
    message: str = ""
    audit_action: str | None = "charge"
    #: `message` as the engine's `Message` (None: i'mport's own words, or no note): the audit
    #: line says it in the UI language.
    note: Message | None = None


class Journal:
    """Buffers outcome writes for one store and commits them in groups."""

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], datetime],
        flush_interval: float = 0.05,
        flush_size: int = 128,
        on_flushed: Callable[[list[Write]], None] | None = None,
        on_failure: Callable[[Exception], None] | None = None,
        collections: Collections | None = None,
    ) -> None:
        self.store = store
        #: Past due (and the customer notices) written with the outcome that causes them.
        self.collections = collections
        self.clock = clock
        self.flush_interval = flush_interval
        self.flush_size = flush_size
        self.on_flushed = on_flushed
        self.on_failure = on_failure
        #: The first error a group write met (None while every write went through).
        self.failure: Exception | None = None
        self._pending: dict[int, Write] = {}
        self._timer: asyncio.TimerHandle | None = None
        #: Groups queued on the store's worker, oldest first, with their writes.
        self._jobs: list[tuple[Job[list[Write]], list[Write]]] = []
        self._idle: asyncio.Event | None = None
        #: Set by the worker when a group failed: the groups queued after it are not tried.
        self._halted: Exception | None = None

    @property
    def pending(self) -> int:
        """Rows whose latest outcome is not on disk (in doubt there until written or looked up)."""
        return len(self._pending) + sum(len(writes) for _job, writes in self._jobs)

    def put(self, write: Write) -> None:
        """Queue a write; a later write for the same row replaces an earlier, unflushed one
        (a 'sent' mark that never reached the disk is simply superseded by the result)."""
        previous = self._pending.pop(write.row.charge_id, None)
        if previous is not None and previous.state is ChargeState.SENT:
            write.expect = write.expect | previous.expect
        self._pending[write.row.charge_id] = write
        if self.failure is not None:
            return  # failed: only an explicit flush() tries again
        if len(self._pending) >= self.flush_size:
            self._flush_in_background()
        elif self._timer is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                self.flush()
                return
            self._timer = loop.call_later(self.flush_interval, self._flush_in_background)

    async def settled(self) -> None:
        """Until no group is being written; a group that failed is then in `failure` (and
        `on_failure` was called). Returns at once when none is (no suspension)."""
        while self._jobs:
            if self._idle is None:
                self._idle = asyncio.Event()
            self._idle.clear()
            await self._idle.wait()

    def _flush_in_background(self) -> None:
        """A flush nobody waits for (the timer, a full buffer), on the store's worker: a failure
        is reported through `failure` / `on_failure`, not raised into a charge that is settling
        or into the loop."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self.failure is not None or not self._pending:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            with contextlib.suppress(Exception):  # recorded by flush(): `failure`, `on_failure`
                self.flush()
            return
        writes = list(self._pending.values())
        self._pending.clear()
        job = self.store.submit(self._commit, writes, True)
        self._jobs.append((job, writes))
        job.add_done_callback(lambda: loop.call_soon_threadsafe(self._collect))

    def _collect(self) -> None:
        """On the loop: settle the groups the worker has finished, in order."""
        while self._jobs and self._jobs[0][0].done():
            job, writes = self._jobs.pop(0)
            self._settle(job, writes)
        if not self._jobs and self._idle is not None:
            self._idle.set()

    def _settle(self, job: Job[list[Write]], writes: list[Write]) -> list[Write]:
        try:
            applied = job.wait()
        except Exception as exc:
            # Nothing of this group reached the disk (rolled back): keep the writes for the next
            # flush. Should the process die first, the rows are in doubt and reconcile settles them.
            for write in writes:
                self._pending.setdefault(write.row.charge_id, write)
            self._fail(exc)
            return []
        if self.on_flushed is not None and applied:
            self.on_flushed(applied)
        return applied

    def flush(self) -> list[Write]:
        """Commit everything pending, on this thread, after the groups under way; returns the
        writes that were applied. Raises what a group met (the writes stay pending)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        applied: list[Write] = []
        while self._jobs:
            job, writes = self._jobs.pop(0)
            applied += self._settle(job, writes)
        if self._idle is not None:
            self._idle.set()
        if not self._pending:
            return applied
        writes = list(self._pending.values())
        self._pending.clear()
        try:
            done = self._commit(writes, False)
        except BaseException as exc:
            for write in writes:
                self._pending.setdefault(write.row.charge_id, write)
            if isinstance(exc, Exception):
                self._fail(exc)
            raise
        self.failure = self._halted = None  # written after all (space was freed)
        if self.on_flushed is not None and done:
            self.on_flushed(done)
        return applied + done

    def _commit(self, writes: list[Write], background: bool) -> list[Write]:
        """One group in one transaction (on the worker for a background group); the writes
        that were applied. A background group after a failed one is not tried."""
        if background and self._halted is not None:
            raise self._halted
        now = self.clock()
        applied: list[Write] = []
        try:
            with self.store.transaction():
                applied = self._apply_all(writes, now)
        except Exception as exc:
            if background:
                self._halted = exc
            raise
        return applied

    def _fail(self, exc: Exception) -> None:
        first = self.failure is None
        self.failure = exc
        if first:
            # INFO: the engine reports it (BatchResult.error) as the one message the user sees.
            log.info("journal: %d outcome(s) could not be written: %s", self.pending, exc)
            if self.on_failure is not None:
                self.on_failure(exc)

    def apply_now(self, write: Write, now: datetime | None = None) -> bool:
        """Write one outcome at once, inside the caller's transaction, with the same rules as a
        group (compare-and-set, paid is final, the double-payment guard, the after-paid move,
        audit). The ledger check (`ledger.py`) records what i'mport already holds this way, row
        by row, while it inserts the rows. True when it was applied."""
        return self._apply(write, now or self.clock())

    def _apply(self, write: Write, now: datetime) -> bool:
        return bool(self._apply_all([write], now))

    def _apply_all(self, writes: list[Write], now: datetime) -> list[Write]:
        """Apply a group of writes inside the caller's transaction; the ones applied.

        Set-wise, because on a database server every statement is a round trip: the group's
        states, its periods' paid rows and its paid subscribers' schedules are read in one query
        each, the rules are applied here in order (a write sees the group's earlier ones), and
        the rows, schedules and audit lines are written with one executemany each. The write
        lock is held (`Store.transaction`), so what was read cannot change before the writes."""
        store = self.store
        charges = store.charges
        states = charges.states_of([w.row.charge_id for w in writes])
        moving: list[Write] = []
        for write in writes:
            row = write.row
            current = states.get(row.charge_id)
            if current is None:
                log.warning(
                    "journal: charge %s vanished; write to %s dropped", row.charge_id, write.state
                )
                continue
            if current is ChargeState.PAID or current not in write.expect:
                if current is not write.state:
                    log.info(
                        "journal: %s is %s, not %s; leaving it (wanted %s)",
                        row.order_id,
                        current.value,
                        "/".join(s.value for s in write.expect),
                        write.state.value,
                    )
                continue
            states[row.charge_id] = write.state
            moving.append(write)
        if not moving:
            return []
        paying = [w.row for w in moving if w.state is ChargeState.PAID]
        paid_rows = charges.paid_among(
            [r.subscriber_id for r in paying], [r.period for r in paying]
        )
        schedules = store.subscribers.schedules([r.subscriber_id for r in paying])
        moved: dict[int, Schedule] = {}
        updates: list[tuple[int, int, ChargeState, dict[str, object]]] = []
        events: list[AuditLine] = []
        refunds: dict[int, RefundFacts] = {}
        for write in moving:
            row = write.row
            state = write.state
            message = write.message
            said: Message | str = write.note if write.note is not None else message  # the audit's
            payment = write.payment
            if state is ChargeState.PAID:
                clash = next(
                    (
                        uid
                        for charge_id, uid in paid_rows.get((row.subscriber_id, row.period), [])
                        if charge_id != row.charge_id
                    ),
                    None,
                )
                if clash is not None:
                    # Money moved twice at i'mport (two merchant_uids paid for one period). The
                    # schema cannot hold that as paid; keep it in front of staff, loudly.
                    state = ChargeState.UNKNOWN
                    said = Message.of(
                        MessageCode.OUTCOME_DOUBLE_PAYMENT,
                        period=row.period,
                        clash=clash,
                        payment_id=payment.payment_id if payment else row.order_id,
                    )
                    message = said.english()
                    log.error("journal: %s", message)
                else:  # later writes of this group see it paid
                    paid_rows.setdefault((row.subscriber_id, row.period), []).append(
                        (row.charge_id, row.order_id)
                    )
            mismatch = (
                state is ChargeState.PAID and payment is not None and payment.amount != row.amount
            )
            if mismatch:
                assert payment is not None
                first = Message.of(
                    MessageCode.OUTCOME_AMOUNT_MISMATCH, asked=row.amount, paid=payment.amount
                )
                note = first.english()  # `mismatch_note`
                message = f"{note}; {message}" if message else note
                notes: tuple[Message | str, ...] = (first, said) if said else (first,)
            else:
                notes = (said,) if said else ()
            fields: dict[str, object] = {}
            if payment is not None:
                fields["imp_uid"] = payment.payment_id
                fields["receipt_url"] = payment.receipt_url
            if state is ChargeState.PAID:
                assert payment is not None
                fields["paid_at"] = payment.paid_at or now
                fields["cancelled_amount"] = payment.refunded_amount
                fields["paid_amount"] = payment.amount
                fields["fail_reason"] = redact_text(message) if message else None
            elif state is not ChargeState.SENT:
                fields["fail_reason"] = redact_text(message) if message else None
            updates.append((row.charge_id, row.subscriber_id, state, fields))
            if state is ChargeState.PAID and payment is not None and payment.refunded_amount:
                # Paid and refunded already (found late): each refund on its own time.
                refunds[row.charge_id] = refund_facts(payment, RefundSource.GATEWAY)
            if state is ChargeState.PAID:
                assert payment is not None
                schedule = moved.get(row.subscriber_id) or schedules.get(row.subscriber_id)
                if schedule is not None:
                    moved[row.subscriber_id] = after_paid(schedule, row, payment, now)
            if write.audit_action and state is not ChargeState.SENT:
                events.append(
                    (
                        write.staff,
                        write.audit_action,
                        describe(row, state, payment, notes),
                        row.subscriber_id,
                    )
                )
            if mismatch:
                assert payment is not None
                # Its own audit row (whatever path found the payment), so staff can list them.
                events.append(
                    (
                        write.staff,
                        AMOUNT_MISMATCH,
                        Message.of(
                            MessageCode.AUDIT_AMOUNT_MISMATCH,
                            order_id=row.order_id,
                            payment_id=payment.payment_id,
                            period=row.period,
                            paid=payment.amount,
                            asked=row.amount,
                        ),
                        row.subscriber_id,
                    )
                )
                log.warning(
                    "journal: %s paid ₩%s, not ₩%s (amount mismatch)",
                    row.order_id,
                    f"{payment.amount:,}",
                    f"{row.amount:,}",
                )
            write.state = state
            write.message = message
        charges.set_states(updates, now=now, refunds=refunds)
        store.subscribers.set_schedules(moved, now=now)
        # kind CHARGES: an outcome's audit lines are part of recording it.
        store.audit.record_many(events, at=now, kind=ChangeKind.CHARGES)
        if self.collections is not None:
            for write in moving:
                if write.state.final:
                    self.collections.after_outcome(
                        store,
                        charge_id=write.row.charge_id,
                        subscriber_id=write.row.subscriber_id,
                        period=write.row.period,
                        state=write.state,
                        staff=write.staff,
                        now=now,
                    )
        return moving


def after_paid(schedule: Schedule, row: RowRef, payment: GatewayPayment, now: datetime) -> Schedule:
    """The schedule after ``row`` was paid: the next charge date one month past the paid period
    (only if it still points into that period or earlier, so a repeated write is harmless), and
    the card details i'mport reported."""
    current = schedule.next_charge_date
    nxt = current
    if period_of(current) <= row.period:  # "YYYY-MM" strings order like the months
        # One month past the period paid. A date months behind was charged once, for the
        # latest billing date (`due.catch_up`): it moves past that period, not past its own.
        year, month = map(int, row.period.split("-"))
        nxt = next_charge_date(date(year, month, 1), schedule.billing_day)
        # A payment for a period long past (an intent resent months after a crash, an answer
        # found late) is the one charge for the time it covers: the date moves past today,
        # never into a row of back-charges.
        today = today_in_seoul(lambda: now)
        while nxt <= today:
            nxt = next_charge_date(nxt, schedule.billing_day)
    card_name = payment.card_label or schedule.card_name
    card_number = payment.card_number or schedule.card_number
    return Schedule(nxt, schedule.billing_day, card_name, card_number)


def describe(
    row: RowRef,
    state: ChargeState,
    payment: GatewayPayment | None,
    notes: tuple[Message | str, ...] | str = (),
) -> Message:
    """The audit line for a charge outcome (no personal data: ids and amounts only). `notes`: the
    outcome's notes, the engine's as messages (said in the UI language), i'mport's words as
    they are."""
    if isinstance(notes, str):
        notes = (notes,) if notes else ()
    return Message.of(
        MessageCode.AUDIT_CHARGE,
        state=Term(TermKind.CHARGE_STATE, state.value),
        amount=row.amount,
        period=row.period,
        attempt=row.attempt,
        order_id=row.order_id,
        payment=Message.of(MessageCode.AUDIT_CHARGE_PAYMENT, payment_id=payment.payment_id)
        if payment is not None
        else "",
        note=Message.of(MessageCode.AUDIT_CHARGE_NOTE, text=notes) if notes else "",
    )
