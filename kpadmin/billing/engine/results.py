"""What a batch reports: progress, outcomes, amount mismatches, the batch's result, events."""

from __future__ import annotations

import enum
import os
import socket
from dataclasses import dataclass, replace

from kpadmin.billing.due import Skip
from kpadmin.billing.messages import Message
from kpadmin.billing.reconcile import ReconcileReport
from kpadmin.store.models import ChargeState

MAX_CONCURRENCY = 32
MIN_RPS = 0.1  # = kpadmin.billing.settings.MIN_REQUESTS_PER_SECOND (the settings test pins them)
MAX_RPS = 1000.0


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
    STARTED = "started"  # the checks and sends begin (each intent durable before its request)
    WRITTEN = "written"  # a group of intents is durable: those subscribers are in flight (ids)
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
    #: WRITTEN: the subscribers whose intents were just committed.
    ids: tuple[int, ...] = ()


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


def count(progress: Progress, outcome: ChargeOutcome) -> Progress:
    state = outcome.state
    return replace(
        progress,
        done=progress.done + 1,
        paid=progress.paid + (state is ChargeState.PAID),
        declined=progress.declined + (state is ChargeState.DECLINED),
        rejected=progress.rejected + (state is ChargeState.REJECTED),
        unknown=progress.unknown + (state is ChargeState.UNKNOWN),
        unsent=progress.unsent + (state is ChargeState.PLANNED),
        paid_amount=progress.paid_amount + paid_of(outcome),
        mismatched=progress.mismatched + outcome.amount_mismatch,
    )


def paid_of(outcome: ChargeOutcome) -> int:
    """What i'mport reports as paid for an outcome (the summary's total is real money)."""
    if outcome.state is not ChargeState.PAID:
        return 0
    return outcome.amount if outcome.paid_amount is None else outcome.paid_amount
