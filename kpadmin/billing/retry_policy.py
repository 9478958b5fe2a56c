"""When a declined subscriber is charged again: the retry policy (pure: no Qt, no database, no clock
of its own).

The question it answers, for one subscriber and the current billing period: "may a run charge this
subscriber now, and if not, when next?" — given the period's attempts so far, the ``retry_days``
setting, today's date in Asia/Seoul, and whether staff pressed retry or the customer re-enrolled.
Whether the subscriber is *due* at all (active, date come, not paid) stays with the due rules; a
plan charges a subscriber only when both say yes.

Rules
-----
- **Retry days.** ``retry_days`` (default ``1,3,5``) count days after the period's first card
  decline, D (its Asia/Seoul date). The k-th retry is due from D + retry_days[k-1]. A run that
  missed that day (the computer was off) makes the retry at the next run; the next retry still
  waits for its own day. Retries are counted, never days: a week off does not make three charges.
- **Once a day.** At most one attempt per subscriber per Asia/Seoul day, however many runs there
  are: any attempt today (declined, paid, in flight, cap) blocks another one today.
- **Past due.** When the last retry declines too (len(retry_days) + 1 card declines), the
  subscriber is past due: never charged automatically again until staff press retry or the
  customer re-enrols. ``retry_days`` empty (``off``) means the first decline is past due.
- **Kakao Pay's monthly cap.** A decline caused by the per-key monthly cap
  (`is_monthly_cap_decline`) is no card failure: it neither counts toward past due nor starts the
  retry days; the next attempt waits for the 1st of the next Asia/Seoul month (a scheduled retry
  that falls earlier waits too).
- **Rejected** attempts (i'mport refused the request; a lookup confirmed nothing was paid) count
  as card failures like declines: hammering a refused key is as bad as hammering a declined card.
- **In doubt.** An attempt whose outcome is not known (planned / sent / unknown) blocks: it is
  looked up first (reconcile), never retried blindly.
- **Staff retry** (``staff_retry_at`` later than the last attempt) charges now, whatever the
  schedule, past due or an attempt earlier today — once: the attempt it makes is later than the
  press, so the press is used up. It does not beat the monthly cap (Kakao Pay would decline).
- **Re-enrolment** (``reenrolled_at``: a new billing key) starts afresh: attempts before it were
  made on the old key and count for nothing (failures, the cap, the day); a re-enrolment later
  than the last attempt charges now.

Times: every instant is aware; dates are Asia/Seoul dates (`kst_date`). ``today`` comes from the
caller's clock (`decide_now` takes a `kpadmin.clock.Clock`, by default the process's), so the
tests run days of retries on a fake one.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from kpadmin.billing.periods import SEOUL
from kpadmin.clock import Clock, default_clock

DEFAULT_RETRY_DAYS: Final[tuple[int, ...]] = (1, 3, 5)
#: Bounds of `retry_days`: day 28 keeps every retry inside the month after the first decline;
#: six retries are more than any card network rewards.
MIN_RETRY_DAY: Final = 1
MAX_RETRY_DAY: Final = 28
MAX_RETRIES: Final = 6

# Kakao Pay's answer when a billing key has reached its monthly number of paid charges (the
# sandbox's MONTHLY_LIMIT_REASON says the same words). Not the card's own monthly *amount*
# limit ("월 한도금액 초과"), which is a card failure like any other.
_CAP_MARKERS: Final = ("[CARD_LIMIT]", "월 한도 횟수")


class Outcome(enum.StrEnum):
    PAID = "paid"
    DECLINED = "declined"
    REJECTED = "rejected"
    IN_DOUBT = "in_doubt"  # planned / sent / unknown: to be looked up first

    @classmethod
    def from_charge_state(cls, state: str) -> Outcome:
        """The outcome of a journal row's state (``ChargeState`` values)."""
        if state in ("paid", "declined", "rejected"):
            return cls(state)
        if state in ("planned", "sent", "unknown"):
            return cls.IN_DOUBT
        raise ValueError(f"unknown charge state {state!r}")


