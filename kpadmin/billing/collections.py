"""Collections: the retry policy (`retry_policy`, pure) applied to the store's records.

What it adds to a charge run, and where:

* **Planning** (`due.decide`, also the engine's re-check when it journals the intents) asks
  `retry_hold` whether a subscriber whose period has a declined attempt may be charged today:
  only on the ``retry_days`` after the period's first decline, at most once per Asia/Seoul day,
  never after the last retry declined; a Kakao Pay monthly-cap decline waits for the 1st of the
  next month and is no card failure. A held subscriber is a `Skip` carrying the next retry date.
* **Recording** (`Collections.after_outcome`, called by the journal inside the transaction that
  writes the outcome): when a decline uses up the last retry the subscriber becomes
  ``past_due`` (compare-and-set from active, audited) in that same transaction.
* **Staff retry** (`request_retry`, the GUI's "Retry" and ``charge-due --retry-past-due``): a
  past-due or declined subscriber is charged once more, now, whatever the schedule; the press
  is stored (``retry_requested_at``) so the plan and the engine's re-check agree, and the
  attempt it makes uses it up.
* **Showing** (`outlook`): the next retry date per subscriber for the table, the detail pane
  and the ``charge-due`` summary.

Re-enrolment: a customer who signs up again gets a new billing key and so a new subscriber row;
the old row's attempts are not its attempts (the policy's ``reenrolled_at`` is for a key
replaced in place, which kpadmin does not do today).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from kpadmin.billing import outbox, retry_policy
from kpadmin.billing.messages import AuditAction, Message, MessageCode, Term, TermKind
from kpadmin.billing.periods import today_in_seoul
from kpadmin.billing.retry_policy import Attempt, Decision, Outcome, Reason
from kpadmin.clock import Clock
from kpadmin.store import ChangeKind, Store
from kpadmin.store.models import Charge, ChargeState, SubscriberState

log = logging.getLogger(__name__)

_FAILED = (ChargeState.DECLINED, ChargeState.REJECTED)


@dataclass(frozen=True, slots=True)
class Hold:
    """Why a subscriber is not charged today under the retry policy."""

    reason: Reason
    note: Message
    next_retry: date | None


def attempts_of(charges: Iterable[Charge]) -> list[Attempt]:
    """The policy's view of journal rows: when each intent was written, what came of it."""
    found = []
    for charge in charges:
        outcome = Outcome.from_charge_state(charge.state.value)
        cap = outcome is Outcome.DECLINED and retry_policy.is_monthly_cap_decline(
            charge.fail_reason
        )
        found.append(Attempt(charge.created_at, outcome, cap))
    return found


def verdict(
    period_charges: Sequence[Charge],
    *,
    today: date,
    retry_days: Sequence[int],
    staff_retry_at: datetime | None = None,
) -> Decision:
    """The policy's decision for one subscriber's period from its journal rows."""
    return retry_policy.decide(
        attempts_of(period_charges),
        today=today,
        retry_days=retry_days,
        staff_retry_at=staff_retry_at,
    )


def retry_hold(
    period_charges: Sequence[Charge],
    *,
    today: date,
    retry_days: Sequence[int],
    staff_retry_at: datetime | None = None,
) -> Hold | None:
    """None when the period may be charged today (no attempt yet, a retry day has come, staff
    pressed retry); else the hold with its note and the next retry date. Rows in doubt and
    paid periods are the due rules' business: they never reach here as a hold."""
    if not any(c.state in _FAILED for c in period_charges) and staff_retry_at is None:
        return None  # the common case: nothing declined in this period
    decision = verdict(
        period_charges, today=today, retry_days=retry_days, staff_retry_at=staff_retry_at
    )
    if decision.charge_now or decision.reason in (Reason.PAID, Reason.IN_DOUBT):
        return None
    nxt = decision.next_retry
    if decision.reason is Reason.PAST_DUE or (decision.past_due and nxt is None):
        note = Message.of(MessageCode.SKIP_PAST_DUE)
    elif decision.reason is Reason.CAP_WAIT:
        note = Message.of(MessageCode.SKIP_CAP_WAIT, date=nxt)
    elif decision.reason is Reason.ATTEMPTED_TODAY:
        note = Message.of(MessageCode.SKIP_ATTEMPTED_TODAY, date=nxt)
    else:
        note = Message.of(MessageCode.SKIP_RETRY_WAIT, failures=decision.card_failures, date=nxt)
    return Hold(decision.reason, note, nxt)


