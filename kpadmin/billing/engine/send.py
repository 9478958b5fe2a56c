"""Sending one charge and settling it: the outcome rules as ONE table.

`OUTCOMES` maps what the charge request came back with (`Answer`, by the gateway port's result or
error class — never by message text, REFERENCE.md "Meaning of non-zero codes") and, when that
answer is looked up by order id first (`LOOKED_UP`), what the lookup found (`Found`), to a `Rule`:
the state to record, the note (a `MessageCode` with its parameters, or the gateway's own words),
whose payment is recorded, and whether the request goes again (`Again`: a request that never left
is sent again; an order id a lookup found nothing under is re-sent with the *same* order id, which
i'mport refuses to pay twice). The retries are bounded (`ChargeEngine.send_retries` /
`.resends`); once they run out, or a Stop or a failed journal write (`abort`) comes first, the
rule's state is recorded. `charge_one` is the loop that follows the table; nothing else decides.

After the sends, `mark_missing_keys` fetches the key behind each rejected charge: `NotFound`
makes an active subscriber ``key_missing``.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kpadmin.billing.engine.plan import Intent, order_name
from kpadmin.billing.engine.results import ChargeOutcome
from kpadmin.billing.gateway import (
    AuthFailed,
    Declined,
    GatewayError,
    GatewayPayment,
    NotFound,
    NotSent,
    PaymentStatus,
    Rejected,
)
from kpadmin.billing.journal import Journal, Write, mismatch_note
from kpadmin.billing.messages import Message, MessageCode
from kpadmin.billing.reconcile import Lookup, Verdict
from kpadmin.billing.subscribers import KEY_GONE_AFTER_REJECTION, mark_key_missing
from kpadmin.store import ChangeKind
from kpadmin.store.models import ChargeState

if TYPE_CHECKING:
    from kpadmin.billing.engine.core import ChargeEngine

log = logging.getLogger(__name__)

_OPEN = frozenset({ChargeState.PLANNED, ChargeState.SENT})


class Answer(enum.Enum):
    """What one charge request came back with."""

    PAID = "paid"  # a paid payment
    NOT_PAID = "not paid"  # a payment returned (not raised) in another status
    DECLINED = "declined"  # `Declined`: the card company said no (a final, failed payment)
    NOT_SENT = "not sent"  # `NotSent`: the request never left
    AUTH_FAILED = "auth failed"  # `AuthFailed`: no request of this batch will get through
    REJECTED = "rejected"  # `Rejected`: i'mport refused it — not proof that no money moved
    AMBIGUOUS = "ambiguous"  # `OutcomeUnknown`, `NotFinal`, `BadAnswer`, any other port error
    STOPPED = "stopped"  # not sent: the batch stopped first (a failed journal write)
    INTERRUPTED = "interrupted"  # the task was cancelled while the request was in flight
    INTERNAL_ERROR = "internal error"  # a bug: never a reason to lose track of money


class Found(enum.Enum):
    """What the lookup by order id found (`reconcile.Verdict`, NOTHING split in two)."""

    PAID = "paid"
    DECLINED = "declined"  # only failed attempts
    NOTHING = "nothing"  # no attempt, and this order id never left before this request
    NOTHING_SENT_BEFORE = "nothing, sent before"  # no attempt, but the order id may have left
    UNCLEAR = "unclear"  # unclear answer, or the lookup failed


class Again(enum.Enum):
    NO = "no"
    SEND = "send"  # the same request again (it never left), up to `send_retries` times
    RESEND = "resend"  # the same order id again (nothing under it), up to `resends` times


class Words(enum.Enum):
    """The gateway's own words recorded instead of a note of the engine's."""

    NONE = "none"
    REASON = "reason"  # the decline's reason / the rejection's message
    DETAIL = "detail"  # the lookup's detail


class From(enum.Enum):
    """Whose payment is recorded with the outcome."""

    NONE = "none"
    ANSWER = "answer"  # the charge's answer (its payment, or the decline's)
    LOOKUP = "lookup"


@dataclass(frozen=True, slots=True)
class Rule:
    state: ChargeState  # recorded (once the retries, if any, have run out)
    note: MessageCode | None = None  # the engine's note; its parameters are `params`
    params: tuple[str, ...] = ()  # of: why, reason, detail, error, status (`_Context`)
    words: Words = Words.NONE  # without a note: the gateway's own words
    payment: From = From.NONE
    again: Again = Again.NO
    stop_batch: bool = False  # no further request of this batch leaves


_PAID_BY_LOOKUP = Rule(ChargeState.PAID, payment=From.LOOKUP)
_ALL_FOUND = tuple(Found)

#: Answers that are looked up by order id before anything is recorded.
LOOKED_UP: frozenset[Answer] = frozenset({Answer.NOT_PAID, Answer.REJECTED, Answer.AMBIGUOUS})

#: The one table: (answer, what the lookup found — None when not looked up) → rule.
OUTCOMES: dict[tuple[Answer, Found | None], Rule] = {
    (Answer.PAID, None): Rule(ChargeState.PAID, payment=From.ANSWER),
    (Answer.DECLINED, None): Rule(
        ChargeState.DECLINED, words=Words.REASON, payment=From.ANSWER
    ),  # declines are not retried within a run
    (Answer.NOT_SENT, None): Rule(
        ChargeState.PLANNED, MessageCode.OUTCOME_NOT_SENT, ("why",), again=Again.SEND
    ),
    (Answer.AUTH_FAILED, None): Rule(
        ChargeState.PLANNED, MessageCode.OUTCOME_AUTH_FAILED, stop_batch=True
    ),
    (Answer.STOPPED, None): Rule(ChargeState.PLANNED, MessageCode.OUTCOME_NOT_SENT, ("why",)),
    # In flight when cancelled, or a bug: it may have been charged; the next reconciliation
    # looks it up before the subscriber is charged again.
    (Answer.INTERRUPTED, None): Rule(ChargeState.UNKNOWN, MessageCode.OUTCOME_INTERRUPTED),
    (Answer.INTERNAL_ERROR, None): Rule(
        ChargeState.UNKNOWN, MessageCode.OUTCOME_INTERNAL_ERROR, ("error",)
    ),
    # A gateway returning a payment that is not paid (rather than raising).
    **{
        (Answer.NOT_PAID, found): (
            _PAID_BY_LOOKUP
            if found is Found.PAID
            else Rule(ChargeState.UNKNOWN, MessageCode.OUTCOME_STATUS, ("status",))
        )
        for found in _ALL_FOUND
    },
    # REFERENCE §0: code != 0 is not proof that no money moved.
    (Answer.REJECTED, Found.PAID): _PAID_BY_LOOKUP,
    (Answer.REJECTED, Found.DECLINED): Rule(ChargeState.REJECTED, words=Words.REASON),
    (Answer.REJECTED, Found.NOTHING): Rule(ChargeState.REJECTED, words=Words.REASON),
    # This order id may have left before (a lost answer, a crash) and i'mport refuses it now —
    # most likely "already paid" — yet the lookup shows nothing: 'rejected' would let a new
    # attempt pay the period again.
    (Answer.REJECTED, Found.NOTHING_SENT_BEFORE): Rule(
        ChargeState.UNKNOWN, MessageCode.OUTCOME_MAYBE_PAID, ("reason",)
    ),
    (Answer.REJECTED, Found.UNCLEAR): Rule(
        ChargeState.UNKNOWN, MessageCode.OUTCOME_REJECTED_UNCLEAR, ("reason", "detail")
    ),
    # A lost answer: never re-sent blindly.
    (Answer.AMBIGUOUS, Found.PAID): _PAID_BY_LOOKUP,
    (Answer.AMBIGUOUS, Found.DECLINED): Rule(
        ChargeState.DECLINED, words=Words.DETAIL, payment=From.LOOKUP
    ),
    **{
        (Answer.AMBIGUOUS, nothing): Rule(
            ChargeState.PLANNED, MessageCode.OUTCOME_NOT_PROCESSED, ("error",), again=Again.RESEND
        )
        for nothing in (Found.NOTHING, Found.NOTHING_SENT_BEFORE)
    },
    (Answer.AMBIGUOUS, Found.UNCLEAR): Rule(
        ChargeState.UNKNOWN, MessageCode.OUTCOME_UNCLEAR, ("error", "detail")
    ),
}


def answer_of(exc: GatewayError) -> Answer:
    """The table's row for an error of the gateway port (by class only)."""
    if isinstance(exc, Declined):
        return Answer.DECLINED
    if isinstance(exc, NotSent):
        return Answer.NOT_SENT
    if isinstance(exc, AuthFailed):
        return Answer.AUTH_FAILED
    if isinstance(exc, Rejected):
        return Answer.REJECTED
    return Answer.AMBIGUOUS