class Reason(enum.StrEnum):
    """Why a subscriber is or is not charged now (a code; the CLI and the GUI word it)."""

    FIRST_ATTEMPT = "first_attempt"  # no attempt in this period yet
    RETRY_DUE = "retry_due"  # the next retry's day has come
    CAP_RESET = "cap_reset"  # the 1st of the month after a monthly-cap decline has come
    STAFF_RETRY = "staff_retry"
    REENROLLED = "reenrolled"
    PAID = "paid"  # the period is paid
    IN_DOUBT = "in_doubt"  # an attempt's outcome is not known: reconcile first
    ATTEMPTED_TODAY = "attempted_today"  # once a day
    WAITING = "waiting"  # the next retry's day has not come
    CAP_WAIT = "cap_wait"  # waiting for the 1st of the next month
    PAST_DUE = "past_due"  # the retries are used up: staff retry or re-enrolment


@dataclass(frozen=True, slots=True)
class Attempt:
    """One charge attempt of the period: when it was made (the intent's instant, aware), what came
    of it, and whether a decline was Kakao Pay's monthly cap rather than the card."""

    at: datetime
    outcome: Outcome
    monthly_cap: bool = False

    def __post_init__(self) -> None:
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise ValueError("an attempt's instant must be aware")
        if self.monthly_cap and self.outcome is not Outcome.DECLINED:
            raise ValueError("only a decline can be the monthly cap")

    @property
    def day(self) -> date:
        return kst_date(self.at)

    @property
    def card_failure(self) -> bool:
        return self.outcome in (Outcome.DECLINED, Outcome.REJECTED) and not self.monthly_cap


@dataclass(frozen=True, slots=True)
class Decision:
    """What a run may do with the subscriber today.

    ``next_retry`` is the Asia/Seoul date of the next automatic attempt: today when ``charge_now``,
    a later date when waiting, None when paid, in doubt or past due. ``card_failures`` counts the
    period's card declines (monthly-cap declines excluded) since the last re-enrolment.
    """

    charge_now: bool
    reason: Reason
    next_retry: date | None
    past_due: bool
    card_failures: int


class RetryDaysError(ValueError):
    """``retry_days`` out of bounds; the message is fit for the user."""


def check_retry_days(days: Iterable[int]) -> tuple[int, ...]:
    """``days`` as a tuple, or `RetryDaysError`: each 1..28, strictly ascending, at most 6."""
    values = tuple(days)
    if len(values) > MAX_RETRIES:
        raise RetryDaysError(f"retry_days holds at most {MAX_RETRIES} days, not {len(values)}")
    for day in values:
        if isinstance(day, bool) or not MIN_RETRY_DAY <= day <= MAX_RETRY_DAY:
            raise RetryDaysError(
                f"retry_days are days after the first decline, {MIN_RETRY_DAY}..{MAX_RETRY_DAY}, "
                f"not {day!r}"
            )
    if any(b <= a for a, b in itertools.pairwise(values)):
        raise RetryDaysError(
            f"retry_days must be ascending without repeats (e.g. 1,3,5), not "
            f"{','.join(map(str, values))}"
        )
    return values