@dataclass(frozen=True, slots=True)
class Collections:
    """The collections settings a charge run applies (`ChargeEngine(collections=…)`)."""

    retry_days: tuple[int, ...] = retry_policy.DEFAULT_RETRY_DAYS
    #: The customer notices written with each outcome (billing/outbox.py); off by default.
    notices: outbox.NoticePolicy = field(default_factory=outbox.NoticePolicy)

    def after_outcome(
        self,
        store: Store,
        *,
        charge_id: int,
        subscriber_id: int,
        period: str,
        state: ChargeState,
        staff: str,
        now: datetime,
    ) -> None:
        """Called by the journal inside the transaction that recorded an outcome: a decline
        that used up the last retry makes an active subscriber past due (and audits it); the
        customer's notice (receipt, decline with the next retry date, past due) is written to
        the outbox in the same transaction."""
        if state is ChargeState.PAID:
            if self.notices.on:
                sub, charge = store.subscribers.get(subscriber_id), store.charges.get(charge_id)
                if sub is not None and charge is not None:
                    facts = outbox.receipt_facts(sub, charge)
                    outbox.enqueue(store, self.notices, facts, subscriber_id, now)
            return
        if state not in _FAILED:
            return
        rows = [c for c in store.charges.for_subscriber(subscriber_id) if c.period == period]
        staff_retry_at = store.subscribers.retry_requests([subscriber_id]).get(subscriber_id)
        decision = verdict(
            rows,
            today=today_in_seoul(lambda: now),
            retry_days=self.retry_days,
            staff_retry_at=staff_retry_at,
        )
        sub = store.subscribers.get(subscriber_id)
        charge = next((c for c in rows if c.id == charge_id), None)
        if decision.reason is not Reason.PAST_DUE:
            # A decline notice (a rejection is the merchant's to sort out, not the customer's).
            if (
                self.notices.on
                and sub is not None
                and charge is not None
                and state is ChargeState.DECLINED
            ):
                declined = outbox.decline_facts(
                    sub,
                    charge,
                    next_retry=decision.next_retry,
                    monthly_cap=retry_policy.is_monthly_cap_decline(charge.fail_reason),
                )
                outbox.enqueue(store, self.notices, declined, subscriber_id, now)
            return
        if sub is None or sub.state is not SubscriberState.ACTIVE:
            return
        moved = store.subscribers.set_state_if(
            subscriber_id,
            customer_uid=sub.customer_uid,
            was=SubscriberState.ACTIVE,
            now_state=SubscriberState.PAST_DUE,
            now=now,
            kind=ChangeKind.CHARGES,
        )
        if moved:
            store.audit.record(
                staff,
                AuditAction.PAST_DUE,
                Message.of(
                    MessageCode.AUDIT_PAST_DUE,
                    period=period,
                    failures=decision.card_failures,
                    days=retry_policy.format_retry_days(self.retry_days),
                ),
                subscriber_id=subscriber_id,
                at=now,
                kind=ChangeKind.CHARGES,
            )
            log.info("subscriber %s is past due for %s", subscriber_id, period)
            if self.notices.on and charge is not None:
                past_due = outbox.past_due_facts(sub, charge)
                outbox.enqueue(store, self.notices, past_due, subscriber_id, now)


def request_retry(store: Store, ids: Iterable[int], *, staff: str, now: datetime) -> list[int]:
    """Staff pressed retry: each past-due (or active) subscriber is charged once more at the next
    run, whatever the retry schedule; a past-due one becomes active again. One transaction,
    audited. Returns the ids it applied to (paused, cancelled, key-missing and unknown ones are
    left out: they are not to be charged)."""
    done: list[int] = []
    with store.transaction():
        for sub in store.subscribers.get_many(ids):
            if sub.state not in (SubscriberState.PAST_DUE, SubscriberState.ACTIVE):
                continue
            store.subscribers.update(
                sub.id, state=SubscriberState.ACTIVE, retry_requested_at=now, now=now
            )
            store.audit.record(
                staff,
                AuditAction.RETRY_REQUESTED,
                Message.of(
                    MessageCode.AUDIT_RETRY_REQUESTED,
                    state=Term(TermKind.SUBSCRIBER_STATE, sub.state.value),
                ),
                subscriber_id=sub.id,
                at=now,
            )
            done.append(sub.id)
    return done


def outlook(
    store: Store,
    *,
    clock: Clock,
    retry_days: Sequence[int],
    ids: Iterable[int] | None = None,
) -> dict[int, Decision]:
    """The policy's decision for every subscriber whose current period — the one a run would
    charge today (`due.catch_up`) — has a decline and no payment, for showing: ``next_retry`` is
    the date of the next automatic attempt (None when past due). Everyone else is left out (an
    old period a catch-up passed over is not retried: the due rules charge the current one)."""
    from kpadmin.billing.due import catch_up  # due imports this module
    from kpadmin.billing.periods import period_of

    today = today_in_seoul(clock)
    failures = store.charges.unpaid_failures(ids)
    if not failures:
        return {}
    requests = store.subscribers.retry_requests(failures)
    found: dict[int, Decision] = {}
    for sub in store.subscribers.get_many(failures):
        if sub.next_charge_date > today:
            continue  # paid on: nothing to retry until the next date
        current = period_of(catch_up(sub.next_charge_date, sub.billing_day, today))
        rows = [c for c in failures[sub.id] if c.period == current]
        if not rows:
            continue
        sid = sub.id
        found[sid] = verdict(
            rows,
            today=today,
            retry_days=retry_days,
            staff_retry_at=requests.get(sid),
        )
    return found
