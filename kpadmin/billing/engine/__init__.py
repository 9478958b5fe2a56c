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
   and i'mport's record of the key is read (`billing/ledger.py`: i'mport is the ledger): a
   period paid there is recorded and not charged; a new attempt is numbered past every attempt
   i'mport knows.
3. Every intent is durable before **its** request leaves: `concurrency` pipelines each take the
   next item, read i'mport's record of its key (rule 2), hand it to the `IntentWriter`, which
   writes the items arriving meanwhile in **one transaction** (re-checked against the store,
   ``synchronous=FULL``) on the store's worker thread (`Store.run`: the GUI's loop never waits),
   and send it once that COMMIT has returned. So the ledger's reads overlap the sends.
4. Up to `concurrency` requests at once, reads and charges together (one per subscriber, one per
   order id), the charges optionally paced to `rps`. Outcomes are written in short grouped
   transactions (`journal.py` explains why that is safe).
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
   and intent groups are written on the store's worker thread; no request leaves while one begun
   before it is being written, so its failure is known first.) An intent group that fails stops
   the batch the same way (nothing of it was written or sent). Their outcomes
   (and the withdrawal of unsent intents) are written if the disk allows at the end; what cannot
   be written stays planned / sent on disk, in doubt, and the next run's reconciliation looks it
   up before anything else. `BatchResult.error` says so and `journal_error` holds the error
   (`store.errors.DiskError` → exit DISK). When not one intent could be written, `run` raises:
   nothing was sent.

The package's rooms: `core` (`ChargeEngine`: the batch and its lock), `plan` (reconcile-then-plan,
the intents), `send` (one charge and the outcome rules as one table, `send.OUTCOMES`), `reconcile`
(rows in doubt), `results` (what a batch reports). Everything others use is re-exported here.
"""

from __future__ import annotations

from kpadmin.billing.due import Plan, PlanItem, Skip, SkipReason
from kpadmin.billing.engine.core import ChargeEngine
from kpadmin.billing.engine.plan import turned_out, without_declines
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
    desk,
)
from kpadmin.billing.reconcile import ReconcileReport

__all__ = [
    "MAX_CONCURRENCY",
    "MAX_RPS",
    "MIN_RPS",
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
    "desk",
    "turned_out",
    "without_declines",
]