def kst_date(moment: datetime) -> date:
    """The Asia/Seoul date of an aware instant."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("the instant must be aware")
    return moment.astimezone(SEOUL).date()


def first_of_next_month(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def is_monthly_cap_decline(fail_reason: str | None) -> bool:
    """Whether a decline's reason is Kakao Pay's per-key monthly cap of paid charges."""
    return bool(fail_reason) and any(m in (fail_reason or "") for m in _CAP_MARKERS)


def decide(
    attempts: Sequence[Attempt],
    *,
    today: date,
    retry_days: Sequence[int] = DEFAULT_RETRY_DAYS,
    staff_retry_at: datetime | None = None,
    reenrolled_at: datetime | None = None,
) -> Decision:
    """The policy for one subscriber's current period (see the module docstring).

    ``attempts`` are the period's attempts in any order; ``today`` is the Asia/Seoul date.
    """
    days = check_retry_days(retry_days)
    ordered = sorted(attempts, key=lambda a: a.at)
    if reenrolled_at is not None:
        ordered = [a for a in ordered if a.at > reenrolled_at]
    failures = sum(1 for a in ordered if a.card_failure)
    past_due = failures > len(days)

    def result(charge: bool, reason: Reason, next_retry: date | None) -> Decision:
        return Decision(charge, reason, next_retry, past_due, failures)

    if any(a.outcome is Outcome.PAID for a in ordered):
        return result(False, Reason.PAID, None)
    if any(a.outcome is Outcome.IN_DOUBT for a in ordered):
        return result(False, Reason.IN_DOUBT, None)
    last = ordered[-1] if ordered else None
    cap_until = first_of_next_month(last.day) if last is not None and last.monthly_cap else None
    if cap_until is not None and today < cap_until:
        # A past-due subscriber (a staff retry hit the cap) gets no automatic date after it.
        return result(False, Reason.CAP_WAIT, None if past_due else cap_until)
    if reenrolled_at is not None and last is None:
        # Nothing since the new key: the re-enrolment itself asks for a charge.
        return result(True, Reason.REENROLLED, today)
    if staff_retry_at is not None and (last is None or staff_retry_at > last.at):
        return result(True, Reason.STAFF_RETRY, today)
    if last is None:
        return result(True, Reason.FIRST_ATTEMPT, today)
    if past_due:
        return result(False, Reason.PAST_DUE, None)
    if failures == 0:
        due = cap_until or today  # only cap declines so far, and the month has turned
        reason = Reason.CAP_RESET
    else:
        first_failure = next(a.day for a in ordered if a.card_failure)
        due = first_failure + timedelta(days=days[failures - 1])
        if cap_until is not None:
            due = max(due, cap_until)
        reason = Reason.RETRY_DUE
    due = max(due, last.day + timedelta(days=1))  # once a day
    if last.day >= today:
        return result(False, Reason.ATTEMPTED_TODAY, due)
    if today < due:
        return result(False, Reason.WAITING, due)
    return result(True, reason, today)


def decide_now(
    attempts: Sequence[Attempt],
    *,
    clock: Clock | None = None,
    retry_days: Sequence[int] = DEFAULT_RETRY_DAYS,
    staff_retry_at: datetime | None = None,
    reenrolled_at: datetime | None = None,
) -> Decision:
    """`decide` with today taken from ``clock`` (default: the process's, `kpadmin.clock`) in
    Asia/Seoul."""
    return decide(
        attempts,
        today=kst_date((clock or default_clock())()),
        retry_days=retry_days,
        staff_retry_at=staff_retry_at,
        reenrolled_at=reenrolled_at,
    )


def parse_retry_days(raw: str) -> tuple[int, ...]:
    """``"1,3,5"`` → (1, 3, 5); ``off`` / ``none`` / empty → () (no automatic retries).

    Spaces are allowed around the commas. `RetryDaysError` for anything else.
    """
    text = raw.strip().lower()
    if text in ("", "off", "none", "-"):
        return ()
    parts = [p.strip() for p in text.split(",")]
    if len(parts) > MAX_RETRIES:
        raise RetryDaysError(f"retry_days holds at most {MAX_RETRIES} days, not {len(parts)}")
    values: list[int] = []
    for part in parts:
        if not part.isascii() or not part.isdigit() or len(part) > 2:
            raise RetryDaysError(
                f"retry_days must be whole numbers separated by commas (e.g. 1,3,5), not "
                f"{raw.strip()[:40]!r}"
            )
        values.append(int(part))
    return check_retry_days(values)


def format_retry_days(days: Sequence[int]) -> str:
    """The text form `parse_retry_days` reads back (``off`` for none)."""
    return ",".join(str(d) for d in days) if days else "off"