def found_of(verdict: Verdict, *, sent_before: bool) -> Found:
    if verdict is Verdict.PAID:
        return Found.PAID
    if verdict is Verdict.DECLINED:
        return Found.DECLINED
    if verdict is Verdict.NOTHING:
        return Found.NOTHING_SENT_BEFORE if sent_before else Found.NOTHING
    return Found.UNCLEAR


@dataclass(slots=True)
class _Context:
    """What one answer (and its lookup) said: the rule's parameters and payments come from here."""

    payment: GatewayPayment | None = None  # the answer's (paid or declined)
    lookup: Lookup | None = None
    why: str = ""
    reason: str = ""
    error: str = ""
    status: object = None

    def param(self, name: str) -> object:
        if name == "detail":
            return self.lookup.detail if self.lookup else ""
        return getattr(self, name)


async def charge_one(
    engine: ChargeEngine,
    intent: Intent,
    journal: Journal,
    staff: str,
    cancel: asyncio.Event,
    abort: list[str],
    quiet: Callable[[], Awaitable[None]] | None = None,
) -> ChargeOutcome:
    """Send one intent and settle it by the table (rule 5 of the engine's docstring).

    ``quiet`` is awaited before every request (default: `Journal.settled`): the batch's writes
    begun before it have ended, so a failed one is known in ``abort`` first."""
    quiet = quiet or journal.settled
    row = intent.row
    journal.put(Write(row, ChargeState.SENT, _OPEN, staff, audit_action=None))
    tries = {Again.SEND: 0, Again.RESEND: 0}
    try:
        while True:
            # Nothing leaves while an outcome group is being written: should it fail, that is
            # known (rule 8) before this request goes. (The write just above may have found the
            # journal failing already: then nothing is sent either.)
            if not abort:
                await quiet()
            if abort:
                return _apply(journal, intent, staff, Answer.STOPPED, None, _Context(why=abort[0]))
            answer, context = await _send(engine, intent)
            found: Found | None = None
            if answer in LOOKED_UP:
                context.lookup = await engine.look_up(row.order_id)
                sent_before = tries[Again.RESEND] > 0 or not intent.fresh
                found = found_of(context.lookup.verdict, sent_before=sent_before)
            rule = OUTCOMES[answer, found]
            if rule.stop_batch:
                abort.append(f"authentication failed: {context.why}")
            if rule.again is not Again.NO:
                tries[rule.again] += 1
                limit = engine.send_retries if rule.again is Again.SEND else engine.resends
                if (
                    tries[rule.again] <= limit
                    and not abort
                    and not await sleep_unless(cancel, engine.delay(tries[rule.again]))
                    and not abort  # a failed write may have stopped the batch meanwhile
                ):
                    continue
            return _apply(journal, intent, staff, answer, found, context)
    except asyncio.CancelledError:
        _apply(journal, intent, staff, Answer.INTERRUPTED, None, _Context())
        raise
    except Exception as exc:  # a bug must not lose track of money: keep the row in doubt
        log.exception("charge %s failed unexpectedly", row.order_id)
        context = _Context(error=type(exc).__name__)
        return _apply(journal, intent, staff, Answer.INTERNAL_ERROR, None, context)


async def _send(engine: ChargeEngine, intent: Intent) -> tuple[Answer, _Context]:
    row = intent.row
    try:
        payment = await engine.gateway.charge_key(
            row.key_id, row.order_id, row.amount, order_name(intent.item)
        )
    except Declined as exc:
        return Answer.DECLINED, _Context(payment=exc.payment, reason=exc.reason)
    except GatewayError as exc:
        return answer_of(exc), _Context(
            why=str(exc),
            reason=exc.gateway_message or str(exc),
            error=type(exc).__name__,
        )
    if payment.status is not PaymentStatus.PAID:
        return Answer.NOT_PAID, _Context(status=payment.status)
    return Answer.PAID, _Context(payment=payment)


def _apply(
    journal: Journal,
    intent: Intent,
    staff: str,
    answer: Answer,
    found: Found | None,
    context: _Context,
) -> ChargeOutcome:
    rule = OUTCOMES[answer, found]
    said: str | Message
    if rule.note is not None:
        said = Message.of(rule.note, **{name: context.param(name) for name in rule.params})
    elif rule.words is Words.REASON:
        said = context.reason
    elif rule.words is Words.DETAIL:
        said = context.lookup.detail if context.lookup else ""
    else:
        said = ""
    if rule.payment is From.ANSWER:
        payment = context.payment
    elif rule.payment is From.LOOKUP:
        payment = context.lookup.payment if context.lookup else None
    else:
        payment = None
    return settle(journal, intent, staff, rule.state, payment, said)


def settle(
    journal: Journal,
    intent: Intent,
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
    journal.put(Write(row, state, _OPEN, staff, payment, message, note=note))
    if paid_amount is not None and paid_amount != row.amount:
        message = mismatch_note(row.amount, paid_amount)  # as the journal writes it
        note = Message.of(MessageCode.OUTCOME_AMOUNT_MISMATCH, asked=row.amount, paid=paid_amount)
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


async def mark_missing_keys(
    engine: ChargeEngine, outcomes: Sequence[ChargeOutcome], staff: str, concurrency: int
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
                await engine.gateway.get_key(key_id)
            except NotFound:
                return True
            except Exception as exc:  # lookup failed: we do not know, so change nothing
                log.warning("key lookup after a rejected charge failed: %s", type(exc).__name__)
            return False

    try:
        gone = await asyncio.gather(*(key_gone(uid) for uid in rejected.values()))
        now = engine.clock()
        with engine.store.transaction():
            for (subscriber_id, key_id), missing in zip(rejected.items(), gone, strict=True):
                if missing:
                    mark_key_missing(
                        engine.store,
                        subscriber_id,
                        key_id,
                        staff=staff,
                        detail=KEY_GONE_AFTER_REJECTION,
                        now=now,
                        kind=ChangeKind.CHARGES,  # the outcome of a rejected charge
                    )
    except Exception:
        log.exception("marking missing billing keys failed; the charges are recorded")


class Pacer:
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
            await sleep_unless(cancel, start - now)


async def sleep_unless(cancel: asyncio.Event, seconds: float) -> bool:
    """Sleep `seconds` unless `cancel` is set first; True when it was (the caller stops)."""
    if cancel.is_set():
        return True
    try:
        await asyncio.wait_for(cancel.wait(), seconds)
    except TimeoutError:
        return False
    return True
